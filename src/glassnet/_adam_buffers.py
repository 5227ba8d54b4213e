"""Adam's all-at-once update (``Adam.step`` in :mod:`glassnet.optim`): its arrays, and the
size up to which updating all parameters laid end to end pays."""

from __future__ import annotations

import numpy as np

from .parameter import Parameter


class FlatBuffers:
    """Adam's arrays for all parameters end to end, made once and reused at every step.

    ``m``, ``v``: the moments; ``g``: the gradients copied end to end; ``scratch`` and
    ``direction``: the update's work arrays. ``ms``, ``vs``, ``gs`` and ``directions`` are
    views of ``m``, ``v``, ``g`` and ``direction`` shaped as each parameter.
    """

    def __init__(self, params: list[Parameter]):
        total, dtype = sum(p.size for p in params), params[0].dtype
        self.m, self.v, self.g, self.scratch, self.direction = (
            np.zeros(total, dtype) for _ in range(5))
        spans, start = [], 0
        for p in params:
            spans.append((slice(start, start + p.size), p.shape))
            start += p.size
        self.ms, self.vs, self.gs, self.directions = (
            [flat[span].reshape(shape) for span, shape in spans]
            for flat in (self.m, self.v, self.g, self.direction))


# The all-at-once update pays while NumPy's per-call overhead outweighs the arithmetic, on
# small networks; past 128 KiB of parameters it measured no faster than one parameter at a
# time (when this path was written), and the per-parameter loop copies no gradients.
ALL_AT_ONCE_MAX_BYTES = 1 << 17
