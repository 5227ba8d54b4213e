"""Weight initialisation, always driven by an explicit seed or ``numpy.random.Generator``.

Each initialiser is a function ``init(shape, rng) -> (W, b)`` for a weight matrix of shape
``shape = (n_in, n_out)`` and its bias vector; biases start at zero unless the scheme says
otherwise.

==================  =====================================================  ==============
name                W drawn from                                           reference
==================  =====================================================  ==============
``zeros``           0                                                      —
``uniform``         U(−0.5, 0.5), or ``Uniform(low, high)``                —
``xavier_uniform``  U(−r, r), r = √(6 / (n_in + n_out))                    Glorot 2010
``xavier_normal``   N(0, 2 / (n_in + n_out))                               Glorot 2010
``he_uniform``      U(−r, r), r = √(6 / n_in)                              He 2015
``he_normal``       N(0, 2 / n_in)                                         He 2015
``torch``           U(−1/√n_in, 1/√n_in) for W *and* b (``nn.Linear``)     PyTorch
==================  =====================================================  ==============

``glorot_*`` are aliases of ``xavier_*``; ``xavier`` and ``he`` mean their uniform form.
Glorot & Bengio, "Understanding the difficulty of training deep feedforward neural
networks", AISTATS 2010. He et al., "Delving Deep into Rectifiers", ICCV 2015.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Uniform", "INITIALISERS", "get_initialiser", "make_rng"]


def make_rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    """A Generator from a seed (``None``: fresh entropy), or the Generator itself."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool)):
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be an int, a numpy.random.Generator or None, got {seed!r}")


def zeros(shape, rng):
    return np.zeros(shape), np.zeros(shape[1])


class Uniform:
    """W ~ U(low, high), b = 0."""

    def __init__(self, low: float = -0.5, high: float = 0.5):
        if not low < high:
            raise ValueError(f"Uniform expected low < high, got low={low}, high={high}")
        self.low, self.high = float(low), float(high)

    def __call__(self, shape, rng):
        return rng.uniform(self.low, self.high, size=shape), np.zeros(shape[1])

    def __repr__(self) -> str:
        return f"Uniform({self.low:g}, {self.high:g})"


def xavier_uniform(shape, rng):
    r = np.sqrt(6.0 / (shape[0] + shape[1]))
    return rng.uniform(-r, r, size=shape), np.zeros(shape[1])


def xavier_normal(shape, rng):
    return rng.normal(0.0, np.sqrt(2.0 / (shape[0] + shape[1])), size=shape), np.zeros(shape[1])


def he_uniform(shape, rng):
    r = np.sqrt(6.0 / shape[0])
    return rng.uniform(-r, r, size=shape), np.zeros(shape[1])


def he_normal(shape, rng):
    return rng.normal(0.0, np.sqrt(2.0 / shape[0]), size=shape), np.zeros(shape[1])


def torch_default(shape, rng):
    r = 1.0 / np.sqrt(shape[0])
    return rng.uniform(-r, r, size=shape), rng.uniform(-r, r, size=shape[1])


INITIALISERS = {
    "zeros": zeros,
    "uniform": Uniform(),
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "torch": torch_default,
}
_ALIASES = {
    "xavier": "xavier_uniform",
    "glorot": "xavier_uniform",
    "glorot_uniform": "xavier_uniform",
    "glorot_normal": "xavier_normal",
    "he": "he_uniform",
    "kaiming": "he_uniform",
    "kaiming_uniform": "he_uniform",
    "kaiming_normal": "he_normal",
}


def default_for(activation_name: str) -> str:
    """He for the rectifiers, Xavier for everything else (Keras's and PyTorch's advice)."""
    return "he_uniform" if activation_name in ("relu", "leaky_relu") else "xavier_uniform"


def get_initialiser(spec):
    """Return the initialiser named by ``spec``, or ``spec`` itself if it is callable."""
    if callable(spec):
        return spec
    if isinstance(spec, str):
        key = _ALIASES.get(spec.lower(), spec.lower())
        if key in INITIALISERS:
            return INITIALISERS[key]
        valid = ", ".join([*INITIALISERS, *_ALIASES])
        raise ValueError(f"unknown initialiser {spec!r}; expected one of: {valid}")
    raise TypeError(
        f"init must be a name such as 'he_uniform', a callable or a dict of values, "
        f"got {type(spec).__name__}"
    )
