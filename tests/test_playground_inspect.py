"""Click a neuron: one neuron's numbers for one point, checked against arithmetic done here.

z and a are recomputed from the session's weights by hand; δ = ∂L/∂z and the weight and bias
gradients by centred finite differences of the one point's loss (float64, relative error),
so an error in the chain rule anywhere below the neuron would show.
"""

import copy
import warnings

import numpy as np
import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is what we install
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from glassnet.playground import create_app  # noqa: E402

SPEC = {"dataset": "spiral", "n_samples": 120, "n_classes": 3, "hidden": [4, 3],
        "activation": "tanh", "optimizer": "adam", "lr": 0.03, "batch_size": 16, "seed": 5}
# Regression on extra features with an L2 penalty: the first layer reads x1, x2, x1², sin x2.
REGRESSION = {"problem": "regression", "dataset": "gaussians_regression", "n_samples": 80,
              "features": ["x1", "x2", "x1sq", "sinx2"], "hidden": [3], "activation": "relu",
              "penalty": "l2", "penalty_rate": 0.01, "lr": 0.05, "batch_size": 8, "seed": 1}


@pytest.fixture()
def app_and_client():
    app = create_app()
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield app, client


def started(app, client, spec=SPEC, steps=7):
    sid = client.post("/api/train", json=spec).json()["id"]
    client.post(f"/api/train/{sid}/step", json={"steps": steps})
    return sid, app.state.sessions[sid]


def point_loss(net, x, t) -> float:
    return float(net.loss_fn(net.forward(x), t))


def numeric(net, x, t, param, index, h=1e-6) -> float:
    """∂L/∂param[index] by centred differences on a copy of ``net``."""
    probe = copy.deepcopy(net)
    value = getattr(probe.layers[param[0]], param[1]).value
    value[index] += h
    up = point_loss(probe, x, t)
    value[index] -= 2 * h
    down = point_loss(probe, x, t)
    return (up - down) / (2 * h)


@pytest.mark.parametrize("spec, layer, neuron", [(SPEC, 1, 2), (SPEC, 2, 3), (SPEC, 3, 1),
                                                 (REGRESSION, 1, 3), (REGRESSION, 2, 1)])
def test_numbers_match_hand_arithmetic_and_finite_differences(app_and_client, spec, layer,
                                                              neuron):
    app, client = app_and_client
    sid, session = started(app, client, spec)
    answer = client.post(f"/api/train/{sid}/inspect",
                         json={"layer": layer, "neuron": neuron, "point": 11}).json()
    net, i = session.net, neuron - 1
    x, t = session.I_train[11:12], session.T_train[11:12]  # the features the network reads
    a = x
    for dense in net.layers[:layer]:  # z = a_prev @ W + b, layer by layer, by hand
        a_prev = a
        z = a_prev @ dense.W.value + dense.b.value
        a = dense.activation(z)
    assert answer["values"]["z"] == pytest.approx(z[0, i], rel=1e-12)
    assert answer["values"]["a"] == pytest.approx(a[0, i], rel=1e-12)
    assert answer["loss"] == pytest.approx(point_loss(net, x, t), rel=1e-12)
    # ∂L/∂b_i = δ_i, and ∂L/∂w_ji = a_prev_j δ_i: both by finite differences
    db = numeric(net, x, t, (layer - 1, "b"), (i,))
    assert answer["values"]["delta"] == pytest.approx(db, rel=1e-6, abs=1e-9)
    assert answer["values"]["db"] == answer["values"]["delta"]
    for j, grad in enumerate(answer["values"]["dW"]):
        dw = numeric(net, x, t, (layer - 1, "W"), (j, i))
        assert grad == pytest.approx(dw, rel=1e-6, abs=1e-9)
        assert grad == pytest.approx(a_prev[0, j] * answer["values"]["delta"], rel=1e-12)


def test_regression_names_its_inputs_and_target(app_and_client):
    app, client = app_and_client
    sid, session = started(app, client, REGRESSION)
    answer = client.post(f"/api/train/{sid}/inspect",
                         json={"layer": 1, "neuron": 1, "point": 2}).json()
    assert answer["inputs"] == ["x1", "x2", "x1²", "sin x2"]
    assert answer["target"] == session.data.y_train[2]  # the point's y, not a class
    assert len(answer["values"]["dW"]) == 4 and answer["penalty"] == "l2"
    x1, x2 = answer["x"]
    assert session.I_train[2].tolist() == [x1, x2, x1 * x1, np.sin(x2)]


def test_the_session_is_left_as_it_was(app_and_client):
    app, client = app_and_client
    sid, session = started(app, client)
    before = {k: v.copy() for k, v in session.net.state_dict().items()}
    client.post(f"/api/train/{sid}/inspect", json={"layer": 1, "neuron": 1, "point": 0})
    after = session.net.state_dict()
    assert session.steps == 7
    assert all(np.array_equal(before[k], after[k]) for k in before)
    assert client.post(f"/api/train/{sid}/step", json={"steps": 1}).json()["step"] == 8


def test_the_derivation_lines_are_the_neurons_own(app_and_client):
    app, client = app_and_client
    sid, _ = started(app, client)
    answer = client.post(f"/api/train/{sid}/inspect",
                         json={"layer": 2, "neuron": 3, "point": 4, "part": "test"}).json()
    lhs = [line["latex"].split(" = ")[0].split(" \\leftarrow ")[0] for line in answer["lines"]]
    # forward a, the point's loss, ∂L/∂a, ∂a/∂z, δ, then ∂L/∂w of the 4 inputs, ∂L/∂b
    assert lhs == ["a_3^{[2]}", "\\mathcal{L}",
                   "\\frac{\\partial \\mathcal{L}}{\\partial a_3^{[2]}}",
                   "\\frac{\\partial a_3^{[2]}}{\\partial z_3^{[2]}}", "\\delta_3^{[2]}",
                   *[f"\\frac{{\\partial \\mathcal{{L}}}}{{\\partial w_{{{j}3}}^{{[2]}}}}"
                     for j in range(1, 5)],
                   "\\frac{\\partial \\mathcal{L}}{\\partial b_3^{[2]}}"]
    assert all(piece.startswith("<math") for line in answer["lines"] for piece in line["pieces"])
    # the forward line of a neuron with 4 inputs, a_3 = f(a·w + a·w + a·w + a·w + b) = f(z) ≈ a,
    # is cut before each "+" of the sum too, so that a narrow panel wraps it between terms
    forward = answer["lines"][0]["pieces"]
    assert len(forward) == 1 + 5 + 2 and [p.count("<mo>&#x0002B;</mo>") for p in forward[2:6]] == [1] * 4
    assert answer["part"] == "test" and answer["target"] in ("0", "1", "2")
    assert answer["names"]["layers"][1]["a"][2]["text"] == "a3[2]"


@pytest.mark.parametrize("body, message", [
    ({"layer": 4, "neuron": 1, "point": 0}, "layer must be an integer from 1 to 3, got 4"),
    ({"layer": 2, "neuron": 4, "point": 0}, "neuron must be an integer from 1 to 3, got 4"),
    ({"layer": 1, "neuron": 1, "point": 96}, "point must be an integer from 0 to 95, got 96"),
    ({"layer": 1, "neuron": 1, "point": 0, "part": "all"}, "part must be one of train, test"),
    ([1, 2], "expected a JSON object"),
])
def test_bad_requests_get_one_sentence(app_and_client, body, message):
    app, client = app_and_client
    sid, _ = started(app, client, steps=1)
    answer = client.post(f"/api/train/{sid}/inspect", json=body)
    assert answer.status_code == 400
    assert message in answer.json()["error"]
