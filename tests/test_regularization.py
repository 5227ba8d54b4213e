"""L1 and L2 weight penalties: their values by hand, their gradients by finite differences,
and training with them against PyTorch (weight decay for L2, an explicit Σ|w| term for L1)."""

import numpy as np
import pytest

import glassnet as gn
from conftest import LECTURE_X, LECTURE_Y, make_lecture_net


def test_values_by_hand_on_the_lecture_network():
    net = make_lecture_net()
    # weights (not biases): 0.15, 0.25, 0.20, 0.30 and 0.40, 0.45
    # Σ|w| = 0.90 + 0.85 = 1.75;  Σw² = 0.0225 + 0.0625 + 0.04 + 0.09 + 0.16 + 0.2025 = 0.5775
    assert gn.L1(0.1).value(net) == pytest.approx(0.175)
    assert gn.L2(0.1).value(net) == pytest.approx(0.05 * 0.5775)


def penalised_loss(net, X, y, penalty):
    return float(net.loss(net.forward(X), y)) + penalty.value(net)


@pytest.mark.parametrize("penalty", [gn.L1(0.3), gn.L2(0.7)], ids=repr)
def test_gradient_of_loss_plus_penalty_matches_finite_differences(penalty):
    net = gn.Network([gn.Dense(3, 4, "tanh"), gn.Dense(4, 2, "sigmoid")], seed=5)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 3)), rng.uniform(size=(6, 2))
    net.loss(net.forward(X), y).backward()
    penalty.add_grads(net)
    h = 1e-6
    for p in net.parameters():
        numeric = np.zeros_like(p.value)
        for index in np.ndindex(p.shape):
            value = p.value.copy()
            value[index] += h
            p.value = value
            up = penalised_loss(net, X, y, penalty)
            value[index] -= 2 * h
            p.value = value
            down = penalised_loss(net, X, y, penalty)
            value[index] += h
            p.value = value
            numeric[index] = (up - down) / (2 * h)
        error = np.abs(numeric - p.grad).max() / max(np.abs(numeric).max(), 1e-8)
        assert error < 1e-6, f"{p.name}: relative error {error:.2e}"
    # biases carry no penalty: a bias gradient is the data loss's alone
    plain = gn.Network([gn.Dense(3, 4, "tanh"), gn.Dense(4, 2, "sigmoid")], seed=5)
    plain.loss(plain.forward(X), y).backward()
    np.testing.assert_allclose(net.layers[0].b.grad, plain.layers[0].b.grad)


def torch_run(net, X, y, penalty, epochs, lr, optimizer="sgd"):
    """The same full-batch SGD or Adam in PyTorch: weight_decay on the weights' group for L2,
    an explicit λ Σ|w| term for L1. Returns the final weights and the penalised losses."""
    torch = pytest.importorskip("torch")
    from glassnet.interop import to_torch

    model = to_torch(net)                 # Linear, Tanh, Linear, Sigmoid with net's weights
    weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    biases = [m.bias for m in model if isinstance(m, torch.nn.Linear)]
    decay = penalty.rate if isinstance(penalty, gn.L2) else 0.0
    kind = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[optimizer]
    optimizer = kind([{"params": weights, "weight_decay": decay},
                      {"params": biases, "weight_decay": 0.0}], lr=lr)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        y_hat = model(Xt)
        data = 0.5 * ((y_hat - yt) ** 2).sum(dim=1).mean()   # glassnet's squared_error
        if isinstance(penalty, gn.L1):
            loss = data + penalty.rate * sum(w.abs().sum() for w in weights)
        else:  # weight_decay adds λw to the gradient; the loss gets (λ/2)Σw² for the report
            loss = data
        loss.backward()
        extra = 0.5 * decay * sum(float((w.detach() ** 2).sum()) for w in weights)
        losses.append(float(loss.detach()) + extra)
        optimizer.step()
    return [w.detach().numpy().T for w in weights], losses


@pytest.mark.parametrize("optimizer, lr", [("sgd", 0.5), ("adam", 0.05)])
@pytest.mark.parametrize("penalty", [gn.L1(0.05), gn.L2(0.2)], ids=repr)
def test_fit_with_a_penalty_matches_pytorch(penalty, optimizer, lr):
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(8, 2)), rng.uniform(size=(8, 1))
    net = gn.Network([gn.Dense(2, 3, "tanh"), gn.Dense(3, 1, "sigmoid")], seed=2)
    expected_W, expected_losses = torch_run(net, X, y, penalty, 5, lr, optimizer)
    history = net.fit(X, y, epochs=5, batch_size=8, optimizer=optimizer, lr=lr, shuffle=False,
                      penalty=penalty, progress=False)
    np.testing.assert_allclose(history.history["loss"], expected_losses, rtol=1e-10)
    for layer, W in zip(net.layers, expected_W):
        np.testing.assert_allclose(layer.W.value, W, rtol=1e-10, atol=1e-12)
    assert net.training_config["penalty"] == repr(penalty)


def test_l2_shrinks_the_weights_that_plain_training_learns():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(64, 2))
    y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    sizes = []
    for penalty in (None, gn.L2(0.05)):
        net = gn.Network([gn.Dense(2, 8, "tanh"), gn.Dense(8, 1, "sigmoid")],
                         loss="binary_cross_entropy", seed=0)
        net.fit(X, y, epochs=60, lr=0.05, seed=0, penalty=penalty, progress=False)
        sizes.append(sum(float(np.square(layer.W.value).sum()) for layer in net.layers))
    assert sizes[1] < 0.7 * sizes[0]


@pytest.mark.parametrize("rate", [-0.1, float("nan"), float("inf"), "0.1", True, None])
def test_a_bad_rate_is_refused_in_one_sentence(rate):
    with pytest.raises(ValueError, match=r"L2 expected a rate that is a finite number ≥ 0, got"):
        gn.L2(rate)


def test_fit_refuses_a_penalty_that_is_not_one():
    net = make_lecture_net()
    with pytest.raises(TypeError, match=r"fit expected penalty to be None, glassnet.L1\(rate\) "
                                        r"or glassnet.L2\(rate\), got 'l2'"):
        net.fit(LECTURE_X, LECTURE_Y, epochs=1, penalty="l2", progress=False)


def test_a_frozen_layer_gets_no_penalty_gradient():
    net = make_lecture_net()
    net.layers[0].W.trainable = False
    net.loss(net.forward(LECTURE_X), LECTURE_Y).backward()
    before = net.layers[1].W.grad.copy()
    gn.L2(0.5).add_grads(net)
    assert net.layers[0].W.grad is None
    np.testing.assert_allclose(net.layers[1].W.grad, before + 0.5 * net.layers[1].W.value)
