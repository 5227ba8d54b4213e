"""The fully connected layer: the lecture's neurons, a whole layer and a whole batch at once.

Forward, for a batch of N rows::

    z = a_prev @ W + b        # (N, n_out); W[j, i] is w_{ji}: from input j to neuron i
    a = φ(z)

Backward, the mirror image, given ``da = dL/da``::

    dz      = da · φ'(z)      # δ of the lecture, one per sample and neuron
    dW      = a_prevᵀ @ dz    # ∂L/∂w_{ji} = Σ_n a_prev[n, j] · δ[n, i]
    db      = Σ_n dz          # ∂L/∂b_i
    da_prev = dz @ Wᵀ         # passed on to the layer before
"""

from __future__ import annotations

import numpy as np

from . import checks
from .activations import Activation, get_activation
from .init import default_for, get_initialiser, make_rng
from .parameter import Parameter

__all__ = ["Dense"]


class Dense:
    """A layer of ``n_out`` neurons, each ``a_i = φ(Σ_j a_prev_j · w_{ji} + b_i)``.

    Parameters
    ----------
    n_in, n_out : int
        Inputs per sample and neurons in the layer.
    activation : str or Activation
        ``sigmoid``, ``tanh``, ``relu``, ``leaky_relu``, ``identity`` (default) or ``softmax``.
    init : str, callable or dict, optional
        An initialiser name from :mod:`glassnet.init`, a callable ``(shape, rng) -> (W, b)``,
        or explicit values ``{"W": ..., "b": ...}``. Default: He for relu/leaky_relu,
        Xavier otherwise, biases zero.
    seed : int or numpy.random.Generator, optional
        Drives the initialiser; the same seed gives the same bits.
    dtype : numpy dtype
        float64 by default; a ``Network`` converts its layers to its own dtype.

    Shape:
        input ``(N, n_in)`` → output ``(N, n_out)``; ``W``: ``(n_in, n_out)``; ``b``: ``(n_out,)``.

    Examples
    --------
    >>> layer = Dense(2, 1, activation="sigmoid", init={"W": [[0.4], [0.45]], "b": [0.6]})
    >>> layer.forward(np.array([[0.59327, 0.59688]])).round(5)
    array([[0.75136]])
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        activation: str | Activation = "identity",
        init=None,
        seed: int | np.random.Generator | None = None,
        dtype=np.float64,
    ):
        self.n_in = checks.positive_int(n_in, "Dense", "n_in")
        self.n_out = checks.positive_int(n_out, "Dense", "n_out")
        checks.fits_in_memory((self.n_in + 1) * self.n_out * np.dtype(dtype).itemsize,
                              f"Dense({self.n_in} → {self.n_out})", "its weights")
        self.activation = get_activation(activation)
        self.init = init if init is not None else default_for(self.activation.name)
        self.W = Parameter(np.zeros((self.n_in, self.n_out)), "W", dtype)
        self.b = Parameter(np.zeros(self.n_out), "b", dtype)
        self.reset_parameters(seed)
        self.a_prev = self.z = self.a = self.da = self.dz = None  # caches for backward and explain

    def reset_parameters(self, seed: int | np.random.Generator | None = None) -> None:
        """Draw W and b afresh from ``self.init`` (explicit values are simply set)."""
        shape = (self.n_in, self.n_out)
        if isinstance(self.init, dict):
            unknown = set(self.init) - {"W", "b"}
            if unknown:
                raise ValueError(f"{self!r} init values expected keys 'W' and 'b', got {unknown}")
            W, b = self.init.get("W", np.zeros(shape)), self.init.get("b", np.zeros(self.n_out))
        else:
            W, b = get_initialiser(self.init)(shape, make_rng(seed))
        self.W.value, self.b.value = W, b

    def parameters(self) -> list[Parameter]:
        return [self.W, self.b]

    def forward(self, a_prev: np.ndarray) -> np.ndarray:
        """``a = φ(a_prev @ W + b)``, caching ``a_prev``, ``z`` and ``a`` for backward."""
        if not isinstance(a_prev, np.ndarray):
            a_prev = np.asarray(a_prev, dtype=self.W.dtype)
        if a_prev.ndim != 2 or a_prev.shape[1] != self.n_in:
            raise ValueError(
                f"{self!r} expected input of shape (N, {self.n_in}), got {tuple(a_prev.shape)}"
            )
        return self._forward(a_prev)

    def _forward(self, a_prev: np.ndarray) -> np.ndarray:
        """``forward`` for an input already checked (``Network.forward`` checks it once)."""
        self.a_prev = a_prev                          # (N, n_in)
        self.z = a_prev @ self.W.value + self.b.value  # (N, n_out)
        self.a = self.activation(self.z)               # (N, n_out)
        return self.a

    __call__ = forward

    def backward(self, da: np.ndarray | None = None, *, dz: np.ndarray | None = None,
                 need_da_prev: bool = True) -> np.ndarray | None:
        """Set ``W.grad`` and ``b.grad`` from ``da = dL/da`` (or ``dz = dL/dz`` directly).

        Returns ``dL/da_prev`` of shape ``(N, n_in)``, or ``None`` when ``need_da_prev`` is
        false (the first layer has nobody to pass it to).
        """
        if dz is None:
            dz = self.activation.backward(da, self.z, self.a)  # (N, n_out)
        self.da = da  # dL/da, None when the fused rule gave dz directly; kept for explain
        self.dz = dz
        # A frozen parameter gets no gradient, not a stale one from before it was frozen.
        self.W.grad = self.a_prev.T @ dz if self.W.trainable else None  # (n_in, n_out)
        self.b.grad = dz.sum(axis=0) if self.b.trainable else None      # (n_out,)
        if not need_da_prev:
            return None
        return dz @ self.W.value.T                              # (N, n_in)

    def astype(self, dtype) -> None:
        for p in self.parameters():
            p.astype(dtype)

    def config(self) -> dict:
        """What rebuilds this layer's architecture (not its values)."""
        return {"type": "Dense", "n_in": self.n_in, "n_out": self.n_out,
                "activation": self.activation.config()}

    def __repr__(self) -> str:
        return f"Dense({self.n_in} → {self.n_out}, {self.activation!r})"
