"""Per-sample weights: checked once at the boundary, then turned into each row's share.

A batch loss is a mean over its N rows, each row counting 1/N. With weights ``w`` of shape
(N,) each row counts ``w_n / Σw`` instead, so the loss becomes the weighted mean::

    L = Σ_n w_n l_n / Σ_n w_n                 l_n: the loss of row n (see glassnet.losses)
    dL/dŷ_n = (N w_n / Σw) · (dL/dŷ_n of the plain mean)

Weights of all ones give back the plain mean; an integer weight counts a row as if it were
repeated that many times. This is scikit-learn's convention (``_multilayer_perceptron.py``,
``_backprop``) and PyTorch's ``reduction="none"`` loss summed against ``w`` over ``w.sum()``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["check_sample_weight", "row_share"]


def check_sample_weight(sample_weight, n: int, owner: str) -> np.ndarray:
    """Return ``sample_weight`` as a float64 array of shape (n,), or raise in one sentence.

    ``owner`` names the caller in the message, e.g. ``"fit"`` or ``"Network.loss"``.
    """
    try:
        w = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{owner} expected sample_weight to be numbers, one per sample, got "
                        f"{type(sample_weight).__name__}") from None
    if w.shape != (n,):
        raise ValueError(f"{owner} expected sample_weight of shape ({n},), one per sample, "
                         f"got {w.shape}")
    if not np.isfinite(w).all():
        raise ValueError(f"{owner} expected finite sample_weight, but it contains NaN or "
                         f"infinity")
    if n and w.min() < 0:
        raise ValueError(f"{owner} expected sample_weight >= 0, got a weight of {w.min():g}")
    if not w.sum() > 0:
        raise ValueError(f"{owner} got sample_weight all zero; expected at least one positive "
                         f"weight, or no sample would count")
    return w


def row_share(sample_weight: np.ndarray, dtype) -> np.ndarray:
    """``N w_n / Σw`` as a column (N, 1): what turns a plain-mean gradient into the weighted one."""
    w = sample_weight
    return (w * (len(w) / float(np.add.reduce(w)))).astype(dtype, copy=False)[:, None]  # (N, 1)
