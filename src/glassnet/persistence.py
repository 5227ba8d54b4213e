"""Save and load networks as glassnet files (:mod:`glassnet.model_file`).

``save`` writes a network's architecture, weights, frozen flags and training settings;
``load`` rebuilds it, checking every field first, so :class:`ModelFileError` is the only
error a damaged or hand-made file raises. Loading never executes code: no pickle anywhere,
and writes are atomic: a crash leaves either the old file or the new one, never half of one.

Examples
--------
>>> net.save("model.safetensors")              # doctest: +SKIP
>>> same = glassnet.load("model.safetensors")  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np

from .model_file import (FORMAT_VERSION, ModelFileError, _read_declared, _shown, expect,
                         is_int, read_file, write_file)

__all__ = ["FORMAT_VERSION", "ModelFileError", "save", "load", "write_file", "read_file",
           "network_from_config"]


# ---- networks --------------------------------------------------------------------------


def save(net, path) -> None:
    """Save ``net`` (architecture, weights, frozen flags, training settings) to ``path``."""
    write_file(path, net.state_dict(), {"kind": "model", **network_meta(net)})


def network_meta(net) -> dict:
    """The JSON part describing ``net``; ``training`` is what the last ``fit`` used."""
    return {"network": net.config(),
            "frozen": [p.name for p in net.parameters() if not p.trainable],
            "training": getattr(net, "training_config", None)}


def load(path):
    """Load a network saved by ``net.save`` (or the network inside a checkpoint).

    Raises
    ------
    ModelFileError
        If the file is missing, not a regular file (a FIFO or device is refused at once),
        truncated, corrupt, of another format version, has a field of the wrong type, range
        or shape, or its weights do not fit its architecture. The message names the file and
        the problem.
    """
    tensors, meta = read_file(path)
    check_model_meta(path, meta)
    net = network_from_config(path, meta.get("network"), tensors)
    restore_weights(path, net, tensors)
    names = {p.name: p for p in net.parameters()}
    frozen = meta.get("frozen", [])
    expect(path, set(frozen) <= set(names), "frozen", frozen,
           f"names of the network's parameters {sorted(names)}")
    for name in frozen:
        names[name].trainable = False
    net.training_config = meta.get("training")
    return net


def check_model_meta(path, meta: dict) -> None:
    """Check the types of ``frozen`` and ``training``, which a model and a checkpoint share."""
    frozen = meta.get("frozen", [])
    expect(path, isinstance(frozen, list) and all(isinstance(name, str) for name in frozen),
           "frozen", frozen, "a list of parameter names")
    training = meta.get("training")
    expect(path, training is None or isinstance(training, dict), "training", training,
           "null or an object of training settings")


def network_from_config(path, config, tensors: dict | None = None):
    """Build a ``Network`` (with zero weights) from ``net.config()`` data.

    With the file's ``tensors``, every layer's declared size is checked against its ``W``
    first, so a header that declares a huge layer fails as a ModelFileError, not by
    allocating it.
    """
    from .layers import Dense
    from .network import Network

    try:
        specs = _layer_specs(config)
        for index, spec in enumerate(specs, start=1):
            W = (tensors or {}).get(f"W[{index}]")
            if tensors is not None and (W is None or W.shape != (spec["n_in"], spec["n_out"])):
                raise ModelFileError(path, f"declares layer {index} as {spec['n_in']} → "
                                     f"{spec['n_out']}, but its tensor W[{index}] is "
                                     f"{None if W is None else list(W.shape)}")
        layers = [Dense(spec["n_in"], spec["n_out"], activation=spec["activation"],
                        init="zeros") for spec in specs]
        return Network(layers, loss=config["loss"], dtype=config["dtype"])
    except ModelFileError:
        raise
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFileError(path, f"describes a network glassnet cannot build: {error}") from None


def _layer_specs(config) -> list[dict]:
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise ValueError("expected a 'network' entry with a list of layers")
    for spec in config["layers"]:
        if not isinstance(spec, dict) or spec.get("type") != "Dense":
            raise ValueError(f"expected Dense layers, got {_shown(spec)}")
        for key in ("n_in", "n_out"):
            if not is_int(spec.get(key), 1):
                raise ValueError(f"expected layer sizes {key} to be integers >= 1, got "
                                 f"{_shown(spec.get(key))}")
        if not isinstance(spec.get("activation"), dict):  # None would build an identity
            raise ValueError(f"expected an activation such as {{'name': 'sigmoid'}}, got "
                             f"{_shown(spec.get('activation'))}")
    for key in ("loss", "dtype"):  # None would fall back to a default
        if not isinstance(config.get(key), str):
            raise ValueError(f"expected the {key} by name, got {_shown(config.get(key))}")
    return config["layers"]


def restore_weights(path, net, tensors: dict) -> None:
    """Copy the tensors named like ``net``'s parameters into it, checking shapes and dtypes.

    All are checked before any is copied, so a file that does not fit leaves ``net`` as it was.
    """
    for p in net.parameters():
        value = tensors.get(p.name)
        if value is None:
            raise ModelFileError(path, f"has no tensor {p.name!r} for {net!r}")
        if value.shape != p.shape or value.dtype != p.dtype:
            raise ModelFileError(path, f"tensor {p.name!r} is {value.dtype}"
                                 f"{list(value.shape)}, expected {p.dtype}{list(p.shape)}")
        if not np.isfinite(value).all():
            raise ModelFileError(path, f"tensor {p.name!r} contains NaN or infinity")
    for p in net.parameters():
        p.value = tensors[p.name]
