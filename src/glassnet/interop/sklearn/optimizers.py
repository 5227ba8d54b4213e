"""scikit-learn's two stochastic optimizers, as glassnet optimizers over a network's parameters.

glassnet's own :class:`~glassnet.SGD` and :class:`~glassnet.Adam` follow ``torch.optim``;
scikit-learn's ``SGDOptimizer`` and ``AdamOptimizer`` write the same ideas otherwise, and the
estimators must give scikit-learn's numbers, so they step with these. Each step first forms
scikit-learn's gradient from the one the network's backward pass left in ``p.grad``::

    g = s · p.grad + (α / n) W      for a weight W    (the L2 penalty, :mod:`.penalty`)
    g = s · p.grad                  for a bias

``n`` is the batch's rows, or the sum of its sample weights; ``s`` rescales glassnet's loss
to scikit-learn's (K for K sigmoid outputs: scikit-learn sums their losses, glassnet's
``binary_cross_entropy`` averages them; 1 otherwise). Then, with velocity ``v`` and the
current learning rate ``η``::

    SGD    v ← μ v − η g;   θ ← θ + v            (Nesterov: θ ← θ + μ v − η g)
    Adam   m ← β1 m + (1 − β1) g;   v ← β2 v + (1 − β2) g²
           η_t = η √(1 − β2ᵗ) / (1 − β1ᵗ);   θ ← θ − η_t m / (√v + ε)

Adam's ε is added to √v before the bias correction of v (PyTorch adds it after), and SGD's
velocity keeps the learning rate of the step that made it, so a schedule that changes ``η``
(invscaling, adaptive) acts on momentum one step late: both as scikit-learn does.
Reference: scikit-learn's ``sklearn/neural_network/_stochastic_optimizers.py``.
"""

from __future__ import annotations

import numpy as np

from ...optim import Optimizer
from .penalty import batch_weight

__all__ = ["SklearnSGD", "SklearnAdam"]


class _SklearnOptimizer(Optimizer):
    """Shared: scikit-learn's gradient (penalty and loss scale), schedule and stopping hooks."""

    def attach(self, network, alpha: float, scale: float = 1.0):
        """Bind to ``network`` (for the batch and its weights), with ``alpha`` and scale ``s``."""
        self.network, self.alpha, self.scale = network, float(alpha), float(scale)
        return self

    def step(self) -> None:
        self._n = batch_weight(self.network)
        # by identity, found afresh: a copied estimator's optimizer must see its own network
        self._weights = {id(layer.W) for layer in self.network.layers}
        super().step()

    def gradient(self, p, grad: np.ndarray) -> np.ndarray:
        """scikit-learn's gradient of parameter ``p`` from the network's ``grad``."""
        g = grad * self.scale if self.scale != 1.0 else grad
        if self.alpha and id(p) in self._weights:
            g = g + (self.alpha / self._n) * p.value
        return g

    def iteration_ends(self, samples_seen: int) -> None:
        """Called after each epoch with ``t_``; only invscaling changes anything."""

    def trigger_stopping(self) -> bool:
        """Whether a run of flat epochs ends training (adaptive SGD slows down instead)."""
        return True


class SklearnSGD(_SklearnOptimizer):
    """scikit-learn's SGD: momentum μ on a velocity that carries each step's learning rate.

    ``schedule``: ``'constant'``, ``'invscaling'`` (η = η₀ / (t_ + 1)^power_t after each
    epoch, t_ the samples seen) or ``'adaptive'`` (η / 5 after each run of flat epochs,
    until η ≤ 1e-6).
    """

    def __init__(self, params, lr: float, momentum: float = 0.9, nesterov: bool = True,
                 schedule: str = "constant", power_t: float = 0.5):
        super().__init__(params, lr)
        self.lr_init, self.momentum, self.nesterov = float(lr), float(momentum), bool(nesterov)
        self.schedule, self.power_t = schedule, float(power_t)

    def _update(self, p, grad, state, i):
        g = self.gradient(p, grad)
        v = state.get("velocity")
        v = self.momentum * v - self.lr * g if v is not None else -self.lr * g   # (μ·0 = 0)
        state["velocity"] = v
        update = self.momentum * v - self.lr * g if self.nesterov else v
        theta = p.value
        theta += update

    def iteration_ends(self, samples_seen: int) -> None:
        if self.schedule == "invscaling":
            self.lr = self.lr_init / (samples_seen + 1) ** self.power_t

    def trigger_stopping(self) -> bool:
        if self.schedule != "adaptive" or self.lr <= 1e-6:
            return True
        self.lr /= 5.0
        return False

    def hyperparameters(self):
        return {"lr": self.lr, "momentum": self.momentum, "nesterov": self.nesterov,
                "alpha": self.alpha, "power_t": self.power_t}


class SklearnAdam(_SklearnOptimizer):
    """scikit-learn's Adam: ε added to √v, the bias corrections folded into the step size."""

    def __init__(self, params, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8):
        super().__init__(params, lr)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def _update(self, p, grad, state, i):
        g = self.gradient(p, grad)
        if "m" not in state:
            state["m"], state["v"] = np.zeros_like(p.value), np.zeros_like(p.value)
        state["m"] = self.beta1 * state["m"] + (1 - self.beta1) * g
        state["v"] = self.beta2 * state["v"] + (1 - self.beta2) * g ** 2
        t = self.t  # one count for all parameters, as scikit-learn's
        step_size = self.lr * np.sqrt(1 - self.beta2 ** t) / (1 - self.beta1 ** t)
        theta = p.value
        theta += -step_size * state["m"] / (np.sqrt(state["v"]) + self.eps)

    def hyperparameters(self):
        return {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps,
                "alpha": self.alpha}
