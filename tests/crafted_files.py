"""Hand-made glassnet files with a valid checksum: a real model or checkpoint, one field changed.

The SHA-256 finds damage, not intent: anyone can compute it. ``signed_file`` does so the way
``persistence.write_file`` does (the SHA-256 of the whole file with the 64 digest characters
set to "0"), but written out again here so that it signs whatever it is given.
"""

import copy
import hashlib
import json
import signal

import numpy as np
import safetensors.numpy
from hypothesis import strategies as st

import glassnet as gn
from glassnet import persistence

_ZEROS = b'\\"sha256\\": \\"' + b"0" * 64  # as json.dumps, then safetensors' escaping, spell it


def signed_file(path, tensors: dict, meta) -> None:
    """Write ``tensors`` and ``meta`` (a dict, or JSON text holding ``"sha256": "0"*64``)."""
    text = meta if isinstance(meta, str) else json.dumps({**meta, "sha256": "0" * 64})
    data = safetensors.numpy.save(tensors, metadata={"glassnet": text})
    at = data.index(_ZEROS) + len(_ZEROS) - 64
    digest = hashlib.sha256(data).hexdigest().encode()
    path.write_bytes(data[:at] + digest + data[at + 64:])


def replaced(meta: dict, where: tuple, value) -> dict:
    """A deep copy of ``meta`` with the field at ``where`` (keys, list indices) set to ``value``."""
    meta = copy.deepcopy(meta)
    parent = meta
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = value
    return meta


def field_paths(value, where=()) -> list[tuple]:
    """Every field of ``value`` at any depth, as key paths (the checksum slot left out)."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return []
    paths = []
    for key, item in items:
        if where + (key,) != ("sha256",):
            paths += [where + (key,)] + field_paths(item, where + (key,))
    return paths


# any JSON value Python's json writes: huge and negative ints, NaN and infinities included
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 40) | st.integers()
    | st.sampled_from([10**9, -10**9, 2**64, -2**63, 10**300, 2**128])
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=8)


# ---- the real files the crafted ones start from -----------------------------------------

X, Y = gn.datasets.moons(40, seed=1)


def network(seed=2):
    return gn.Network([gn.Dense(2, 4, "tanh"), gn.Dense(4, 1, "sigmoid")], loss="bce",
                      seed=seed)


def saved_model(path) -> None:
    """A trained model with a frozen parameter and its training settings."""
    net = network()
    net.fit(X, Y, epochs=2, batch_size=8, seed=0, progress=False)
    net.parameters()[1].trainable = False
    net.save(path)


class Interrupt(gn.Callback):
    """Ctrl-C in epoch 2 after batch 2, when active; present but idle when resuming."""

    def __init__(self, active):
        self.active = active

    def on_batch_end(self, trainer, batch, loss):
        if self.active and trainer.epoch == 1 and batch == 2:
            signal.raise_signal(signal.SIGINT)


# Adam, early stopping on a validation split: every kind of state a checkpoint keeps
FIT = {"epochs": 3, "batch_size": 8, "seed": 0, "progress": False, "optimizer": "adam",
       "lr": 0.05, "validation_split": 0.2, "early_stopping": 5}


def saved_checkpoint(path) -> None:
    """A checkpoint written mid-epoch (epoch 2, after batch 2)."""
    history = network().fit(X, Y, **FIT, callbacks=[Interrupt(True)], checkpoint=path)
    assert history.stopped_reason == "interrupted"


def resume(path):
    """Carry on from ``path`` with the settings that wrote it; returns the History."""
    return network(seed=5).fit(X, Y, **FIT, callbacks=[Interrupt(False)], resume=path)


def read(path) -> tuple[dict, dict]:
    tensors, meta = persistence.read_file(path)
    return {name: np.ascontiguousarray(value) for name, value in tensors.items()}, meta
