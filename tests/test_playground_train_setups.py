"""Train mode's TF Playground set-ups through the API: regression, input features, L1/L2,
changes while training runs, clicked points, and an epoch counter right for any data size."""

import base64
import warnings

import numpy as np
import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is what we install
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import glassnet as gn  # noqa: E402
from glassnet.playground import create_app  # noqa: E402
from glassnet.playground.data import regression_target  # noqa: E402
from glassnet.playground.features import expand  # noqa: E402

XOR = {"dataset": "xor", "hidden": [4], "activation": "tanh", "lr": 0.1, "batch_size": 32,
       "test_fraction": 0}


@pytest.fixture()
def client():
    with TestClient(create_app(), base_url="http://127.0.0.1") as c:
        yield c


def values(map_):
    q = np.frombuffer(base64.b64decode(map_["data"]), dtype=np.uint8)
    return map_["min"] + q / 255 * (map_["max"] - map_["min"])


def start(client, **spec):
    answer = client.post("/api/train", json=spec).json()
    assert "error" not in answer, answer
    return answer


def test_regression_targets_are_tf_playgrounds_surfaces():
    X = np.array([[1.0, 2.0], [-6.0, -4.0], [-4.0, 2.5], [0.0, 2.5], [0.0, 1.5], [0.0, 0.0]])
    np.testing.assert_allclose(regression_target("plane", X)[:2], [0.3, -1.0])  # (x1 + x2) / 10
    # on a bump's centre its sign; 1 away from (0, 2.5) half of -1; far from all six, 0
    np.testing.assert_allclose(regression_target("gaussians_regression", X)[2:],
                               [1.0, -1.0, -0.5, 0.0])


@pytest.mark.parametrize("dataset", ["plane", "gaussians_regression"])
def test_a_regression_run_learns_with_the_mean_squared_error(client, dataset):
    a = start(client, problem="regression", dataset=dataset, hidden=[8], lr=0.03,
              batch_size=10, seed=1)
    assert a["problem"] == "regression" and a["classes"] == []
    assert a["settings"]["loss"] == "mse" and "identity" in a["network"]
    after = client.post(f"/api/train/{a['id']}/step", json={"steps": 400}).json()
    assert after["train_loss"] < 0.5 * a["train_loss"]
    assert after["train_accuracy"] is None
    # the loss is the MSE of the session's own network on its training rows
    session = client.app.state.sessions[a["id"]]
    X, y = np.array(session.data.X_train), session.data.y_train
    mse = np.mean((session.net.forward(X)[:, 0] - y) ** 2)
    assert after["train_loss"] == pytest.approx(mse)
    field = values(after["field"])
    assert field.shape == (48 * 48,) and field.max() - field.min() > 0.5  # a surface, not flat


def test_features_set_the_first_layer_and_their_maps(client):
    a = start(client, dataset="circles", features=["x1sq", "x2sq", "x1"], hidden=[3])
    assert a["settings"]["features"] == ["x1", "x1sq", "x2sq"]   # kept in the page's order
    assert a["names"]["inputs"] == ["x1", "x1²", "x2²"]
    assert "Dense(3 → 3, tanh)" in a["network"]
    assert len(a["inputs"]) == 3 and len(a["weights"][0]) == 3
    square = values(a["inputs"][1])                      # x1² over the coarse grid: ≥ 0
    assert square.min() >= 0 and square.max() > 0.5
    session = client.app.state.sessions[a["id"]]
    np.testing.assert_allclose(expand(np.array([[2.0, 3.0]]), ["x1x2", "sinx2"]),
                               [[6.0, np.sin(3.0)]])
    np.testing.assert_allclose(session.I_train[:, 1], session.data.X_train[:, 0] ** 2)


def test_x1_squared_and_x2_squared_let_one_neuron_learn_circles(client):
    a = start(client, dataset="circles", features=["x1sq", "x2sq"], hidden=[], lr=0.1,
              penalty="l2", penalty_rate=0.001)
    after = client.post(f"/api/train/{a['id']}/step", json={"steps": 300}).json()
    assert after["train_accuracy"] > 0.95  # a circle is a line in (x1², x2²)
    W = client.app.state.sessions[a["id"]].net.layers[0].W.value
    assert after["penalty"] == pytest.approx(0.0005 * np.sum(W ** 2))   # (λ/2) Σ w²


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_session_trains_as_fit_does(client, optimizer):
    """Two epochs of the session are fit's: the same seed, the same shuffled mini-batches,
    ∂R/∂W of L1 added to the gradient; so a script can reproduce a playground run."""
    a = start(client, dataset="moons", n_samples=60, hidden=[5], batch_size=16, seed=4,
              test_fraction=0, penalty="l1", penalty_rate=0.01, optimizer=optimizer, lr=0.05)
    client.post(f"/api/train/{a['id']}/step", json={"steps": 8})   # 16 + 16 + 16 + 12, twice
    session = client.app.state.sessions[a["id"]]
    net = gn.Network([gn.Dense(2, 5, "tanh"), gn.Dense(5, 1, "sigmoid")],
                     loss="binary_cross_entropy", seed=4)
    net.fit(session.data.X_train, session.data.y_train.reshape(-1, 1).astype(float), epochs=2,
            batch_size=16, seed=4, optimizer=optimizer, lr=0.05, penalty=gn.L1(0.01),
            progress=False)
    for mine, theirs in zip(session.net.parameters(), net.parameters()):
        np.testing.assert_allclose(mine.value, theirs.value, rtol=1e-12)


def test_the_epoch_counter_counts_rows_not_batches(client):
    a = start(client, **XOR)
    one = client.post(f"/api/train/{a['id']}/step", json={"steps": 1}).json()
    assert one["epoch"] == 1.0  # 4 points in a batch of 32: one pass, not 32 / 4 = 8
    b = start(client, dataset="moons", n_samples=100, test_fraction=0.2, batch_size=30)
    four = client.post(f"/api/train/{b['id']}/step", json={"steps": 4}).json()
    # 80 training rows in batches of 30: 30 + 30 + 20 end the first epoch, then 30 of 80
    assert four["epoch"] == pytest.approx(1 + 30 / 80)


def test_live_changes_keep_the_weights(client):
    a = start(client, dataset="spiral", n_samples=200, hidden=[6], seed=2)
    client.post(f"/api/train/{a['id']}/step", json={"steps": 20})
    session = client.app.state.sessions[a["id"]]
    before = [p.value.copy() for p in session.net.parameters()]
    changed = client.post(f"/api/train/{a['id']}/settings",
                          json={"lr": 0.5, "batch_size": 8, "activation": "relu",
                                "penalty": "l2", "penalty_rate": 0.01, "noise": 0.5,
                                "test_fraction": 0.5}).json()
    assert changed["id"] == a["id"] and changed["step"] == 20
    assert changed["settings"]["activation"] == "relu" and changed["settings"]["batch_size"] == 8
    assert session.optimizer.lr == 0.5 and session.net.layers[0].activation.name == "relu"
    assert len(changed["train"]["X"]) == 100 and len(changed["test"]["X"]) == 100
    assert changed["train"]["X"] != a["train"]["X"]  # redrawn with more noise, same seed
    for old, p in zip(before, session.net.parameters()):
        np.testing.assert_array_equal(p.value, old)
    refused = client.post(f"/api/train/{a['id']}/settings", json={"hidden": [3]})
    assert refused.status_code == 400
    assert "'hidden' cannot change while training" in refused.json()["error"]
    half = client.post(f"/api/train/{a['id']}/settings", json={"lr": 0.9, "test_fraction": 1.5})
    assert "test_fraction must be a number in [0, 0.9]" in half.json()["error"]
    assert session.optimizer.lr == 0.5          # a refused change changes nothing


def test_a_clicked_point_joins_the_training_data_and_survives_new_noise(client):
    a = start(client, dataset="moons", n_samples=50, test_fraction=0.2)
    added = client.post(f"/api/train/{a['id']}/points",
                        json={"x1": 0.25, "x2": -0.5, "label": 1}).json()
    assert len(added["train"]["X"]) == 41 and added["train"]["X"][-1] == [0.25, -0.5]
    assert added["train"]["y"][-1] == 1 and added["grid"] == a["grid"]
    again = client.post(f"/api/train/{a['id']}/settings", json={"noise": 0.3}).json()
    assert again["train"]["X"][-1] == [0.25, -0.5]
    bad = client.post(f"/api/train/{a['id']}/points", json={"x1": 0, "x2": 0, "label": 2})
    assert bad.status_code == 400 and "label must be an integer from 0 to 1" in bad.json()["error"]


@pytest.mark.parametrize("spec, words", [
    ({"problem": "ranking"}, "problem must be one of classification, regression"),
    ({"problem": "regression", "dataset": "spiral"},
     "dataset must be one of plane, gaussians_regression"),
    ({"problem": "regression", "loss": "cross_entropy"}, "loss must be one of mse, squared_error"),
    ({"features": []}, "features must list at least one of x1, x2, x1sq"),
    ({"features": ["x3"]}, "features must list at least one of"),
    ({"penalty": "l3"}, "penalty must be one of none, l1, l2"),
    ({"penalty": "l2", "penalty_rate": -1}, "penalty_rate must be a number in [0, 10]"),
])
def test_bad_new_fields_get_one_sentence(client, spec, words):
    response = client.post("/api/train", json=spec)
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_options_list_the_new_choices(client):
    options = client.get("/api/options").json()
    assert options["problems"] == ["classification", "regression"]
    assert options["regression_datasets"] == ["plane", "gaussians_regression"]
    assert list(options["features"]) == ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]
    assert options["penalties"] == ["none", "l1", "l2"]
