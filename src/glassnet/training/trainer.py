"""``net.fit``: the lecture's four steps, repeated over mini-batches for many epochs.

For every epoch the rows are visited in a fresh random order (a permuted index, the data
are never copied as a whole); for every mini-batch B of at most ``batch_size`` rows, the
last one possibly smaller::

    ŷ = forward(X[B]);  L_B = loss(ŷ, y[B]);  backward;  θ ← optimizer(θ, ∇θ L_B)

The reported training loss of an epoch is ``Σ_B |B| L_B / N``, the mean the updates saw.
With ``sample_weight`` each ``L_B`` is the batch's weighted mean ``Σ_{n∈B} w_n l_n / Σ_{n∈B} w_n``
(the weights sliced with the same index as X and y), and the epoch loss keeps the formula
above, as scikit-learn's ``loss_curve_``; with one batch per epoch it is the weighted mean.
A batch whose weights are all zero has nothing to learn from: it makes no update, callbacks
see a loss of 0, and its rows are left out of N.
Training stops at the epoch limit, a target loss, early stopping, a callback's request,
Ctrl-C/SIGTERM (after the current batch, with a checkpoint) or a non-finite loss (with
the weights of the last finite one). All randomness flows from one seed, and a checkpoint
records the generator's state, so a resumed run is bit-identical to an uninterrupted one.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

from .. import evaluation
from .callbacks import History
from .checkpoint import read_checkpoint, restore_checkpoint, resumed_seed, write_checkpoint
from .config import FitConfig, make_callbacks, make_optimizer, progress_bar
from .data import check_working_memory, training_data
from .interrupts import deferred_interrupts

__all__ = ["fit", "Trainer", "TrainingDiverged"]


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite; the network holds the last weights with a finite loss."""

    def __init__(self, message: str, epoch: int, batch: int, last_finite_loss, history):
        super().__init__(message)
        self.epoch, self.batch = epoch, batch
        self.last_finite_loss, self.history = last_finite_loss, history


def fit(net, X, y, config: FitConfig | None = None, *, sample_weight=None,
        **options) -> History:
    """Train ``net`` on ``(X, y)`` in shuffled mini-batches; returns a :class:`History`.

    The settings come as a :class:`FitConfig` or as its fields by keyword
    (``fit(net, X, y, epochs=30)``, which is what ``net.fit`` passes on).

    Parameters
    ----------
    X : array_like, shape (N, n_in)
    y : array_like
        Targets the network's loss accepts: labels ``(N,)`` or one-hot ``(N, K)`` for
        ``cross_entropy``, 0/1 values for ``binary_cross_entropy``, values for squared losses.
    sample_weight : array_like, shape (N,), optional
        Non-negative weights, one per row: every batch loss becomes the weighted mean
        ``Σ w_n l_n / Σ w_n`` (an integer weight counts a row as that many copies). With
        ``validation_split`` the weights follow their rows, and ``val_loss`` is weighted by
        the held-out ones (as in Keras and scikit-learn); metrics stay unweighted. Weights
        are data, not state: a checkpoint does not record them, so resume with the same.
    epochs : int
        The most passes over the data (fewer if a stopping rule fires).
    batch_size : int
        Rows per update (default 32); the last batch of an epoch may be smaller.
    optimizer : "adam" (default), "sgd", an Optimizer on ``net.parameters()``, or a function
        ``params -> Optimizer``. ``lr`` sets the learning rate of a named one (defaults:
        Adam 1e-3, SGD 0.01).
    shuffle : bool
        A fresh permutation of the rows every epoch (default) or their given order.
    seed : int, optional
        Drives shuffling and ``validation_split``; drawn and recorded in the History when
        not given, so that every run can be repeated and resumed.
    validation_data : (X_val, y_val) or (X_val, y_val, sample_weight_val), optional
    validation_split : float in [0, 1)
        Hold out this fraction of rows (chosen at random from ``seed``) instead.
    metrics : sequence of str
        Names from :mod:`glassnet.metrics` recorded per epoch, on the training data at the
        epoch's end and on the validation data (``val_`` prefix).
    early_stopping : True, int (patience) or EarlyStopping, optional
        Stop when ``val_loss`` stops improving and restore the best epoch's weights.
    target_loss : float, optional
        Stop once an epoch's training loss is at or below this value.
    callbacks : sequence of Callback or functions ``f(epoch, logs)``
    progress : bool
        A tqdm bar over the epochs with the latest loss and metrics; shown only when stderr
        is a terminal and the environment variable ``CI`` is not ``true``.
    checkpoint : path, optional
        Written atomically after every epoch and when interrupted.
    resume : path, optional
        A checkpoint to carry on from. With the same data and arguments the final weights are
        bit-identical to a run that was never interrupted.
    penalty : glassnet.L1 or glassnet.L2, optional
        A penalty on the weights (not the biases), :mod:`glassnet.regularization`: L1 adds
        ``λ Σ|w|`` and L2 ``(λ/2) Σw²`` to every batch's loss, and their gradients
        ``λ sign(w)`` or ``λ w`` to ``dW`` before the update. The reported ``loss`` includes
        it; ``val_loss`` and the metrics are the data's alone.

    Returns
    -------
    History
        Per-epoch ``loss``, ``val_loss`` and metrics, ``stopped_reason`` and ``message``.

    Raises
    ------
    TrainingDiverged
        The loss became NaN or infinite; the weights are those of the last finite loss.

    Ctrl-C or SIGTERM finish the current batch, write the checkpoint, and return with
    ``history.stopped_reason == "interrupted"`` and a message on how to resume; a second
    Ctrl-C interrupts at once.

    Examples
    --------
    >>> data = glassnet.datasets.digits()                                   # doctest: +SKIP
    >>> net.fit(X_train, y_train, epochs=30, batch_size=32, seed=0,          # doctest: +SKIP
    ...         validation_split=0.1, metrics=["accuracy"], early_stopping=5)
    """
    if config is None:
        config = FitConfig.from_options(options)
    elif options:
        raise TypeError(f"fit expected a FitConfig or options, not both; got "
                        f"{', '.join(sorted(options))} beside the FitConfig")
    saved = None
    if config.resume is not None:
        saved = read_checkpoint(config.resume)
        config = config.replace(seed=resumed_seed(config.resume, config.seed, saved[1]))
    trainer = Trainer(net, X, y, config, sample_weight=sample_weight)
    if saved is not None:
        restore_checkpoint(config.resume, trainer, *saved)
    return trainer.run()


class Trainer:
    """The state of one ``fit``: data, optimizer, generator, position, history, callbacks."""

    def __init__(self, net, X, y, config: FitConfig, sample_weight=None):
        self.net, self.config = net, config
        # drawn here when not given, so that checkpoints can record it and resume exactly
        self.seed = int(np.random.SeedSequence().entropy) if config.seed is None else config.seed
        self.X, self.y, self.w, self.X_val, self.y_val, self.w_val = training_data(
            net, X, y, sample_weight, config, self.seed)
        self.optimizer = make_optimizer(config.optimizer, net, config.lr)
        self.metrics = evaluation.check_metric_names(net, config.metrics)
        n_scored = max(len(self.X) if self.metrics else 0,
                       0 if self.X_val is None else len(self.X_val))
        check_working_memory(net, min(config.batch_size, len(self.X)), n_scored)
        self.callbacks = make_callbacks(config, self.X_val is not None)
        self.rng = np.random.default_rng(self.seed)
        self.history = History(seed=self.seed)
        self.epoch = self.batch = self.seen = 0  # completed epochs; batches of the current one
        self.loss_sum, self.last_loss = 0.0, None
        self.epoch_rng_state = None  # the generator before this epoch's permutation
        self._snapshot = None  # the last weights with a finite loss; taken when run starts

    @property
    def epochs(self) -> int:
        return self.config.epochs

    @property
    def batch_size(self) -> int:
        return self.config.batch_size

    @property
    def shuffle(self) -> bool:
        return bool(self.config.shuffle)

    @property
    def checkpoint(self):
        return None if self.config.checkpoint is None else Path(self.config.checkpoint)

    def settings(self) -> dict:
        """The settings a saved model records as its training configuration."""
        return {"optimizer": {"type": type(self.optimizer).__name__,
                              **self.optimizer.hyperparameters()},
                "epochs": self.epochs, "batch_size": self.batch_size, "shuffle": self.shuffle,
                "seed": self.seed, "validation_split": float(self.config.validation_split),
                "metrics": list(self.metrics),
                "penalty": None if self.config.penalty is None else repr(self.config.penalty)}

    def stop(self, reason: str, message: str = "") -> None:
        """Ask training to stop at the end of this batch or epoch (the first reason wins)."""
        if self.history.stopped_reason is None:
            self.history.stopped_reason, self.history.message = reason, message

    # ---- the loop ----------------------------------------------------------------------

    def run(self) -> History:
        self.net.training_config = self.settings()
        # after a resume these are the checkpoint's weights, not those the network was built with
        self._snapshot = [p.value.copy() for p in self.net.parameters()]
        bar = progress_bar(self.config.progress, self.epochs, self.epoch)
        try:
            # A diverging run overflows before its loss is checked: silence numpy's warnings
            # for the whole loop once, not per step (entering errstate costs a microsecond).
            with deferred_interrupts() as flag, np.errstate(
                    over="ignore", invalid="ignore", divide="ignore", under="ignore"):
                for callback in self.callbacks:
                    callback.on_fit_begin(self)
                while self.history.stopped_reason is None:
                    if self.epoch >= self.epochs:
                        self.stop("epochs", f"ran all {self.epochs} epochs")
                        break
                    self._run_epoch(flag, bar)
                for callback in self.callbacks:
                    callback.on_fit_end(self)
        finally:
            if bar is not None:
                bar.close()
        if self.history.stopped_reason == "interrupted":
            print(f"glassnet: {self.history.message}", file=sys.stderr)
        return self.history

    def _run_epoch(self, flag, bar) -> None:
        n = len(self.X)
        if self.batch == 0:
            self.epoch_rng_state = self.rng.bit_generator.state
        else:  # resumed mid-epoch: draw the same permutation again, then skip done batches
            self.rng.bit_generator.state = self.epoch_rng_state
        order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        n_batches = -(-n // self.batch_size)
        while self.batch < n_batches:
            rows = order[self.batch * self.batch_size:(self.batch + 1) * self.batch_size]
            counted = len(rows)
            # take copies the batch's rows as X[rows] does, in a third of the time on a batch
            wb = None if self.w is None else self.w.take(rows, axis=0)
            if wb is None or np.add.reduce(wb) > 0:
                loss = self._step(self.X.take(rows, axis=0), self.y.take(rows, axis=0), wb)
            else:  # weighs nothing: no update, and no part in the epoch's mean loss
                loss, counted = 0.0, 0
            self.batch += 1
            self.loss_sum += loss * counted
            self.seen += counted
            for callback in self.callbacks:
                callback.on_batch_end(self, self.batch, loss)
            if self.history.stopped_reason is not None:
                return
            if flag.signum is not None and self.batch < n_batches:
                return self._interrupted(flag, n_batches)
        self._end_epoch(bar)
        if flag.signum is not None and self.history.stopped_reason is None:
            self._interrupted(flag, n_batches)

    def _step(self, xb: np.ndarray, yb: np.ndarray, wb=None) -> float:
        net = self.net
        # net.forward and net.loss without their checks: fit checked X, y and the weights
        net._forward(xb)                            # 1. forward pass
        loss = net._loss(yb, wb)                    # 2. loss
        if not math.isfinite(loss):
            self._diverged(float(loss))
        for saved, p in zip(self._snapshot, net.parameters()):
            saved[...] = p.value                    # the last weights with a finite loss
        loss.backward()                             # 3. backward pass
        if self.config.penalty is not None:         # L + R(W), and ∂R/∂W added to every dW
            loss = float(loss) + self.config.penalty.apply(net)
        self.optimizer.step()                       # 4. update
        self.last_loss = float(loss)
        return self.last_loss

    def _end_epoch(self, bar) -> None:
        logs = {"loss": self.loss_sum / self.seen}
        if self.metrics:
            logs.update(self._scores(self.X, self.y, ""))
        if self.X_val is not None:
            logs.update(self._scores(self.X_val, self.y_val, "val_", self.w_val))
        self.epoch, self.batch, self.seen, self.loss_sum = self.epoch + 1, 0, 0, 0.0
        self.history.append(logs)
        for callback in self.callbacks:
            callback.on_epoch_end(self, logs)
        if self.checkpoint is not None:
            self.save_checkpoint()
        if bar is not None:
            bar.set_postfix_str(", ".join(f"{k} {v:.4g}" for k, v in logs.items()))
            bar.update(1)

    def _scores(self, X, y, prefix, w=None) -> dict[str, float]:
        y_hat = self.net.forward(X)
        logs = {"val_loss": float(self.net.loss(y_hat, y, w))} if prefix else {}
        values = evaluation.scores(self.net, y_hat, y, self.metrics)
        return {**logs, **{prefix + k: v for k, v in values.items()}}

    def save_checkpoint(self) -> None:
        write_checkpoint(self.checkpoint, self)

    def _interrupted(self, flag, n_batches) -> None:
        where = (f"epoch {self.epoch + 1}, batch {self.batch} of {n_batches}" if self.batch
                 else f"the end of epoch {self.epoch}")
        if self.checkpoint is not None:
            self.save_checkpoint()
            how = (f"checkpoint written to {self.checkpoint}; to resume, call fit again with "
                   f"the same arguments and resume={str(self.checkpoint)!r}")
        else:
            how = "no checkpoint was requested (pass checkpoint=path to be able to resume)"
        self.stop("interrupted", f"training stopped by {flag.name} at {where}; {how}")

    def _diverged(self, loss: float) -> None:
        for saved, p in zip(self._snapshot, self.net.parameters()):
            p.value = saved
        where = f"epoch {self.epoch + 1}, batch {self.batch + 1}"
        before = ("on the first batch, so check the inputs' scale (standardise them)"
                  if self.last_loss is None else
                  f"after a last finite loss of {self.last_loss:.6g}; the weights are back to "
                  "that state")
        message = (f"training diverged at {where}: the loss became {loss} {before}. Try a "
                   f"smaller learning rate (now {self.optimizer.lr:g})")
        self.stop("diverged", message)
        raise TrainingDiverged(message, self.epoch + 1, self.batch + 1, self.last_loss,
                               self.history)
