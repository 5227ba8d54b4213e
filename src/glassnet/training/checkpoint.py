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

Every field is checked for its type, range and shape before any of it is used (the
checksum finds damage, not a file made by hand), so a checkpoint that is malformed, or does
not fit the run resuming it, raises :class:`~glassnet.ModelFileError` naming the field.
Resuming restores all of it and redraws the interrupted epoch's permutation from the saved
generator state, then skips the batches already done; so the same seed and settings give
bit-identical weights whether or not training was interrupted.
"""

from __future__ import annotations

import json

import numpy as np

from ..model_file import ModelFileError, expect, is_int, is_number, read_file, write_file
from ..optim import SGD, Adam
from ..persistence import check_model_meta, network_meta, restore_weights
from .callbacks import EarlyStopping, History

__all__ = ["write_checkpoint", "read_checkpoint", "restore_checkpoint", "resumed_seed"]

_PROGRESS = ("epoch", "batch", "seen", "loss_sum", "last_loss", "rng_state", "seed",
             "batch_size", "shuffle", "n_samples")
_HISTORY = {"history", "stopped_reason", "best_epoch", "seed", "message"}
_BUFFERS = ((Adam, ({"m", "v"}, set())), (SGD, ({"v"}, set())))  # what each may keep
_STEPS_MAX = 2**63 - 1  # a step count; far larger would overflow Adam's beta1 ** t


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
    """The verified ``(tensors, meta)`` of a checkpoint file, every field checked."""
    tensors, meta = read_file(path, kinds=("checkpoint",))
    progress = meta.get("progress")
    if not isinstance(progress, dict) or any(key not in progress for key in _PROGRESS) \
            or not isinstance(meta.get("optimizer"), dict) \
            or not isinstance(meta.get("callbacks"), list) \
            or not isinstance(meta.get("history"), dict):
        raise ModelFileError(path, "is a checkpoint without complete training progress")
    check_model_meta(path, meta)
    _check_progress(path, progress)
    _check_history(path, meta["history"], progress)
    _check_optimizer(path, meta["optimizer"])
    for i, entry in enumerate(meta["callbacks"]):
        expect(path, isinstance(entry, dict) and isinstance(entry.get("type"), str)
               and isinstance(entry.get("state"), dict), f"callbacks[{i}]", entry,
               'an object {"type": name, "state": {...}}')
    return tensors, meta


def _check_progress(path, progress: dict) -> None:
    """Types and ranges of the position in training, each against the others."""
    for key, ok, expected in (
            ("batch_size", is_int(progress["batch_size"], 1), "an integer >= 1"),
            ("n_samples", is_int(progress["n_samples"], 1), "an integer >= 1"),
            ("shuffle", isinstance(progress["shuffle"], bool), "true or false"),
            ("seed", is_int(progress["seed"]), "an integer >= 0"),
            ("epoch", is_int(progress["epoch"]), "an integer >= 0 (completed epochs)")):
        expect(path, ok, f"progress.{key}", progress[key], expected)
    n_batches = -(-progress["n_samples"] // progress["batch_size"])
    batch = progress["batch"]
    expect(path, is_int(batch, 0, n_batches - 1), "progress.batch", batch,
           f"an integer in [0, {n_batches - 1}] (batches done in an epoch of {n_batches})")
    seen_max = min(batch * progress["batch_size"], progress["n_samples"])
    expect(path, is_int(progress["seen"], 0, seen_max), "progress.seen", progress["seen"],
           f"an integer in [0, {seen_max}] (rows seen in the {batch} batches done)")
    expect(path, is_number(progress["loss_sum"]) and progress["loss_sum"] >= 0,
           "progress.loss_sum", progress["loss_sum"], "a finite number >= 0")
    expect(path, progress["last_loss"] is None or is_number(progress["last_loss"]),
           "progress.last_loss", progress["last_loss"], "null or a finite number")
    _check_rng_state(path, progress["rng_state"])


def _check_rng_state(path, state) -> None:
    """A ``PCG64`` state as ``bit_generator.state`` gives it, its integers in range."""
    ok = (isinstance(state, dict) and set(state) == {"bit_generator", "state", "has_uint32",
                                                     "uinteger"}
          and state["bit_generator"] == "PCG64" and isinstance(state["state"], dict)
          and set(state["state"]) == {"state", "inc"}
          and all(is_int(value, 0, 2**128 - 1) for value in state["state"].values())
          and is_int(state["has_uint32"], 0, 1) and is_int(state["uinteger"], 0, 2**32 - 1))
    expect(path, ok, "progress.rng_state", state,
           "numpy's PCG64 state (bit_generator.state) with integers in range")


def _check_history(path, history: dict, progress: dict) -> None:
    epoch = progress["epoch"]
    expect(path, set(history) == _HISTORY, "the keys of history", sorted(history),
           f"{sorted(_HISTORY)}")
    records = history["history"]
    expect(path, isinstance(records, dict) and all(
        isinstance(values, list) and len(values) == epoch
        and all(is_number(value, finite=False) for value in values)
        for values in records.values()) and len(records.get("loss", [])) == epoch,
        "history.history", records, f"an object of lists of {epoch} numbers, one per "
        f"completed epoch (progress.epoch), among them 'loss'")
    expect(path, history["seed"] == progress["seed"] and is_int(history["seed"]),
           "history.seed", history["seed"], f"the seed of progress.seed ({progress['seed']})")
    for key, ok, expected in (
            ("stopped_reason", history["stopped_reason"] is None
             or isinstance(history["stopped_reason"], str), "null or a string"),
            ("best_epoch", history["best_epoch"] is None or is_int(history["best_epoch"], 1,
                                                                   epoch),
             f"null or an integer in [1, {epoch}]"),
            ("message", isinstance(history["message"], str), "a string")):
        expect(path, ok, f"history.{key}", history[key], expected)


def _check_optimizer(path, optimizer: dict) -> None:
    expect(path, isinstance(optimizer.get("type"), str), "optimizer.type",
           optimizer.get("type"), "the name of the optimizer's class")
    t = optimizer.get("t")
    expect(path, is_int(t, 0, _STEPS_MAX), "optimizer.t", t,
           f"an integer in [0, {_STEPS_MAX}] (steps taken)")
    if "steps" in optimizer:
        steps = optimizer["steps"]
        expect(path, isinstance(steps, list) and all(is_int(s, 0, t) for s in steps),
               "optimizer.steps", steps, f"a list of integers in [0, {t}] (optimizer.t)")


def resumed_seed(path, seed, meta) -> int:
    """The seed a resumed run must use: the checkpoint's (a different one given is an error)."""
    saved = meta["progress"]["seed"]
    if seed is not None and seed != saved:
        raise ModelFileError(path, f"was trained with seed={saved}, but fit got seed={seed}; "
                             "pass the same seed (or none)")
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
            raise ModelFileError(path, f"was written with {key}={progress[key]!r}, but this fit "
                                 f"has {key}={now!r}; resume with the same data and settings")
    if progress["epoch"] > trainer.epochs:
        raise ModelFileError(path, f"has completed {progress['epoch']} epochs, more than this "
                             f"fit's epochs={trainer.epochs}; ask for at least "
                             f"{progress['epoch']} epochs")
    # the trainer's own state first: the network and the callbacks are the caller's objects,
    # changed only once everything has been checked
    _restore_optimizer(path, trainer.optimizer, tensors, meta["optimizer"])
    states = _callback_states(path, trainer, tensors, meta["callbacks"], progress["epoch"])
    try:
        trainer.rng.bit_generator.state = progress["rng_state"]
    except (TypeError, ValueError, KeyError, OverflowError) as error:
        raise ModelFileError(path, f"holds a generator state numpy cannot use ({error})") from None
    restore_weights(path, net, tensors)
    for callback, state in zip(trainer.callbacks, states):
        callback.load_state_dict(state)
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
        raise ModelFileError(path, f"was trained with the optimizer {before}, but this fit "
                             f"uses {now}; resume with the same optimizer settings")
    buffers = [{} for _ in optimizer.params]
    for name, value in tensors.items():
        if name.startswith("optimizer/"):
            _, index, key = name.split("/", 2)
            if not index.isdigit() or int(index) >= len(buffers):
                raise ModelFileError(path, f"has an optimizer tensor {name!r} for no parameter")
            buffers[int(index)][key] = value
    allowed = next((sets for kind, sets in _BUFFERS if isinstance(optimizer, kind)), None)
    for i, (p, state) in enumerate(zip(optimizer.params, buffers)):
        expect(path, allowed is None or set(state) in allowed, f"the optimizer/{i}/ tensors",
               sorted(state), f"one of {[sorted(keys) for keys in allowed or ()]}")
        for key, value in state.items():
            _check_array(path, f"optimizer/{i}/{key}", value, p)
        if isinstance(optimizer, Adam) and "v" in state and (state["v"] < 0).any():
            raise ModelFileError(path, f"has tensor optimizer/{i}/v with negative entries, "
                                 "expected Adam's running mean of g², never negative")
    steps = saved.get("steps")
    expect(path, steps is None or len(steps) == len(buffers), "optimizer.steps", steps,
           f"one step count per parameter ({len(buffers)})")
    optimizer.load_state_dict({**saved, "state": buffers})


def _check_array(path, name, value, p) -> None:
    """A tensor that stands for parameter ``p``: its shape and dtype, every entry finite."""
    if value.shape != p.shape or value.dtype != p.dtype:
        raise ModelFileError(path, f"has tensor {name} of {value.dtype}{list(value.shape)}, "
                             f"expected {p.dtype}{list(p.shape)} as {p.name}")
    if not np.isfinite(value).all():
        raise ModelFileError(path, f"has tensor {name} with NaN or infinity, expected finite "
                             "numbers")


def _callback_states(path, trainer, tensors, saved: list, epoch: int) -> list[dict]:
    """The state for each of ``trainer``'s callbacks (glassnet's own checked), in order."""
    callbacks, states = trainer.callbacks, []
    kinds = [type(callback).__name__ for callback in callbacks]
    if kinds != [entry["type"] for entry in saved]:
        raise ModelFileError(path, f"was written with callbacks {[e['type'] for e in saved]}, "
                             f"but this fit has {kinds}")
    for i, (callback, entry) in enumerate(zip(callbacks, saved)):
        prefix = f"callback/{i}/"
        arrays = {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}
        if isinstance(callback, EarlyStopping):
            _check_early_stopping(path, f"callbacks[{i}].state", entry["state"], epoch)
            names = {f"weights/{p.name}": p for p in trainer.net.parameters()}
            expect(path, set(arrays) in (set(), set(names)), f"the {prefix} tensors",
                   sorted(arrays), f"none or {sorted(names)} (EarlyStopping's best weights)")
            for key, value in arrays.items():
                _check_array(path, prefix + key, value, names[key])
        states.append({**entry["state"], **arrays})
    return states


def _check_early_stopping(path, field, state: dict, epoch: int) -> None:
    """EarlyStopping's best value, best epoch and epochs waited so far."""
    expect(path, set(state) == {"best", "best_epoch", "wait"}, f"the keys of {field}",
           sorted(state), "['best', 'best_epoch', 'wait']")
    for key, ok, expected in (
            ("best", state["best"] is None or is_number(state["best"]),
             "null or a finite number"),
            ("best_epoch", state["best_epoch"] is None or is_int(state["best_epoch"], 1, epoch),
             f"null or an integer in [1, {epoch}]"),
            ("wait", is_int(state["wait"], 0, epoch), f"an integer in [0, {epoch}]")):
        expect(path, ok, f"{field}.{key}", state[key], expected)
