"""What ``fit`` reports and how it decides to stop: History, callbacks, early stopping.

A callback is an object with any of these methods, each given the running
:class:`glassnet.training.Trainer` (``trainer.net``, ``trainer.epoch``, ``trainer.history``,
``trainer.stop(reason)``)::

    on_fit_begin(trainer)
    on_batch_end(trainer, batch, loss)      # batch counts from 1 within the epoch
    on_epoch_end(trainer, logs)             # logs: {"loss": …, "val_loss": …, metrics…}
    on_fit_end(trainer)

A plain function ``f(epoch, logs)`` is called at the end of every epoch. A callback that
keeps state across epochs provides ``state_dict()`` / ``load_state_dict()`` so checkpoints
can resume it exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Callback", "History", "EarlyStopping", "TargetLoss", "FunctionCallback"]

_HIGHER_IS_BETTER = frozenset({"accuracy", "precision", "recall", "f1", "r2"})


@dataclass
class History:
    """Per-epoch records of one ``fit``, like Keras's ``History``.

    ``history["loss"][e]`` is the training loss of epoch ``e + 1``: the mean of the batch
    losses of that epoch weighted by batch size (the loss the updates actually saw).
    ``val_loss`` and the metrics (``accuracy``, ``val_accuracy``, …) are computed at the end of
    the epoch on the whole split.

    Attributes
    ----------
    history : dict of str to list of float
    stopped_reason : str
        ``"epochs"`` (ran them all), ``"target_loss"``, ``"early_stopping"``, ``"interrupted"``,
        ``"diverged"`` (with :class:`~glassnet.TrainingDiverged` raised) or the reason a
        callback passed to ``trainer.stop``; ``None`` while running.
    best_epoch : int or None
        The epoch (from 1) whose weights early stopping restored.
    seed : int
        The seed that drove shuffling and the validation split (drawn when none was given).
    message : str
        A sentence for people: why training stopped, and how to resume if interrupted.
    """

    history: dict[str, list[float]] = field(default_factory=dict)
    stopped_reason: str | None = None
    best_epoch: int | None = None
    seed: int | None = None
    message: str = ""

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.history.get("loss", []))

    def __getitem__(self, key: str) -> list[float]:
        return self.history[key]

    def append(self, logs: dict[str, float]) -> None:
        for key, value in logs.items():
            self.history.setdefault(key, []).append(float(value))

    def to_dict(self) -> dict:
        return {"history": self.history, "stopped_reason": self.stopped_reason,
                "best_epoch": self.best_epoch, "seed": self.seed, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict) -> History:
        return cls(**data)

    def __repr__(self) -> str:
        last = ", ".join(f"{k} {v[-1]:.4g}" for k, v in self.history.items() if v)
        return f"History({self.epochs} epochs; {last}; stopped: {self.stopped_reason})"


class Callback:
    """Base class with do-nothing hooks; override the ones you need."""

    def on_fit_begin(self, trainer) -> None:
        pass

    def on_batch_end(self, trainer, batch: int, loss: float) -> None:
        pass

    def on_epoch_end(self, trainer, logs: dict) -> None:
        pass

    def on_fit_end(self, trainer) -> None:
        pass

    def state_dict(self) -> dict:
        """JSON-able values and numpy arrays that a checkpoint must keep."""
        return {}

    def load_state_dict(self, state: dict) -> None:
        pass


class FunctionCallback(Callback):
    """Calls ``function(epoch, logs)`` at the end of every epoch (epochs count from 1)."""

    def __init__(self, function):
        self.function = function

    def on_epoch_end(self, trainer, logs):
        self.function(trainer.epoch, dict(logs))


class TargetLoss(Callback):
    """Stop once an epoch's training loss is at or below ``target``."""

    def __init__(self, target: float):
        if isinstance(target, bool) or not isinstance(target, (int, float)) \
                or not math.isfinite(target) or target < 0:  # every loss here is >= 0
            raise ValueError(f"target_loss expected a finite number >= 0, got {target!r}")
        self.target = float(target)

    def on_epoch_end(self, trainer, logs):
        if logs["loss"] <= self.target:
            trainer.stop("target_loss", f"reached the target loss {self.target:g} "
                         f"(loss {logs['loss']:.6g}) at epoch {trainer.epoch}")


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    An epoch improves when ``value < best − min_delta`` (``mode="min"``) or
    ``value > best + min_delta`` (``mode="max"``); ``mode="auto"`` means max for accuracy,
    precision, recall, F1 and R², min for losses and errors. With ``restore_best`` (default) the
    network ends with the weights of the best epoch, as Keras's
    ``EarlyStopping(restore_best_weights=True)``; this holds whenever fit ends, also at the
    epoch limit.

    Parameters
    ----------
    monitor : str
        ``"val_loss"`` (default; needs validation data) or any other key of the logs.
    patience : int
        Epochs without improvement to wait before stopping.
    min_delta : float
        The smallest decrease that counts as an improvement.
    restore_best : bool
        Put back the weights of the best epoch when training ends.
    mode : "auto", "min" or "max"
        Whether smaller or larger values of ``monitor`` are better.
    """

    def __init__(self, monitor: str = "val_loss", patience: int = 5, min_delta: float = 0.0,
                 restore_best: bool = True, mode: str = "auto"):
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(f"EarlyStopping expected patience to be an integer >= 0, got "
                             f"{patience!r}")
        if not isinstance(min_delta, (int, float)) or not min_delta >= 0:
            raise ValueError(f"EarlyStopping expected min_delta >= 0, got {min_delta!r}")
        self.monitor, self.patience = monitor, patience
        self.min_delta, self.restore_best = float(min_delta), bool(restore_best)
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping expected mode 'auto', 'min' or 'max', got {mode!r}")
        higher_is_better = monitor.removeprefix("val_") in _HIGHER_IS_BETTER
        self.mode = mode if mode != "auto" else "max" if higher_is_better else "min"
        self._sign = 1.0 if self.mode == "min" else -1.0  # compare sign · value, smaller wins
        self.best, self.best_epoch, self.wait = math.inf, None, 0
        self.best_weights: dict[str, np.ndarray] | None = None

    def on_epoch_end(self, trainer, logs):
        if self.monitor not in logs:
            raise ValueError(f"EarlyStopping monitors {self.monitor!r}, but the logs only have "
                             f"{sorted(logs)}")
        value = self._sign * logs[self.monitor]
        if value < self.best - self.min_delta:
            self.best, self.best_epoch, self.wait = value, trainer.epoch, 0
            if self.restore_best:
                self.best_weights = trainer.net.state_dict()
            return
        self.wait += 1
        if self.wait > self.patience:
            trainer.stop("early_stopping",
                         f"{self.monitor} has not improved on {self._sign * self.best:.6g} (epoch "
                         f"{self.best_epoch}) for {self.wait} epochs")

    def on_fit_end(self, trainer):
        if self.restore_best and self.best_weights is not None:
            trainer.net.load_state_dict(self.best_weights)
            trainer.history.best_epoch = self.best_epoch

    def state_dict(self):
        state = {"best": self.best if math.isfinite(self.best) else None,
                 "best_epoch": self.best_epoch, "wait": self.wait}
        for name, value in (self.best_weights or {}).items():
            state[f"weights/{name}"] = value
        return state

    def load_state_dict(self, state):
        self.best = math.inf if state["best"] is None else state["best"]
        self.best_epoch, self.wait = state["best_epoch"], state["wait"]
        weights = {k[len("weights/"):]: v for k, v in state.items() if k.startswith("weights/")}
        self.best_weights = weights or None

    def __repr__(self) -> str:
        return (f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
                f"min_delta={self.min_delta:g}, restore_best={self.restore_best}, "
                f"mode={self.mode!r})")
