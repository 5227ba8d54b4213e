"""The import path ``glassnet.sklearn``: scikit-learn's MLPs, trained by glassnet.

::

    from glassnet.sklearn import MLPClassifier     # was: from sklearn.neural_network import …
    clf = MLPClassifier(hidden_layer_sizes=(16,), random_state=0).fit(X, y)
    clf.network_                                   # the trained glassnet Network, to look inside

The estimators, their settings and where they differ from scikit-learn's are in
:mod:`glassnet.interop.sklearn`.
"""

# BaseMLP, the estimators' shared base, can be imported from here too
from .interop.sklearn import BaseMLP, MLPClassifier, MLPRegressor  # noqa: F401

__all__ = ["MLPClassifier", "MLPRegressor"]
