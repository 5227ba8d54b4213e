"""What scikit-learn's MLP adds to ``net.fit``, hooked in where ``fit`` allows it.

``net.fit`` repeats the lecture's four steps over mini-batches. scikit-learn's MLP trains the
same way and adds two things:

- an L2 penalty on the weights (never the biases), for a mini-batch of n rows::

      L_batch = L(ŷ, y) + (α / 2n) Σ_l ‖W[l]‖²        dW[l] += (α / n) W[l]

  It must reach the gradients between the backward pass and the update, so it lives in the
  optimizer: :class:`PenalisedSGD` and :class:`PenalisedAdam` add it, then step as usual.
- its learning-rate schedules and stopping rule, read once per epoch: :class:`EpochRules`,
  a ``net.fit`` callback that hands each epoch to the estimator.

Reference: scikit-learn's ``sklearn/neural_network/_multilayer_perceptron.py`` (``_backprop``
and ``_update_no_improvement_count``).
"""

from __future__ import annotations

import numpy as np

from ..callbacks import Callback
from ..optim import SGD, Adam

__all__ = ["PenalisedSGD", "PenalisedAdam", "EpochRules"]


class _L2Penalty:
    """Optimizer mixin: ``dW += (α/n) W`` before each step; sums ``n · (α/2n) Σ‖W‖²``."""

    def attach(self, layers, alpha: float):
        self.layers, self.alpha, self.penalty_sum = list(layers), float(alpha), 0.0
        return self

    def step(self) -> None:
        if self.alpha:
            n = self.layers[0].a_prev.shape[0]   # rows of this mini-batch, cached by forward
            squares = 0.0
            for layer in self.layers:
                W = layer.W.value                # before this step, as the loss saw it
                squares += float(np.vdot(W, W))
                if layer.W.trainable and layer.W.grad is not None:
                    layer.W.grad += (self.alpha / n) * W
            self.penalty_sum += 0.5 * self.alpha * squares   # = n · (α / 2n) Σ‖W‖²
        super().step()

    def take_penalty(self) -> float:
        """The penalty summed over the batches since the last call, each weighted by its n."""
        total, self.penalty_sum = self.penalty_sum, 0.0
        return total


class PenalisedSGD(_L2Penalty, SGD):
    """:class:`glassnet.SGD` with scikit-learn's L2 penalty on the weights."""


class PenalisedAdam(_L2Penalty, Adam):
    """:class:`glassnet.Adam` with scikit-learn's L2 penalty on the weights."""


class EpochRules(Callback):
    """At each epoch's end, give the estimator the epoch's loss (penalty included) to record,
    schedule and judge; stop ``fit`` when the estimator's stopping rule says so."""

    def __init__(self, estimator, X_val=None, y_val=None, stopping: bool = True):
        self.estimator, self.X_val, self.y_val, self.stopping = estimator, X_val, y_val, stopping

    def on_epoch_end(self, trainer, logs) -> None:
        estimator = self.estimator
        n = len(trainer.X)
        estimator._end_epoch(logs["loss"] + estimator._optimizer.take_penalty() / n, n)
        if self.stopping and estimator._no_longer_improving(self.X_val, self.y_val):
            trainer.stop("no_improvement",
                         f"no improvement by tol={estimator.tol} for more than "
                         f"n_iter_no_change={estimator.n_iter_no_change} epochs")
