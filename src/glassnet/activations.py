"""Activation functions φ, each with the local derivative it needs for backward.

The lecture's neuron is ``z = wᵀx + b, a = φ(z)``. An activation maps ``z`` to ``a``
elementwise (softmax: row by row) and, for the backward pass, turns ``dL/da`` into
``dL/dz``. Elementwise activations express ``∂a/∂z`` from the cached forward values, as
scikit-learn does: ``σ'(z) = a(1 − a)``, ``tanh'(z) = 1 − a²``.

Every activation keeps the dtype of its input, so a float32 network stays float32.
"""

from __future__ import annotations

import inspect

import numpy as np


__all__ = [
    "Activation",
    "Sigmoid",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "Identity",
    "Softmax",
    "ACTIVATIONS",
    "get_activation",
]


class Activation:
    """Base class: ``a = self(z)`` forward, ``dz = self.backward(da, z, a)`` backward."""

    name = "activation"
    elementwise = True

    def __call__(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """∂a/∂z elementwise, from the cached ``z`` and ``a = φ(z)``."""
        raise NotImplementedError

    def backward(self, da: np.ndarray, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """Chain rule through φ: ``dL/dz = dL/da · ∂a/∂z``."""
        return da * self.derivative(z, a)

    def __repr__(self) -> str:
        return self.name

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash((type(self).__name__, tuple(sorted(vars(self).items()))))

    def config(self) -> dict:
        """The arguments that rebuild this activation with :func:`get_activation`."""
        return {"name": self.name, **vars(self)}


class Sigmoid(Activation):
    """σ(z) = 1 / (1 + e^(−z)); σ'(z) = σ(z)(1 − σ(z)).

    Computed as ``e^min(z, 0) / (1 + e^(−|z|))``, which is ``1 / (1 + e^(−z))`` for z ≥ 0
    and ``e^z / (1 + e^z)`` for z < 0: no exponent is ever positive, so it is stable for
    any finite ``z`` (no overflow warning at |z| = 1e4) and exact to rounding on both tails.
    """

    name = "sigmoid"

    def __call__(self, z):
        z = np.asarray(z)
        if z.dtype.kind != "f":  # integers: e^z in float64, as NumPy's exp would give
            z = z.astype(np.float64)
        return np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))

    def derivative(self, z, a):
        return a * (1 - a)  # from the cached a


class Tanh(Activation):
    """tanh(z); tanh'(z) = 1 − tanh(z)²."""

    name = "tanh"

    def __call__(self, z):
        return np.tanh(z)

    def derivative(self, z, a):
        return 1.0 - a * a


class ReLU(Activation):
    """relu(z) = max(z, 0); relu'(z) = 1 where z > 0, else 0 (PyTorch's choice at 0)."""

    name = "relu"

    def __call__(self, z):
        return np.maximum(z, 0)

    def derivative(self, z, a):
        return (z > 0).astype(z.dtype)

    def backward(self, da, z, a):
        return da * (z > 0)  # da · relu'(z), without a float copy of the mask


class LeakyReLU(Activation):
    """leaky_relu(z) = z where z > 0, else slope·z; its derivative is 1 or slope.

    The default slope 0.01 is PyTorch's ``negative_slope``.
    """

    name = "leaky_relu"

    def __init__(self, slope: float = 0.01):
        if not isinstance(slope, (int, float)) or isinstance(slope, bool):
            raise TypeError(f"leaky_relu slope must be a number, got {type(slope).__name__}")
        self.slope = float(slope)

    def __call__(self, z):
        return np.where(z > 0, z, z * z.dtype.type(self.slope))

    def derivative(self, z, a):
        return np.where(z > 0, 1.0, self.slope).astype(z.dtype)

    def __repr__(self) -> str:
        return "leaky_relu" if self.slope == 0.01 else f"leaky_relu({self.slope:g})"


class Identity(Activation):
    """identity(z) = z; its derivative is 1 (a linear output, for regression)."""

    name = "identity"

    def __call__(self, z):
        return z

    def derivative(self, z, a):
        return np.ones_like(z)

    def backward(self, da, z, a):
        return da


class Softmax(Activation):
    """softmax(z)_k = e^(z_k) / Σ_c e^(z_c), row by row; stable by subtracting max_c z_c.

    Not elementwise: each output depends on the whole row, so backward applies the
    Jacobian–vector product ``dz = a ⊙ (da − Σ_k da_k a_k)`` instead of a derivative.
    """

    name = "softmax"
    elementwise = False

    def __call__(self, z):
        e = np.exp(z - np.max(z, axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def derivative(self, z, a):
        raise TypeError(
            "softmax has no elementwise derivative; use backward(da, z, a), "
            "which applies its Jacobian"
        )

    def backward(self, da, z, a):
        return a * (da - (da * a).sum(axis=1, keepdims=True))


ACTIVATIONS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "identity": Identity,
    "softmax": Softmax,
}


def get_activation(spec: str | Activation | dict | None) -> Activation:
    """Return the activation named by ``spec`` (a name, a config dict, or an instance)."""
    if spec is None:
        return Identity()
    if isinstance(spec, Activation):
        return spec
    if isinstance(spec, dict):
        options = dict(spec)
        name = options.pop("name", None)
        kind = _by_name(name)
        try:  # the option names only: a bad value keeps the constructor's own message
            inspect.signature(kind).bind(**options)
        except TypeError:
            raise TypeError(f"activation {name!r} does not take the options "
                            f"{sorted(options)}") from None
        return kind(**options)
    if isinstance(spec, str):
        return _by_name(spec)()
    raise TypeError(
        f"activation must be a name such as 'sigmoid' or an Activation, got {type(spec).__name__}"
    )


def _by_name(name) -> type[Activation]:
    key = name.lower().replace("-", "_") if isinstance(name, str) else name
    if key == "linear":
        key = "identity"
    if key not in ACTIVATIONS:
        valid = ", ".join(ACTIVATIONS)
        raise ValueError(f"unknown activation {name!r}; expected one of: {valid}")
    return ACTIVATIONS[key]
