"""scikit-learn estimators on a glassnet network: change the import, keep the pipeline.

::

    from glassnet.sklearn import MLPClassifier     # was: from sklearn.neural_network import …
    clf = MLPClassifier(hidden_layer_sizes=(16,), random_state=0).fit(X, y)
    clf.network_                                   # the trained glassnet Network, to look inside

The settings mean what they mean in scikit-learn's ``MLPClassifier``/``MLPRegressor``
(``hidden_layer_sizes``, ``activation``, ``solver``, ``alpha``, ``batch_size``,
``learning_rate``, ``learning_rate_init``, ``power_t``, ``max_iter``, ``shuffle``,
``random_state``, ``tol``, ``verbose``, ``warm_start``, ``momentum``, ``nesterovs_momentum``,
``early_stopping``, ``validation_fraction``, ``beta_1``, ``beta_2``, ``epsilon``,
``n_iter_no_change``), and so do the fitted attributes (``classes_``, ``n_features_in_``,
``feature_names_in_``, ``loss_``, ``loss_curve_``, ``best_loss_``, ``validation_scores_``,
``best_validation_score_``, ``t_``, ``n_iter_``, ``coefs_``, ``intercepts_``, ``n_layers_``,
``n_outputs_``, ``out_activation_``). The outputs and losses are scikit-learn's:

==============================  ==================  ==========================================
task                            output layer        loss
==============================  ==================  ==========================================
binary classification           1 sigmoid neuron    ``binary_cross_entropy``
multiclass (C classes)          C softmax neurons   ``cross_entropy``
multilabel (K labels)           K sigmoid neurons   ``binary_cross_entropy``
regression (K targets)          K identity neurons  ``squared_error``: ½ Σ_k (y − ŷ)², mean over N
==============================  ==================  ==========================================

Where glassnet differs: ``solver='lbfgs'`` and ``max_fun`` do not exist (glassnet trains by
gradient descent); weights start from glassnet's initialisers (He-uniform for relu, Xavier-
uniform otherwise) with zero biases, so the same ``random_state`` gives other numbers than
scikit-learn; with K > 1 sigmoid outputs the loss is averaged over all N·K entries (scikit-
learn sums over K); ``activation`` also accepts ``'sigmoid'`` and ``'leaky_relu'``; a loss that
becomes NaN or infinite stops ``fit`` with a ``ValueError`` at once, the network keeping the
last weights with a finite loss. ``sample_weight`` in ``fit`` and ``partial_fit`` works as in
scikit-learn: each batch loss is the weighted mean Σ w_n l_n / Σ w_n, the L2 penalty is
divided by the batch's Σ w_n, and an integer weight counts as that many copies of a row
(:mod:`glassnet.sample_weight`). From the same starting weights, ``solver='sgd'`` gives
scikit-learn's numbers to rounding; ``'adam'`` adds ε after the bias correction, as PyTorch
does, and so drifts from scikit-learn's by about 1e-5 over a few steps.

Training runs through ``net.fit`` (:mod:`glassnet.training`); what scikit-learn adds to it,
the L2 penalty ``alpha`` and the stopping rule, is in :mod:`glassnet.interop._fit_hooks`.
"""

from __future__ import annotations

import numpy as np

try:
    from sklearn.base import ClassifierMixin, RegressorMixin
except ImportError as error:  # pragma: no cover - scikit-learn is an optional dependency
    raise ImportError("glassnet.sklearn needs scikit-learn >= 1.6: "
                      "pip install 'glassnet[interop]'") from error
from sklearn.metrics import accuracy_score, r2_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from .interop import _checks
from .interop.estimator import BaseMLP

__all__ = ["MLPClassifier", "MLPRegressor"]


class MLPClassifier(ClassifierMixin, BaseMLP):
    """A multi-layer perceptron classifier trained by glassnet, with scikit-learn's interface.

    See the module docstring for the settings and attributes (scikit-learn's) and
    :class:`glassnet.interop.estimator.BaseMLP` for the training loop.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = MLPClassifier(hidden_layer_sizes=(8,), max_iter=500, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:1]).shape
    (1, 3)
    """

    def fit(self, X, y, sample_weight=None):
        """Train on ``X`` (N, n_features) and labels ``y``: anew, or on with ``warm_start``.

        ``sample_weight`` (N,), optional: non-negative weights; each batch loss becomes the
        weighted mean Σ w_n l_n / Σ w_n.
        """
        return self._fit_classifier(X, y, sample_weight, incremental=False, classes=None)

    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch over ``X``, ``y``; the first call needs ``classes``, every label there is."""
        return self._fit_classifier(X, y, sample_weight, incremental=True, classes=classes)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape (N, n_classes); rows sum to 1 (multilabel: K columns)."""
        p = self._forward_checked(X)                       # (N, n_outputs_)
        if self._label_binarizer.y_type_ == "binary":
            return np.hstack([1.0 - p, p])                 # (N, 2)
        return p

    def predict_log_proba(self, X) -> np.ndarray:
        """``log(predict_proba(X))``."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row (multilabel: each label with p > 0.5)."""
        p = self._forward_checked(X)                       # checks fitted first
        return self._label_binarizer.inverse_transform(p)

    def _fit_classifier(self, X, y, sample_weight, incremental: bool, classes):
        first = self._starts_afresh(incremental)
        X, y = validate_data(self, X, y, reset=first, multi_output=True, dtype=np.float64)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        sample_weight = _checks.sample_weights(sample_weight, len(X), type(self).__name__)
        if first and not incremental:  # partial_fit may see one class per call
            _checks.weighted_classes(y, sample_weight, type(self).__name__)
        if first:
            self._label_binarizer = self._binarizer(y, incremental, classes)
            self.classes_ = self._label_binarizer.classes_
        elif self._label_binarizer.y_type_ != "multilabel-indicator":
            unseen = np.setdiff1d(unique_labels(y), self.classes_)
            if unseen.size:
                raise ValueError(f"{type(self).__name__} was fitted on the classes "
                                 f"{self.classes_.tolist()}; y has the new labels "
                                 f"{unseen.tolist()}")
        Y = self._label_binarizer.transform(y).astype(np.float64)   # (N, n_outputs)
        self._fit(X, Y, y, sample_weight, incremental)
        return self

    def _binarizer(self, y, incremental: bool, classes) -> LabelBinarizer:
        labels = y
        if incremental and not (y.ndim == 2 and y.shape[1] > 1):
            if classes is None:
                raise ValueError(f"{type(self).__name__}.partial_fit expected classes (every "
                                 f"label the data will have) on its first call, got None")
            labels = np.asarray(classes)
        binarizer = LabelBinarizer().fit(labels)
        if len(binarizer.classes_) < 2:
            raise ValueError(f"{type(self).__name__} can't train on 1 class: y contains only "
                             f"{binarizer.classes_.tolist()}; expected at least 2 classes")
        return binarizer

    def _output(self, Y):
        if self._label_binarizer.y_type_ == "multiclass":
            return "softmax", "cross_entropy"
        return "sigmoid", "binary_cross_entropy"

    def _stratify(self, y_raw) -> bool:
        return self._label_binarizer.y_type_ != "multilabel-indicator"

    def _validation_score(self, X, y, sample_weight=None) -> float:
        y_pred = self._label_binarizer.inverse_transform(self._forward(X))
        return accuracy_score(y, y_pred, sample_weight=sample_weight)

    def _forward_checked(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self._forward(validate_data(self, X, reset=False, dtype=np.float64))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


class MLPRegressor(RegressorMixin, BaseMLP):
    """A multi-layer perceptron regressor trained by glassnet, with scikit-learn's interface.

    ``loss``: ``'squared_error'`` (½ Σ_k (y − ŷ)² averaged over samples: scikit-learn's for
    one target) or ``'mse'`` (the mean over all N·K entries, PyTorch's ``MSELoss``).

    Examples
    --------
    >>> X = np.linspace(-1, 1, 50).reshape(-1, 1)
    >>> reg = MLPRegressor(hidden_layer_sizes=(16,), activation="tanh", max_iter=300,
    ...                    random_state=0).fit(X, X[:, 0] ** 2)
    >>> reg.predict(X).shape
    (50,)
    """

    def __init__(self, loss="squared_error", hidden_layer_sizes=(100,), activation="relu", *,
                 solver="adam", alpha=0.0001, batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10):
        self.loss = loss
        super().__init__(
            hidden_layer_sizes, activation, solver=solver, alpha=alpha, batch_size=batch_size,
            learning_rate=learning_rate, learning_rate_init=learning_rate_init,
            power_t=power_t, max_iter=max_iter, shuffle=shuffle, random_state=random_state,
            tol=tol, verbose=verbose, warm_start=warm_start, momentum=momentum,
            nesterovs_momentum=nesterovs_momentum, early_stopping=early_stopping,
            validation_fraction=validation_fraction, beta_1=beta_1, beta_2=beta_2,
            epsilon=epsilon, n_iter_no_change=n_iter_no_change)

    def fit(self, X, y, sample_weight=None):
        """Train from scratch (or on, with ``warm_start``) on ``X`` (N, n_features), ``y``.

        ``sample_weight`` (N,), optional: non-negative weights; each batch loss becomes the
        weighted mean Σ w_n l_n / Σ w_n.
        """
        return self._fit_regressor(X, y, sample_weight, incremental=False)

    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``X``, ``y``, continuing from the current weights."""
        return self._fit_regressor(X, y, sample_weight, incremental=True)

    def predict(self, X) -> np.ndarray:
        """ŷ, shape (N,) for one target, else (N, n_targets)."""
        check_is_fitted(self)
        y_hat = self._forward(validate_data(self, X, reset=False, dtype=np.float64))
        return y_hat[:, 0].copy() if y_hat.shape[1] == 1 else y_hat

    def _fit_regressor(self, X, y, sample_weight, incremental: bool):
        if self.loss not in ("squared_error", "mse"):
            raise ValueError(f"MLPRegressor expected loss 'squared_error' or 'mse', "
                             f"got {self.loss!r}")
        first = self._starts_afresh(incremental)
        X, y = validate_data(self, X, y, reset=first, multi_output=True, y_numeric=True,
                             dtype=np.float64)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        Y = y.reshape(len(y), -1).astype(np.float64)      # (N, n_targets)
        if not first and Y.shape[1] != self.n_outputs_:
            raise ValueError(f"MLPRegressor was fitted on {self.n_outputs_} targets, "
                             f"got y with {Y.shape[1]}")
        self._fit(X, Y, y, sample_weight, incremental)
        return self

    def _output(self, Y):
        return "identity", self.loss

    def _validation_score(self, X, y, sample_weight=None) -> float:
        y_hat = self._forward(X)
        return r2_score(y, y_hat[:, 0] if y.ndim == 1 else y_hat, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
