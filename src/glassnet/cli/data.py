"""DATA on the command line: a bundled data set's name or a CSV file, then the splits.

``glassnet train digits`` and ``glassnet train houses.csv --target price`` both come here.
A name is looked up in :data:`BUNDLED`; anything else must be a CSV file. Its header row is
optional, by the rule of every CSV reader in glassnet: a first row whose feature cells are all
numbers is data. ``--target`` names a column of the header, or gives its position (0 the
first, -1 the last), which a file without a header needs.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._files import MAX_TEXT_BYTES, open_regular
from .errors import UserError, user_input

__all__ = ["BUNDLED", "load_data", "Split", "split_data", "targets_for", "TASKS"]

#: name → does the loader take a seed (the synthetic sets are drawn afresh from it)
BUNDLED = {"xor": False, "moons": True, "circles": True, "spiral": True, "gaussians": True,
           "loan": True, "digits": False, "breast_cancer": False, "iris": False,
           "wine": False, "mnist1d": False}
TASKS = ["auto", "classification", "regression"]
_MAX_AUTO_CLASSES = 20  # an integer target with at most this many values is read as classes


def load_data(source: str, target: str | None = None, task: str = "auto", seed: int = 0):
    """The :class:`~glassnet.datasets.Dataset` named by ``source`` (a bundled name or a CSV)."""
    from .. import datasets

    name = source.lower().replace("-", "_")
    if name in BUNDLED and not Path(source).is_file():
        if target is not None:
            raise UserError(f"--target is for CSV files; the bundled data set {name!r} "
                            "has its own target")
        loader = getattr(datasets, name)
        with user_input(f"data set {name!r}"):
            data = loader(seed=seed) if BUNDLED[name] else loader()
        return data
    path = Path(source)
    if not path.exists() and (path.suffix or len(path.parts) > 1):
        raise UserError(f"no such file {source!r}; expected a CSV file or one of "
                        f"{', '.join(BUNDLED)}")
    if not path.exists():
        raise UserError(f"unknown data set {source!r}: expected one of "
                        f"{', '.join(BUNDLED)} or the path of a CSV file")
    if path.is_dir():
        raise UserError(f"{source!r} is a folder; expected a bundled data set name or a CSV file")
    with user_input():
        open_regular(path, "a bundled data set name or a CSV file").close()
    if target is None:
        raise UserError(f"{source} is a CSV file: say which column to predict with "
                        "--target COLUMN")
    column: str | int = target
    header = _header(path)
    if target.lstrip("-").isdigit() and target not in (header or []):
        column = int(target)
    elif header is None:
        raise UserError(f"{source} has no header row (its first row is all numbers, so it is "
                        f"data) to name a column {target!r}; give --target by position: 0 for "
                        "the first column, -1 for the last")
    return _load_csv(path, column, task)


def _header(path: Path) -> list[str] | None:
    """The names in the CSV file's first row, or None when that row is data."""
    from ..datasets.tabular import is_data_row

    with user_input(), open_regular(path, "a CSV file") as handle:
        first = handle.readline(MAX_TEXT_BYTES).decode("utf-8-sig", errors="replace")
    cells = [cell.strip() for cell in next(csv.reader([first]), [])]
    return None if cells and is_data_row(cells) else cells


def _load_csv(path: Path, column, task: str):
    from .. import datasets

    categorical = {"auto": None, "classification": True, "regression": False}[task]
    with user_input():
        data = datasets.load_csv(path, target=column, categorical=categorical, one_hot=False)
    if task == "auto" and data.task == "regression" and _looks_like_classes(data.y):
        with user_input():
            data = datasets.load_csv(path, target=column, categorical=True, one_hot=False)
    return data


def _looks_like_classes(y: np.ndarray) -> bool:
    values = np.unique(y)
    return (y.ndim == 1 and np.all(values == np.round(values))
            and len(values) <= _MAX_AUTO_CLASSES)


@dataclass
class Split:
    """Training and test rows; ``held_out`` is false when the data are too few to split."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    held_out: bool
    note: str


def split_data(data, test_split: float, seed: int) -> Split:
    """The data set's own test split if it has one, else ``test_split`` of the rows, seeded."""
    from ..datasets import train_test_split

    if data.X_test is not None:
        return Split(data.X, data.y, data.X_test, data.y_test, True,
                     f"the data set's own test split ({len(data.X_test)} rows)")
    n = len(data.X)
    if test_split == 0 or n < 10:
        why = "--test-split 0" if test_split == 0 else f"only {n} rows"
        return Split(data.X, data.y, data.X, data.y, False,
                     f"the training rows themselves ({why}: nothing held out)")
    stratify = data.y if data.task == "classification" and _can_stratify(data.y, test_split) \
        else None
    with user_input("--test-split"):
        X_train, X_test, y_train, y_test = train_test_split(
            data.X, data.y, test_size=test_split, seed=seed, stratify=stratify)
    return Split(X_train, y_train, X_test, y_test, True,
                 f"{len(X_test)} held-out rows ({test_split:.0%}, seed {seed})")


def _can_stratify(y: np.ndarray, test_split: float) -> bool:
    counts = np.unique(y, return_counts=True)[1]
    return counts.min() * test_split >= 1


def targets_for(net_output: str, y: np.ndarray, n_out: int) -> np.ndarray:
    """Labels shaped for the network's output: integer labels for softmax + cross-entropy,
    a column for one sigmoid unit, one-hot rows for several sigmoid units, values otherwise."""
    if net_output == "labels":
        return y
    if net_output == "binary":
        return y.reshape(-1, 1).astype(np.float64)
    if net_output == "one_hot":
        out = np.zeros((len(y), n_out))
        out[np.arange(len(y)), y] = 1.0
        return out
    return y.reshape(len(y), -1).astype(np.float64)
