"""Turning ``fit``'s arguments into a run: checked arrays, optimizer, callbacks, seed, bar.

Every check happens here, before the first batch, so that bad input fails in one sentence
instead of deep inside an epoch.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import numpy as np

from .callbacks import Callback, EarlyStopping, FunctionCallback, TargetLoss
from .optim import SGD, Adam, Optimizer
from .sample_weight import check_sample_weight

__all__ = ["DEFAULT_LR", "make_optimizer"]

DEFAULT_LR = {"sgd": 0.01, "adam": 1e-3}  # Keras's and PyTorch's defaults



def make_optimizer(spec, net, lr=None) -> Optimizer:
    """An optimizer for ``net``: a name ("sgd", "adam"), a class, an instance, or a factory."""
    params = net.parameters()
    if isinstance(spec, str):
        key = spec.lower()
        if key not in DEFAULT_LR:
            raise ValueError(f"fit expected optimizer 'sgd', 'adam', an Optimizer or a "
                             f"function of the parameters, got {spec!r}")
        rate = DEFAULT_LR[key] if lr is None else lr
        return SGD(params, lr=rate) if key == "sgd" else Adam(params, lr=rate)
    if isinstance(spec, type) and issubclass(spec, Optimizer):  # optimizer=gn.SGD, lr=0.1
        rate = DEFAULT_LR.get(spec.__name__.lower(), 1e-3) if lr is None else lr
        return spec(params, lr=rate)
    if lr is not None:
        raise ValueError("fit's lr= applies to an optimizer given by name or class; set the "
                         "learning rate on the Optimizer itself")
    optimizer = spec if isinstance(spec, Optimizer) else spec(params) if callable(spec) else spec
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"fit expected optimizer 'sgd', 'adam', an Optimizer or a function "
                        f"returning one, got {type(optimizer).__name__}")
    if [id(p) for p in optimizer.params] != [id(p) for p in params]:
        raise ValueError("fit expected an optimizer built on net.parameters() of this network")
    return optimizer


def make_callbacks(callbacks, early_stopping, target_loss, X_val) -> list:
    result = []
    for callback in callbacks:
        if isinstance(callback, Callback):
            result.append(callback)
        elif callable(callback):
            result.append(FunctionCallback(callback))
        else:
            raise TypeError(f"fit expected callbacks to be Callback objects or functions "
                            f"(epoch, logs), got {callback!r}")
    if early_stopping is not None and early_stopping is not False:
        if early_stopping is True:
            early_stopping = EarlyStopping()
        elif isinstance(early_stopping, int):
            early_stopping = EarlyStopping(patience=early_stopping)
        if not isinstance(early_stopping, EarlyStopping):
            raise TypeError(f"fit expected early_stopping to be True, a patience or an "
                            f"EarlyStopping, got {early_stopping!r}")
        if early_stopping.monitor.startswith("val_") and X_val is None:
            raise ValueError(f"early stopping monitors {early_stopping.monitor!r}, but fit got "
                             f"no validation data; pass validation_data or validation_split, "
                             f"or EarlyStopping(monitor='loss')")
        result.append(early_stopping)
    if target_loss is not None:
        result.append(TargetLoss(target_loss))
    return result


def training_arrays(net, X, y, prefix):
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise TypeError(f"fit expected numeric {prefix}X, got dtype {X.dtype}")
    if X.ndim != 2 or X.shape[1] != net.n_in:
        raise ValueError(f"fit expected {prefix}X of shape (N, {net.n_in}) for {net!r}, got "
                         f"{X.shape}")
    if len(X) == 0:
        raise ValueError(f"fit expected at least one sample in {prefix}X, got none")
    X = X.astype(net.dtype, copy=False)
    if not np.isfinite(X).all():
        raise ValueError(f"fit expected finite {prefix}X, but it contains NaN or infinity")
    y_rows = np.asarray(y)
    if y_rows.ndim == 0:
        raise ValueError(f"fit expected {prefix}y with one target per row of {prefix}X, got "
                         f"{y!r}")
    if len(y_rows) != len(X):
        raise ValueError(f"fit expected one target per row: {prefix}X has {len(X)} rows, "
                         f"{prefix}y has {len(y_rows)}")
    return X, net.loss_fn.prepare_targets(y, np.empty((len(X), net.n_out), net.dtype))


def split_validation(net, X, y, validation_data, split, seed, w=None):
    """``X, y, X_val, y_val, w, w_val``: the sample weights (or None) follow their rows."""
    if validation_data is not None:
        if split:
            raise ValueError("fit expected validation_data or validation_split, not both")
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("fit expected validation_data as a pair (X_val, y_val) or a "
                             "triple (X_val, y_val, sample_weight_val)")
        X_val, y_val = training_arrays(net, *validation_data[:2], "validation ")
        w_val = None
        if len(validation_data) == 3 and validation_data[2] is not None:
            w_val = check_sample_weight(validation_data[2], len(X_val),
                                        "fit's validation_data")
        return X, y, X_val, y_val, w, w_val
    if isinstance(split, bool) or not isinstance(split, (int, float)) or not 0 <= split < 1:
        raise ValueError(f"fit expected validation_split in [0, 1), got {split!r}")
    if not split:
        return X, y, None, None, w, None
    n_val = math.ceil(split * len(X))
    if n_val >= len(X):
        raise ValueError(f"validation_split={split} leaves no training rows out of {len(X)}")
    order = np.random.default_rng([seed, 1]).permutation(len(X))  # its own stream
    val, train = np.sort(order[:n_val]), np.sort(order[n_val:])
    if w is None:
        return X[train], y[train], X[val], y[val], None, None
    for part, rows in (("training", train), ("validation", val)):
        if not w[rows].sum() > 0:
            raise ValueError(f"validation_split={split} leaves {part} rows whose sample_weight "
                             f"is all zero; expected positive weights on both sides of the "
                             f"split (change seed or validation_split)")
    return X[train], y[train], X[val], y[val], w[train], w[val]


def checkpoint_path(path):
    """Refuse, before any training, a checkpoint path whose folder does not exist."""
    if path is None:
        return None
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"fit expected checkpoint to be a file name, got the folder {path}")
    if not path.resolve().parent.is_dir():
        raise ValueError(f"fit cannot write checkpoint {path}: the folder {path.parent} does "
                         "not exist")
    return path


def positive_int(name, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"fit expected {name} to be a positive integer, got {value!r}")
    return int(value)


def as_seed(seed) -> int:
    if seed is None:  # drawn here so that checkpoints can record it and resume exactly
        return int(np.random.SeedSequence().entropy)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"fit expected seed to be a non-negative int or None (it is recorded "
                        f"in checkpoints), got {seed!r}")
    return int(seed)


def resumed_seed(path, seed, meta) -> int:
    saved = meta["progress"]["seed"]
    if seed is not None and seed != saved:
        raise ValueError(f"resume: {path} was trained with seed={saved}, but fit got "
                         f"seed={seed}; pass the same seed (or none)")
    return saved


def progress_bar(progress, epochs, initial):
    """A tqdm bar over epochs, only for a person watching: a TTY, and not CI."""
    if not progress or not sys.stderr.isatty() or os.environ.get("CI", "").lower() in (
            "true", "1"):
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is in the 'train' extra; without it, train silently
        return None
    return tqdm(total=epochs, initial=initial, unit="epoch", desc="fit", file=sys.stderr,
                dynamic_ncols=True)
