"""scikit-learn's L2 penalty ``alpha`` on the weights (never the biases), inside the optimizer.

For a mini-batch of n rows, or of sample weights summing to n = Σ_B w when ``sample_weight``
is given::

    L_batch = L(ŷ, y) + (α / 2n) Σ_l ‖W[l]‖²        dW[l] += (α / n) W[l]

The penalty reaches the gradients between the backward pass and the update, so it lives in
the optimizer: the estimators' :mod:`.optimizers` add it with :func:`batch_weight`'s n, and
their loss adds :func:`l2_term`.

Reference: scikit-learn's ``sklearn/neural_network/_multilayer_perceptron.py`` (``_backprop``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["batch_weight", "l2_term"]


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

