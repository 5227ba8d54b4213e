"""explain.step records the engine's own numbers: golden lecture values, random nets, batches."""

import itertools

import numpy as np
import pytest
from conftest import LECTURE_X, LECTURE_Y, make_lecture_net

import glassnet as gn
from glassnet.explain import step


def _engine_step(net, x, y, lr):
    """The same step without explain: returns the gradients and the parameters after it."""
    y_hat = net.forward(x)
    loss = net.loss(y_hat, y)
    loss.backward()
    grads = {p.name: p.grad.copy() for p in net.parameters()}
    gn.SGD(net.parameters(), lr=lr).step()
    return float(loss), grads, net.state_dict()


def test_lecture_step_golden_values():
    trace = step(make_lecture_net(), LECTURE_X, LECTURE_Y, lr=0.5)
    hidden, out = trace.layers
    # z_1 = 0.05·0.15 + 0.10·0.20 + 0.35 = 0.3775; z_2 = 0.05·0.25 + 0.10·0.30 + 0.35 = 0.3925
    np.testing.assert_allclose(hidden.z, [[0.3775, 0.3925]], rtol=1e-15)
    # σ(0.3775) = 0.593269992, σ(0.3925) = 0.596884378 (the slides print 0.59327, 0.59688)
    np.testing.assert_allclose(hidden.a, [[0.593269992, 0.596884378]], rtol=1e-9)
    # ŷ = σ(0.59327·0.40 + 0.59688·0.45 + 0.60) = σ(1.105905967) = 0.75136507
    np.testing.assert_allclose(trace.y_hat, [[0.75136507]], rtol=1e-8)
    assert trace.loss == pytest.approx(0.274811083, rel=1e-9)   # ½(0.01 − 0.7513650696)²
    # ∂L/∂ŷ = ŷ − y = 0.74136507; ∂ŷ/∂z = ŷ(1 − ŷ) = 0.186815602; δ = product = 0.138498562
    np.testing.assert_allclose(out.da, [[0.74136507]], rtol=1e-8)
    np.testing.assert_allclose(out.dadz, [[0.186815602]], rtol=1e-8)
    np.testing.assert_allclose(out.delta, [[0.138498562]], rtol=1e-8)
    # δ_1^[1] = 0.138498562·0.40·σ'(z_1) = 0.0133679, δ_2^[1] = ·0.45·σ'(z_2) = 0.0149961
    np.testing.assert_allclose(hidden.delta, [[0.01336792, 0.01499608]], rtol=1e-6)
    np.testing.assert_allclose(out.W.grad.ravel(), [0.08216704, 0.08266763], rtol=1e-6)
    np.testing.assert_allclose(hidden.W.grad.ravel(), [0.0006684, 0.0007498, 0.00133679,
                                                       0.00149961], rtol=1e-4)
    # w_11^[2] ← 0.40 − 0.5·0.08216704 = 0.35891648; b^[2] ← 0.60 − 0.5·0.13849856 = 0.53075072
    assert out.W.new[0, 0] == pytest.approx(0.35891648, rel=1e-8)
    assert out.b.new[0] == pytest.approx(0.53075072, rel=1e-8)
    np.testing.assert_allclose(out.W.step, -0.5 * out.W.grad, rtol=1e-12)


def test_trace_matches_the_engine_exactly_for_the_lecture_net():
    loss, grads, after = _engine_step(make_lecture_net(), LECTURE_X, LECTURE_Y, 0.5)
    net = make_lecture_net()
    trace = step(net, LECTURE_X, LECTURE_Y, lr=0.5)
    assert trace.loss == loss
    for p in trace.parameters():
        np.testing.assert_array_equal(p.grad, grads[p.name])
        np.testing.assert_array_equal(p.new, after[p.name])
    # and the network really took the step
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(value, after[name])


@pytest.mark.parametrize("seed", range(6))
def test_random_networks_agree_with_backward(seed):
    rng = np.random.default_rng(seed)
    acts = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
    sizes = rng.integers(1, 6, size=rng.integers(2, 5)).tolist()
    out_act, loss = [("sigmoid", "bce"), ("softmax", "ce"), ("identity", "mse"),
                     ("tanh", "squared_error"), ("softmax", "squared_error"),
                     ("sigmoid", "squared_error")][seed]
    n_out = 3 if out_act == "softmax" else 2
    layers = [gn.Dense(a, b, acts[rng.integers(len(acts))]) for a, b in itertools.pairwise(sizes)]
    layers.append(gn.Dense(sizes[-1], n_out, out_act))
    x = rng.normal(size=(5, sizes[0]))
    y = rng.integers(0, 3, size=5) if loss == "ce" else rng.uniform(size=(5, n_out))
    nets = [gn.Network([gn.Dense(lay.n_in, lay.n_out, lay.activation) for lay in layers],
                       loss=loss, seed=seed) for _ in range(2)]
    _, grads, after = _engine_step(nets[0], x, y, 0.1)
    trace = step(nets[1], x, y, lr=0.1)
    for p in trace.parameters():
        np.testing.assert_array_equal(p.grad, grads[p.name])   # exactly, not approximately
        np.testing.assert_array_equal(p.new, after[p.name])
    for layer in trace.layers:
        # per-sample gradients average to the gradient that was applied
        np.testing.assert_allclose(layer.dW_per_sample().mean(axis=0), layer.W.grad,
                                   rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(layer.db_per_sample().mean(axis=0), layer.b.grad,
                                   rtol=1e-12, atol=1e-15)
        if layer.dadz is not None:   # δ = ∂L/∂a · ∂a/∂z, elementwise
            np.testing.assert_allclose(layer.delta, layer.da * layer.dadz, rtol=1e-12, atol=1e-15)
    assert trace.losses.mean() == pytest.approx(trace.loss, rel=1e-12)


def test_batch_per_sample_values_are_the_single_sample_traces():
    x = np.array([[0.05, 0.10], [0.5, 0.2], [0.9, 0.3]])
    y = np.array([[0.01], [0.5], [0.99]])
    batch = step(make_lecture_net(), x, y, lr=0.5)
    for n in range(3):
        single = step(make_lecture_net(), x[n], y[n], lr=0.5)
        assert batch.losses[n] == pytest.approx(single.loss, rel=1e-12)
        for b_layer, s_layer in zip(batch.layers, single.layers):
            np.testing.assert_allclose(b_layer.delta[n], s_layer.delta[0], rtol=1e-12)
            np.testing.assert_allclose(b_layer.dW_per_sample()[n], s_layer.W.grad, rtol=1e-12)
    # the applied gradient is the mean of the three single-sample gradients
    singles = [step(make_lecture_net(), x[n], y[n], lr=0.5).layers[0].W.grad for n in range(3)]
    np.testing.assert_allclose(batch.layers[0].W.grad, np.mean(singles, axis=0), rtol=1e-12)


def test_fused_logistic_regression_has_no_dy_hat():
    net = gn.Network([gn.Dense(3, 1, "sigmoid", init={"W": [[0.5], [-0.2], [0.1]], "b": [0.0]})],
                     loss="bce")
    trace = step(net, [1.0, 2.0, -2.0], 1, lr=0.1)
    assert trace.fused and trace.dy_hat is None and trace.layers[0].da is None
    # z = 0.5 − 0.4 − 0.2 = −0.1; δ = σ(−0.1) − 1 = 0.475020813 − 1
    assert trace.layers[0].delta[0, 0] == pytest.approx(0.47502081252 - 1, rel=1e-10)


def test_adam_steps_and_frozen_parameters_are_recorded():
    net = make_lecture_net()
    net.loss(net.forward(LECTURE_X), LECTURE_Y).backward()   # b[1] gets a gradient …
    net.layers[0].b.trainable = False                         # … and is then frozen
    opt = gn.Adam(net.parameters(), lr=0.01)
    trace = step(net, LECTURE_X, LECTURE_Y, optimizer=opt)
    frozen = trace.layers[0].b
    assert frozen.grad is None and np.array_equal(frozen.old, frozen.new)
    # Adam's first step moves every parameter with a non-zero gradient by about lr
    np.testing.assert_allclose(np.abs(trace.layers[1].W.step), 0.01, rtol=1e-5)
    assert not trace.plain_sgd and trace.optimizer == "Adam"
    assert "Adam" in trace.to_markdown() and "frozen" in trace.to_markdown()
    assert "frozen" in trace.to_text()


def test_float32_network_traces_float32_values():
    trace = step(make_lecture_net("float32"), LECTURE_X, LECTURE_Y, lr=0.5)
    assert trace.layers[0].z.dtype == np.float32 and trace.layers[1].W.grad.dtype == np.float32
    assert trace.y_hat[0, 0] == pytest.approx(0.75136507, rel=1e-6)


@pytest.mark.parametrize("kwargs, error, words", [
    ({}, ValueError, "exactly one of lr"),
    ({"lr": 0.1, "optimizer": None, "extra": 1}, TypeError, "extra"),
])
def test_step_needs_exactly_one_of_lr_or_optimizer_and_no_unknown_keyword(kwargs, error, words):
    with pytest.raises(error, match=words):
        step(make_lecture_net(), LECTURE_X, LECTURE_Y, **kwargs)


def test_bad_step_arguments_and_render_options_name_what_was_wrong():
    net = make_lecture_net()
    with pytest.raises(ValueError, match="both"):
        step(net, LECTURE_X, LECTURE_Y, lr=0.1, optimizer=gn.SGD(net.parameters(), lr=0.1))
    with pytest.raises(TypeError, match="Network"):
        step("net", LECTURE_X, LECTURE_Y, lr=0.1)
    with pytest.raises(ValueError, match="does not hold"):
        step(net, LECTURE_X, LECTURE_Y, optimizer=gn.SGD(net.parameters()[:2], lr=0.1))
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        step(net, [[1.0, 2.0, 3.0]], LECTURE_Y, lr=0.1)
    trace = step(net, LECTURE_X, LECTURE_Y, lr=0.1)
    with pytest.raises(ValueError, match="sample must be a row index"):
        trace.to_markdown(sample=3)
    with pytest.raises(ValueError, match="view must be one of"):
        trace.to_svg("sideways")
    with pytest.raises(ValueError, match="digits must be"):
        trace.to_markdown(digits=0)


def test_training_without_explain_records_nothing_new():
    """Only references the engine already keeps: no copies, no history on the network."""
    net = make_lecture_net()
    before = set(vars(net)) | {k for layer in net.layers for k in vars(layer)}
    _engine_step(net, LECTURE_X, LECTURE_Y, 0.5)
    after = set(vars(net)) | {k for layer in net.layers for k in vars(layer)}
    assert after == before
    assert net.layers[1].da is net.dy_hat   # the cached ∂L/∂ŷ is the very array backward used
