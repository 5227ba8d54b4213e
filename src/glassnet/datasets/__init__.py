"""Data to train on: the lecture's toy problems, small real data sets, and your own CSV files.

Every loader returns a :class:`Dataset` with arrays plus feature and target names and a
short description; ``X, y = datasets.moons(seed=0)`` unpacks it. All randomness comes from
an explicit ``seed``; nothing is downloaded.

==========================  ============================================================
``xor()``                   the four corners of the unit square, labelled x1 XOR x2
``moons``, ``circles``      two interleaved half circles / two rings (2-D, 2 classes)
``spiral``                  K interleaved spiral arms (CS231n), 2-D
``gaussians``               K Gaussian blobs with centres on a circle
``loan``                    the lecture's loan officer: income, credit score, debt → approve
``digits``                  8×8 handwritten digits, 1797 × 64 (scikit-learn's bundled copy)
``breast_cancer``           569 × 30, malignant / benign (scikit-learn)
``iris``, ``wine``          150 × 4 and 178 × 13, 3 classes each (scikit-learn)
``mnist1d``                 MNIST-1D (Greydanus 2020), 4000 train + 1000 test × 40, generated
``load_csv``                a CSV file or a pandas DataFrame with a named target column
==========================  ============================================================

``train_test_split`` and :class:`Standardizer` (fit on the training split only) prepare them.
"""

from .base import Dataset
from .preprocessing import Standardizer, one_hot, train_test_split
from .real import breast_cancer, digits, iris, mnist1d, wine
from .tabular import load_csv
from .toys import LOAN_RULE, circles, gaussians, loan, moons, spiral, xor

__all__ = ["Dataset", "LOAN_RULE", "Standardizer", "breast_cancer", "circles", "digits",
           "gaussians", "iris", "load_csv", "loan", "mnist1d", "moons", "one_hot", "spiral",
           "train_test_split", "wine", "xor"]
