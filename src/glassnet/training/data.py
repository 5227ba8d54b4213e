"""The rows ``fit`` trains and validates on: checked once, split once, never copied per epoch."""

from __future__ import annotations

import math

import numpy as np

from .. import checks

__all__ = ["training_data", "check_working_memory"]


def training_data(net, X, y, sample_weight, config, seed: int) -> tuple:
    """``X, y, w, X_val, y_val, w_val``: the checked rows to train on, with their weights
    (or None), and those to score at each epoch's end (None without validation)."""
    X, y = _arrays(net, X, y, "")
    w = None if sample_weight is None else checks.sample_weight(sample_weight, len(X), "fit")
    if config.validation_data is not None:
        return (X, y, w, *_validation_data(net, config.validation_data))
    if not config.validation_split:
        return X, y, w, None, None, None
    return _split(X, y, w, config.validation_split, seed)


def _arrays(net, X, y, prefix: str):
    X = checks.matrix(X, "fit", f"{prefix}X", net.n_in, net.dtype)
    y_rows = np.asarray(y)
    if y_rows.ndim == 0:
        raise ValueError(f"fit expected {prefix}y with one target per row of {prefix}X, got "
                         f"{y!r}")
    if len(y_rows) != len(X):
        raise ValueError(f"fit expected one target per row: {prefix}X has {len(X)} rows, "
                         f"{prefix}y has {len(y_rows)}")
    return X, net.loss_fn.prepare_targets(y, np.empty((len(X), net.n_out), net.dtype))


def _validation_data(net, data):
    if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
        raise ValueError("fit expected validation_data as a pair (X_val, y_val) or a "
                         "triple (X_val, y_val, sample_weight_val)")
    X_val, y_val = _arrays(net, *data[:2], "validation ")
    w_val = None
    if len(data) == 3 and data[2] is not None:
        w_val = checks.sample_weight(data[2], len(X_val), "fit's validation_data")
    return X_val, y_val, w_val


def _split(X, y, w, split: float, seed: int) -> tuple:
    """Hold out ``⌈split · N⌉`` rows drawn from the seed's own stream; weights follow rows."""
    n_val = math.ceil(split * len(X))
    if n_val >= len(X):
        raise ValueError(f"validation_split={split} leaves no training rows out of {len(X)}")
    order = np.random.default_rng([seed, 1]).permutation(len(X))  # not the shuffling stream
    val, train = np.sort(order[:n_val]), np.sort(order[n_val:])
    if w is None:
        return X[train], y[train], None, X[val], y[val], None
    for part, rows in (("training", train), ("validation", val)):
        if not w[rows].sum() > 0:
            raise ValueError(f"validation_split={split} leaves {part} rows whose sample_weight "
                             f"is all zero; expected positive weights on both sides of the "
                             f"split (change seed or validation_split)")
    return X[train], y[train], w[train], X[val], y[val], w[val]


def check_working_memory(net, batch_size: int, n_scored: int) -> None:
    """Refuse a fit whose arrays cannot all be in memory at once (a lower estimate).

    Each parameter is held four times (value, gradient, Adam's ``m`` and ``v``); a training
    step keeps ``z``, ``a``, ``dz`` and ``da`` of ``batch_size`` rows in every layer, and
    scoring ``n_scored`` rows at an epoch's end keeps ``z`` and ``a`` of all of them.
    """
    width = sum(layer.n_out for layer in net.layers)
    n_params = sum(p.size for p in net.parameters())
    values = 4 * n_params + max(4 * batch_size, 2 * n_scored) * width
    rows = max(batch_size, n_scored)
    checks.fits_in_memory(values * net.dtype.itemsize, "fit",
                          f"a network of {n_params:,} parameters on {rows:,} rows at a time")
