"""Predict, then reveal: a student's guess at the next number of a step, marked on the server.

``POST /api/step/check`` sends the step-through set-up, the name of one number of its next
step (``"z1[1]"``, ``"y_hat"``, ``"L"``, ``"delta1[2]"``, ``"dw11[1]"``, ``"w11[2]_new"``; the
names of :mod:`glassnet.notation`, as the course's sheets use them) and what the student
typed. The answer is marked by the course checker (:func:`glassnet.course.check`) wherever the
set-up is one the course's sheets describe (sigmoid neurons, the squared error, up to 6 per
layer): its tolerance (half a unit of the last digit written, at most the sheet's 4 decimals)
and its named mistakes (a flipped sign, α left out, σ′ left out …). Any other set-up is marked
with the same tolerance against the engine's value, and an update's named mistakes.
"""

from __future__ import annotations

import re

import numpy as np

from .. import notation
from ..course import build_sheet, check
from ..course.answers import parse
from ..course.checker import _close  # the checker's own closeness, so both marks agree
from ..course.misconceptions import candidates, said_of
from ..course.sheet import asked_tolerance
from ..course.steps import Step
from ..explain import step as explain_step
from .limits import Limits, RequestError, short
from .stepper import parse_setup

__all__ = ["check_answer", "DECIMALS"]

DECIMALS = 4  # what a course sheet asks for, and so what the page asks for
_Y_HAT = re.compile(r"y_hat(\d*)")
_VERDICTS = {"correct": "correct", "carried_forward": "correct", "wrong": "wrong",
             "unreadable": "unreadable"}


def check_answer(data, limits: Limits) -> dict:
    """Mark ``data["answer"]`` as the value of ``data["name"]`` in one step of ``data["setup"]``.

    Returns ``{"verdict": "correct" | "wrong" | "unreadable", "expected": float, "name": str,
    "note": str, "mistake": str, "mistake_text": str, "hint": str, "marked_by": "course checker"
    | "tolerance"}``: ``mistake`` names one of the course's common mistakes where one explains a
    wrong answer; ``hint`` is the checker's formula with the numbers plugged in.
    """
    if not isinstance(data, dict):
        raise RequestError("expected a JSON object with setup, name and answer")
    net, x, y, lr = parse_setup(data.get("setup"), limits)
    shape = (net.n_in, *[layer.n_out for layer in net.layers])
    name, answer = data.get("name"), data.get("answer")
    if not isinstance(answer, (str, int, float)) or isinstance(answer, bool):
        raise RequestError(f"answer must be the number the student typed, got {short(answer)}")
    answer = str(answer).strip().replace("−", "-")
    if not answer:
        raise RequestError("answer is empty; type a number such as 0.3775")
    values = _step_values(net, x, y, lr, shape)
    key = _key_name(name, shape)
    if key not in values:
        raise RequestError(f"name must be a number of this step such as 'z1[1]', 'L', "
                           f"'delta1[2]', 'dw11[1]' or 'w11[1]_new', got {short(name)}")
    if _course_describes(net, shape):
        return _by_course(shape, values, key, name, answer)
    return _by_tolerance(values, key, name, answer)


def _key_name(name, shape) -> str | None:
    """The checker's name of ``name``: ŷ (``y_hat``, ``y_hat2``) is the last layer's ``a``."""
    if not isinstance(name, str):
        return None
    m = _Y_HAT.fullmatch(name)
    return notation.neuron("a", len(shape) - 1, int(m[1] or 1)) if m else name


def _course_describes(net, shape) -> bool:
    return (net.loss_fn.name == "squared_error" and len(shape) <= 5 and max(shape) <= 6
            and all(layer.activation.name == "sigmoid" for layer in net.layers))


def _step_values(net, x, y, lr, shape) -> dict[str, float]:
    """Every number of the step under its checker's name, read off explain's trace."""
    document = explain_step(net, x, y, lr=lr).to_dict(digits=5)
    out = {notation.name("x", j): float(v) for j, v in enumerate(x[0], 1)}
    single = shape[-1] == 1
    out.update({"y" if single else notation.name("y", k): float(v) for k, v in enumerate(y[0], 1)})
    out.update({"alpha": lr, "L": float(document["loss"]["value"])})
    for l, layer in enumerate(document["layers"], 1):
        for i in range(layer["n_out"]):
            for letter, field in (("z", "z"), ("a", "a"), ("delta", "delta")):
                out[notation.neuron(letter, l, i + 1)] = float(layer[field][0][i])
        weights, biases = notation.layer_names(l, layer["n_in"], layer["n_out"])
        for names, p in ((weights, layer["W"]), (biases, layer["b"])):
            for n, old, grad, new in zip(names, np.ravel(p["old"]), np.ravel(p["grad"]),
                                         np.ravel(p["new"])):
                out.update({n: float(old), f"d{n}": float(grad), f"{n}_new": float(new)})
    return out


def _givens(values: dict) -> dict[str, float]:
    """What a course sheet of this network is given: x, y, α, W and b."""
    keep = re.compile(r"(x\d+|y\d*|alpha|[wb][\d,]+\[\d+\])")
    return {n: v for n, v in values.items() if keep.fullmatch(n)}


def _by_course(shape, values, key, name, answer) -> dict:
    sheet = build_sheet("training_step", _givens(values), shape, decimals=DECIMALS)
    report = check(sheet, {key: answer})
    mark = next(m for m in report.marks if m.name == key)
    note = "" if mark.note == "see below" else mark.note.replace(" (see below)", "")
    return {**_answer(name, _VERDICTS.get(mark.verdict, "wrong"), mark.expected, note,
                      mark.misconception, "course checker", key), "hint": report.hint or ""}


def _by_tolerance(values, key, name, answer) -> dict:
    truth = values[key]
    parsed = parse(key, answer)
    if isinstance(parsed, str):
        return _answer(name, "unreadable", truth, parsed, "", "tolerance", key)
    value, written_tol = parsed
    if _close(value, truth, min(written_tol, asked_tolerance(DECIMALS, truth))):
        return _answer(name, "correct", truth, "", "", "tolerance", key)
    note, mistake = "", ""
    if _close(value, truth, written_tol):
        note = f"rounded more coarsely than the {DECIMALS} decimals asked for"
    elif key.endswith("_new"):   # θ − α ∂L/∂θ: the update's named mistakes hold for any network
        theta = key[:-len("_new")]
        update = Step(key, "update", (theta, "alpha", f"d{theta}"))
        mistake = next((n for n, v in candidates(update, values)
                        if _close(value, v, min(written_tol, asked_tolerance(DECIMALS, v)))), "")
        note = said_of(mistake, key) if mistake else ""
    return _answer(name, "wrong", truth, note, mistake, "tolerance", key)


def _answer(name, verdict, expected, note, mistake, marked_by, key) -> dict:
    """The mark; ``mistake_text`` speaks of the number marked (``key``, the checker's name)."""
    return {"name": name, "verdict": verdict, "expected": float(expected), "note": note,
            "mistake": mistake, "mistake_text": said_of(mistake, key) if mistake else "",
            "hint": "", "marked_by": marked_by}
