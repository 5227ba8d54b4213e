"""Per-sample weights in the engine and in ``net.fit``: L = Σ_n w_n l_n / Σw.

Four kinds of test: finite differences of the weighted loss, PyTorch's ``reduction="none"``
loss weighted by hand, ones equal no weights and integer weights equal repeated rows, and
the boundary (one sentence per bad input).
"""

import zlib

import numpy as np
import pytest

import glassnet as gn
from helpers import LOSS_OUTPUTS, random_network, random_targets
from test_gradcheck import relative_error

PAIRS = [(loss, out) for loss, outs in LOSS_OUTPUTS.items() for out in outs]


def weighted_setup(loss, output, seed=0, n=5):
    rng = np.random.default_rng(zlib.crc32(f"weighted-{loss}-{output}-{seed}".encode()))
    net = random_network(rng, loss, output, depth=2)
    x = rng.normal(0, 1, size=(n, net.n_in))
    y = random_targets(rng, net, n)
    w = rng.uniform(0, 3, size=n)
    w[0] = 0.0                                   # a zero weight must drop the row entirely
    return net, x, y, w


@pytest.mark.parametrize("loss, output", PAIRS)
def test_weighted_backward_matches_finite_differences(loss, output):
    net, x, y, w = weighted_setup(loss, output)
    net.loss(net.forward(x), y, sample_weight=w).backward()
    h = 1e-5
    for p in net.parameters():
        analytic, numeric = p.grad.copy(), np.zeros_like(p.value)
        for index in np.ndindex(p.value.shape):
            original, values = p.value[index], []
            for shift in (h, -h):
                p.value[index] = original + shift
                values.append(float(net.loss(net.forward(x), y, sample_weight=w)))
            p.value[index] = original
            numeric[index] = (values[0] - values[1]) / (2 * h)
        assert relative_error(analytic, numeric) < 1e-6, (p.name, analytic, numeric)


@pytest.mark.parametrize("name", list(LOSS_OUTPUTS))
def test_weighted_gradient_in_y_hat_matches_finite_differences(name):
    """The unfused dL/dŷ too (the cross-entropies reach it only through loss_fn itself)."""
    rng = np.random.default_rng(3)
    loss = gn.get_loss(name)
    n, k = 4, 3
    y_hat = rng.uniform(0.1, 0.9, size=(n, k))
    y_hat /= y_hat.sum(axis=1, keepdims=True) if name == "cross_entropy" else 1
    y = rng.integers(0, k, size=n) if name == "cross_entropy" else rng.uniform(0, 1, (n, k))
    w = np.array([0.0, 1.0, 2.5, 4.0])
    analytic = loss.weighted_gradient(y_hat, y, w)
    numeric, h = np.zeros_like(y_hat), 1e-6
    for index in np.ndindex(y_hat.shape):
        plus, minus = y_hat.copy(), y_hat.copy()
        plus[index] += h
        minus[index] -= h
        difference = loss.weighted_value(plus, y, w) - loss.weighted_value(minus, y, w)
        numeric[index] = difference / (2 * h)
    assert relative_error(analytic, numeric) < 1e-7


@pytest.mark.parametrize("loss, output", PAIRS)
def test_weighted_loss_and_gradients_match_torch(loss, output):
    torch = pytest.importorskip("torch")
    from test_torch_parity import mirror, torch_params

    F = torch.nn.functional
    net, x, y, w = weighted_setup(loss, output, seed=1, n=6)
    model = mirror(net)
    tx, tw = torch.from_numpy(x), torch.from_numpy(w)
    if loss == "cross_entropy":        # per-row losses, then Σ w l / Σ w by hand
        per_row = F.cross_entropy(model[:-1](tx), torch.from_numpy(y), reduction="none")
    else:
        out, ty = model(tx), torch.from_numpy(y.reshape(len(x), -1))
        per_element = {"squared_error": lambda: 0.5 * (out - ty) ** 2,
                       "mse": lambda: (out - ty) ** 2,
                       "binary_cross_entropy": lambda: F.binary_cross_entropy(
                           out, ty, reduction="none")}[loss]()
        per_row = per_element.sum(dim=1) if loss == "squared_error" else per_element.mean(dim=1)
    expected = (tw * per_row).sum() / tw.sum()
    expected.backward()
    value = net.loss(net.forward(x), y, sample_weight=w)
    value.backward()
    assert float(value) == pytest.approx(expected.item(), rel=1e-12)
    for p, (_, grad) in zip(net.parameters(), torch_params(model)):
        np.testing.assert_allclose(p.grad, grad, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("loss, output", [("squared_error", "tanh"), ("mse", "identity"),
                                          ("binary_cross_entropy", "sigmoid"),
                                          ("cross_entropy", "softmax")])
def test_weights_of_ones_are_the_plain_mean(loss, output):
    net, x, y, _ = weighted_setup(loss, output, seed=2)
    plain = net.loss(net.forward(x), y)
    plain.backward()
    grads = [p.grad.copy() for p in net.parameters()]
    ones = net.loss(net.forward(x), y, sample_weight=np.ones(len(x)))
    ones.backward()
    # the value sums the rows in another order: equal to rounding, not bit for bit
    assert float(ones) == pytest.approx(float(plain), rel=1e-14)
    for p, g in zip(net.parameters(), grads):   # the share N·1/N is 1.0 exactly
        np.testing.assert_array_equal(p.grad, g)


@pytest.mark.parametrize("loss, output", [("squared_error", "sigmoid"), ("mse", "relu"),
                                          ("binary_cross_entropy", "sigmoid"),
                                          ("cross_entropy", "softmax")])
def test_integer_weights_are_repeated_rows_for_a_full_batch_step(loss, output):
    net, x, y, _ = weighted_setup(loss, output, seed=3, n=7)
    counts = np.array([0, 1, 2, 3, 1, 0, 4])
    start = net.state_dict()
    weighted = net.fit(x, y, sample_weight=counts, epochs=1, batch_size=7, optimizer="sgd",
                       lr=0.5, seed=0, progress=False)
    after_weighted = net.state_dict()
    net.load_state_dict(start)
    repeated = net.fit(np.repeat(x, counts, axis=0), np.repeat(y, counts, axis=0), epochs=1,
                       batch_size=int(counts.sum()), optimizer="sgd", lr=0.5, seed=0,
                       progress=False)
    assert weighted["loss"][0] == pytest.approx(repeated["loss"][0], rel=1e-13)
    moved = 0.0
    for name, value in net.state_dict().items():
        np.testing.assert_allclose(after_weighted[name], value, rtol=1e-12, atol=1e-14)
        moved = max(moved, np.abs(value - start[name]).max())
    assert moved > 1e-3                          # the step did something to compare


@pytest.mark.parametrize("weights, message", [
    (np.ones(3), r"Network.loss expected sample_weight of shape \(5,\), one per sample"),
    (np.ones((5, 1)), r"shape \(5,\), one per sample, got \(5, 1\)"),
    (np.r_[1.0, np.nan, 1, 1, 1], "expected finite sample_weight, but it contains NaN"),
    (np.r_[1.0, -0.5, 1, 1, 1], "expected sample_weight >= 0, got a weight of -0.5"),
    (np.zeros(5), "got sample_weight all zero; expected at least one positive weight"),
])
def test_bad_weights_are_refused_in_one_sentence(weights, message):
    net, x, y, _ = weighted_setup("mse", "identity")
    with pytest.raises(ValueError, match=message):
        net.loss(net.forward(x), y, sample_weight=weights)
    with pytest.raises(ValueError, match=message.replace("Network.loss", "fit")):
        net.fit(x, y, sample_weight=weights, epochs=1, progress=False)
    with pytest.raises(TypeError, match="sample_weight to be numbers, one per sample, got str"):
        net.loss(net.forward(x), y, sample_weight="heavy")
