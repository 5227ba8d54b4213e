"""Your own table: a CSV file or a pandas DataFrame with one target column.

Every other column is a numeric feature. The header row is optional, by the rule every CSV
reader in glassnet follows (:func:`is_data_row`): a first row whose feature cells are all
numbers is data, and the columns are then named by position, ``"0"``, ``"1"``, …; a target
named by its header needs the header. A target whose cells are not all numbers is
categorical: its classes are the sorted distinct values, and ``y`` holds integer labels
(one-hot rows with ``one_hot=True``). A categorical column with more distinct values than
half its rows (and more than a handful) is refused: one or two rows per class is an
identifier, and its one-hot array would be N × N. A problem cell is reported by line (CSV) or
index label (DataFrame) and column, in one sentence.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from .._files import FileRefused, read_regular_text
from .base import Dataset
from .preprocessing import one_hot as _one_hot

__all__ = ["load_csv", "is_data_row"]

#: a categorical target may have more classes than half its rows up to this many (a tiny
#: table such as "dog, cat, dog"); beyond it, so many classes mean an identifier column
_FEW_CLASSES = 20


def load_csv(source, target: str | int, *, delimiter: str = ",", categorical: bool | None = None,
             one_hot: bool = False) -> Dataset:
    """Read features and a target from a CSV file (header optional), or from a DataFrame.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        A path must be a regular file of at most 256 MiB (``glassnet._files.MAX_TEXT_BYTES``);
        a folder, FIFO or device is refused at once, without reading it.
    target : str or int
        The target column, by name or by position (negative counts from the end). A file
        whose first row is data (see :func:`is_data_row`) has no names: give a position.
    delimiter : str
        The CSV field separator.
    categorical : bool, optional
        ``None`` (default): the target is categorical when some cell is not a number.
        ``True`` treats numbers as class names too (e.g. a 0/1 column); ``False`` demands
        numbers (a regression target).
    one_hot : bool
        A categorical target as integer labels ``(N,)`` (default; the cross-entropy takes
        them as they are) or as one-hot rows ``(N, K)``.

    Examples
    --------
    >>> data = load_csv("houses.csv", target="price")        # doctest: +SKIP
    >>> data.X.shape, data.feature_names                     # doctest: +SKIP
    """
    if hasattr(source, "columns") and hasattr(source, "iloc"):
        return _from_frame(source, target, categorical, one_hot)
    path = Path(source)
    header, columns, lines = _read_rows(path, delimiter, target)
    where = [f"{path}, line {n}" for n in lines]
    return _build(str(path), header, columns, where, target, categorical, one_hot)


def is_data_row(cells) -> bool:
    """Whether a CSV file's first row is data rather than a header: its cells are all numbers.

    Pass the cells that must hold numbers, the features; a target may be a class name.
    """
    try:
        [float(cell) for cell in cells]
    except ValueError:
        return False
    return True


def _read_rows(path: Path, delimiter: str, target=None):
    try:  # utf-8-sig: drop an Excel BOM
        text = read_regular_text(path, "a CSV file")
    except FileNotFoundError:
        raise ValueError(f"load_csv: {path} does not exist") from None
    except FileRefused as error:
        raise ValueError(f"load_csv: {error}") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        rows, lines = [], []
        for row in reader:
            if row:  # a blank line is not a sample
                rows.append(row)
                lines.append(reader.line_num)
    except csv.Error as error:
        raise ValueError(f"load_csv: {path} is not readable CSV text ({error})") from None
    if not header:
        raise ValueError(f"load_csv: {path} is empty; expected a header row and data rows")
    names_target = isinstance(target, str)
    features = [cell for k, cell in enumerate(header)
                if names_target or k != _position(target, len(header))]
    if is_data_row(features):
        if names_target:
            raise ValueError(f"load_csv: {path} has no header row (its first row is all "
                             f"numbers, so it is data) to name a column {target!r}; give the "
                             "target's position instead, e.g. -1 for the last column")
        rows, lines = [header, *rows], [1, *lines]
        header = [str(k) for k in range(len(header))]
    if not rows:
        raise ValueError(f"load_csv: {path} has a header but no data rows")
    first = "the header" if lines[0] > 1 else "line 1"
    for row, line in zip(rows, lines):
        if len(row) != len(header):
            raise ValueError(f"load_csv: {path}, line {line} has {len(row)} columns, expected "
                             f"{len(header)} as in {first}")
    columns = [np.array(column, dtype=object) for column in zip(*rows)]
    return [name.strip() for name in header], columns, lines


def _position(target, n_columns: int) -> int | None:
    """A target given by position, counted from 0 (negative from the end), or None."""
    if isinstance(target, (int, np.integer)) and not isinstance(target, bool) \
            and -n_columns <= target < n_columns:
        return int(target) % n_columns
    return None


def _from_frame(frame, target, categorical, one_hot):
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(f"load_csv expected a DataFrame with rows and columns, got shape "
                         f"{frame.shape}")
    header = [str(name) for name in frame.columns]
    columns = [frame.iloc[:, j].to_numpy() for j in range(frame.shape[1])]
    where = [f"DataFrame row {label!r}" for label in frame.index]
    return _build("DataFrame", header, columns, where, target, categorical, one_hot)


def _build(source, header, columns, where, target, categorical, one_hot) -> Dataset:
    _check_names(source, header)
    j = _target_index(source, header, target)
    features = [k for k in range(len(header)) if k != j]
    if not features:
        raise ValueError(f"load_csv: {source} has only the target column; expected features too")
    X = np.column_stack([_numbers(columns[k], where, header[k], "a feature")
                         for k in features])
    y, names, task = _target(columns[j], where, header[j], categorical, one_hot)
    kind = f"{len(names)} classes" if task == "classification" else "regression"
    description = (f"{len(X)} rows from {source}: {len(features)} features, target "
                   f"{header[j]!r} ({kind}).")
    return Dataset(X, y, [header[k] for k in features], names, description, task=task)


def _check_names(source, header) -> None:
    """Every column named, and named once: a second column of the target's name would
    otherwise train as a feature."""
    for k, name in enumerate(header, start=1):
        if not name:
            raise ValueError(f"load_csv: {source} has no name for column {k}; expected a name "
                             "in every header cell (a saved row index? write it with "
                             "index=False)")
        if name in header[:k - 1]:
            raise ValueError(f"load_csv: {source} names two columns {name!r} (columns "
                             f"{header.index(name) + 1} and {k}); expected each name once")


def _target_index(source, header, target) -> int:
    if isinstance(target, (int, np.integer)) and not isinstance(target, bool):
        if -len(header) <= target < len(header):
            return int(target) % len(header)
        raise ValueError(f"load_csv: target column {target} is out of range for {source} "
                         f"with {len(header)} columns")
    if isinstance(target, str):
        if target in header:
            return header.index(target)
        raise ValueError(f"load_csv: {source} has no column {target!r}; its columns are "
                         f"{', '.join(header)}")
    raise TypeError(f"load_csv expected target to be a column name or index, got {target!r}")


def _numbers(column: np.ndarray, where, name, role) -> np.ndarray:
    """The column as float64, or one error naming the first cell that is not a finite number."""
    try:
        values = np.asarray(column, dtype=np.float64)
        if np.isfinite(values).all():
            return values
    except (ValueError, TypeError):
        pass
    for i, cell in enumerate(column):  # only on the error path: find the culprit to name it
        problem = _cell_problem(cell)
        if problem:
            raise ValueError(f"load_csv: {where[i]}, column {name!r}: {problem}; expected a "
                             f"finite number in {role} column")
    raise ValueError(f"load_csv: column {name!r} could not be read as numbers")  # pragma: no cover


def _missing(cell) -> bool:
    """Empty text, None, NaN, or pandas' NA/NaT (whose ``==`` cannot be trusted)."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return True
    return str(cell).strip() in ("", "<NA>", "NaT")


def _cell_problem(cell) -> str | None:
    if _missing(cell):
        return "the cell is empty (fill or drop missing values first)"
    text = str(cell).strip()
    try:
        value = float(text)
    except ValueError:
        return f"{text!r} is not a number"
    return None if math.isfinite(value) else f"{text!r} is not finite"


def _target(column, where, name, categorical, one_hot):
    if categorical is False:
        return _numbers(column, where, name, "the target"), [name], "regression"
    numeric = all(_cell_problem(cell) is None for cell in column)
    if numeric and categorical is None:
        return _numbers(column, where, name, "the target"), [name], "regression"
    for i, cell in enumerate(column):
        if _missing(cell):
            raise ValueError(f"load_csv: {where[i]}, column {name!r}: the target cell is empty")
    text = np.array([str(cell).strip() for cell in column])
    classes = np.unique(text)
    if len(classes) > max(len(text) / 2, _FEW_CLASSES):
        raise ValueError(f"column {name!r} has {len(classes)} distinct values in {len(text)} "
                         f"rows: it looks like an identifier, not a class")
    if numeric:  # class names that are numbers sort as numbers: "2" before "10"
        classes = classes[np.argsort([float(c) for c in classes], kind="stable")]
    order = np.argsort(classes)  # classes[order] is sorted, so searchsorted can find each cell
    labels = order[np.searchsorted(classes[order], text)]
    y = _one_hot(labels, len(classes)) if one_hot else labels.astype(np.int64)
    return y, [str(c) for c in classes], "classification"
