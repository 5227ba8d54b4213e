"""Scores for a trained network: classification and regression metrics.

Classification metrics take integer class labels. Where a 2-D array with several columns
is given instead (one-hot targets, ``predict_proba`` output), the label is the column of the
largest value; an ``(N, 1)`` column is flattened. For K classes, with ``TP_k``, ``FP_k``,
``FN_k`` counted per class k:

=====================  ============================================================
``accuracy``           (1/N) Σ_n [y_n = ŷ_n]
``precision``          macro: (1/K) Σ_k TP_k / (TP_k + FP_k)
``recall``             macro: (1/K) Σ_k TP_k / (TP_k + FN_k)
``f1``                 macro: (1/K) Σ_k 2 P_k R_k / (P_k + R_k)
``confusion_matrix``   C[i, j] = #{n : y_n = i, ŷ_n = j}  (rows true, columns predicted)
``mae``                (1/(N·K)) Σ |y − ŷ|
``rmse``               √((1/(N·K)) Σ (y − ŷ)²)
``r2``                 per output 1 − Σ_n (y − ŷ)² / Σ_n (y − ȳ)², averaged over outputs
=====================  ============================================================

The classes are those in ``y_true`` or ``y_pred`` (as scikit-learn's ``labels=None``);
a ratio with a zero denominator counts as 0 (scikit-learn's ``zero_division=0``, without
the warning). ``r2`` of a constant target is 1 for a perfect fit and 0 otherwise
(scikit-learn's ``force_finite=True``). Reference: scikit-learn's ``sklearn.metrics``.
"""

from __future__ import annotations

import numpy as np

from . import checks

__all__ = ["accuracy", "precision", "recall", "f1", "confusion_matrix", "mae", "rmse", "r2",
           "METRICS", "CLASSIFICATION", "get_metric"]


def accuracy(y_true, y_pred) -> float:
    """The fraction of samples whose predicted label equals the true one."""
    y_true, y_pred = _label_pair(y_true, y_pred, "accuracy")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, n_classes: int | None = None) -> np.ndarray:
    """Counts ``C[i, j]`` of samples of true class i predicted as j, shape ``(K, K)``.

    With ``n_classes`` the classes are ``0 … n_classes − 1`` (all labels must be among
    them); otherwise the sorted labels found in either array, as scikit-learn.
    """
    return _confusion(y_true, y_pred, n_classes, "confusion_matrix")


def _confusion(y_true, y_pred, n_classes, name):
    y_true, y_pred = _label_pair(y_true, y_pred, name)
    if n_classes is None:
        classes = np.union1d(y_true, y_pred)
    else:
        n_classes = checks.positive_int(n_classes, name, "n_classes")
        classes = np.arange(n_classes)
        high = max(y_true.max(), y_pred.max())
        if high >= n_classes:
            raise ValueError(f"{name} expected class labels in 0..{n_classes - 1} for "
                             f"n_classes={n_classes}, got a label of {high}")
    t, p = np.searchsorted(classes, y_true), np.searchsorted(classes, y_pred)
    counts = np.bincount(t * len(classes) + p, minlength=len(classes) ** 2)
    return counts.reshape(len(classes), len(classes))


def _per_class(y_true, y_pred, name):
    C = _confusion(y_true, y_pred, None, name).astype(float)
    tp = np.diag(C)
    return tp, C.sum(axis=0), C.sum(axis=1)  # TP, predicted per class, true per class


def _ratio(num, den):
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _average(per_class: np.ndarray, average: str | None):
    if average is None:
        return per_class
    if average != "macro":
        raise ValueError(f"average must be 'macro' or None, got {average!r}")
    return float(per_class.mean())


def precision(y_true, y_pred, average: str | None = "macro"):
    """Of the samples predicted as class k, the fraction that are k; macro average over k."""
    tp, predicted, _ = _per_class(y_true, y_pred, "precision")
    return _average(_ratio(tp, predicted), average)


def recall(y_true, y_pred, average: str | None = "macro"):
    """Of the samples of class k, the fraction predicted as k; macro average over k."""
    tp, _, actual = _per_class(y_true, y_pred, "recall")
    return _average(_ratio(tp, actual), average)


def f1(y_true, y_pred, average: str | None = "macro"):
    """Per class the harmonic mean 2PR / (P + R) of precision and recall; macro average."""
    tp, predicted, actual = _per_class(y_true, y_pred, "f1")
    # 2PR/(P+R) = 2TP / (predicted + actual), which is 0 where the class never occurs
    return _average(_ratio(2 * tp, predicted + actual), average)


def mae(y_true, y_pred) -> float:
    """Mean absolute error over all N·K entries."""
    y_true, y_pred = _value_pair(y_true, y_pred, "mae")
    return float(np.mean(np.abs(y_true - y_pred)))


def rmse(y_true, y_pred) -> float:
    """Root of the mean squared error over all N·K entries."""
    y_true, y_pred = _value_pair(y_true, y_pred, "rmse")
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def r2(y_true, y_pred) -> float:
    """Coefficient of determination, per output column, then the plain mean over columns."""
    y_true, y_pred = _value_pair(y_true, y_pred, "r2")
    residual = ((y_true - y_pred) ** 2).sum(axis=0)
    total = ((y_true - y_true.mean(axis=0)) ** 2).sum(axis=0)
    score = np.where(total > 0, 1 - residual / np.where(total > 0, total, 1),
                     np.where(residual == 0, 1.0, 0.0))
    return float(score.mean())


METRICS = {"accuracy": accuracy, "precision": precision, "recall": recall, "f1": f1,
           "confusion_matrix": confusion_matrix, "mae": mae, "rmse": rmse, "r2": r2}
CLASSIFICATION = frozenset({"accuracy", "precision", "recall", "f1", "confusion_matrix"})


def get_metric(name: str):
    """The metric function called ``name``."""
    if not isinstance(name, str) or name not in METRICS:
        raise ValueError(f"unknown metric {name!r}; expected one of: {', '.join(METRICS)}")
    return METRICS[name]


# ---- input checks ----------------------------------------------------------------------


def as_labels(y, name: str, role: str) -> np.ndarray:
    """Integer labels from labels, an ``(N, 1)`` column, or one-hot / probability rows."""
    y = checks.numeric(y, name, role)
    if y.ndim == 2:
        y = y[:, 0] if y.shape[1] == 1 else y.argmax(axis=1)
    if y.ndim != 1:
        raise ValueError(f"{name} expected {role} of shape (N,) or (N, K), got {y.shape}")
    if y.dtype.kind == "f" and not (np.isfinite(y).all() and np.all(y == np.round(y))):
        raise ValueError(f"{name} expected integer class labels in {role}, got fractions")
    if y.size and y.min() < 0:  # -1 would otherwise index the last class
        raise ValueError(f"{name} expected class labels >= 0 in {role}, got {y.min():g}")
    if y.dtype.kind in "fu" and y.size and y.max() >= 2 ** 63:  # beyond int64: would wrap
        raise ValueError(f"{name} expected class labels below 2**63 in {role}, got {y.max():g}")
    return y.astype(np.int64)


def _label_pair(y_true, y_pred, name):
    y_true, y_pred = as_labels(y_true, name, "y_true"), as_labels(y_pred, name, "y_pred")
    _same_length(y_true, y_pred, name)
    return y_true, y_pred


def _value_pair(y_true, y_pred, name):
    arrays = []
    for role, y in (("y_true", y_true), ("y_pred", y_pred)):
        y = checks.numeric(y, name, role)
        if y.size == 0:
            raise ValueError(f"{name} expected at least one value in {role}, got none")
        y = y.astype(np.float64).reshape(len(y), -1) if y.ndim else y.reshape(1, 1)
        arrays.append(checks.finite(y, name, role))
    _same_length(*arrays, name)
    if arrays[0].shape != arrays[1].shape:
        raise ValueError(f"{name} expected y_true and y_pred of the same shape, got "
                         f"{arrays[0].shape} and {arrays[1].shape}")
    return arrays


def _same_length(a, b, name):
    if len(a) != len(b):
        raise ValueError(f"{name} expected y_true and y_pred of the same length, got "
                         f"{len(a)} and {len(b)}")
    if len(a) == 0:
        raise ValueError(f"{name} expected at least one sample, got none")
