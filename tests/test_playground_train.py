"""The playground's train API: sessions, maps, uploads, the model file, and the limits."""

import base64
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is what we install
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import glassnet.persistence as persistence  # noqa: E402
from glassnet.playground import Limits, create_app  # noqa: E402

XOR = {"dataset": "xor", "hidden": [4], "activation": "tanh", "optimizer": "adam", "lr": 0.1,
       "batch_size": 4, "test_fraction": 0}


@pytest.fixture()
def client():
    with TestClient(create_app(), base_url="http://127.0.0.1") as c:
        yield c


def decode(map_):
    return np.frombuffer(base64.b64decode(map_["data"]), dtype=np.uint8)


def test_options_list_the_data_sets_and_the_step_limit(client):
    options = client.get("/api/options").json()
    assert options["datasets"] == ["xor", "circles", "moons", "spiral", "gaussians"]
    assert options["limits"]["max_steps_per_request"] == 1000


def test_a_new_session_splits_the_data_and_sends_boundary_and_neuron_maps(client):
    answer = client.post("/api/train", json={"dataset": "spiral", "n_samples": 300,
                                             "test_fraction": 0.2, "hidden": [8, 8]}).json()
    assert len(answer["train"]["X"]) == 240 and len(answer["test"]["X"]) == 60
    assert answer["classes"] == ["0", "1", "2"]
    assert answer["step"] == 0 and answer["history"]["step"] == [0]
    labels = decode(answer["boundary"]["label"])
    assert labels.shape == (48 * 48,) and labels.max() <= 2
    assert [len(layer) for layer in answer["neurons"]] == [8, 8]
    assert decode(answer["neurons"][0][0]).shape == (24 * 24,)
    # A tanh neuron's map spans part of (-1, 1), quantised between its own min and max.
    first = answer["neurons"][0][0]
    assert -1 <= first["min"] < first["max"] <= 1


def test_training_lowers_the_loss_and_is_reproducible(client):
    spec = {"dataset": "moons", "n_samples": 200, "hidden": [8], "seed": 3}
    a = client.post("/api/train", json=spec).json()
    after = client.post(f"/api/train/{a['id']}/step", json={"steps": 200}).json()
    assert after["step"] == 200
    assert after["epoch"] == pytest.approx(200 * 32 / 160)
    assert after["train_loss"] < 0.5 * a["train_loss"]
    b = client.post("/api/train", json=spec).json()
    again = client.post(f"/api/train/{b['id']}/step", json={"steps": 200}).json()
    assert again["train_loss"] == after["train_loss"]  # same seed, same bits
    history = client.get(f"/api/train/{a['id']}").json()["history"]
    assert history["step"] == [0, 200]


def test_xor_is_learnt_to_full_accuracy(client):
    answer = client.post("/api/train", json=XOR).json()
    report = client.post(f"/api/train/{answer['id']}/step", json={"steps": 300}).json()
    assert report["train_accuracy"] == 1.0
    assert report["test_accuracy"] is None and report["test_loss"] is None  # no test split


def test_model_download_loads_as_the_same_network(client):
    app = client.app
    answer = client.post("/api/train", json=XOR).json()
    client.post(f"/api/train/{answer['id']}/step", json={"steps": 50})
    response = client.get(f"/api/train/{answer['id']}/model")
    assert response.status_code == 200
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.safetensors"
        path.write_bytes(response.content)
        loaded = persistence.load(path)
    net = app.state.sessions[answer["id"]].net
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_array_equal(loaded.forward(X), net.forward(X))
    # the server's own copy lives in its temporary folder and is gone once sent
    work = app.state.folder["path"]
    assert work.is_relative_to(tempfile.gettempdir()) and list(work.iterdir()) == []


CSV = "height,weight,kind\n1.0,2.0,cat\n1.5,2.5,dog\n0.5,1.0,cat\n2.0,3.5,dog\n1.2,2.2,cat\n"


def test_upload_and_train_on_a_csv(client):
    up = client.post("/api/datasets", files={"file": ("pets.csv", CSV, "text/csv")}).json()
    assert up["classes"] == ["cat", "dog"] and up["n_points"] == 5
    answer = client.post("/api/train", json={"dataset": up["dataset"], "test_fraction": 0,
                                             "hidden": [3]}).json()
    X = np.array(answer["train"]["X"])
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-3)   # standardised
    np.testing.assert_allclose(X.std(axis=0), 1, atol=1e-3)
    assert "height and weight" in answer["description"]


def test_model_from_a_csv_takes_raw_units(client):
    up = client.post("/api/datasets", files={"file": ("pets.csv", CSV, "text/csv")}).json()
    answer = client.post("/api/train", json={"dataset": up["dataset"], "test_fraction": 0,
                                             "hidden": [3], "seed": 1}).json()
    client.post(f"/api/train/{answer['id']}/step", json={"steps": 20})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pets.safetensors"
        path.write_bytes(client.get(f"/api/train/{answer['id']}/model").content)
        loaded = persistence.load(path)
    raw = np.array([[1.0, 2.0], [1.5, 2.5], [0.5, 1.0], [2.0, 3.5], [1.2, 2.2]])  # the CSV's rows
    standardised = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    net = client.app.state.sessions[answer["id"]].net
    np.testing.assert_allclose(loaded.forward(raw), net.forward(standardised), rtol=1e-12)
    assert loaded.training_config["standardised"]["mean"] == pytest.approx(raw.mean(axis=0))


@pytest.mark.parametrize("text, words", [
    ("x1,x2,label\n1,2,a\n1,2\n", "CSV line 3: expected 3 columns (x1, x2, label), got 2"),
    ("1,2,a\n3,abc,b\n", "CSV line 2: expected two numbers before the label"),
    ("1,2,a\n3,4,a\n", "2 to 8 classes in its label column, got 1"),
    ("", "the CSV file is empty"),
    ("1,nan,a\n3,4,b\n", "NaN or infinite"),
])
def test_a_malformed_csv_upload_is_refused_naming_the_problem(client, text, words):
    response = client.post("/api/datasets", files={"file": ("bad.csv", text, "text/csv")})
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_upload_needs_a_utf8_file(client):
    bad = client.post("/api/datasets", files={"file": ("x.csv", b"\xff\xfe\x00", "text/csv")})
    assert bad.status_code == 400 and "not UTF-8" in bad.json()["error"]
    none = client.post("/api/datasets", files={"other": ("x", b"1")})
    assert none.status_code == 400 and "form field 'file'" in none.json()["error"]


@pytest.mark.parametrize("spec, words", [
    ({"dataset": "mnist"}, "dataset must be one of xor, circles, moons, spiral, gaussians"),
    ({"dataset": "upload-123"}, "no uploaded data set"),
    ({"hidden": [8] * 5}, "0 to 4 hidden layer sizes, each from 1 to 16"),
    ({"hidden": [17]}, "each from 1 to 16"),
    ({"n_samples": 2001}, "n_samples must be an integer from 4 to 2000"),
    ({"lr": "fast"}, "lr must be a number"),
    ({"optimizer": "lbfgs"}, "optimizer must be one of sgd, momentum, adam"),
    ({"dataset": "xor", "test_fraction": 0.9}, "at least 2 remain"),
    ({"batch_size": 0}, "batch_size must be an integer from 1 to 2000"),
])
def test_bad_train_requests_get_one_sentence(client, spec, words):
    response = client.post("/api/train", json=spec)
    assert response.status_code == (404 if spec.get("dataset") == "upload-123" else 400)
    assert words in response.json()["error"]


def test_step_counts_over_the_limit_and_unknown_sessions_are_refused(client):
    sid = client.post("/api/train", json=XOR).json()["id"]
    for steps in (0, 1001, "ten"):
        response = client.post(f"/api/train/{sid}/step", json={"steps": steps})
        assert response.status_code == 400
        assert "steps must be an integer from 1 to 1000" in response.json()["error"]
    big = client.post("/api/train", json={"dataset": "moons", "n_samples": 2000,
                                          "batch_size": 1000}).json()["id"]
    response = client.post(f"/api/train/{big}/step", json={"steps": 201})
    assert response.status_code == 400
    assert "got 201 × 1000; ask for at most 200 steps" in response.json()["error"]
    missing = client.post("/api/train/deadbeef/step", json={"steps": 1})
    assert missing.status_code == 404 and "no such training session" in missing.json()["error"]
    assert client.get("/api/train/deadbeef/model").status_code == 404


def test_oldest_sessions_and_uploads_are_dropped():
    limits = Limits(max_sessions=2, max_uploads=1, max_points=10)
    with TestClient(create_app(limits), base_url="http://127.0.0.1") as small:
        ids = [small.post("/api/train", json=XOR).json()["id"] for _ in range(2)]
        small.post(f"/api/train/{ids[0]}/step", json={"steps": 1})  # the first is in use
        ids.append(small.post("/api/train", json=XOR).json()["id"])
        assert small.get(f"/api/train/{ids[1]}").status_code == 404  # least recently used
        assert small.get(f"/api/train/{ids[0]}").status_code == 200
        assert small.get(f"/api/train/{ids[2]}").status_code == 200
        first = small.post("/api/datasets", files={"file": ("a.csv", CSV)}).json()["dataset"]
        small.post("/api/datasets", files={"file": ("b.csv", CSV)})
        gone = small.post("/api/train", json={"dataset": first, "test_fraction": 0})
        assert gone.status_code == 404
        rows = "".join(f"{k},{k},{k % 2}\n" for k in range(11))
        big = small.post("/api/datasets", files={"file": ("c.csv", rows)})
        assert "2 to 10 data rows, got 11" in big.json()["error"]


def test_an_upload_without_a_header_keeps_its_first_row(client):
    rows = CSV.split("\n", 1)[1]  # a first row whose features are numbers is data
    up = client.post("/api/datasets", files={"file": ("pets.csv", rows, "text/csv")}).json()
    assert up["classes"] == ["cat", "dog"] and up["n_points"] == 5
    assert "x1 and x2" in up["description"]
