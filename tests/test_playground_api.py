"""The playground's step-through API: the lecture's numbers, MathML derivations, bad requests."""

import math
import socket
import warnings

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is what we install
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from glassnet.playground import Limits, create_app  # noqa: E402
from glassnet.playground.server import bind  # noqa: E402
from glassnet.playground.stepper import LECTURE_EXAMPLE  # noqa: E402


@pytest.fixture()
def client():
    with TestClient(create_app(), base_url="http://127.0.0.1") as c:
        yield c


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def test_example_endpoint_gives_the_lecture_weights_inputs_and_rate(client):
    setup = client.get("/api/step/example").json()
    assert setup["layers"][0]["W"] == [[0.15, 0.25], [0.20, 0.30]]  # W[j][i]: input j → neuron i
    assert setup["layers"][1]["W"] == [[0.40], [0.45]]
    assert (setup["x"], setup["y"], setup["lr"]) == ([0.05, 0.10], [0.01], 0.5)


def test_step_gives_the_lecture_numbers(client):
    doc = client.post("/api/step", json=LECTURE_EXAMPLE).json()
    assert doc["schema"] == "glassnet.trace/1"
    # By hand, as on the slides:
    a1 = sigmoid(0.05 * 0.15 + 0.10 * 0.20 + 0.35)   # σ(0.3775) = 0.59327
    a2 = sigmoid(0.05 * 0.25 + 0.10 * 0.30 + 0.35)   # σ(0.3925) = 0.59688
    y_hat = sigmoid(a1 * 0.40 + a2 * 0.45 + 0.60)    # σ(1.10591) = 0.75137
    delta = (y_hat - 0.01) * y_hat * (1 - y_hat)     # δ^[2] = 0.74137 · 0.18682 = 0.13850
    w11_new = 0.40 - 0.5 * delta * a1                # 0.40 − 0.5 · 0.082167 = 0.35892
    assert doc["batch"]["y_hat"][0][0] == pytest.approx(y_hat, rel=1e-12)
    assert round(doc["batch"]["y_hat"][0][0], 5) == 0.75137  # as the slides print it
    assert doc["loss"]["value"] == pytest.approx(0.5 * (0.01 - y_hat) ** 2, rel=1e-12)
    out = doc["layers"][1]
    assert out["delta"][0][0] == pytest.approx(delta, rel=1e-12)
    assert out["W"]["new"][0][0] == pytest.approx(w11_new, rel=1e-12)
    assert round(out["W"]["new"][0][0], 5) == 0.35892


def test_derivation_comes_as_mathml(client):
    doc = client.post("/api/step", json=LECTURE_EXAMPLE).json()
    keys = [s["key"] for s in doc["derivation"]]
    assert keys == ["forward", "loss", "backward", "gradients", "update"]
    forward = doc["derivation"][0]["lines"]
    assert all(line["mathml"].startswith("<math") for line in forward)
    assert "0.75137" in forward[-1]["mathml"] and "0.75137" in forward[-1]["latex"]
    update = doc["derivation"][-1]["lines"][0]
    assert "0.35892" in update["mathml"]


def test_edited_weight_changes_the_forward_pass(client):
    setup = {**LECTURE_EXAMPLE, "layers": [
        {**LECTURE_EXAMPLE["layers"][0], "W": [[0.5, 0.25], [0.20, 0.30]]},
        LECTURE_EXAMPLE["layers"][1]]}
    doc = client.post("/api/step", json=setup).json()
    # z₁ = 0.05 · 0.5 + 0.10 · 0.20 + 0.35 = 0.395
    assert doc["layers"][0]["a"][0][0] == pytest.approx(sigmoid(0.395), rel=1e-12)


def test_new_network_is_seeded_and_sized(client):
    body = {"sizes": [2, 3, 2, 1], "activations": ["tanh", "tanh", "sigmoid"], "seed": 7}
    first = client.post("/api/step/network", json=body).json()
    again = client.post("/api/step/network", json=body).json()
    other = client.post("/api/step/network", json={**body, "seed": 8}).json()
    assert first == again and first != other
    assert [len(layer["W"]) for layer in first["layers"]] == [2, 3, 2]
    assert [len(layer["b"]) for layer in first["layers"]] == [3, 2, 1]
    step = client.post("/api/step", json=first)
    assert step.status_code == 200
    assert step.json()["network"]["sizes"] == [2, 3, 2, 1]


def test_a_softmax_cross_entropy_network_gets_a_one_hot_target_and_probabilities(client):
    body = {"sizes": [3, 4, 3], "activations": ["relu", "softmax"], "loss": "cross_entropy"}
    setup = client.post("/api/step/network", json=body).json()
    assert setup["y"] == [1.0, 0.0, 0.0]
    doc = client.post("/api/step", json=setup).json()
    assert sum(doc["batch"]["y_hat"][0]) == pytest.approx(1.0)


def _with(**changes):
    return {**LECTURE_EXAMPLE, **changes}


def _layer(n_in, n_out, activation="sigmoid"):
    return {"activation": activation, "W": [[0.1] * n_out for _ in range(n_in)], "b": [0.0] * n_out}


@pytest.mark.parametrize("body, words", [
    (_with(layers=[_layer(2, 2)] * 5), "1 to 4 layers"),
    (_with(layers=[_layer(2, 9), _layer(9, 1)]), "at most 8 × 8"),
    (_with(layers=[_layer(2, 3), _layer(2, 1)]), "layer 2 has 2 inputs but layer 1 has 3"),
    (_with(x=[0.05]), "x must have 2 numbers, got 1"),
    (_with(y="high"), "y must be a list of finite numbers"),
    (_with(lr=0), "lr must be a number in (0, 100]"),
    (_with(lr=True), "lr must be a number"),
    (_with(loss="hinge"), "loss must be one of"),
    (_with(layers=[_layer(2, 2, "swish"), _layer(2, 1)]), "activation must be one of"),
    (_with(layers=[_layer(2, 2), _layer(2, 1, "identity")], loss="binary_cross_entropy"),
     "binary_cross_entropy expects a sigmoid output layer"),
    (_with(layers=[{"activation": "sigmoid", "W": [[0.1, "a"], [0.2, 0.3]], "b": [0, 0]},
                   _layer(2, 1)]), "layer 1 W row 1 must be a list of finite numbers"),
    ([1, 2], "expected a JSON object"),
])
def test_bad_step_requests_get_one_sentence(client, body, words):
    response = client.post("/api/step", json=body)
    assert response.status_code == 400
    assert words in response.json()["error"]


@pytest.mark.parametrize("body, words", [
    ({"sizes": [2, 1], "activations": ["sigmoid", "sigmoid"]}, "one activation per layer (1)"),
    ({"sizes": [2, 9, 1], "activations": ["tanh", "sigmoid"]}, "each from 1 to 8"),
    ({"sizes": [2, 2, 2, 2, 2, 1], "activations": ["tanh"] * 5}, "2 to 5 layer sizes"),
    ({"sizes": [2, 3, 1], "activations": ["softmax", "sigmoid"]}, "softmax is for the output"),
    ({"sizes": [2, 1], "activations": ["sigmoid"], "seed": -1}, "seed must be an integer"),
])
def test_bad_network_requests_get_one_sentence(client, body, words):
    response = client.post("/api/step/network", json=body)
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_malformed_json_is_400_unknown_routes_404_and_the_server_keeps_answering(client):
    response = client.post("/api/step", content=b"{not json",
                           headers={"content-type": "application/json"})
    assert response.status_code == 400 and "not valid JSON" in response.json()["error"]
    assert client.get("/api/nothing").status_code == 404
    assert "error" in client.get("/api/nothing").json()
    assert client.get("/api/step").status_code == 405
    # and the server still answers a good request afterwards
    assert client.post("/api/step", json=LECTURE_EXAMPLE).status_code == 200


def test_a_body_over_the_size_limit_is_refused_with_413():
    with TestClient(create_app(Limits(max_body_bytes=2000)), base_url="http://127.0.0.1") as small:
        response = small.post("/api/step", content=b" " * 2001,
                              headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert "2,000 bytes" in response.json()["error"]
        assert small.post("/api/step", json=LECTURE_EXAMPLE).status_code == 200


def test_overflow_gives_null_not_a_crash(client):
    huge = {"layers": [{"activation": "identity", "W": [[1e200]], "b": [0.0]}],
            "loss": "squared_error", "x": [1e200], "y": [0.0], "lr": 0.1}
    with pytest.warns(RuntimeWarning):
        response = client.post("/api/step", json=huge)
    assert response.status_code == 200
    assert response.json()["loss"]["value"] is None  # inf has no JSON spelling


def test_the_page_and_its_static_files_are_served_and_nothing_outside(client):
    page = client.get("/")
    assert page.status_code == 200 and "glassnet playground" in page.text
    for name in ("common.js", "step-view.js", "step.js", "train.js", "style.css", "main.js",
                 "train-view.js"):
        assert client.get(f"/static/{name}").status_code == 200
    assert client.get("/static/../app.py").status_code == 404


def test_bind_reports_a_busy_port():
    taken = bind("127.0.0.1", 0)
    # no Nagle delay: without it every answer waited 40 ms for the client's delayed ACK
    assert taken.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    try:
        with pytest.raises(OSError, match=r"cannot listen on 127\.0\.0\.1:\d+ .*--port"):
            bind("127.0.0.1", taken.getsockname()[1])
    finally:
        taken.close()
    with pytest.raises(ValueError, match="port must be an integer from 0 to 65535"):
        bind("127.0.0.1", 70000)


def test_module_entry_point_reports_a_busy_port(capsys):
    from glassnet.playground.__main__ import main

    taken = bind("127.0.0.1", 0)
    try:
        with pytest.raises(SystemExit) as exit_info:
            main(["--port", str(taken.getsockname()[1]), "--no-browser"])
    finally:
        taken.close()
    assert exit_info.value.code == 1
    assert "error: cannot listen on 127.0.0.1" in capsys.readouterr().err


def test_line_by_parts_has_the_tokens_of_the_whole_line(client):
    import re

    from glassnet.playground.mathml import line_mathml, to_mathml

    leaves = re.compile(r"<(mi|mo|mn|mtext)[^>]*>([^<]*)<")
    doc = client.post("/api/step", json=LECTURE_EXAMPLE).json()
    for section in doc["derivation"]:
        for line in section["lines"]:
            joined = line_mathml(line["lhs"], line["parts"])
            assert line["mathml"] == joined
            assert leaves.findall(joined) == leaves.findall(to_mathml(line["latex"]))
