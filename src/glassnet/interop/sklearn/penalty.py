"""scikit-learn's L2 penalty ``alpha`` on the weights (never the biases), inside the optimizer.

For a mini-batch of n rows, or of sample weights summing to n = Σ_B w when ``sample_weight``
is given::

    L_batch = L(ŷ, y) + (α / 2n) Σ_l ‖W[l]‖²        dW[l] += (α / n) W[l]

The penalty reaches the gradients between the backward pass and the update, so it lives in
the optimizer: the estimators' :mod:`.optimizers` add it with :func:`batch_weight`'s n, and
their loss adds :func:`l2_term`. :class:`PenalisedSGD` and :class:`PenalisedAdam` add it to
glassnet's PyTorch-style optimizers, for a ``net.fit`` with scikit-learn's penalty.

Reference: scikit-learn's ``sklearn/neural_network/_multilayer_perceptron.py`` (``_backprop``).
"""

from __future__ import annotations

import numpy as np

from ...optim import SGD, Adam

__all__ = ["PenalisedSGD", "PenalisedAdam", "batch_weight", "l2_term"]


def batch_weight(network) -> float:
    """n of the network's last backward pass: its rows, or the sum of their sample weights."""
    w = network.sample_weight                     # cached by the backward pass just run
    return network.layers[0].a_prev.shape[0] if w is None else float(np.add.reduce(w))


def l2_term(network, alpha: float, n: float) -> float:
    """(α / 2n) Σ_l ‖W[l]‖², the penalty scikit-learn adds to a batch loss of weight n."""
    squares = 0.0
    for layer in network.layers:
        W = layer.W.value.ravel()
        squares += float(np.dot(W, W))
    return 0.5 * alpha * squares / n


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
