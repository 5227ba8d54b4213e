"""A training run on disk: the model file and, beside it, ``<model>.history.json``.

The model (``digits.safetensors``) is glassnet's own save format and takes the data's raw
features: the standardisation used in training, ``x' = (x − μ) / σ``, is folded into the
first layer (``W' = W / σ`` row by row, ``b' = b − (μ / σ) @ W``), so ``predict``, ``explain``
and ``export`` need nothing else. The run record (``digits.history.json``, written
atomically) holds what ``glassnet plot`` draws and what ``predict`` prints:

========================  ================================================================
``format``                ``"glassnet.run/1"``
``model``                 the model file's name, in the same folder
``data``                  source (and a CSV's absolute path), task, feature and class names,
                          split sizes, whether rows were held out
``settings``              the options ``train`` was given (``test_split`` and ``seed`` let
                          ``evaluate`` split the data again and score the held-out rows)
``history``               ``History.to_dict()``: per-epoch loss, val_loss, accuracy, …, and
                          test_loss, test_accuracy on the held-out rows (:mod:`.heldout`)
``test``                  metrics on the held-out rows, and their confusion matrix
``points``                for 2-D data only: up to 2000 rows ``X``, labels ``y`` (raw units)
                          and ``test`` (which rows were held out)
``standardizer``          μ and σ that were folded into the first layer (or null)
``target_standardizer``   a regression target's μ and σ, unfolded into the last layer (or
                          null): the losses in ``history`` are in these standardised units
========================  ================================================================
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .._files import read_regular_text
from .common import write_json
from .errors import UserError, user_input

__all__ = ["RUN_FORMAT", "run_path", "write_run", "read_run", "load_model", "output_kind",
           "predict", "scores", "metrics_line", "points_for_plot"]

RUN_FORMAT = "glassnet.run/1"
MAX_POINTS = 2000


def run_path(model: Path) -> Path:
    """``runs/digits.safetensors`` → ``runs/digits.history.json``."""
    return model.with_name(model.stem + ".history.json")


def write_run(model: Path, record: dict) -> Path:
    return write_json(run_path(model), {"format": RUN_FORMAT, "model": model.name, **record})


def read_run(path: Path, required: bool = True) -> dict | None:
    """The run record for a model file (or the record itself when given the JSON path)."""
    record_path = path if path.suffix == ".json" else run_path(path)
    if not record_path.is_file():
        if required:
            raise UserError(f"no training run record {str(record_path)!r}; expected the "
                            "model of a `glassnet train` run (it writes one beside the model)")
        return None
    with user_input(f"run record {str(record_path)!r}"):
        record = json.loads(read_regular_text(record_path, "a training run record (JSON)"))
    if not isinstance(record, dict) or record.get("format") != RUN_FORMAT:
        raise UserError(f"{record_path} is not a glassnet training run record (expected "
                        f"format {RUN_FORMAT!r})")
    missing = [key for key in ("model", "data", "settings", "history")
               if not isinstance(record.get(key), (dict, str))]
    if missing:
        raise UserError(f"{record_path} is a damaged run record: it lacks {missing}")
    record["_path"] = str(record_path)
    return record


def load_model(path: Path):
    """``gn.load(path)``, with a missing or damaged file reported as a user mistake."""
    from .. import persistence

    if path.suffix == ".json":
        record = read_run(path)
        path = path.with_name(record["model"])
    with user_input():
        return persistence.load(path), path


def output_kind(net, task: str | None = None) -> str:
    """How the network's output reads: ``labels`` (softmax), ``binary`` (one sigmoid unit
    for two classes), ``one_hot`` (several sigmoid units) or ``values`` (regression)."""
    last = net.layers[-1].activation.name
    if task is None:  # no run record: cross-entropies mean classes, anything else values
        task = "classification" if net.loss_fn.name.endswith("cross_entropy") else "regression"
    if task != "classification":
        return "values"
    if last == "softmax":
        return "labels"
    return "binary" if net.n_out == 1 else "one_hot"


def predict(net, X: np.ndarray, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """``(prediction, output)``: class labels (or values) and the raw network output."""
    out = net.forward(X)                              # (N, n_out)
    if kind == "values":
        return (out[:, 0] if out.shape[1] == 1 else out), out
    if kind == "binary":
        return (out[:, 0] >= 0.5).astype(np.int64), out
    return out.argmax(axis=1), out


def scores(y_true: np.ndarray, y_pred: np.ndarray, kind: str, n_classes: int | None) -> dict:
    """Metrics for people: accuracy, macro precision/recall/F1 and the confusion matrix for
    classes; MAE, RMSE and R² for values."""
    from .. import metrics

    if kind == "values":
        y_true = y_true.reshape(y_pred.shape)
        return {"mae": metrics.mae(y_true, y_pred), "rmse": metrics.rmse(y_true, y_pred),
                "r2": metrics.r2(y_true, y_pred)}
    y_true = np.asarray(y_true).astype(np.int64)
    return {"accuracy": metrics.accuracy(y_true, y_pred),
            "precision": float(metrics.precision(y_true, y_pred)),
            "recall": float(metrics.recall(y_true, y_pred)),
            "f1": float(metrics.f1(y_true, y_pred)),
            "confusion_matrix": metrics.confusion_matrix(y_true, y_pred, n_classes).tolist()}


def metrics_line(values: dict) -> str:
    """``accuracy 0.9722  f1 0.9720 …``: the numbers of :func:`scores`, one line."""
    return "  ".join(f"{name} {value:.4f}" for name, value in values.items()
                     if name != "confusion_matrix")


def points_for_plot(split, seed: int) -> dict | None:
    """Up to :data:`MAX_POINTS` rows of 2-D data for the decision-boundary plot: ``X``,
    labels ``y`` and ``test`` (true for a held-out row), training rows first."""
    X = np.concatenate([split.X_train, split.X_test]) if split.held_out else split.X_train
    if X.shape[1] != 2:
        return None
    y = np.concatenate([split.y_train, split.y_test]) if split.held_out else split.y_train
    test = np.arange(len(X)) >= len(split.X_train)
    rows = np.arange(len(X))
    if len(X) > MAX_POINTS:
        rows = np.sort(np.random.default_rng(seed).choice(len(X), MAX_POINTS, replace=False))
    return {"X": X[rows].tolist(), "y": np.asarray(y)[rows].tolist(),
            "test": test[rows].tolist()}
