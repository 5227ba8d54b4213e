"""A trainable array θ with its gradient ∇θL, named in the lecture's notation."""

from __future__ import annotations

import numpy as np

from . import checks

__all__ = ["Parameter"]


class Parameter:
    """A weight matrix or bias vector, its gradient, and whether it is trained.

    Parameters
    ----------
    value : array_like
        Initial value; its shape is fixed from now on.
    name : str
        The lecture's name: ``W[1]``, ``b[1]``, ``W[2]``, … (set by ``Network``).
    dtype : numpy dtype, optional
        Defaults to float64. Assigning to ``.value`` later keeps this dtype.

    Attributes
    ----------
    grad : ndarray or None
        ∂L/∂θ of the last ``backward``, same shape and dtype as ``value``; ``None`` before
        the first backward and for frozen parameters.
    trainable : bool
        ``False`` freezes the parameter: backward leaves ``grad`` at ``None`` and
        optimizers skip it.
    """

    def __init__(self, value, name: str = "θ", dtype=np.float64, trainable: bool = True):
        self.name = name
        self.dtype = np.dtype(dtype)
        self._value = _checked(value, self.dtype, name, None)
        self.grad: np.ndarray | None = None
        self.trainable = trainable

    @property
    def value(self) -> np.ndarray:
        return self._value

    @value.setter
    def value(self, new) -> None:
        self._value = _checked(new, self.dtype, self.name, self._value.shape)

    @property
    def shape(self) -> tuple:
        return self._value.shape

    @property
    def size(self) -> int:
        return self._value.size

    def astype(self, dtype) -> None:
        """Convert value (and gradient) to ``dtype`` in place of the old arrays."""
        self.dtype = np.dtype(dtype)
        self._value = self._value.astype(self.dtype)
        if self.grad is not None:
            self.grad = self.grad.astype(self.dtype)

    def zero_grad(self) -> None:
        """Forget the gradient, as ``torch.Tensor.grad = None``."""
        self.grad = None

    def __repr__(self) -> str:
        frozen = "" if self.trainable else ", frozen"
        return f"Parameter({self.name}, shape={self.shape}, dtype={self.dtype}{frozen})"


def _checked(value, dtype: np.dtype, name: str, shape: tuple | None) -> np.ndarray:
    array = checks.numeric(value, name, "values")
    if shape is not None and array.shape != shape:
        raise ValueError(f"{name} expected a value of shape {shape}, got {array.shape}")
    checks.finite(array, name, "values")
    return np.array(array, dtype=dtype)  # a copy: the caller's array stays theirs
