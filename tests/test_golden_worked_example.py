"""The lecture's worked example, every number of one training step, by hand beside the engine.

Golden values are computed by hand below (and to more digits than the slides print). Where
the slides print a number, the test checks the engine against it to the printed digits;
where the slides are wrong (0.0826 for ∂L/∂w_21^[2]; the updated w_21^[1], w_12^[1]), the
test pins the correct value and says why.
"""

import math

import numpy as np
import pytest

import glassnet as gn
from conftest import LECTURE_X, LECTURE_Y, make_lecture_net


def sigma(z):
    return 1.0 / (1.0 + math.exp(-z))


# ---- the arithmetic, by hand --------------------------------------------------------------
X1, X2, Y, ALPHA = 0.05, 0.10, 0.01, 0.5
Z1 = X1 * 0.15 + X2 * 0.20 + 0.35          # 0.0075 + 0.0200 + 0.35 = 0.3775
Z2 = X1 * 0.25 + X2 * 0.30 + 0.35          # 0.0125 + 0.0300 + 0.35 = 0.3925
A1, A2 = sigma(Z1), sigma(Z2)              # 0.593269992, 0.596884378
Z_OUT = A1 * 0.40 + A2 * 0.45 + 0.60       # 0.237308 + 0.268598 + 0.60 = 1.105905967
Y_HAT = sigma(Z_OUT)                       # 0.751365070
LOSS = 0.5 * (Y - Y_HAT) ** 2              # ½ · 0.741365070² = 0.274811083
DL_DYHAT = Y_HAT - Y                       # 0.741365070
DYHAT_DZ = Y_HAT * (1 - Y_HAT)             # 0.751365 · 0.248635 = 0.186815602
DELTA_OUT = DL_DYHAT * DYHAT_DZ            # 0.138498562
DELTA_1 = DELTA_OUT * 0.40 * A1 * (1 - A1)  # 0.013367920
DELTA_2 = DELTA_OUT * 0.45 * A2 * (1 - A2)  # 0.014996075


def run_step():
    net = make_lecture_net()
    y_hat = net.forward(LECTURE_X)
    loss = net.loss(y_hat, LECTURE_Y)
    loss.backward()
    names, grad = net.gradient_vector()
    before = net.state_dict()
    gn.SGD(net.parameters(), lr=ALPHA).step()
    return net, y_hat, loss, dict(zip(names, grad)), before


def test_forward_pass_matches_hand_and_slides():
    net, y_hat, _, _, _ = run_step()
    hidden, output = net.layers
    np.testing.assert_allclose(hidden.z, [[Z1, Z2]], rtol=1e-15)
    np.testing.assert_allclose(hidden.a, [[A1, A2]], rtol=1e-15)
    np.testing.assert_allclose(output.z, [[Z_OUT]], rtol=1e-15)
    # Slides: σ(0.3775) ≈ 0.59327, σ(0.3925) ≈ 0.59688, σ(1.1059) ≈ 0.75136.
    assert f"{hidden.z[0, 0]:.4f}" == "0.3775" and f"{hidden.z[0, 1]:.4f}" == "0.3925"
    assert f"{hidden.a[0, 0]:.5f}" == "0.59327" and f"{hidden.a[0, 1]:.5f}" == "0.59688"
    assert f"{output.z[0, 0]:.4f}" == "1.1059"
    # The slides print 0.75136, truncating 0.7513651 (which rounds to 0.75137).
    assert f"{y_hat[0, 0]:.5f}" == "0.75137"
    assert f"{y_hat[0, 0]:.8f}" == "0.75136507"  # as the README and `glassnet example` print it


def test_loss_matches_the_hand_value_and_the_slide():
    _, _, loss, _, _ = run_step()
    assert loss == pytest.approx(LOSS, rel=1e-15)
    assert f"{loss:.4f}" == "0.2748"          # slide: ≈ 0.2748
    assert f"{loss:.8f}" == "0.27481108"      # as the README and `glassnet example` print it


def test_output_and_hidden_deltas_match_the_hand_chain_rule():
    net, _, _, _, _ = run_step()
    hidden, output = net.layers
    assert net.dy_hat[0, 0] == pytest.approx(DL_DYHAT, rel=1e-15)   # slide: 0.74136
    assert f"{net.dy_hat[0, 0]:.5f}" == "0.74137"  # the slide truncates 0.741365 to 0.74136
    assert f"{DYHAT_DZ:.5f}" == "0.18682"          # the slide's 0.18681 is truncated too
    assert output.dz[0, 0] == pytest.approx(DELTA_OUT, rel=1e-14)   # slide: ≈ 0.1385
    assert f"{output.dz[0, 0]:.4f}" == "0.1385"
    np.testing.assert_allclose(hidden.dz, [[DELTA_1, DELTA_2]], rtol=1e-14)
    assert f"{hidden.dz[0, 0]:.4f}" == "0.0134" and f"{hidden.dz[0, 1]:.4f}" == "0.0150"


def test_all_nine_gradients_match_hand_values_and_the_slides_digits():
    _, _, _, grads, _ = run_step()
    expected = {
        "w11[1]": DELTA_1 * X1,   # 0.000668396  (slide: 0.00067)
        "w12[1]": DELTA_2 * X1,   # 0.000749804  (slide: 0.00075)
        "w21[1]": DELTA_1 * X2,   # 0.001336792  (slide: 0.00134)
        "w22[1]": DELTA_2 * X2,   # 0.001499608  (slide: 0.00150)
        "b1[1]": DELTA_1,         # 0.013367920  (not on the slides)
        "b2[1]": DELTA_2,         # 0.014996075  (not on the slides)
        "w11[2]": DELTA_OUT * A1,  # 0.082167041 (slide: 0.0822)
        "w21[2]": DELTA_OUT * A2,  # 0.082667628 (slide: 0.0826, which should round to 0.0827)
        "b1[2]": DELTA_OUT,       # 0.138498562  (not on the slides)
    }
    assert list(grads) == list(expected)
    for name, value in expected.items():
        assert grads[name] == pytest.approx(value, rel=1e-13), name
    assert f"{grads['w11[1]']:.5f}" == "0.00067" and f"{grads['w21[1]']:.5f}" == "0.00134"
    assert f"{grads['w12[1]']:.5f}" == "0.00075" and f"{grads['w22[1]']:.5f}" == "0.00150"
    assert f"{grads['w11[2]']:.4f}" == "0.0822"
    # The slide prints 0.0826 for δ_out · a_2 = 0.1384986 · 0.5968844 = 0.0826676: truncated,
    # where the slides round elsewhere (gn.course.errata() lists it).
    assert f"{grads['w21[2]']:.4f}" == "0.0827"


def test_update_is_theta_minus_alpha_grad_with_the_slides_errata_corrected():
    net, _, _, grads, before = run_step()
    hidden, output = net.layers
    # θ ← θ − α ∇θL with α = 0.5.
    assert output.W.value[0, 0] == pytest.approx(0.40 - ALPHA * DELTA_OUT * A1, rel=1e-15)
    assert f"{output.W.value[0, 0]:.4f}" == "0.3589"   # slide: 0.3589
    assert f"{output.W.value[1, 0]:.4f}" == "0.4087"   # slide: 0.4087
    assert f"{hidden.W.value[0, 0]:.4f}" == "0.1497"   # slide: 0.15 − 0.5 · 0.00067 = 0.1497
    assert f"{hidden.W.value[1, 1]:.4f}" == "0.2993"   # slide: 0.30 − 0.5 · 0.00150 = 0.2993
    # Erratum: the slides update w_21^[1] from 0.25 and w_12^[1] from 0.20, but in the
    # network whose forward pass they printed, input 2 → neuron 1 is 0.20 and input 1 →
    # neuron 2 is 0.25: 0.20 − 0.5 · 0.0013368 = 0.19933, 0.25 − 0.5 · 0.0007498 = 0.24963.
    assert hidden.W.value[1, 0] == pytest.approx(0.20 - ALPHA * DELTA_1 * X2, rel=1e-15)
    assert hidden.W.value[0, 1] == pytest.approx(0.25 - ALPHA * DELTA_2 * X1, rel=1e-15)
    assert f"{hidden.W.value[1, 0]:.4f}" == "0.1993"
    assert f"{hidden.W.value[0, 1]:.4f}" == "0.2496"
    # The biases, which the slides leave out: 0.35 − 0.5 · 0.0133679 = 0.3433160, …
    np.testing.assert_allclose(hidden.b.value, [0.35 - ALPHA * DELTA_1, 0.35 - ALPHA * DELTA_2])
    np.testing.assert_allclose(output.b.value, [0.60 - ALPHA * DELTA_OUT])
    for p in net.parameters():
        np.testing.assert_allclose(p.value, before[p.name] - ALPHA * p.grad, rtol=1e-15)


def test_float32_network_stays_float32_and_close():
    net = make_lecture_net("float32")
    y_hat = net.forward(LECTURE_X)
    loss = net.loss(y_hat, LECTURE_Y)
    loss.backward()
    gn.SGD(net.parameters(), lr=ALPHA).step()
    assert y_hat.dtype == np.float32
    assert y_hat[0, 0] == pytest.approx(Y_HAT, rel=1e-6)
    for layer in net.layers:
        for array in (layer.z, layer.a, layer.dz, layer.W.value, layer.W.grad, layer.b.grad):
            assert array.dtype == np.float32
