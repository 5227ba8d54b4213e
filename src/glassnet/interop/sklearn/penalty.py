"""scikit-learn's L2 penalty ``alpha`` on the weights (never the biases), inside the optimizer.

For a mini-batch of n rows, or of sample weights summing to n = Σ_B w when ``sample_weight``
is given::

    L_batch = L(ŷ, y) + (α / 2n) Σ_l ‖W[l]‖²        dW[l] += (α / n) W[l]

``net.fit`` repeats the lecture's four steps; the penalty must reach the gradients between
the backward pass and the update, so it lives in the optimizer: :class:`PenalisedSGD` and
:class:`PenalisedAdam` add it, then step as usual.

Reference: scikit-learn's ``sklearn/neural_network/_multilayer_perceptron.py`` (``_backprop``).
"""

from __future__ import annotations

import numpy as np

from ...optim import SGD, Adam

__all__ = ["PenalisedSGD", "PenalisedAdam"]


class _L2Penalty:
    """Optimizer mixin: ``dW += (α/n) W`` before each step; sums ``rows · (α/2n) Σ‖W‖²``.

    n is the batch's rows, or the sum of its sample weights (scikit-learn's ``sw_sum``).
    """

    def attach(self, network, alpha: float):
        self.network, self.alpha, self.penalty_sum = network, float(alpha), 0.0
        self.layers = list(network.layers)
        return self

    def step(self) -> None:
        if self.alpha:
            rows = self.layers[0].a_prev.shape[0]   # of this mini-batch, cached by forward
            w = self.network.sample_weight          # cached by the backward pass just run
            n = rows if w is None else float(np.add.reduce(w))
            squares = 0.0
            for layer in self.layers:
                W = layer.W.value                # before this step, as the loss saw it
                squares += float(np.vdot(W, W))
                if layer.W.trainable and layer.W.grad is not None:
                    layer.W.grad += (self.alpha / n) * W
            penalty = 0.5 * self.alpha * squares    # = rows · (α / 2n) Σ‖W‖² when n = rows
            self.penalty_sum += penalty if w is None else penalty * (rows / n)
        super().step()

    def take_penalty(self) -> float:
        """The penalty summed over the batches since the last call, each weighted by its rows
        (scikit-learn's ``loss_`` weighs each batch's loss by its rows, weighted or not)."""
        total, self.penalty_sum = self.penalty_sum, 0.0
        return total


class PenalisedSGD(_L2Penalty, SGD):
    """:class:`glassnet.SGD` with scikit-learn's L2 penalty on the weights."""


class PenalisedAdam(_L2Penalty, Adam):
    """:class:`glassnet.Adam` with scikit-learn's L2 penalty on the weights."""
