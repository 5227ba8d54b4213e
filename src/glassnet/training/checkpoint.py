"""Checkpoints: everything a ``fit`` needs to carry on as if it had never stopped.

A checkpoint is a glassnet file (:mod:`glassnet.persistence`) of kind ``"checkpoint"``:

===========================  =================================================================
tensors ``W[1]``, ``b[1]`` …  the weights, so ``glassnet.load(checkpoint)`` gives the network
``optimizer/i/m`` …          the optimizer's per-parameter buffers (momentum, Adam's m and v)
``callback/i/…``             arrays a callback keeps (early stopping's best weights)
JSON ``optimizer``           type, step count ``t`` and hyperparameters
JSON ``progress``            completed epochs, batches done in the current epoch, the running
                             loss sum, the seed, and the generator's ``bit_generator.state``
                             before the current epoch's permutation (plain integers)
JSON ``history``             the :class:`~glassnet.training.History` so far
===========================  =================================================================

Resuming restores all of it and redraws the interrupted epoch's permutation from the
saved generator state, then skips the batches already done; so the same seed and settings
give bit-identical weights whether or not training was interrupted.
"""

from __future__ import annotations

import json

import numpy as np

from ..persistence import ModelFileError, network_meta, read_file, restore_weights, write_file
from .callbacks import History

__all__ = ["write_checkpoint", "read_checkpoint", "restore_checkpoint", "resumed_seed"]

_PROGRESS = ("epoch", "batch", "seen", "loss_sum", "last_loss", "rng_state", "seed",
             "batch_size", "shuffle", "n_samples")


def write_checkpoint(path, trainer) -> None:
    """Write the state of ``trainer`` (a :class:`glassnet.training.Trainer`) atomically."""
    net, optimizer = trainer.net, trainer.optimizer
    tensors = dict(net.state_dict())
    optimizer_state = optimizer.state_dict()
    for i, buffers in enumerate(optimizer_state.pop("state")):
        tensors.update({f"optimizer/{i}/{key}": value for key, value in buffers.items()})
    callbacks = []
    for i, callback in enumerate(trainer.callbacks):
        plain = {}
        for key, value in callback.state_dict().items():
            if isinstance(value, np.ndarray):
                tensors[f"callback/{i}/{key}"] = value
            else:
                plain[key] = value
        callbacks.append({"type": type(callback).__name__, "state": plain})
    progress = {
        "epoch": trainer.epoch, "batch": trainer.batch, "seen": trainer.seen,
        "loss_sum": trainer.loss_sum, "last_loss": trainer.last_loss, "seed": trainer.seed,
        # mid-epoch the permutation must be redrawn from the state before it was drawn
        "rng_state": trainer.epoch_rng_state if trainer.batch else trainer.rng.bit_generator.state,
        "batch_size": trainer.batch_size, "shuffle": trainer.shuffle, "n_samples": len(trainer.X),
    }
    meta = {"kind": "checkpoint", **network_meta(net), "optimizer": optimizer_state,
            "callbacks": callbacks, "progress": progress, "history": trainer.history.to_dict()}
    write_file(path, tensors, meta)


def read_checkpoint(path) -> tuple[dict, dict]:
    """The verified ``(tensors, meta)`` of a checkpoint file."""
    tensors, meta = read_file(path, kinds=("checkpoint",))
    progress = meta.get("progress")
    if not isinstance(progress, dict) or any(key not in progress for key in _PROGRESS) \
            or not isinstance(meta.get("optimizer"), dict) \
            or not isinstance(meta.get("callbacks"), list) \
            or not isinstance(meta.get("history"), dict):
        raise ModelFileError(path, "is a checkpoint without complete training progress")
    return tensors, meta


def resumed_seed(path, seed, meta) -> int:
    """The seed a resumed run must use: the checkpoint's (a different one given is an error)."""
    saved = meta["progress"]["seed"]
    if seed is not None and seed != saved:
        raise ValueError(f"resume: {path} was trained with seed={saved}, but fit got "
                         f"seed={seed}; pass the same seed (or none)")
    return saved


def restore_checkpoint(path, trainer, tensors: dict, meta: dict) -> None:
    """Put the checkpoint's state into ``trainer``; raise if it does not fit this run."""
    net = trainer.net
    if meta["network"] != json.loads(json.dumps(net.config())):
        raise ModelFileError(path, f"was written for a different network than {net!r}")
    progress = meta["progress"]
    for key, now in (("batch_size", trainer.batch_size), ("shuffle", trainer.shuffle),
                     ("n_samples", len(trainer.X))):
        if progress[key] != now:
            raise ValueError(f"resume: {path} was written with {key}={progress[key]!r}, but "
                             f"this fit has {key}={now!r}; resume with the same data and "
                             "settings")
    restore_weights(path, net, tensors)
    _restore_optimizer(path, trainer.optimizer, tensors, meta["optimizer"])
    _restore_callbacks(path, trainer.callbacks, tensors, meta["callbacks"])
    try:
        trainer.rng.bit_generator.state = progress["rng_state"]
    except (TypeError, ValueError, KeyError) as error:
        raise ModelFileError(path, f"holds a generator state numpy cannot use ({error})") from None
    trainer.epoch, trainer.batch, trainer.seen = (progress["epoch"], progress["batch"],
                                                  progress["seen"])
    trainer.loss_sum, trainer.last_loss = progress["loss_sum"], progress["last_loss"]
    trainer.epoch_rng_state = progress["rng_state"]
    trainer.history = History.from_dict(meta["history"])
    if trainer.history.stopped_reason == "interrupted":
        trainer.history.stopped_reason, trainer.history.message = None, ""


def _restore_optimizer(path, optimizer, tensors, saved: dict) -> None:
    now = {"type": type(optimizer).__name__, **optimizer.hyperparameters()}
    before = {key: value for key, value in saved.items() if key not in ("t", "steps")}
    if before != now:
        raise ValueError(f"resume: {path} was trained with {before}, but this fit uses {now}; "
                         "resume with the same optimizer settings")
    buffers = [{} for _ in optimizer.params]
    for name, value in tensors.items():
        if name.startswith("optimizer/"):
            _, index, key = name.split("/", 2)
            if not index.isdigit() or int(index) >= len(buffers):
                raise ModelFileError(path, f"has an optimizer tensor {name!r} for no parameter")
            buffers[int(index)][key] = value
    optimizer.load_state_dict({**saved, "state": buffers})


def _restore_callbacks(path, callbacks, tensors, saved: list) -> None:
    kinds = [type(callback).__name__ for callback in callbacks]
    if kinds != [entry.get("type") for entry in saved]:
        raise ValueError(f"resume: {path} was written with callbacks "
                         f"{[entry.get('type') for entry in saved]}, but this fit has {kinds}")
    for i, (callback, entry) in enumerate(zip(callbacks, saved)):
        prefix = f"callback/{i}/"
        arrays = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
        callback.load_state_dict({**entry["state"], **arrays})
