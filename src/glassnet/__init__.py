"""glassnet: neural networks you can see through.

Built from an introductory lecture on artificial neural networks: a single neuron, logistic
regression as a one-neuron network, a 2-2-1 sigmoid network, and training as four steps —
forward pass, loss, backward pass by the chain rule, gradient-descent update.

Notation (the lecture's, used in every file)
--------------------------------------------
==================  ==========================================================================
``x``, ``X``        input: one sample ``(n_in,)``, a batch ``(N, n_in)``
``W[l]``, ``b[l]``  layer l's weights ``(n_in, n_out)`` and biases ``(n_out,)``; layers count
                    from 1. ``W[j, i]`` is ``w_{ji}^{[l]}``, the weight from input j to neuron i
``z``               pre-activation ``z = a_prev @ W + b``
``a``               activation ``a = φ(z)``; ``a^{[0]} = x`` and the last ``a`` is ``ŷ``
``L``               the loss, a mean over the batch; the lecture's is ``½ Σ (y − ŷ)²``
``delta``, ``dz``   ``δ = ∂L/∂z``, the error signal of a neuron
``dW``, ``db``      ``∂L/∂W``, ``∂L/∂b``; every gradient is named like its value with a ``d``
``α``, ``lr``       the learning rate of ``θ ← θ − α ∇θL``
==================  ==========================================================================

Quick tour::

    import numpy as np
    import glassnet as gn

    net = gn.Network([gn.Dense(2, 2, "sigmoid"), gn.Dense(2, 1, "sigmoid")],
                     loss="squared_error")
    y_hat = net.forward(np.array([[0.05, 0.10]]))   # 1. forward pass
    loss = net.loss(y_hat, np.array([[0.01]]))      # 2. loss
    loss.backward()                                 # 3. backward pass
    gn.SGD(net.parameters(), lr=0.5).step()         # 4. update
"""

from . import activations, init, losses
from .activations import get_activation
from .layers import Dense
from .losses import get_loss
from .network import LossValue, Network
from .optim import SGD, Adam, Optimizer
from .parameter import Parameter
from .regularization import L1, L2
from . import explain  # after the engine: explain reads it
from . import datasets, metrics  # the training layer: data, scores, fit, save and load
from .persistence import ModelFileError, load
from .training import Callback, EarlyStopping, FitConfig, History, TrainingDiverged
from . import course  # the lecture, executable: worked example, errata, exercises

__version__ = "0.1.0"

__all__ = [
    "Adam",
    "Callback",
    "EarlyStopping",
    "FitConfig",
    "History",
    "L1",
    "L2",
    "ModelFileError",
    "TrainingDiverged",
    "course",
    "datasets",
    "load",
    "metrics",
    "Dense",
    "LossValue",
    "Network",
    "Optimizer",
    "Parameter",
    "SGD",
    "activations",
    "explain",
    "get_activation",
    "get_loss",
    "init",
    "losses",
]
