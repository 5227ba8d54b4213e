"""gn.course.generate: nice numbers, same seed same sheet, keys from the engine agree with the
hand chain, renderings and saving."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from conftest import require_tool
from hypothesis import strategies as st

import glassnet.course as course
from glassnet.course.sheet import Sheet
from glassnet.course.steps import build_chain

SHAPES = [(2, 2, 1), (3, 2, 1), (2, 3, 2), (2, 1), (2, 2, 2, 1)]
KIND = st.sampled_from(sorted(course.KINDS))
SHAPE = st.sampled_from(SHAPES)
SEED = st.integers(0, 2**31)


def lecture_givens():
    """The slides' worked example, with the weights that give their printed forward values."""
    return {"x1": 0.05, "x2": 0.10, "y": 0.01, "alpha": 0.5,
            "w11[1]": 0.15, "w12[1]": 0.25, "w21[1]": 0.20, "w22[1]": 0.30,
            "b1[1]": 0.35, "b2[1]": 0.35, "w11[2]": 0.40, "w21[2]": 0.45, "b1[2]": 0.60}


@settings(max_examples=60, deadline=None)
@given(kind=KIND, shape=SHAPE, seed=SEED)
def test_same_seed_gives_the_same_sheet_with_two_decimal_givens(kind, shape, seed):
    if kind == "hidden_gradients" and len(shape) < 3:
        return
    a = course.generate(kind, seed=seed, shape=shape)
    b = course.generate(kind, seed=seed, shape=shape)
    assert a.to_dict() == b.to_dict()
    for name, v in a.givens.items():
        if kind == "weight_update" and name.startswith("d"):
            # Gradients: two significant digits, e.g. 0.0045 = 45e-4.
            mantissa = abs(v) / 10.0 ** math.floor(math.log10(abs(v)))
            assert mantissa * 10 == pytest.approx(round(mantissa * 10), abs=1e-9), (name, v)
        elif name != "alpha":
            assert v * 100 == pytest.approx(round(v * 100), abs=1e-9), (name, v)


@settings(max_examples=60, deadline=None)
@given(kind=KIND, shape=SHAPE, seed=SEED)
def test_generated_answers_are_unsaturated_and_at_least_1e_4(kind, shape, seed):
    if kind == "hidden_gradients" and len(shape) < 3:
        return
    sheet = course.generate(kind, seed=seed, shape=shape)
    values = {**sheet.givens, **sheet.key}
    for name, v in values.items():
        if name.startswith("a") and "[" in name:
            assert 0.05 <= v <= 0.95, (name, v)   # no saturated neuron
    assert all(abs(v) >= 1e-4 for v in sheet.key.values())
    if "L" in sheet.key:
        out = [v for n, v in sheet.key.items() if n.startswith("a") and n.endswith(f"[{len(shape) - 1}]")]
        ys = [v for n, v in sheet.givens.items() if n.startswith("y")]
        assert min(abs(o - t) for o, t in zip(out, ys)) >= 0.1


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(["forward", "training_step", "weight_update"]), shape=SHAPE,
       seed=SEED)
def test_engine_key_agrees_with_the_hand_chain(kind, shape, seed):
    """The key is read off the engine; the chain the checker uses must give the same numbers."""
    sheet = course.generate(kind, seed=seed, shape=shape)
    values = dict(sheet.givens)
    for step in sheet.steps:
        values[step.name] = step.compute([values[d] for d in step.deps])
        assert values[step.name] == pytest.approx(sheet.key[step.name], rel=1e-12, abs=1e-15)


def test_different_seeds_give_different_sheets():
    sheets = [course.generate("training_step", seed=s).givens for s in range(5)]
    assert len({json.dumps(g, sort_keys=True) for g in sheets}) == 5


def test_lecture_sheet_reproduces_the_slides_contract():
    sheet = course.build_sheet("training_step", lecture_givens())
    assert f"{sheet.key['a1[2]']:.8f}" == "0.75136507"   # the slides' ŷ, to the README's 8 digits
    assert f"{sheet.key['L']:.8f}" == "0.27481108"       # ½(0.01 − 0.75136507)²
    # δ_out = 0.74136507 · 0.18681560 = 0.13849856, which is also ∂L/∂b[2].
    assert sheet.key["db1[2]"] == sheet.key["delta1[2]"]
    assert f"{sheet.key['delta1[2]']:.8f}" == "0.13849856"
    assert sheet.names[:6] == ["z1[1]", "a1[1]", "z2[1]", "a2[1]", "z1[2]", "a1[2]"]
    assert len(sheet.steps) == 34   # 6 forward + L + 18 backward + 9 updates


def test_each_sheet_kind_gives_its_slice_of_the_chain():
    forward = course.generate("forward", seed=1)
    assert set(forward.givens) == {"x1", "x2", "w11[1]", "w12[1]", "w21[1]", "w22[1]",
                                   "b1[1]", "b2[1]", "w11[2]", "w21[2]", "b1[2]"}
    out = course.generate("output_gradients", seed=1)
    assert set(out.givens) == {"a1[2]", "y", "a1[1]", "a2[1]"}
    assert out.names == ["dy_hat", "dsig1[2]", "delta1[2]", "dw11[2]", "dw21[2]", "db1[2]"]
    hidden = course.generate("hidden_gradients", seed=1)
    assert set(hidden.givens) == {"delta1[2]", "w11[2]", "w21[2]", "a1[1]", "a2[1]", "x1", "x2"}
    update = course.generate("weight_update", seed=1)
    assert len(update.names) == 9 and all(n.endswith("_new") for n in update.names)


def test_renderings_show_every_answer_name():
    sheet = course.generate("training_step", seed=11)
    student, key = sheet.to_markdown(), sheet.to_markdown(key=True)
    for name in sheet.names:
        assert f"`{name}`" in student and f"`{name}`" in key
    assert str(round(sheet.key["L"], 6))[:7] in key and str(round(sheet.key["L"], 6))[:7] not in student
    assert "seed 11" in sheet.to_text()
    for doc in (sheet.to_latex(), sheet.to_latex(key=True)):
        assert doc.isascii() and doc.startswith(r"\documentclass")


def test_derivation_plugs_the_givens_into_the_formula():
    sheet = course.build_sheet("training_step", lecture_givens())
    # z1[1] = 0.05·0.15 + 0.10·0.20 + 0.35 = 0.3775
    assert sheet.derivation("z1[1]") == ("z1[1] = x1·w11[1] + x2·w21[1] + b1[1] = "
                                         "0.05·0.15 + 0.1·0.2 + 0.35 = 0.3775")
    with pytest.raises(ValueError, match="not a step of this sheet"):
        sheet.derivation("nope")


def test_a_saved_sheet_loads_back_identical(tmp_path):
    sheet = course.generate("hidden_gradients", seed=5, shape=(3, 2, 2))
    path = sheet.save(tmp_path / "sheet.json")
    again = Sheet.load(path)
    assert again.to_dict() == sheet.to_dict()
    assert again.to_markdown(key=True) == sheet.to_markdown(key=True)
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed away


@pytest.mark.slow
def test_answer_key_compiles_to_a_pdf(tmp_path):
    require_tool("pdflatex")
    sheet = course.generate("training_step", seed=2)
    pdf = sheet.to_pdf(tmp_path / "key.pdf", key=True)
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("call, match", [
    (lambda: course.generate("backprop", seed=1), "unknown exercise kind 'backprop'"),
    (lambda: course.generate("forward", seed=1, shape=(2,)), "shape expected 2 to 5"),
    (lambda: course.generate("forward", seed=1, shape=(2, 0, 1)), "shape expected 2 to 5"),
    (lambda: course.generate("hidden_gradients", seed=1, shape=(2, 1)), "needs a hidden layer"),
    (lambda: course.build_sheet("forward", {"x1": 0.1}), "needs givens"),
])
def test_unknown_kind_bad_shape_and_missing_givens_are_refused(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_a_negative_seed_is_a_type_error():
    with pytest.raises(TypeError, match="seed must be a non-negative int"):
        course.generate("forward", seed=-1)


def test_chain_names_match_the_engine_gradient_vector():
    net_names = ["w11[1]", "w12[1]", "w21[1]", "w22[1]", "b1[1]", "b2[1]", "w11[2]", "w21[2]",
                 "b1[2]"]
    _, steps = build_chain((2, 2, 1))
    assert [s.name[1:] for s in steps if s.name[:2] in ("dw", "db")] == \
        net_names[6:] + net_names[:6]  # backward order: the output layer first
    assert np.all([s.name == f"{d}_new" for s, d in zip(steps[-9:], net_names)])
