"""What the page takes from the server: the lecture's names of its numbers, and its scripts."""

import mimetypes
import re
import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is what we install
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from glassnet import notation  # noqa: E402
from glassnet.playground import create_app  # noqa: E402
from glassnet.playground.names import step_names  # noqa: E402

STATIC = Path(__file__).parents[1] / "src" / "glassnet" / "playground" / "static"


@pytest.fixture()
def client():
    with TestClient(create_app(), base_url="http://127.0.0.1") as c:
        yield c


def texts(names):
    return [name["text"] for name in names]


def parameter_texts(names):
    """The set-up's weight and bias names in the order of the lecture's gradient vector."""
    return [text for layer in names["layers"]
            for text in [t for row in layer["W"] for t in texts(row)] + texts(layer["b"])]


def test_the_lecture_example_comes_with_its_names(client):
    names = client.get("/api/step/example").json()["names"]
    assert parameter_texts(names) == notation.parameter_names([2, 2, 1])
    first, output = names["layers"]
    assert first["W"][0][1] == {"text": "w12[1]", "base": "w", "sub": "12", "layer": 1}
    assert first["a"][1] == {"text": "a2[1]", "base": "a", "sub": "2", "layer": 1}
    assert texts(first["z"]) == ["z1[1]", "z2[1]"]
    assert output["delta"] == [{"text": "delta1[2]", "base": "δ", "sub": "1", "layer": 2}]
    # one output: ŷ and y alone, without an index, as the slides write them
    assert output["a"] == [{"text": "y_hat", "base": "ŷ", "sub": "", "layer": None}]
    assert names["y"] == [{"text": "y", "base": "y", "sub": "", "layer": None}]
    assert names["x"][0] == {"text": "x1", "base": "x", "sub": "1", "layer": None}


def test_a_new_network_comes_with_names_of_its_sizes(client):
    body = {"sizes": [3, 4, 2], "activations": ["tanh", "softmax"], "loss": "cross_entropy"}
    names = client.post("/api/step/network", json=body).json()["names"]
    assert parameter_texts(names) == notation.parameter_names([3, 4, 2])
    assert [len(layer["W"]) for layer in names["layers"]] == [3, 4]  # row j: weights from input j
    assert texts(names["layers"][1]["a"]) == ["y_hat1", "y_hat2"]
    assert [name["sub"] for name in names["y"]] == ["1", "2"]


def test_beside_a_wide_layer_weight_indices_take_a_comma():
    names = step_names([2, 10, 1])
    assert names["layers"][0]["W"][1][9]["sub"] == "2,10"   # w_{2,10}: 210 could be 2-10 or 21-0
    assert names["layers"][1]["W"][9][0]["text"] == "w10,1[2]"
    assert parameter_texts(names) == notation.parameter_names([2, 10, 1])


def test_a_train_session_names_its_hidden_neurons(client):
    answer = client.post("/api/train", json={"dataset": "xor", "hidden": [3, 2],
                                             "test_fraction": 0}).json()
    hidden = answer["names"]["hidden"]
    assert [texts(layer) for layer in hidden] == [["a1[1]", "a2[1]", "a3[1]"], ["a1[2]", "a2[2]"]]
    assert hidden[1][0] == {"text": "a1[2]", "base": "a", "sub": "1", "layer": 2}


def test_the_page_loads_one_module_that_imports_the_rest(client):
    page = client.get("/").text
    assert re.findall(r"<script[^>]*>", page) == ['<script type="module" src="/static/main.js">']
    for path in STATIC.glob("*.js"):
        assert "GN." not in path.read_text(), f"{path.name} still uses the global GN"


def test_scripts_are_served_as_javascript_whatever_the_system_says(client, monkeypatch):
    mimetypes.guess_type("x.js")  # reads the system's table now, so that the patch holds
    monkeypatch.setitem(mimetypes.types_map, ".js", "text/plain")  # as on many Windows set-ups
    assert mimetypes.guess_type("x.js")[0] == "text/plain"
    for path in STATIC.glob("*.js"):
        response = client.get(f"/static/{path.name}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/javascript; charset=utf-8", path.name
    assert client.get("/static/style.css").headers["content-type"].startswith("text/css")
