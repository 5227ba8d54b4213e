"""Checks at the boundary: what a public function does first with the values it is given.

Each check returns the value in the form the code inside works with (an array of the right
dtype, an ``int``, a ``float``) or raises one sentence of one form::

    <who> expected <what was expected>, got <what it got>

``TypeError`` when the kind of value is wrong (text where numbers belong), ``ValueError``
when the kind is right and the value is not (a shape, a sign, NaN). Inside the engine,
values that passed here are trusted: a training step checks nothing again.
"""

from __future__ import annotations

import math
import os

import numpy as np

__all__ = ["shape_text", "all_finite", "numeric", "finite", "matrix", "positive_int",
           "number", "seed", "sample_weight", "float_targets", "class_labels", "machine_memory",
           "byte_text", "fits_in_memory"]


def shape_text(shape: tuple) -> str:
    """``(5,)``, ``(3, 2)``: a shape as Python writes a tuple, also for one dimension."""
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def all_finite(array: np.ndarray) -> bool:
    """True when no entry of ``array`` is NaN or ±inf."""
    return bool(np.isfinite(array).all())


def numeric(value, owner: str, what: str) -> np.ndarray:
    """``value`` as an array of numbers (booleans, integers or floats)."""
    try:
        array = np.asarray(value)
    except ValueError:  # numpy's "inhomogeneous shape": rows of different lengths
        raise ValueError(f"{owner} expected {what} with rows of equal length, got rows of "
                         "different lengths") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{owner} expected numeric {what}, got dtype {array.dtype}")
    return array


def finite(array: np.ndarray, owner: str, what: str) -> np.ndarray:
    """``array`` itself, once it is known to hold no NaN or infinity."""
    if not all_finite(array):
        raise ValueError(f"{owner} expected finite {what}, but it contains NaN or infinity")
    return array


def matrix(value, owner: str, what: str, n_cols: int | None = None, dtype=None,
           hint: str = "", allow_empty: bool = False) -> np.ndarray:
    """A finite numeric ``(N, n_cols)`` array with at least one row, cast to ``dtype``.

    ``hint`` follows the shape's message (how to mend the usual mistake; a single row gets
    one by itself); ``allow_empty`` accepts ``N = 0``.
    """
    X = numeric(value, owner, what)
    if X.ndim != 2 or (n_cols is not None and X.shape[1] != n_cols):
        cols = "D" if n_cols is None else n_cols
        if X.ndim == 1 and not hint:
            hint = " (for one sample use x.reshape(1, -1))"
        raise ValueError(f"{owner} expected {what} of shape (N, {cols}), got "
                         f"{shape_text(X.shape)}{hint}")
    if X.shape[0] == 0 and not allow_empty:
        raise ValueError(f"{owner} expected at least one sample in {what}, got none")
    if dtype is not None:
        X = X.astype(dtype, copy=False)
    return finite(X, owner, what)


def positive_int(value, owner: str, name: str) -> int:
    """``value`` as an ``int`` ≥ 1 (a bool is not a count)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{owner} expected {name} to be a positive integer, got {value!r}")
    return int(value)


def number(value, owner: str, name: str, *, positive: bool = False) -> float:
    """A finite real ``value`` ≥ 0 (``> 0`` when ``positive``) as a ``float``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{owner} expected {name} to be a number, got {value!r}")
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise ValueError(f"{owner} expected {name} {'>' if positive else '>='} 0, got {value!r}")
    return float(value)


def seed(value, owner: str) -> int | None:
    """A seed that can be written to a file: a non-negative ``int``, or ``None``."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise TypeError(f"{owner} expected seed to be a non-negative int or None (it is "
                        f"recorded in checkpoints), got {value!r}")
    return int(value)


def sample_weight(value, n: int, owner: str) -> np.ndarray:
    """Per-sample weights as a float64 array of shape ``(n,)``: real, finite, ≥ 0, not all
    zero, with a finite sum (the weighted mean divides by it)."""
    if np.asarray(value).dtype.kind == "c":  # casting would drop the imaginary parts silently
        numeric(value, owner, "sample_weight")
    try:
        w = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{owner} expected sample_weight to be numbers, one per sample, got "
                        f"{type(value).__name__}") from None
    if w.shape != (n,):
        raise ValueError(f"{owner} expected sample_weight of shape ({n},), one per sample, "
                         f"got {shape_text(w.shape)}")
    finite(w, owner, "sample_weight")
    if n and w.min() < 0:
        raise ValueError(f"{owner} expected sample_weight >= 0, got a weight of {w.min():g}")
    with np.errstate(over="ignore"):  # an overflowing sum is reported below
        total = w.sum()
    if not total > 0:
        raise ValueError(f"{owner} got sample_weight all zero; expected at least one positive "
                         f"weight, or no sample would count")
    if not math.isfinite(total):
        raise ValueError(f"{owner} expected sample_weight with a finite sum, got weights summing "
                         f"to {total:g} (largest {w.max():g}); scale them down")
    return w


def float_targets(y, owner: str, dtype) -> np.ndarray:
    """Numeric, finite targets as an array of ``dtype`` (the network's)."""
    return finite(numeric(y, owner, "targets").astype(dtype, copy=False), owner, "targets")


def class_labels(y: np.ndarray, n: int, c: int, owner: str = "cross_entropy") -> np.ndarray:
    """``n`` integer labels in ``0..c-1`` (whole floats such as ``2.0`` are accepted)."""
    if y.shape[0] != n:
        raise ValueError(f"{owner} expected {n} labels, one per sample, got {y.shape[0]}")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all() or not np.all(y == np.round(y)):
            raise ValueError(f"{owner} expected integer class labels, got fractional values")
    elif y.dtype.kind not in "biu":
        raise TypeError(f"{owner} expected integer class labels, got dtype {y.dtype}")
    labels = y.astype(np.intp, copy=False)
    low, high = (labels.min(), labels.max()) if labels.size else (0, 0)
    if low < 0 or high >= c:
        raise ValueError(f"{owner} expected class labels in 0..{c - 1} for a {c}-class output, "
                         f"got labels from {low} to {high}")
    return labels


def machine_memory() -> int | None:
    """The machine's physical memory in bytes, or ``None`` where the system does not say."""
    try:
        pages, page_size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows) or no such name
        return None
    return pages * page_size if pages > 0 and page_size > 0 else None


def byte_text(n_bytes: float) -> str:
    """``8.0 TB``, ``2.6 GB``: a size in decimal units with one decimal."""
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if n_bytes < 1000 or unit == "PB":
            return f"{n_bytes:.1f} {unit}" if unit != "B" else f"{int(n_bytes)} B"
        n_bytes /= 1000


def fits_in_memory(n_bytes: int, owner: str, what: str) -> None:
    """Refuse, before allocating, what needs more bytes than the whole machine has.

    A ``MemoryError`` from NumPy reads as a crash; a size no machine here can hold is a
    mistake in the value asked for. Without a known memory size nothing is refused.
    """
    total = machine_memory()
    if total is not None and n_bytes > total:
        raise ValueError(f"{owner} needs {byte_text(n_bytes)} for {what}, more than this "
                         f"machine's memory ({byte_text(total)})")
