"""Shared fixtures: the lecture's 2-2-1 network."""

import numpy as np
import pytest

import glassnet as gn


def make_lecture_net(dtype="float64"):
    """The slides' worked example with the weights that give their printed forward values.

    W[1][j, i] is the weight from input j to hidden neuron i: neuron 1 reads (0.15, 0.20),
    neuron 2 reads (0.25, 0.30) — Mazur's w1..w4, which produce the printed 0.3775, 0.3925.
    """
    net = gn.Network(
        [gn.Dense(2, 2, activation="sigmoid"), gn.Dense(2, 1, activation="sigmoid")],
        loss="squared_error",
        dtype=dtype,
    )
    hidden, output = net.layers
    hidden.W.value = np.array([[0.15, 0.25], [0.20, 0.30]])
    hidden.b.value = np.array([0.35, 0.35])
    output.W.value = np.array([[0.40], [0.45]])
    output.b.value = np.array([0.60])
    return net


LECTURE_X = np.array([[0.05, 0.10]])
LECTURE_Y = np.array([[0.01]])


@pytest.fixture
def lecture_net():
    return make_lecture_net()
