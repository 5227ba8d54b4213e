"""Using a trained network: ``predict``, ``predict_proba`` and ``evaluate``.

What a network predicts follows from its loss, the one choice that says what the outputs
mean:

=========================  ==================  ===========================================
loss                       task                ``predict``
=========================  ==================  ===========================================
``cross_entropy``          K classes           ``argmax_k ŷ_k``, labels ``(N,)``
``binary_cross_entropy``   2 classes (1 unit)  ``ŷ ≥ 0.5``, labels ``(N,)``
``binary_cross_entropy``   K labels (K units)  ``ŷ ≥ 0.5`` per unit, ``(N, K)``
``squared_error``, ``mse``  regression         ``ŷ``: ``(N,)`` for one output, else ``(N, K)``
=========================  ==================  ===========================================

``predict_proba`` gives class probabilities, ``(N, K)``; for one sigmoid unit the columns
are ``[1 − ŷ, ŷ]`` (scikit-learn's convention, so column k is class k).
"""

from __future__ import annotations

import numpy as np

from . import metrics as _metrics

__all__ = ["task", "predict", "predict_proba", "evaluate", "scores"]


def task(net) -> str:
    """``"multiclass"``, ``"binary"``, ``"multilabel"`` or ``"regression"``, from the loss."""
    name = net.loss_fn.name
    if name == "cross_entropy":
        return "multiclass"
    if name == "binary_cross_entropy":
        return "binary" if net.n_out == 1 else "multilabel"
    return "regression"


def predict_proba(net, X) -> np.ndarray:
    """Class probabilities ``(N, K)`` for a classifier (see the module table)."""
    kind = task(net)
    if kind == "regression":
        raise TypeError(f"predict_proba needs a classifier (cross_entropy or "
                        f"binary_cross_entropy loss), but {net!r} is a regression network; "
                        "use predict")
    y_hat = net.forward(X)  # (N, K)
    if kind == "binary":
        return np.column_stack([1 - y_hat[:, 0], y_hat[:, 0]])  # (N, 2)
    return y_hat.copy()  # a copy: the network keeps its own cached output


def predict(net, X) -> np.ndarray:
    """Class labels for a classifier, outputs ``ŷ`` for regression (see the module table)."""
    return _decide(net, net.forward(X))


def _decide(net, y_hat: np.ndarray) -> np.ndarray:
    kind = task(net)
    if kind == "multiclass":
        return y_hat.argmax(axis=1)
    if kind == "binary":
        return (y_hat[:, 0] >= 0.5).astype(np.int64)
    if kind == "multilabel":
        return (y_hat >= 0.5).astype(np.int64)
    return y_hat[:, 0].copy() if y_hat.shape[1] == 1 else y_hat.copy()


def default_metrics(net) -> tuple[str, ...]:
    return ("accuracy",) if task(net) in ("multiclass", "binary") else ("rmse",)


def check_metric_names(net, names) -> tuple[str, ...]:
    """Validate metric names for ``net``: known, scalar, and fitting its task."""
    if isinstance(names, str):
        names = (names,)
    names = tuple(names)
    for name in names:
        _metrics.get_metric(name)
        if name in _metrics.CLASSIFICATION and task(net) not in ("multiclass", "binary"):
            raise ValueError(f"metric {name!r} needs a classifier with one label per sample "
                             f"(cross_entropy, or binary_cross_entropy with one output), but "
                             f"{net!r} is {task(net)}")
        if name not in _metrics.CLASSIFICATION and task(net) == "multiclass":
            raise ValueError(f"metric {name!r} compares values, but {net!r} predicts one of "
                             f"several classes; use accuracy, precision, recall, f1 or "
                             f"confusion_matrix")
    return names


def scores(net, y_hat: np.ndarray, y: np.ndarray, names) -> dict[str, object]:
    """The metrics ``names`` of outputs ``y_hat`` against targets ``y`` (already prepared)."""
    result = {}
    for name in names:
        function = _metrics.get_metric(name)
        if name in _metrics.CLASSIFICATION:
            truth = _metrics.as_labels(y, name, "targets")
            value = function(truth, _decide(net, y_hat))
        else:
            value = function(y, y_hat)
        result[name] = value if name == "confusion_matrix" else float(value)
    return result


def evaluate(net, X, y, metrics=None, sample_weight=None) -> dict[str, object]:
    """The mean loss and the chosen metrics on ``(X, y)``: ``{"loss": …, "accuracy": …}``.

    ``metrics`` defaults to ``("accuracy",)`` for classifiers and ``("rmse",)`` for regression;
    ``confusion_matrix`` is returned as an array, everything else as a float.
    ``sample_weight`` (N,), optional, makes the loss the weighted mean ``Σ w_n l_n / Σw``, as
    Keras's ``evaluate`` does; the metrics stay unweighted.
    """
    names = check_metric_names(net, default_metrics(net) if metrics is None else metrics)
    y_hat = net.forward(X)
    n_targets = len(np.asarray(y))
    if n_targets != len(y_hat):
        raise ValueError(f"evaluate expected {len(y_hat)} targets, one per row of X, got "
                         f"{n_targets}")
    loss = net.loss(y_hat, y, sample_weight)  # loss.y: the targets it checked and prepared
    return {"loss": float(loss), **scores(net, y_hat, loss.y, names)}
