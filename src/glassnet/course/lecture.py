"""The lecture's numerical example as data: the 2-2-1 network, its input, target and α.

The slides disagree with themselves about the input→hidden weights (see
:func:`glassnet.course.errata`). glassnet's canonical lecture network is the one whose
forward pass gives the numbers the slides print (ŷ = 0.75136507, L = 0.27481108), which are
Mazur's weights w1..w4 = 0.15, 0.20, 0.25, 0.30 in glassnet's ``W[j, i]`` layout::

    W[1] = [[0.15, 0.25],     row j = input j, column i = hidden neuron i:
            [0.20, 0.30]]     neuron 1 reads 0.15·x1 + 0.20·x2, neuron 2 reads 0.25·x1 + 0.30·x2
    b[1] = [0.35, 0.35]
    W[2] = [[0.40], [0.45]],  b[2] = [0.60]

x = (0.05, 0.10), y = 0.01, α = 0.5. Reference: M. Mazur, "A Step by Step Backpropagation
Example" (2015), whose first hidden layer the lecture reuses.
"""

from __future__ import annotations

import numpy as np

from ..layers import Dense
from ..network import Network
from .engine_values import engine_values

__all__ = ["LECTURE_GIVENS", "LECTURE_X", "LECTURE_Y", "LECTURE_LR", "lecture_network",
           "lecture_values"]

LECTURE_GIVENS = {
    "x1": 0.05, "x2": 0.10, "y": 0.01, "alpha": 0.5,
    "w11[1]": 0.15, "w12[1]": 0.25, "w21[1]": 0.20, "w22[1]": 0.30, "b1[1]": 0.35, "b2[1]": 0.35,
    "w11[2]": 0.40, "w21[2]": 0.45, "b1[2]": 0.60,
}
LECTURE_X = np.array([[0.05, 0.10]])   # (1, 2): one sample
LECTURE_Y = np.array([[0.01]])         # (1, 1)
LECTURE_LR = 0.5


def lecture_network() -> Network:
    """A fresh copy of the lecture's 2-2-1 sigmoid network with squared-error loss."""
    return Network([
        Dense(2, 2, "sigmoid", init={"W": [[0.15, 0.25], [0.20, 0.30]], "b": [0.35, 0.35]}),
        Dense(2, 1, "sigmoid", init={"W": [[0.40], [0.45]], "b": [0.60]}),
    ], loss="squared_error")


def lecture_values() -> dict[str, float]:
    """Every number of the worked example's training step, read off the engine, by name.

    Names as in :mod:`glassnet.course.steps`: ``z1[1]``, ``a1[2]`` (ŷ), ``L``,
    ``delta1[2]`` (δ_out), ``dw21[2]``, ``w21[1]_new``, …
    """
    return engine_values((2, 2, 1), LECTURE_GIVENS)
