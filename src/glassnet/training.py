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

import numpy as np

from . import evaluation
from .callbacks import History
from .fit_options import (as_seed, checkpoint_path, make_callbacks, make_optimizer, positive_int,
                          progress_bar, resumed_seed, split_validation, training_arrays)
from .interrupts import deferred_interrupts
from .sample_weight import check_sample_weight

__all__ = ["fit", "Trainer", "TrainingDiverged"]


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite; the network holds the last weights with a finite loss."""

    def __init__(self, message: str, epoch: int, batch: int, last_finite_loss, history):
        super().__init__(message)
        self.epoch, self.batch = epoch, batch
        self.last_finite_loss, self.history = last_finite_loss, history


def fit(net, X, y, *, sample_weight=None, epochs: int, batch_size: int = 32, optimizer="adam",
        lr=None, shuffle: bool = True, seed: int | None = None, validation_data=None,
        validation_split: float = 0.0, metrics=(), early_stopping=None, target_loss=None,
        callbacks=(), progress: bool = True, checkpoint=None, resume=None) -> History:
    """Train ``net`` on ``(X, y)`` in shuffled mini-batches; returns a :class:`History`.

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
    saved = None
    if resume is not None:
        from .checkpoint import read_checkpoint

        saved = read_checkpoint(resume)
        seed = resumed_seed(resume, seed, saved[1])
    trainer = Trainer(net, X, y, sample_weight=sample_weight, epochs=epochs,
                      batch_size=batch_size, optimizer=optimizer, lr=lr, shuffle=shuffle,
                      seed=seed, validation_data=validation_data,
                      validation_split=validation_split, metrics=metrics,
                      early_stopping=early_stopping, target_loss=target_loss,
                      callbacks=callbacks, progress=progress, checkpoint=checkpoint)
    if saved is not None:
        from .checkpoint import restore_checkpoint

        restore_checkpoint(resume, trainer, *saved)
    return trainer.run()


class Trainer:
    """The state of one ``fit``: data, optimizer, generator, position, history, callbacks."""

    def __init__(self, net, X, y, *, sample_weight=None, epochs, batch_size, optimizer, lr, shuffle,
                 seed, validation_data, validation_split, metrics, early_stopping, target_loss,
                 callbacks, progress, checkpoint):
        self.net = net
        self.epochs = positive_int("epochs", epochs)
        self.batch_size = positive_int("batch_size", batch_size)
        self.shuffle = bool(shuffle)
        self.seed = as_seed(seed)
        X, y = training_arrays(net, X, y, "")
        w = None if sample_weight is None else check_sample_weight(sample_weight, len(X), "fit")
        self.X, self.y, self.X_val, self.y_val, self.w, self.w_val = split_validation(
            net, X, y, validation_data, validation_split, self.seed, w)
        self.validation_split = float(validation_split)
        self.optimizer = make_optimizer(optimizer, net, lr)
        self.metrics = evaluation.check_metric_names(net, metrics)
        self.callbacks = make_callbacks(callbacks, early_stopping, target_loss, self.X_val)
        self.progress, self.checkpoint = progress, checkpoint_path(checkpoint)
        self.rng = np.random.default_rng(self.seed)
        self.history = History(seed=self.seed)
        self.epoch = self.batch = self.seen = 0  # completed epochs; batches of the current one
        self.loss_sum, self.last_loss = 0.0, None
        self.epoch_rng_state = None  # the generator before this epoch's permutation
        self._snapshot = None  # the last weights with a finite loss; taken when run starts

    def config(self) -> dict:
        """The settings a saved model records as its training configuration."""
        return {"optimizer": {"type": type(self.optimizer).__name__,
                              **self.optimizer.hyperparameters()},
                "epochs": self.epochs, "batch_size": self.batch_size, "shuffle": self.shuffle,
                "seed": self.seed, "validation_split": self.validation_split,
                "metrics": list(self.metrics)}

    def stop(self, reason: str, message: str = "") -> None:
        """Ask training to stop at the end of this batch or epoch (the first reason wins)."""
        if self.history.stopped_reason is None:
            self.history.stopped_reason, self.history.message = reason, message

    # ---- the loop ----------------------------------------------------------------------

    def run(self) -> History:
        self.net.training_config = self.config()
        # after a resume these are the checkpoint's weights, not those the network was built with
        self._snapshot = [p.value.copy() for p in self.net.parameters()]
        bar = progress_bar(self.progress, self.epochs, self.epoch)
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
            wb = None if self.w is None else self.w[rows]
            if wb is None or np.add.reduce(wb) > 0:
                loss = self._step(self.X[rows], self.y[rows], wb)
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
        from .checkpoint import write_checkpoint

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
