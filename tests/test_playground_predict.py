"""Predict, then reveal: a typed value of the next step, marked by the course checker.

The API (``POST /api/step/check``), in-process; the page (a right and a wrong answer, the
named mistake, the score) is tested in Chromium in test_playground_step_view.py.
"""

import copy
import warnings

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is what we install
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from glassnet.course import build_sheet  # noqa: E402
from glassnet.playground import create_app  # noqa: E402
from glassnet.playground.stepper import LECTURE_EXAMPLE  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(), base_url="http://127.0.0.1") as c:
        yield c


def mark(client, name, answer, setup=LECTURE_EXAMPLE):
    response = client.post("/api/step/check", json={"setup": setup, "name": name,
                                                    "answer": answer})
    assert response.status_code == 200, response.text
    return response.json()


# The lecture's numbers: z₁[1] = 0.05·0.15 + 0.10·0.20 + 0.35 = 0.3775; ŷ = σ(1.10591) =
# 0.75137; L = ½(0.01 − 0.75137)² = 0.27481; δ₁[2] = (ŷ − y)·ŷ(1 − ŷ) = 0.74137·0.18682 =
# 0.1385; w₁₁[2]' = 0.40 − 0.5·0.082167 = 0.35892.
@pytest.mark.parametrize("name,answer", [("z1[1]", "0.3775"), ("y_hat", "0.7514"),
                                         ("L", "0.2748"), ("delta1[2]", "0.1385"),
                                         ("dw11[2]", "0.08217"), ("w11[2]_new", "0.3589")])
def test_a_right_answer_is_correct(client, name, answer):
    result = mark(client, name, answer)
    assert (result["verdict"], result["marked_by"]) == ("correct", "course checker")
    assert abs(result["expected"] - float(answer)) <= 0.5e-4


@pytest.mark.parametrize("name,answer,mistake", [
    ("L", "0.5496", "half_dropped"),            # (0.01 − 0.75137)², without the ½
    ("delta1[2]", "-0.1385", "sign_flip"),      # (y − ŷ)·ŷ(1 − ŷ)
    ("w11[2]_new", "0.4411", "sign_flip"),      # 0.40 + 0.5·0.082167: up the gradient
    ("w11[2]_new", "0.3178", "learning_rate_left_out"),  # 0.40 − 0.082167
    ("z1[1]", "0.3825", "swapped_weights"),     # 0.05·0.15 + 0.10·0.25 + 0.35: w₁₂ for w₂₁
])
def test_a_wrong_answer_is_marked_with_its_named_mistake(client, name, answer, mistake):
    result = mark(client, name, answer)
    assert (result["verdict"], result["mistake"]) == ("wrong", mistake)
    assert result["mistake_text"]                  # the course's sentence for it


@pytest.mark.parametrize("name,answer,says,not_says", [
    ("delta1[2]", "-0.1385", "∂L/∂ŷ = ŷ − y", "update"),        # the derivative's sign
    ("w11[2]_new", "0.4411", "an update subtracts", "ŷ − y"),  # the step's direction
])
def test_a_named_mistake_speaks_only_of_the_number_marked(client, name, answer, says, not_says):
    result = mark(client, name, answer)
    for text in (result["mistake_text"], result["note"]):
        assert says in text and not_says not in text, text
    tanh = copy.deepcopy(LECTURE_EXAMPLE)                           # marked by tolerance
    tanh["layers"][0]["activation"] = "tanh"
    grad = mark(client, "dw11[2]", "0", tanh)["expected"]
    flipped = mark(client, "w11[2]_new", f"{0.40 + 0.5 * grad:.6f}", tanh)
    assert "an update subtracts" in flipped["mistake_text"] and "ŷ − y" not in flipped["note"]


def test_a_set_up_without_a_loss_takes_the_squared_error_as_a_step_does(client):
    setup = {k: v for k, v in LECTURE_EXAMPLE.items() if k != "loss"}
    result = mark(client, "L", "0.2748", setup)
    assert (result["verdict"], result["marked_by"]) == ("correct", "course checker")


def test_the_checker_tolerance_follows_the_written_digits(client):
    assert mark(client, "a1[1]", "0.5933")["verdict"] == "correct"   # a₁[1] = 0.593270
    assert mark(client, "a1[1]", "0.5934")["verdict"] == "wrong"     # outside half a unit
    coarse = mark(client, "a1[1]", "0.59")                            # fewer than 4 decimals
    assert coarse["verdict"] == "wrong" and "more coarsely" in coarse["note"]
    unreadable = mark(client, "a1[1]", "≈0.59")
    assert unreadable["verdict"] == "unreadable" and "without" in unreadable["note"]


def test_the_key_is_the_course_sheets_own(client):
    """The value the page reveals is the one a course sheet of the same numbers keys."""
    givens = {"x1": 0.05, "x2": 0.10, "y": 0.01, "alpha": 0.5, "w11[1]": 0.15, "w12[1]": 0.25,
              "w21[1]": 0.20, "w22[1]": 0.30, "b1[1]": 0.35, "b2[1]": 0.35, "w11[2]": 0.40,
              "w21[2]": 0.45, "b1[2]": 0.60}
    sheet = build_sheet("training_step", givens, (2, 2, 1))
    for name in ("z2[1]", "a1[2]", "delta2[1]", "dw21[1]", "b1[1]_new"):
        assert mark(client, name, "0")["expected"] == pytest.approx(sheet.key[name], rel=1e-12)


def test_a_network_the_course_does_not_describe_is_marked_by_tolerance(client):
    setup = copy.deepcopy(LECTURE_EXAMPLE)
    setup["layers"][0]["activation"] = "tanh"
    right = mark(client, "z1[1]", "0.3775", setup)           # z does not depend on f
    assert (right["verdict"], right["marked_by"]) == ("correct", "tolerance")
    new = mark(client, "w11[2]_new", "0", setup)["expected"]
    grad = mark(client, "dw11[2]", "0", setup)["expected"]
    flipped = mark(client, "w11[2]_new", f"{0.40 + 0.5 * grad:.6f}", setup)
    assert (flipped["verdict"], flipped["mistake"]) == ("wrong", "sign_flip")
    assert new == pytest.approx(0.40 - 0.5 * grad)


@pytest.mark.parametrize("body,says", [
    ({"setup": LECTURE_EXAMPLE, "name": "q9", "answer": "1"}, "name must be a number of this step"),
    ({"setup": LECTURE_EXAMPLE, "name": "L", "answer": ""}, "answer is empty"),
    ({"setup": LECTURE_EXAMPLE, "name": "L", "answer": [1]}, "answer must be the number"),
    ({"setup": {"layers": []}, "name": "L", "answer": "1"}, "layers must be a list"),
    ([1, 2], "expected a JSON object with setup, name and answer"),
])
def test_bad_requests_get_one_sentence(client, body, says):
    response = client.post("/api/step/check", json=body)
    assert response.status_code == 400 and says in response.json()["error"]


def test_a_shared_set_up_comes_back_checked_with_its_names(client):
    answer = client.post("/api/step/setup", json={**LECTURE_EXAMPLE, "extra": "<b>"}).json()
    assert "extra" not in answer and answer["layers"][0]["W"] == [[0.15, 0.25], [0.20, 0.30]]
    assert answer["names"]["layers"][1]["a"][0]["text"] == "y_hat"
    bad = client.post("/api/step/setup", json={**LECTURE_EXAMPLE, "lr": -1})
    assert bad.status_code == 400 and "lr" in bad.json()["error"]
