"""Targets checked at the boundary: numeric, finite, of the output's shape, labels in range.

The losses call these before computing anything, so a mistake in ``y`` is one sentence
naming what was expected, not an error from deep inside numpy.
"""

from __future__ import annotations

import numpy as np

from .parameter import all_finite

__all__ = ["shape_text", "as_float_targets", "class_labels"]


def shape_text(shape: tuple) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def as_float_targets(y, dtype) -> np.ndarray:
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise TypeError(f"targets must be numeric, got an array of dtype {y.dtype}")
    y = y.astype(dtype, copy=False)
    if not all_finite(y):
        raise ValueError("targets contain NaN or infinity; expected finite numbers")
    return y


def class_labels(y: np.ndarray, n: int, c: int) -> np.ndarray:
    if y.shape[0] != n:
        raise ValueError(f"cross_entropy expected {n} labels, one per sample, got {y.shape[0]}")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all() or not np.all(y == np.round(y)):
            raise ValueError("cross_entropy expected integer class labels, got fractional values")
    elif y.dtype.kind not in "biu":
        raise TypeError(f"cross_entropy expected integer class labels, got dtype {y.dtype}")
    labels = y.astype(np.intp, copy=False)
    low, high = (np.minimum.reduce(labels), np.maximum.reduce(labels)) if labels.size else (0, 0)
    if low < 0 or high >= c:
        raise ValueError(
            f"cross_entropy expected class labels in 0..{c - 1} for a {c}-class output, "
            f"got labels from {low} to {high}"
        )
    return labels
