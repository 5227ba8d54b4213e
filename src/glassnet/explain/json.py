"""A traced step as JSON, schema ``glassnet.trace/1`` (documented in ``docs/trace-schema.md``).

Every array is written at full precision (Python's shortest round-trip float), so a reader
gets exactly the engine's numbers; only the pre-rendered derivation lines are rounded, to
``digits``. Non-finite numbers, which JSON cannot hold, become ``null``. The web playground
reads this document.
"""

from __future__ import annotations

import json

import numpy as np

from .derivation import derive

__all__ = ["SCHEMA", "trace_dict", "trace_json"]

SCHEMA = "glassnet.trace/1"
# Per-sample gradients hold N numbers per parameter entry; beyond this many they are left out
# unless asked for, so that a trace of a big network on a big batch stays a reasonable size.
PER_SAMPLE_LIMIT = 100_000


def trace_json(trace, indent: int | None = None, digits: int = 5,
               per_sample: bool | None = None) -> str:
    """The document as a JSON string (strict JSON: no NaN or Infinity)."""
    return json.dumps(trace_dict(trace, digits=digits, per_sample=per_sample), indent=indent,
                      ensure_ascii=False, allow_nan=False)


def trace_dict(trace, digits: int = 5, per_sample: bool | None = None) -> dict:
    """The document as plain Python data: dicts, lists, floats, ints, strings, None.

    ``per_sample``: write ``grad_per_sample`` (True), leave it ``null`` (False), or, by
    default, write it where it has at most ``PER_SAMPLE_LIMIT`` numbers.
    """
    from .. import __version__

    return {
        "schema": SCHEMA,
        "glassnet_version": __version__,
        "network": {"repr": trace.network, "config": trace.config,
                    "sizes": [trace.layers[0].n_in] + [layer.n_out for layer in trace.layers]},
        "loss": {"name": trace.loss_name, "fused": trace.fused, "value": _num(trace.loss),
                 "per_sample": _arr(trace.losses)},
        "optimizer": {"type": trace.optimizer, "hyperparameters": trace.hyperparameters,
                      "plain_sgd": trace.plain_sgd},
        "batch": {"n": trace.n_samples, "x": _arr(trace.x), "y": _arr(trace.y),
                  "y_one_hot": _arr(trace.targets_one_hot()), "y_hat": _arr(trace.y_hat),
                  "dy_hat": _arr(trace.dy_hat)},
        "layers": [_layer(trace, layer, per_sample) for layer in trace.layers],
        "digits": digits,
        "derivation": [
            {"key": s.key, "title": s.title, "notes": s.notes,
             "lines": [{"lhs": eq.lhs, "parts": [list(p) for p in eq.parts], "latex": eq.latex()}
                       for eq in s.lines]}
            for s in derive(trace, digits=digits)
        ],
    }


def _layer(trace, layer, per_sample: bool | None) -> dict:
    def wanted(p) -> bool:
        if not p.trainable or per_sample is False:
            return False
        return per_sample or trace.n_samples * p.old.size <= PER_SAMPLE_LIMIT

    return {
        "index": layer.index, "n_in": layer.n_in, "n_out": layer.n_out,
        "is_output": layer.index == len(trace.layers),
        "activation": {"name": layer.activation, "label": layer.activation_label,
                       "slope": layer.slope},
        "a_prev": _arr(layer.a_prev), "z": _arr(layer.z), "a": _arr(layer.a),
        "da": _arr(layer.da), "dadz": _arr(layer.dadz), "delta": _arr(layer.delta),
        "delta_mean": _arr(layer.delta.mean(axis=0)),
        "W": _param(layer.W, layer.dW_per_sample() if wanted(layer.W) else None),
        "b": _param(layer.b, layer.db_per_sample() if wanted(layer.b) else None),
    }


def _param(p, per_sample) -> dict:
    return {"name": p.name, "shape": list(p.old.shape), "trainable": p.trainable,
            "old": _arr(p.old), "grad": _arr(p.grad), "grad_per_sample": _arr(per_sample),
            "step": _arr(p.step), "new": _arr(p.new)}


def _num(value) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None


def _arr(array) -> list | int | float | None:
    if array is None:
        return None
    array = np.asarray(array)
    if array.dtype.kind in "iub":
        return array.tolist()
    data = array.astype(np.float64)
    if np.isfinite(data).all():
        return data.tolist()
    return np.where(np.isfinite(data), data, None).tolist()
