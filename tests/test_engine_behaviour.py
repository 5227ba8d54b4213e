"""Behaviour: training works (loss falls, XOR, memorising), dtypes and seeds are kept."""

import numpy as np
import pytest

import glassnet as gn
from conftest import LECTURE_X, LECTURE_Y, make_lecture_net

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=float)


def train(net, x, y, optimizer, steps):
    losses = []
    for _ in range(steps):
        loss = net.loss(net.forward(x), y)
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    return losses


def test_lecture_loss_falls_step_after_step():
    net = make_lecture_net()
    losses = train(net, LECTURE_X, LECTURE_Y, gn.SGD(net.parameters(), lr=0.5), 50)
    assert all(b < a for a, b in zip(losses, losses[1:]))
    assert losses[-1] < losses[0] / 2


def test_xor_is_learned_by_a_2_2_1_sigmoid_network():
    net = gn.Network([gn.Dense(2, 2, "sigmoid"), gn.Dense(2, 1, "sigmoid")],
                     loss="squared_error", seed=3)
    losses = train(net, XOR_X, XOR_Y, gn.SGD(net.parameters(), lr=2.0, momentum=0.9), 2000)
    predictions = (net.forward(XOR_X) > 0.5).astype(float)
    np.testing.assert_array_equal(predictions, XOR_Y)
    assert losses[-1] < 0.01


def test_twenty_samples_are_memorised():
    rng = np.random.default_rng(0)
    x, labels = rng.normal(size=(20, 5)), rng.integers(0, 3, size=20)
    net = gn.Network([gn.Dense(5, 32, "tanh"), gn.Dense(32, 3, "softmax")],
                     loss="cross_entropy", seed=0)
    losses = train(net, x, labels, gn.Adam(net.parameters(), lr=0.01), 500)
    assert (net.forward(x).argmax(axis=1) == labels).all()
    assert losses[-1] < 0.05


def test_float32_stays_float32_through_training():
    rng = np.random.default_rng(1)
    net = gn.Network([gn.Dense(4, 8, "relu"), gn.Dense(8, 3, "softmax")],
                     loss="cross_entropy", dtype="float32", seed=0)
    x = rng.normal(size=(16, 4))  # float64 input is converted, not propagated
    opt = gn.Adam(net.parameters(), lr=0.01)
    train(net, x, rng.integers(0, 3, 16), opt, 3)
    for layer in net.layers:
        for array in (layer.a_prev, layer.z, layer.a, layer.dz):
            assert array.dtype == np.float32
    for p in net.parameters():
        assert p.value.dtype == np.float32 and p.grad.dtype == np.float32
        assert all(buffer.dtype == np.float32 for buffer in opt.state[net.parameters().index(p)].values())
    net.layers[0].W.value = np.ones((4, 8))  # assigning float64 keeps float32
    assert net.layers[0].W.value.dtype == np.float32


def test_network_dtype_accepts_a_numpy_type():
    net = gn.Network([gn.Dense(2, 1)], dtype=np.float32)
    assert net.forward(np.ones((1, 2))).dtype == np.float32


def test_same_seed_same_bits_and_different_seed_differs():
    def build(seed):
        return gn.Network([gn.Dense(3, 5, "relu"), gn.Dense(5, 2, "sigmoid")], seed=seed)

    a, b, c = build(42), build(42), build(43)
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert pa.value.tobytes() == pb.value.tobytes()
    assert a.layers[0].W.value.tobytes() != c.layers[0].W.value.tobytes()
    gen_a = gn.Dense(3, 4, seed=np.random.default_rng(5))
    gen_b = gn.Dense(3, 4, seed=np.random.default_rng(5))
    np.testing.assert_array_equal(gen_a.W.value, gen_b.W.value)


@pytest.mark.parametrize("init, check", [
    ("zeros", lambda W, b: (W == 0).all() and (b == 0).all()),
    ("uniform", lambda W, b: (np.abs(W) <= 0.5).all() and W.std() > 0.2),
    ("xavier_uniform", lambda W, b: np.abs(W).max() <= np.sqrt(6 / 300) and (b == 0).all()),
    ("he_normal", lambda W, b: abs(W.std() - np.sqrt(2 / 100)) < 0.01),
    ("xavier_normal", lambda W, b: abs(W.std() - np.sqrt(2 / 300)) < 0.01),
    ("torch", lambda W, b: np.abs(b).max() <= 0.1 and np.abs(b).max() > 0.05),
])
def test_initialisers_draw_from_their_distribution(init, check):
    layer = gn.Dense(100, 200, init=init, seed=0)
    assert check(layer.W.value, layer.b.value)


def test_explicit_init_values_are_kept_and_uniform_draws_stay_in_range():
    layer = gn.Dense(2, 1, "sigmoid", init={"W": [[0.4], [0.45]], "b": [0.6]})
    np.testing.assert_array_equal(layer.W.value, [[0.4], [0.45]])
    wide = gn.Dense(10, 10, init=gn.init.Uniform(2.0, 3.0), seed=0)
    assert wide.W.value.min() >= 2.0 and wide.W.value.max() < 3.0


def test_frozen_parameter_gets_no_gradient_and_no_update():
    net = make_lecture_net()
    hidden = net.layers[0]
    hidden.W.trainable = False
    before = hidden.W.value.copy()
    net.loss(net.forward(LECTURE_X), LECTURE_Y).backward()
    assert hidden.W.grad is None
    gn.SGD(net.parameters(), lr=0.5).step()
    np.testing.assert_array_equal(hidden.W.value, before)
    names, _ = net.gradient_vector()
    assert names[0] == "b1[1]"  # W[1] is left out of ∇θL
    assert net.layers[1].W.value[0, 0] != 0.40  # the rest still trains


def test_zero_grad_clears_every_gradient():
    net = make_lecture_net()
    net.loss(net.forward(LECTURE_X), LECTURE_Y).backward()
    opt = gn.SGD(net.parameters(), lr=0.5)
    opt.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    opt.step()  # no gradients: nothing moves
    assert net.layers[1].W.value[0, 0] == 0.40


def test_loss_value_behaves_as_a_float():
    net = make_lecture_net()
    loss = net.loss(net(LECTURE_X), LECTURE_Y)
    assert isinstance(loss, float) and loss.item() == float(loss)
    assert f"{loss:.3f}" == "0.275" and loss < 0.3 and loss > 0.27
    assert loss + 1 == pytest.approx(1.27481108, abs=1e-8)


def test_sigmoid_is_stable_at_extremes():
    sigmoid = gn.get_activation("sigmoid")
    z = np.array([-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = sigmoid(z)
    assert a[0] == 0.0 and a[-1] == 1.0 and a[3] == 0.5
    assert a[2] == pytest.approx(np.exp(-40.0), rel=1e-14)  # the tail is exact, not 0
    z32 = z.astype(np.float32)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert sigmoid(z32).dtype == np.float32


def test_softmax_is_stable_and_sums_to_one():
    softmax = gn.get_activation("softmax")
    z = np.array([[1000.0, 1001.0, 999.0], [-1e4, 0.0, 1e4]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        a = softmax(z)
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    np.testing.assert_allclose(a[0], np.exp([0, 1, -1]) / np.exp([0, 1, -1]).sum())


def test_repr_shows_layers_loss_dtype_and_optimizer_settings():
    net = gn.Network([gn.Dense(2, 2, "sigmoid"), gn.Dense(2, 1, "sigmoid")])
    assert repr(net) == "Network(Dense(2 → 2, sigmoid), Dense(2 → 1, sigmoid); loss=squared_error)"
    assert repr(net.layers[0].W) == "Parameter(W[1], shape=(2, 2), dtype=float64)"
    assert "dtype=float32" in repr(gn.Network([gn.Dense(2, 1)], dtype="float32"))
    assert repr(gn.Adam(net.parameters())).startswith("Adam(lr=0.001, beta1=0.9")


@pytest.mark.parametrize("loss, output", [("cross_entropy", "softmax"),
                                          ("binary_cross_entropy", "sigmoid"),
                                          ("squared_error", None), ("mse", None)])
def test_each_loss_names_the_output_it_fuses_with_under_its_old_names_too(loss, output):
    loss_fn = gn.losses.get_loss(loss)
    assert loss_fn.output_activation == output
    assert loss_fn.fused_activation == output and loss_fn.required_activation == output
