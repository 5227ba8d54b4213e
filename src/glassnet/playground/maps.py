"""The plane the page paints: a grid of points over the data, and compact heat-map encoding.

A map is sent as bytes, one per cell (0–255 between the map's ``min`` and ``max``), in
base64: a 48 × 48 map is 3 kB of JSON instead of 20 kB of decimal numbers, which keeps a
training step's answer small enough to draw at animation speed.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import numpy as np

__all__ = ["Grid", "quantise", "diagram_maps"]


@dataclass(frozen=True)
class Grid:
    """``size × size`` cell centres over ``[x_min, x_max] × [y_min, y_max]``.

    Rows run from the top (``y_max``) down, columns from ``x_min`` right, as the page paints.
    """

    x_min: float
    x_max: float
    y_min: float
    y_max: float
    size: int

    @classmethod
    def around(cls, X: np.ndarray, size: int) -> Grid:
        """A window over the points ``X`` (N, 2) with a margin of 15 % (at least 0.2)."""
        low, high = X.min(axis=0), X.max(axis=0)
        margin = np.maximum(0.15 * (high - low), 0.2)
        low, high = low - margin, high + margin
        return cls(float(low[0]), float(high[0]), float(low[1]), float(high[1]), size)

    @property
    def points(self) -> np.ndarray:
        """The cell centres, row by row: shape ``(size², 2)``."""
        step_x = (self.x_max - self.x_min) / self.size
        step_y = (self.y_max - self.y_min) / self.size
        xs = self.x_min + step_x * (np.arange(self.size) + 0.5)
        ys = self.y_max - step_y * (np.arange(self.size) + 0.5)
        gx, gy = np.meshgrid(xs, ys)
        return np.column_stack([gx.ravel(), gy.ravel()])

    def coarse(self, a: np.ndarray) -> np.ndarray:
        """Per neuron, every other row and column of its map: ``(n, (size/2)²)`` from ``(size², n)``."""
        n = a.shape[1]
        return a.reshape(self.size, self.size, n)[::2, ::2].reshape(-1, n).T

    def describe(self) -> dict:
        return {"x_min": self.x_min, "x_max": self.x_max, "y_min": self.y_min,
                "y_max": self.y_max, "size": self.size, "coarse": (self.size + 1) // 2}


def quantise(values: np.ndarray, low: float | None = None, high: float | None = None,
             raw: bool = False) -> dict:
    """``values`` as base64 bytes; byte ``q`` stands for ``min + q / 255 · (max − min)``.

    ``raw=True`` sends small integers (class labels) as they are. Non-finite values (a
    diverged network) become 0.
    """
    values = np.asarray(values, dtype=np.float64).ravel()
    if raw:
        return {"min": 0, "max": 255, "data": _b64(values.astype(np.uint8))}
    finite = np.isfinite(values)
    if low is None:
        low = float(values[finite].min()) if finite.any() else 0.0
        high = float(values[finite].max()) if finite.any() else 0.0
    span = high - low if high > low else 1.0
    scaled = np.where(finite, (values - low) / span, 0.0)
    return {"min": low, "max": high, "data": _b64(np.clip(np.rint(scaled * 255), 0, 255)
                                                  .astype(np.uint8))}


def _b64(data: np.ndarray) -> str:
    return base64.b64encode(data.tobytes()).decode("ascii")


def diagram_maps(net, grid: Grid, inputs: np.ndarray,
                 coarse_inputs: np.ndarray) -> tuple[dict, np.ndarray]:
    """Every neuron's map for the network diagram, from one forward pass over the grid.

    ``inputs`` are the network's inputs at the grid's points ``(size², n_in)``;
    ``coarse_inputs`` the same at every other row and column, one map per feature. Each map
    carries its own ``min`` and ``max``; the page chooses the colours. Also the weights
    ``W[l]`` row by row (``W[l][j][i]`` from input j to neuron i) and the biases.
    Returns these maps and ``ŷ`` over the whole grid, for the output plane.
    """
    with np.errstate(all="ignore"):
        y_hat = net.forward(inputs)                                  # (G², K)
    return {"inputs": [quantise(m) for m in coarse_inputs],
            "neurons": [[quantise(m) for m in grid.coarse(layer.a)] for layer in net.layers[:-1]],
            "outputs": [quantise(m) for m in grid.coarse(y_hat)],
            "weights": [np.round(layer.W.value, 4).tolist() for layer in net.layers],
            "biases": [np.round(layer.b.value, 4).tolist() for layer in net.layers]}, y_hat
