"""Small real data sets, all offline: scikit-learn's bundled files and MNIST-1D generated here.

Needs the ``data`` extra (``pip install glassnet[data]``): scikit-learn and mnist1d.
"""

from __future__ import annotations

import functools
import random

import numpy as np

from .base import Dataset

__all__ = ["digits", "breast_cancer", "iris", "wine", "mnist1d"]


def digits() -> Dataset:
    """1797 handwritten digits as 8×8 images, flattened to 64 features with values 0–16.

    The UCI "Optical Recognition of Handwritten Digits" test set, bundled with scikit-learn
    (``sklearn.datasets.load_digits``). Feature ``pixel_r_c`` is row r, column c.
    """
    return _from_sklearn(
        "load_digits", "Handwritten digits 0-9 (UCI optdigits via scikit-learn): 8x8 images "
        "of ink counts 0-16, one row per image, pixels row by row.")


def breast_cancer() -> Dataset:
    """569 tumours, 30 measurements each, labelled malignant (0) or benign (1).

    The Wisconsin Diagnostic Breast Cancer data, bundled with scikit-learn
    (``sklearn.datasets.load_breast_cancer``).
    """
    return _from_sklearn(
        "load_breast_cancer", "Wisconsin diagnostic breast cancer (via scikit-learn): 30 "
        "measurements of cell nuclei per tumour; 0 = malignant, 1 = benign.")


def iris() -> Dataset:
    """150 irises, 4 measurements (cm), 3 species: Fisher's 1936 data (scikit-learn)."""
    return _from_sklearn(
        "load_iris", "Fisher's iris flowers (via scikit-learn): sepal and petal length and "
        "width in cm; three species.")


def wine() -> Dataset:
    """178 wines, 13 chemical measurements, 3 cultivars (UCI wine, via scikit-learn)."""
    return _from_sklearn(
        "load_wine", "UCI wine recognition (via scikit-learn): 13 chemical measurements of "
        "wines from three cultivars of one Italian region.")


def mnist1d() -> Dataset:
    """MNIST-1D: 10 digit templates as 1-D signals of length 40, shifted, scaled and noised.

    Generated offline with ``mnist1d.data.make_dataset`` and its default arguments
    (``get_dataset_args()``: 5000 samples, seed 42, 80 % train), so ``X``/``y`` hold the
    4000 training signals and ``X_test``/``y_test`` the 1000 test signals, the same split as
    the paper. Greydanus, "Scaling down Deep Learning", 2020, https://arxiv.org/abs/2011.14439
    (its MLP reaches about 68 % test accuracy).
    """
    data = _mnist1d_arrays()
    return Dataset(data["x"].copy(), data["y"].copy(), [f"t{i}" for i in range(40)],
                   [str(k) for k in range(10)],
                   "MNIST-1D (Greydanus 2020): ten 1-D digit templates of length 40, randomly "
                   "padded, translated, sheared and noised; generated from seed 42.",
                   X_test=data["x_test"].copy(), y_test=data["y_test"].copy())


@functools.lru_cache(maxsize=1)
def _mnist1d_arrays() -> dict:
    import mnist1d.data

    # make_dataset seeds numpy's and Python's global generators; put the caller's state back.
    numpy_state, python_state = np.random.get_state(), random.getstate()
    try:
        data = mnist1d.data.make_dataset(mnist1d.data.get_dataset_args())
    finally:
        np.random.set_state(numpy_state)
        random.setstate(python_state)
    arrays = {key: np.asarray(data[key]) for key in ("x", "y", "x_test", "y_test")}
    for key in ("x", "x_test"):
        arrays[key] = arrays[key].astype(np.float64)
    for key in ("y", "y_test"):
        arrays[key] = arrays[key].astype(np.int64)
    for value in arrays.values():
        value.setflags(write=False)  # the cached copy must never change
    return arrays


def _from_sklearn(loader: str, description: str) -> Dataset:
    import sklearn.datasets

    bunch = getattr(sklearn.datasets, loader)()
    return Dataset(np.asarray(bunch.data, dtype=np.float64), np.asarray(bunch.target, np.int64),
                   [str(name) for name in bunch.feature_names],
                   [str(name) for name in bunch.target_names], description)
