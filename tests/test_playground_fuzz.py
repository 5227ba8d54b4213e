"""Whatever JSON a page sends, the playground answers with a sentence, never a crash."""

import json
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is what we install
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from glassnet.playground import create_app  # noqa: E402
from glassnet.playground.stepper import LECTURE_EXAMPLE  # noqa: E402

CLIENT = TestClient(create_app(), base_url="http://127.0.0.1")

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8))
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=5)),
    max_leaves=20)

# Requests that look almost right: the lecture's set-up with one field replaced.
step_fields = st.sampled_from(["layers", "loss", "x", "y", "lr"])
near_steps = st.builds(lambda key, value: {**LECTURE_EXAMPLE, key: value}, step_fields, json_values)
train_fields = st.sampled_from(["dataset", "n_samples", "noise", "n_classes", "test_fraction",
                                "seed", "hidden", "activation", "loss", "optimizer", "lr",
                                "batch_size"])
near_trains = st.builds(lambda key, value: {"dataset": "xor", "test_fraction": 0, key: value},
                        train_fields, json_values)


def _post(path, body):
    # json=None would send no body at all; the JSON document null is what is meant
    return CLIENT.post(path, content=json.dumps(body).encode(),
                       headers={"content-type": "application/json"})


def _answer_is_fine(response):
    assert response.status_code in (200, 400, 404), response.text  # 404: an unknown upload id
    if response.status_code != 200:
        message = response.json()["error"]
        assert isinstance(message, str) and 10 < len(message) < 400


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(["/api/step", "/api/step/network", "/api/step/setup",
                             "/api/step/check", "/api/train"]),
       body=st.one_of(json_values, near_steps, near_trains))
def test_any_json_gets_an_answer(path, body):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow in a legal but huge set-up
        _answer_is_fine(_post(path, body))


@settings(max_examples=40, deadline=None)
@given(body=json_values)
def test_any_step_request_gets_an_answer(body):
    sid = CLIENT.post("/api/train", json={"dataset": "xor", "test_fraction": 0}).json()["id"]
    _answer_is_fine(_post(f"/api/train/{sid}/step", body))


# Predict, then reveal: a set-up almost right, any name, anything typed.
near_checks = st.builds(lambda setup, name, answer: {"setup": setup, "name": name,
                                                     "answer": answer},
                        near_steps, st.one_of(st.sampled_from(["z1[1]", "y_hat", "L",
                                                               "w11[2]_new"]), json_values),
                        json_values)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=near_checks)
def test_any_prediction_gets_an_answer(body):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _answer_is_fine(_post("/api/step/check", body))
