"""Centred finite differences against backward, for every activation × loss pairing.

For each parameter entry θ: (L(θ + h) − L(θ − h)) / 2h with h = 1e-5 in float64, compared
with the analytic gradient by the relative error |a − n| / max(|a| + |n|, 1e-4). The floor
keeps entries near zero from dividing noise by noise: a centred difference is only good to
about h² |L'''| + ε |L| / h, roughly 1e-10, so tiny entries must still agree to ~1e-10.
"""

import itertools
import zlib

import numpy as np
import pytest

from helpers import HIDDEN, LOSS_OUTPUTS, random_network, random_targets

PAIRS = [(loss, out) for loss, outs in LOSS_OUTPUTS.items() for out in outs]


def numeric_gradient(net, x, y, p, h=1e-5):
    grad = np.zeros_like(p.value)
    for index in np.ndindex(p.value.shape):
        original = p.value[index]
        values = []
        for shift in (h, -h):
            p.value[index] = original + shift
            values.append(float(net.loss(net.forward(x), y)))
        p.value[index] = original
        grad[index] = (values[0] - values[1]) / (2 * h)
    return grad


def relative_error(a, n):
    return np.max(np.abs(a - n) / np.maximum(np.abs(a) + np.abs(n), 1e-4))


@pytest.mark.parametrize("loss, output", PAIRS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_backward_matches_finite_differences(loss, output, hidden):
    seed = zlib.crc32(f"{loss}-{output}-{hidden}".encode())
    rng = np.random.default_rng(seed)
    net = random_network(rng, loss, output, depth=int(rng.integers(2, 4)), hidden=hidden)
    n = int(rng.integers(1, 6))
    # Keep inputs away from relu's kink: a finite difference across it is meaningless.
    x = rng.normal(0, 1, size=(n, net.n_in))
    y = random_targets(rng, net, n)
    net.loss(net.forward(x), y).backward()
    for p in net.parameters():
        analytic = p.grad.copy()
        numeric = numeric_gradient(net, x, y, p)
        assert relative_error(analytic, numeric) < 1e-6, (p.name, analytic, numeric)


def test_gradcheck_detects_a_wrong_gradient():
    """The check itself can fail: a gradient off by 1% is caught."""
    rng = np.random.default_rng(0)
    net = random_network(rng, "mse", "tanh", depth=2)
    x, y = rng.normal(size=(3, net.n_in)), rng.normal(size=(3, net.n_out))
    net.loss(net.forward(x), y).backward()
    p = net.parameters()[0]
    assert relative_error(p.grad * 1.01, numeric_gradient(net, x, y, p)) > 1e-3


def test_backward_twice_gives_the_same_gradients():
    rng = np.random.default_rng(1)
    net = random_network(rng, "cross_entropy", "softmax", depth=3)
    x, y = rng.normal(size=(4, net.n_in)), rng.integers(0, net.n_out, 4)
    loss = net.loss(net.forward(x), y)
    loss.backward()
    first = [p.grad.copy() for p in net.parameters()]
    loss.backward()
    for p, g in zip(net.parameters(), first):
        np.testing.assert_array_equal(p.grad, g)


@pytest.mark.parametrize("loss", ["binary_cross_entropy", "cross_entropy"])
def test_fused_gradient_stays_finite_when_saturated(loss):
    rng = np.random.default_rng(2)
    output = "sigmoid" if loss == "binary_cross_entropy" else "softmax"
    net = random_network(rng, loss, output, depth=1)
    net.layers[0].W.value = net.layers[0].W.value * 1e4  # outputs round to exactly 0 or 1
    x = rng.normal(size=(5, net.n_in))
    y = random_targets(rng, net, 5)
    loss_value = net.loss(net.forward(x), y)
    loss_value.backward()
    assert np.isfinite(float(loss_value)) and float(loss_value) > 10
    assert all(np.isfinite(p.grad).all() for p in net.parameters())


def test_one_hot_and_label_targets_agree():
    rng = np.random.default_rng(3)
    net = random_network(rng, "cross_entropy", "softmax", depth=2)
    x, labels = rng.normal(size=(6, net.n_in)), rng.integers(0, net.n_out, 6)
    one_hot = np.eye(net.n_out)[labels]
    loss_a = net.loss(net.forward(x), labels)
    loss_a.backward()
    grads_a = [p.grad.copy() for p in net.parameters()]
    loss_b = net.loss(net.forward(x), one_hot)
    loss_b.backward()
    assert float(loss_a) == pytest.approx(float(loss_b), rel=1e-14)
    for p, g in zip(net.parameters(), grads_a):
        np.testing.assert_allclose(p.grad, g, rtol=1e-13, atol=1e-17)


def test_pairs_cover_every_activation_and_loss():
    covered = set(itertools.chain.from_iterable([(l, o) for l, o in PAIRS]))
    assert set(LOSS_OUTPUTS) <= covered and set(HIDDEN) <= covered
