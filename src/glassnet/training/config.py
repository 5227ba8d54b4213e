"""``FitConfig``: every setting of one ``fit``, checked once, and what it turns into.

``net.fit(X, y, epochs=30, batch_size=16, ...)`` passes its keywords here unchanged; a
``FitConfig`` can also be built once and reused, ``fit(net, X, y, config)``. Every check
happens when it is made, before the first batch, so that a bad setting fails in one
sentence instead of deep inside an epoch.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from .. import checks
from ..optim import SGD, Adam, Optimizer
from ..regularization import Penalty
from .callbacks import Callback, EarlyStopping, FunctionCallback, TargetLoss

__all__ = ["FitConfig", "DEFAULT_LR", "make_optimizer", "make_callbacks", "progress_bar"]

DEFAULT_LR = {"sgd": 0.01, "adam": 1e-3}  # Keras's and PyTorch's defaults


@dataclass(frozen=True)
class FitConfig:
    """The settings of one ``fit`` (:func:`glassnet.training.fit` documents each in full)."""

    epochs: int  # the most passes over the data; a stopping rule may end training sooner
    batch_size: int = 32  # rows per update; the last batch of an epoch may be smaller
    optimizer: Any = "adam"  # "adam", "sgd", an Optimizer on net.parameters(), or a factory
    lr: float | None = None  # the learning rate of a named optimizer (Adam 1e-3, SGD 0.01)
    shuffle: bool = True  # a fresh order every epoch, so that batches differ between epochs
    seed: int | None = None  # drives shuffling and the split; drawn and recorded when None
    validation_data: tuple | None = None  # (X_val, y_val) or (X_val, y_val, w_val), scored per epoch
    validation_split: float = 0.0  # or hold out this fraction of the rows, chosen from seed
    metrics: Sequence[str] = ()  # names from glassnet.metrics recorded at each epoch's end
    early_stopping: Any = None  # True, a patience or an EarlyStopping: stop when val_loss stalls
    target_loss: float | None = None  # stop once an epoch's training loss is at most this
    callbacks: Sequence[Callback | Callable] = ()  # called at each batch and epoch's end
    progress: bool = True  # a tqdm bar over epochs, on a terminal and not under CI only
    checkpoint: str | Path | None = None  # written atomically after every epoch and on Ctrl-C
    resume: str | Path | None = None  # a checkpoint to carry on from, bit-identically
    penalty: Penalty | None = None  # L1(λ) or L2(λ) on the weights, added to loss and gradient

    def __post_init__(self):
        checks.positive_int(self.epochs, "fit", "epochs")
        checks.positive_int(self.batch_size, "fit", "batch_size")
        checks.seed(self.seed, "fit")
        split = self.validation_split
        if isinstance(split, bool) or not isinstance(split, (int, float)) or not 0 <= split < 1:
            raise ValueError(f"fit expected validation_split in [0, 1), got {split!r}")
        if self.validation_data is not None and split:
            raise ValueError("fit expected validation_data or validation_split, not both")
        for name in ("shuffle", "progress"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise TypeError(f"fit expected {name} to be True or False, got "
                                f"{getattr(self, name)!r}")
        if isinstance(self.callbacks, (str, bytes)) or not isinstance(self.callbacks, Iterable):
            raise TypeError(f"fit expected callbacks to be a list of Callback objects or "
                            f"functions (epoch, logs), got {self.callbacks!r}")
        _checkpoint_path(self.checkpoint)
        if self.penalty is not None and not isinstance(self.penalty, Penalty):
            raise TypeError(f"fit expected penalty to be None, glassnet.L1(rate) or "
                            f"glassnet.L2(rate), got {self.penalty!r}")

    @classmethod
    def from_options(cls, options: dict) -> FitConfig:
        """``FitConfig(**options)``, naming an unknown or missing option in one sentence."""
        names = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(options) - set(names))
        if unknown:
            raise TypeError(f"fit got unknown option {unknown[0]!r}; expected one of "
                            f"{', '.join(names)}")
        if "epochs" not in options:
            raise TypeError("fit expected epochs=, the most passes over the data")
        return cls(**options)

    def replace(self, **changes) -> FitConfig:
        """A copy with ``changes`` (a resumed run takes its checkpoint's seed this way)."""
        return dataclasses.replace(self, **changes)


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


def make_callbacks(config: FitConfig, has_validation: bool) -> list[Callback]:
    """The callbacks of ``config``, then its early stopping and target loss as callbacks."""
    result = []
    for callback in config.callbacks:
        if isinstance(callback, Callback):
            result.append(callback)
        elif callable(callback):
            result.append(FunctionCallback(callback))
        else:
            raise TypeError(f"fit expected callbacks to be Callback objects or functions "
                            f"(epoch, logs), got {callback!r}")
    early_stopping = config.early_stopping
    if early_stopping is not None and early_stopping is not False:
        if early_stopping is True:
            early_stopping = EarlyStopping()
        elif isinstance(early_stopping, int):
            early_stopping = EarlyStopping(patience=early_stopping)
        if not isinstance(early_stopping, EarlyStopping):
            raise TypeError(f"fit expected early_stopping to be True, a patience or an "
                            f"EarlyStopping, got {early_stopping!r}")
        if early_stopping.monitor.startswith("val_") and not has_validation:
            raise ValueError(f"early stopping monitors {early_stopping.monitor!r}, but fit got "
                             f"no validation data; pass validation_data or validation_split, "
                             f"or EarlyStopping(monitor='loss')")
        result.append(early_stopping)
    if config.target_loss is not None:
        result.append(TargetLoss(config.target_loss))
    return result


def _checkpoint_path(path) -> Path | None:
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


def progress_bar(progress: bool, epochs: int, initial: int):
    """A tqdm bar over epochs, only for a person watching: a terminal, and not CI."""
    if not progress or not sys.stderr.isatty() or os.environ.get("CI", "").lower() in (
            "true", "1"):
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:  # tqdm is in the 'train' extra; without it, train silently
        return None
    return tqdm(total=epochs, initial=initial, unit="epoch", desc="fit", file=sys.stderr,
                dynamic_ncols=True)
