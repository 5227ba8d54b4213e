"""Train mode's input features: what the network's first layer reads, computed from (x1, x2).

TensorFlow Playground's seven, by the ids the page and the share link use::

    x1, x2, x1sq = x1², x2sq = x2², x1x2 = x1·x2, sinx1 = sin x1, sinx2 = sin x2

With x1² + x2² among its inputs, a single neuron draws a circle; with x1·x2, XOR's
quadrants. The network's first layer has one input per chosen feature, in this order.
"""

from __future__ import annotations

import numpy as np

from .limits import RequestError, short

__all__ = ["FEATURES", "LABELS", "check_features", "expand"]

FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1sq": lambda x1, x2: x1 * x1,
    "x2sq": lambda x1, x2: x2 * x2,
    "x1x2": lambda x1, x2: x1 * x2,
    "sinx1": lambda x1, x2: np.sin(x1),
    "sinx2": lambda x1, x2: np.sin(x2),
}
LABELS = {"x1": "x1", "x2": "x2", "x1sq": "x1²", "x2sq": "x2²", "x1x2": "x1·x2",
          "sinx1": "sin x1", "sinx2": "sin x2"}


def check_features(spec: dict) -> list[str]:
    """``spec["features"]`` (default x1, x2): a non-empty list of ids, kept in FEATURES' order."""
    chosen = spec.get("features", ["x1", "x2"])
    if (not isinstance(chosen, list) or not chosen
            or any(not isinstance(f, str) or f not in FEATURES for f in chosen)):
        raise RequestError(f"features must list at least one of {', '.join(FEATURES)}, got "
                           f"{short(chosen)}")
    return [f for f in FEATURES if f in chosen]


def expand(X: np.ndarray, features: list[str]) -> np.ndarray:
    """The network's inputs ``(N, len(features))`` from points ``X`` ``(N, 2)``."""
    return np.column_stack([FEATURES[f](X[:, 0], X[:, 1]) for f in features])
