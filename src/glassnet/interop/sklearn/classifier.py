"""``MLPClassifier``: scikit-learn's MLP classifier, trained by glassnet.

Binary labels get one sigmoid output and ``binary_cross_entropy``, C classes C softmax
outputs and ``cross_entropy``, K labels (multilabel) K sigmoid outputs and
``binary_cross_entropy``; the labels are encoded by scikit-learn's ``LabelBinarizer``.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from ... import checks
from . import params
from .base import BaseMLP

__all__ = ["MLPClassifier"]


class MLPClassifier(ClassifierMixin, BaseMLP):
    """A multi-layer perceptron classifier trained by glassnet, with scikit-learn's interface.

    See :mod:`glassnet.interop.sklearn` for the settings and attributes (scikit-learn's) and
    :class:`~glassnet.interop.sklearn.base.BaseMLP` for the training loop.

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

    @available_if(lambda est: est._stochastic_solver())
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
        owner = type(self).__name__
        if sample_weight is not None:
            sample_weight = checks.sample_weight(sample_weight, len(X), owner)
        if first and not incremental:  # partial_fit may see one class per call
            params.weighted_classes(y, sample_weight, owner)
        if first:
            self._label_binarizer = self._binarizer(y, incremental, classes)
            self.classes_ = self._label_binarizer.classes_
        elif self.warm_start and not incremental and self._label_binarizer.y_type_ != \
                "multilabel-indicator" and set(unique_labels(y)) != set(self.classes_):
            raise ValueError(f"{type(self).__name__} with warm_start expected y with the "
                             f"classes of the previous fit, {self.classes_.tolist()}; got "
                             f"{unique_labels(y).tolist()}")
        elif self._label_binarizer.y_type_ != "multilabel-indicator":
            unseen = np.setdiff1d(unique_labels(y), self.classes_)
            if unseen.size:
                raise ValueError(f"{type(self).__name__} was fitted on the classes "
                                 f"{self.classes_.tolist()}; y has the new labels "
                                 f"{unseen.tolist()}")
        self._fit(X, self._encode(y), sample_weight, incremental)
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

    def _encode(self, y) -> np.ndarray:
        """Labels as the network's 0/1 targets, (N, n_outputs_)."""
        return self._label_binarizer.transform(y).astype(np.float64)

    def _decode(self, Y: np.ndarray):
        return self._label_binarizer.inverse_transform(Y)

    def _multilabel(self) -> bool:
        return self._label_binarizer.y_type_ == "multilabel-indicator"

    def _loss_scale(self) -> float:
        """K labels: scikit-learn sums their losses, glassnet's binary_cross_entropy averages."""
        return float(self.n_outputs_) if self._multilabel() else 1.0

    _gradient_scale = _loss_scale

    def _sklearn_loss(self, loss, Y: np.ndarray, w) -> float:
        """scikit-learn's log-loss of the network's last output ŷ, clipped to [eps, 1 − eps].

        Σ_k over the outputs of −[y log ŷ + (1 − y) log(1 − ŷ)] (sigmoid) or of −y log ŷ
        (softmax), then the (weighted) mean over rows. glassnet's own loss reads the same
        value from z without the clip; the two part where ŷ comes within eps of 0 or 1, and
        scikit-learn's stopping rule and L-BFGS-B line search see the clipped one.
        """
        eps = np.finfo(np.float64).eps
        p = np.clip(self.network_.y_hat, eps, 1 - eps)                     # (N, K)
        log_likelihood = Y * np.log(p)
        if self.network_.layers[-1].activation.name == "sigmoid":
            log_likelihood += (1 - Y) * np.log(1 - p)
        return float(-np.average(log_likelihood, weights=w, axis=0).sum())

    def _stratify_split(self, Y) -> bool:
        """scikit-learn stratifies the early-stopping split for one output only (binary)."""
        return Y.shape[1] == 1

    def _validation_score(self, X, y, sample_weight=None) -> float:
        p = self._forward(X)
        if not np.isfinite(p).all():
            return np.nan
        return accuracy_score(y, self._decode(p), sample_weight=sample_weight)

    def _forward_checked(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self._forward(validate_data(self, X, reset=False, dtype=np.float64))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags
