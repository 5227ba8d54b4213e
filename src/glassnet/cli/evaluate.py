"""``glassnet evaluate``: a saved model's metrics, on the rows its training run held out.

The run record beside the model (``MODEL.history.json``, see :mod:`.runs`) names the data,
the test fraction and the seed of the split ``train`` made, so the same call to
:func:`.data.split_data` gives back the same held-out rows. Standardisation needs nothing
here: it is folded into the saved first layer. Other data, or a model without its record,
is scored on every row, and the first line of the report says which rows were scored.
"""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from .data import BUNDLED, load_data, split_data, targets_for
from .errors import UserError, user_input
from .models import MODEL_ARG, _as_model_labels, _check_width, _class_names, _open
from .runs import predict, scores

ROWS = ["held-out", "all"]


@click.command(epilog="""\b
Examples:
  glassnet evaluate digits.safetensors digits          the rows the run held out
  glassnet evaluate moons.safetensors moons --rows all every row, training rows included
  glassnet evaluate houses.safetensors new-houses.csv --target price
""")
@MODEL_ARG
@click.argument("data")
@click.option("--target", default=None, metavar="COLUMN",
              help="The CSV column with the true values [default: the one trained on].")
@click.option("--rows", type=click.Choice(ROWS), default=None,
              help="held-out: the rows the run that made the model held out (a data set's "
                   "own test split where it has one); all: every row. [default: held-out "
                   "where the run record knows them, else all]")
def evaluate(model: Path, data: str, target: str | None, rows: str | None) -> None:
    """Metrics of MODEL on DATA: loss, and accuracy/precision/recall/F1 with the confusion
    matrix, or MAE/RMSE/R². By default only the rows the run that made the model held out
    are scored, so training rows do not flatter the numbers."""
    net, record, kind = _open(model)
    if target is None and record and Path(data).is_file():
        target = record["data"].get("target")
    task = "classification" if kind != "values" else "regression"
    dataset = load_data(data, target, task if target else "auto",
                        seed=record["settings"]["seed"] if record else 0)
    if (kind == "values") != (dataset.task == "regression"):
        raise UserError(f"the model predicts {'numbers' if kind == 'values' else 'classes'}, "
                        f"but the target of {data} is {dataset.task}")
    X, y, where = _rows_to_score(dataset, data, record, rows)
    _check_width(net, X, data)
    names = _class_names(record, net, kind, dataset)
    if kind != "values" and record is not None:  # the class names trained on are known
        y = _as_model_labels(y, dataset.target_names, names, data)
    with user_input(data):
        y_hat = net.forward(X)
        loss = float(net.loss(y_hat, targets_for(kind, y, net.n_out)))
    values = scores(y, predict(net, X, kind)[0], kind, None if names is None else len(names))
    click.echo(f"{model.name} on {data}: {where}")
    click.echo(f"  {'loss':<10} {loss:.6f}  ({net.loss_fn.name})")
    for name, value in values.items():
        if name != "confusion_matrix":
            click.echo(f"  {name:<10} {value:.4f}")
    if "confusion_matrix" in values:
        click.echo("confusion matrix (rows: true class, columns: predicted)")
        click.echo(_confusion_table(values["confusion_matrix"], names))


def _rows_to_score(dataset, data: str, record, rows: str | None):
    """``(X, y, where)``: the rows to score and a phrase saying which they are."""
    n = len(dataset.X)
    if rows == "all":
        if dataset.X_test is None:
            return dataset.X, dataset.y, f"all {n} rows (--rows all)"
        X, y = np.concatenate([dataset.X, dataset.X_test]), np.concatenate([dataset.y,
                                                                             dataset.y_test])
        return X, y, f"all {len(X)} rows, its training and test splits (--rows all)"
    if dataset.X_test is not None:  # train always holds these out
        return (dataset.X_test, dataset.y_test,
                f"the {len(dataset.X_test)} rows of the data set's own test split, held out "
                "in training")
    why = _why_no_held_out_rows(dataset, data, record)
    if why is not None:
        if rows == "held-out":
            raise UserError(f"--rows held-out: {why}; use --rows all")
        return dataset.X, dataset.y, f"all {n} rows ({why})"
    settings = record["settings"]
    split = split_data(dataset, settings["test_split"], settings["seed"])
    return (split.X_test, split.y_test,
            f"{len(split.X_test)} held-out rows of the run that made the model "
            f"({settings['test_split']:.0%}, seed {settings['seed']}; all {n}: --rows all)")


def _why_no_held_out_rows(dataset, data: str, record) -> str | None:
    """Why the held-out rows of the model's run cannot be found in DATA, or ``None``."""
    if record is None:
        return "no run record beside the model, so its training rows are unknown"
    about = record["data"]
    if not _same_source(data, about):
        return f"not the data the model was trained on, {about['source']}"
    if not about.get("held_out"):
        return f"the run that made the model held none out: it tested on {about.get('test')}"
    if "test_split" not in record["settings"]:
        return "the run record does not say how the rows were split"
    if len(dataset.X) != about["n_train"] + about["n_test"]:
        return (f"{data} has {len(dataset.X)} rows now, the run that made the model split "
                f"{about['n_train'] + about['n_test']}")
    return None


def _same_source(data: str, about: dict) -> bool:
    """Is DATA what the run was trained on: the same bundled set, or the same CSV file?"""
    source = str(about["source"])
    if Path(data).is_file():
        return Path(data).resolve() == Path(about.get("path") or source).resolve()
    name = data.lower().replace("-", "_")
    return name in BUNDLED and name == source.lower().replace("-", "_")


def _confusion_table(matrix: list[list[int]], names: list[str]) -> str:
    """Counts with the class names as row and column labels."""
    width = max(5, *(len(name) for name in names))
    head = " " * (width + 2) + "".join(f" {name:>{width}}" for name in names)
    lines = [f"  {name:<{width}}" + "".join(f" {count:>{width}}" for count in row)
             for name, row in zip(names, matrix)]
    return "\n".join([head, *lines])


COMMANDS = [evaluate]
