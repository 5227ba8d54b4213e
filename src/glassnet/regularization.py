"""Weight penalties: a term R(W) added to the loss so that training prefers small weights.

Over the weights of every layer (never the biases, as PyTorch's weight decay is usually set
up and as Keras's ``kernel_regularizer`` does)::

    L1:  R = λ Σ |w|          ∂R/∂w = λ sign(w)       (drives weights to exactly 0)
    L2:  R = (λ/2) Σ w²       ∂R/∂w = λ w             (shrinks every weight in proportion)

so that with L2 a gradient-descent update is ``w ← w − α (∂L/∂w + λ w)``, PyTorch's
``weight_decay=λ`` on the weights' parameter group. ``fit`` adds ``R`` to the loss it
reports and ``∂R/∂w`` to every ``dW`` after the backward pass, before the update:
``net.fit(X, y, epochs=50, penalty=L2(1e-3))``. At ``w = 0`` the L1 term takes the
subgradient 0, as ``torch.sign`` does. With Adam the L2 gradient goes through the adaptive
step, as ``torch.optim.Adam(weight_decay=λ)`` (not AdamW's decoupled decay). Unlike an
optimizer's own ``weight_decay``, which decays biases too and is not part of the loss, a
penalty leaves the biases alone and is counted in the loss ``fit`` reports.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["Penalty", "L1", "L2"]


class Penalty:
    """A penalty ``R(W)`` on a network's weights, with rate ``λ = rate``."""

    def __init__(self, rate: float):
        if isinstance(rate, (bool, np.bool_)) or not isinstance(rate, (int, float, np.number)) \
                or not math.isfinite(rate) or rate < 0:
            raise ValueError(f"{type(self).__name__} expected a rate that is a finite number "
                             f"≥ 0, got {rate!r}")
        self.rate = float(rate)

    def term(self, W: np.ndarray) -> float:
        """``R`` of one weight matrix."""
        raise NotImplementedError

    def grad(self, W: np.ndarray) -> np.ndarray:
        """``∂R/∂W`` of one weight matrix, same shape."""
        raise NotImplementedError

    def value(self, net) -> float:
        """``R`` summed over the weights of every layer of ``net``."""
        return sum(self.term(layer.W.value) for layer in net.layers)

    def add_grads(self, net) -> None:
        """Add ``∂R/∂W`` to each trained layer's ``dW`` (frozen weights have no gradient)."""
        for layer in net.layers:
            if layer.W.grad is not None:
                layer.W.grad = layer.W.grad + self.grad(layer.W.value)

    def apply(self, net) -> float:
        """After ``backward``: add ``∂R/∂W`` to the gradients and return ``R``, both at the
        weights the batch's loss was computed with (``fit`` calls this before the update)."""
        self.add_grads(net)
        return self.value(net)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.rate:g})"

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and other.rate == self.rate

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.rate))


class L1(Penalty):
    """``R = λ Σ|w|``, the lasso: its gradient ``λ sign(w)`` pulls each weight to 0 at one speed.

    Examples
    --------
    >>> L1(0.1).term(np.array([[1.0, -2.0]]))    # 0.1 · (1 + 2)
    0.30000000000000004
    """

    def term(self, W: np.ndarray) -> float:
        return self.rate * float(np.abs(W).sum())

    def grad(self, W: np.ndarray) -> np.ndarray:
        return self.rate * np.sign(W)


class L2(Penalty):
    """``R = (λ/2) Σw²``, ridge or weight decay: its gradient is ``λ w``.

    Examples
    --------
    >>> L2(0.1).term(np.array([[1.0, -2.0]]))    # 0.1 / 2 · (1 + 4)
    0.25
    """

    def term(self, W: np.ndarray) -> float:
        return 0.5 * self.rate * float(np.square(W).sum())

    def grad(self, W: np.ndarray) -> np.ndarray:
        return self.rate * W
