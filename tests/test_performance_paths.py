"""The engine's formulas against the textbook ones: numerically safe forms, dtypes kept.

Where the engine writes a formula in a safer form than the textbook's (sigmoid without a
positive exponent, the cross-entropy read from z where ŷ underflowed), it is pinned here to
the plain formula: bit for bit where the arithmetic is the same, allclose where it is only
rearranged. What each remaining speed trick earns is measured by ``benchmarks/tricks.py``,
never here.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import glassnet as gn
from glassnet.optim import Optimizer

EXTREMES = np.array([-1e4, -800.0, -700.0, -88.0, -40.0, -1.0, -1e-6, 0.0, 1e-6, 1.0, 40.0,
                     88.0, 800.0, 1e4])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_is_bit_identical_to_the_branch_formula(dtype):
    # The branch formula: 1/(1+e^(−z)) for z ≥ 0 and e^z/(1+e^z) for z < 0, with e = e^(−|z|).
    rng = np.random.default_rng(0)
    z = np.concatenate([EXTREMES, rng.normal(0, 10, 1000)]).astype(dtype)
    e = np.exp(-np.abs(z))
    branch = np.where(z >= 0, 1.0, e) / (1.0 + e)
    a = gn.get_activation("sigmoid")(z)
    assert a.dtype == dtype
    np.testing.assert_array_equal(a, branch.astype(dtype))


def test_sigmoid_matches_the_textbook_formula_where_that_is_safe():
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(gn.get_activation("sigmoid")(z), 1 / (1 + np.exp(-z)), rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_matches_the_textbook_formula(dtype):
    z = np.random.default_rng(1).normal(0, 3, (64, 10)).astype(dtype)
    textbook = np.exp(z.astype(np.float64))
    textbook /= textbook.sum(axis=1, keepdims=True)
    a = gn.get_activation("softmax")(z)
    assert a.dtype == dtype
    np.testing.assert_allclose(a, textbook, rtol=1e-6 if dtype == np.float32 else 1e-13)


def test_relu_and_sigmoid_backward_equal_da_times_derivative():
    rng = np.random.default_rng(2)
    z, da = rng.normal(size=(16, 8)), rng.normal(size=(16, 8))
    for name in ("relu", "sigmoid"):
        act = gn.get_activation(name)
        a = act(z)
        np.testing.assert_array_equal(act.backward(da, z, a), da * act.derivative(z, a))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_cross_entropy_value_equals_minus_mean_log_softmax(dtype):
    rng = np.random.default_rng(3)
    z = rng.normal(0, 4, (50, 7)).astype(dtype)
    labels = rng.integers(0, 7, 50)
    log_softmax = z.astype(np.float64) - np.log(np.exp(z.astype(np.float64)).sum(1, keepdims=True))
    textbook = -log_softmax[np.arange(50), labels].mean()
    ce = gn.get_loss("cross_entropy")
    y_hat = gn.get_activation("softmax")(z)
    from_labels = ce.value(y_hat, ce.prepare_targets(labels, y_hat), z)
    from_one_hot = ce.value(y_hat, np.eye(7, dtype=dtype)[labels], z)
    rtol = 1e-6 if dtype == "float32" else 1e-12
    assert from_labels == pytest.approx(textbook, rel=rtol)
    assert from_one_hot == pytest.approx(textbook, rel=rtol)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_cross_entropy_falls_back_to_z_where_the_probability_underflowed(dtype):
    # Row 0 gives its label a logit 1000 below the others: ŷ rounds to 0, but the loss is
    # logsumexp(z) − z_y = 1000 + log 2 (two classes at 0) for that row, 0.5 mean with row 1.
    z = np.array([[-1000.0, 0.0, 0.0], [0.0, 0.0, 0.0]], dtype=dtype)
    y_hat = gn.get_activation("softmax")(z)
    assert y_hat[0, 0] == 0.0
    ce = gn.get_loss("cross_entropy")
    value = ce.value(y_hat, ce.prepare_targets(np.array([0, 2]), y_hat), z)
    assert value == pytest.approx((1000 + np.log(2) + np.log(3)) / 2, rel=1e-6)


def test_cross_entropy_still_names_labels_out_of_range():
    y_hat = np.full((3, 3), 1 / 3)
    with pytest.raises(ValueError, match="got labels from -1 to 2"):
        gn.get_loss("cross_entropy").prepare_targets(np.array([-1, 0, 2]), y_hat)
    with pytest.raises(ValueError, match="got labels from 0 to 3"):
        gn.get_loss("cross_entropy").prepare_targets(np.array([0, 3, 1]), y_hat)


def test_bias_gradient_is_the_column_sum_of_dz():
    net = gn.Network([gn.Dense(5, 4, "tanh"), gn.Dense(4, 3, "identity")], loss="mse", seed=0)
    x, y = np.random.default_rng(4).normal(size=(9, 5)), np.zeros((9, 3))
    net.loss(net.forward(x), y).backward()
    for layer in net.layers:
        # 1ᵀ dz in BLAS sums in another order than np.sum: equal to rounding, not bit for bit
        np.testing.assert_allclose(layer.b.grad, layer.dz.sum(axis=0), rtol=1e-14, atol=1e-17)


def _two_nets(dtype="float32"):
    net = gn.Network([gn.Dense(6, 5, "relu"), gn.Dense(5, 3, "softmax")],
                     loss="cross_entropy", dtype=dtype, seed=5)
    return net, copy.deepcopy(net)


def _train(net, step, batches):
    for x, y in batches:
        net.loss(net.forward(x), y).backward()
        step()


def test_adam_with_a_frozen_parameter_updates_the_rest_as_before():
    rng = np.random.default_rng(7)
    batches = [(rng.normal(size=(8, 6)), rng.integers(0, 3, 8)) for _ in range(4)]
    flat_net, loop_net = _two_nets()
    frozen, start = flat_net.layers[0].b.value.copy(), flat_net.layers[0].W.value.copy()
    for net in (flat_net, loop_net):
        net.layers[0].b.trainable = False
    flat, loop = gn.Adam(flat_net.parameters()), gn.Adam(loop_net.parameters())
    _train(flat_net, flat.step, batches)
    _train(loop_net, lambda: Optimizer.step(loop), batches)
    for p, q in zip(flat_net.parameters(), loop_net.parameters()):
        np.testing.assert_array_equal(p.value, q.value)
    np.testing.assert_array_equal(flat_net.layers[0].b.value, frozen)  # never moved
    assert not np.array_equal(flat_net.layers[0].W.value, start)  # the rest did


@pytest.mark.parametrize("array", [
    np.array([[0.05, 0.10]]), np.array([np.nan, 1.0]), np.array([1.0, -np.inf]),
    np.array([1e200, -1e200]),  # finite, but a · a overflows: the elementwise test decides
    np.array([3e38], dtype=np.float32), np.arange(6).reshape(2, 3), np.zeros((0, 4)),
    np.array([[1.0, np.nan]], dtype=np.float32)[:, ::-1],
])
def test_all_finite_agrees_with_isfinite_all(array):
    from glassnet.checks import all_finite

    assert all_finite(array) == bool(np.isfinite(array).all())


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_sgd_step_is_theta_minus_lr_times_grad_even_after_lr_changes(dtype):
    # SGD multiplies by α kept as a 0-d array of the parameter's dtype; the textbook line
    # θ − α·g with α a Python float must give the same bits, also once lr has been changed.
    net = gn.Network([gn.Dense(3, 4, "sigmoid"), gn.Dense(4, 2, "identity")], loss="mse",
                     dtype=dtype, seed=10)
    x, y = np.random.default_rng(11).normal(size=(5, 3)), np.ones((5, 2))
    sgd = gn.SGD(net.parameters(), lr=0.3)
    for lr in (0.3, 0.3, 0.07):
        sgd.lr = lr
        net.loss(net.forward(x), y).backward()
        expected = [p.value - lr * p.grad for p in net.parameters()]
        sgd.step()
        for p, value in zip(net.parameters(), expected):
            assert p.value.dtype == dtype
            np.testing.assert_array_equal(p.value, value)


@pytest.mark.parametrize("int_dtype", [np.int8, np.uint8, np.int16, np.int64])
def test_activations_take_integer_input_as_before(int_dtype):
    z = np.array([[2, 0, 3]], dtype=int_dtype)
    relu = gn.get_activation("relu")(z)
    assert relu.dtype == int_dtype
    np.testing.assert_array_equal(relu, [[2, 0, 3]])
    sigmoid = gn.get_activation("sigmoid")(z)
    assert sigmoid.dtype == np.float64  # as 1 / (1 + np.exp(-z)) gives, not float16
    np.testing.assert_allclose(sigmoid, 1 / (1 + np.exp(-z.astype(float))), rtol=1e-15)


def test_activations_take_python_numbers_and_lists():
    assert gn.get_activation("sigmoid")(0.5) == pytest.approx(1 / (1 + np.exp(-0.5)), rel=1e-15)
    np.testing.assert_array_equal(gn.get_activation("relu")([0.5, -1.0]), [0.5, 0.0])
    np.testing.assert_allclose(gn.get_activation("softmax")([[0.0, np.log(3.0)]]), [[0.25, 0.75]])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(3, 4), (100, 100), (1100, 1000)])  # the cached zeros: from
# 1000 elements up to 2²⁰
def test_relu_and_sigmoid_clip_against_zero_as_numpy_does_with_a_scalar(shape, dtype):
    rng = np.random.default_rng(12)
    z = rng.normal(0, 5, shape).astype(dtype)
    z.flat[:5] = [-0.0, np.nan, np.inf, -np.inf, 0.0]
    with np.errstate(invalid="ignore"):
        a = gn.get_activation("relu")(z)
        assert a.dtype == dtype and a.flags.writeable  # the caller's own new array
        np.testing.assert_array_equal(a, np.maximum(z, 0))
        np.testing.assert_array_equal(np.signbit(gn.get_activation("relu")(z)),
                                      np.signbit(np.maximum(z, 0)))
        e = np.exp(-np.abs(z))
        branch = np.where(z >= 0, 1.0, e) / (1.0 + e)
        np.testing.assert_array_equal(gn.get_activation("sigmoid")(z), branch.astype(dtype))


def test_adam_steps_follow_the_textbook_formula_and_a_changed_beta():
    # PyTorch's order of operations, with Python floats, gives the same numbers to rounding,
    # also after β2 has been changed mid-run.
    rng = np.random.default_rng(13)
    p = gn.Parameter(rng.normal(size=(4, 3)), "W")
    adam = gn.Adam([p], lr=0.01)
    theta, m, v = p.value.copy(), np.zeros((4, 3)), np.zeros((4, 3))
    for t in range(1, 5):
        if t == 3:
            adam.beta2 = 0.99
        p.grad = rng.normal(size=(4, 3))
        b1, b2 = adam.beta1, adam.beta2
        m = m + (1 - b1) * (p.grad - m)
        v = b2 * v + (1 - b2) * p.grad * p.grad
        theta = theta - (0.01 / (1 - b1 ** t)) * m / (np.sqrt(v) / (1 - b2 ** t) ** 0.5 + 1e-8)
        adam.step()
        np.testing.assert_allclose(p.value, theta, rtol=1e-14, atol=1e-16)


def test_adam_float32_constants_stay_float32():
    # The textbook update in float32 with every constant rounded to float32 first: a float64
    # constant would multiply by a different number and change the bits.
    rng = np.random.default_rng(14)
    f = np.float32
    p = gn.Parameter(rng.normal(size=(3, 5)), "W", dtype=f)
    adam = gn.Adam([p], lr=0.01)
    theta, m, v = p.value.copy(), np.zeros((3, 5), f), np.zeros((3, 5), f)
    b1, b2 = 0.9, 0.999
    for t in range(1, 4):
        g = p.grad = rng.normal(size=(3, 5)).astype(f)
        m = m + f(1 - b1) * (g - m)
        v = v * f(b2) + f(1 - b2) * g * g
        m_hat, v_hat = m / f(1 - b1 ** t), v / f(1 - b2 ** t)
        theta = theta - f(0.01) * m_hat / (np.sqrt(v_hat) + f(1e-8))
        adam.step()
        assert p.value.dtype == f
        np.testing.assert_array_equal(p.value, theta)


def test_plain_sgd_still_calls_a_subclass_update():
    # SGD without momentum or weight decay updates parameters directly; a subclass that
    # overrides the per-parameter hook _update must still have it called.
    calls = []

    class Clipped(gn.SGD):
        def _update(self, p, g, state, i):
            calls.append(p.name)
            super()._update(p, np.clip(g, -0.1, 0.1), state, i)

    net = gn.Network([gn.Dense(2, 1, "identity", init={"W": [[1.0], [1.0]], "b": [0.0]})],
                     loss="mse")
    net.loss(net.forward(np.array([[30.0, 30.0]])), [[0.0]]).backward()  # dL/db = 2·60 = 120
    Clipped(net.parameters(), lr=1.0).step()
    assert calls == ["W[1]", "b[1]"]
    np.testing.assert_array_equal(net.layers[0].b.value, [-0.1])  # the clipped step, not −120
    np.testing.assert_array_equal(net.layers[0].W.value, [[0.9], [0.9]])


def _adam_pair(dtype, **settings):
    """Two copies of one network, each with its Adam: the first may lay its parameters end
    to end (Adam.step's speed path), the second always updates them one by one."""
    one, other = _two_nets(dtype)
    together, by_one = gn.Adam(one.parameters(), **settings), gn.Adam(other.parameters(),
                                                                     **settings)
    by_one._end_to_end = lambda: None
    return (one, together), (other, by_one)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_adam_end_to_end_is_bit_identical_to_the_update_per_parameter(dtype):
    rng = np.random.default_rng(15)
    batches = [(rng.normal(size=(8, 6)), rng.integers(0, 3, 8)) for _ in range(5)]
    (one, together), (other, by_one) = _adam_pair(dtype, lr=0.05)
    _train(one, together.step, batches)
    _train(other, by_one.step, batches)
    assert together._together is not None  # the speed path was taken, so this compares it
    for p, q in zip(one.parameters(), other.parameters()):
        assert p.value.dtype == dtype
        np.testing.assert_array_equal(p.value, q.value)
    mine, theirs = together.state_dict(), by_one.state_dict()
    assert mine["steps"] == theirs["steps"] == [5] * 4 and mine["t"] == theirs["t"] == 5
    for s, r in zip(mine["state"], theirs["state"]):  # the moments, seen per parameter
        np.testing.assert_array_equal(s["m"], r["m"])
        np.testing.assert_array_equal(s["v"], r["v"])


def test_adam_end_to_end_resumes_from_a_state_dict_and_after_a_frozen_spell():
    rng = np.random.default_rng(16)
    batches = [(rng.normal(size=(8, 6)), rng.integers(0, 3, 8)) for _ in range(6)]
    (one, together), (other, by_one) = _adam_pair("float32")
    _train(one, together.step, batches[:2])
    _train(other, by_one.step, batches[:2])
    resumed = gn.Adam(one.parameters())
    resumed.load_state_dict(together.state_dict())  # as a checkpoint restores it
    _train(one, resumed.step, batches[2:4])
    _train(other, by_one.step, batches[2:4])
    assert resumed._together is not None
    for net in (one, other):  # b[2] frozen for the last two batches: the others take 6
        net.layers[1].b.trainable = False  # updates, b[2] 4, so the update goes per parameter
    _train(one, resumed.step, batches[4:])
    _train(other, by_one.step, batches[4:])
    assert resumed.steps == by_one.steps == [6, 6, 6, 4]
    for p, q in zip(one.parameters(), other.parameters()):
        np.testing.assert_array_equal(p.value, q.value)


def test_adam_takes_the_speed_path_only_where_it_applies(monkeypatch):
    from glassnet import optim

    net, _ = _two_nets()
    x, y = np.random.default_rng(17).normal(size=(4, 6)), np.array([0, 1, 2, 0])
    decayed = gn.Adam(net.parameters(), weight_decay=0.01)

    class Clipped(gn.Adam):  # its own per-parameter rule must still be called
        def _update(self, p, g, state, i):
            super()._update(p, np.clip(g, -0.01, 0.01), state, i)

    clipped = Clipped(net.parameters())
    monkeypatch.setattr(optim, "_TOGETHER_MAX_VALUES", 10)  # 53 values: too many now
    limited = gn.Adam(net.parameters())
    for opt in (decayed, clipped, limited):
        net.loss(net.forward(x), y).backward()
        opt.step()
        assert opt._together is None, opt


def test_fit_trains_on_the_callers_arrays_and_never_copies_the_data_set():
    import tracemalloc

    from glassnet.training import FitConfig
    from glassnet.training.trainer import Trainer

    rng = np.random.default_rng(18)
    X = rng.normal(size=(20_000, 50)).astype(np.float32)  # 4 MB
    y = rng.integers(0, 3, 20_000)
    net = gn.Network([gn.Dense(50, 8, "relu"), gn.Dense(8, 3, "softmax")],
                     loss="cross_entropy", dtype="float32", seed=0)
    trainer = Trainer(net, X, y, FitConfig(epochs=3, batch_size=500, seed=0, progress=False))
    assert trainer.X is X and np.shares_memory(trainer.y, y)  # right dtype already: no copy
    tracemalloc.start()
    try:
        trainer.run()
        _, peak = tracemalloc.get_traced_memory()  # NumPy reports its arrays to tracemalloc
    finally:
        tracemalloc.stop()
    # Per epoch one permutation of 20,000 indices (160 kB) and a batch at a time; a copy of X
    # in a new order (X[order]) would alone be 4 MB.
    assert trainer.history.stopped_reason == "epochs" and len(trainer.history.history["loss"]) == 3
    assert peak < X.nbytes / 4, peak
