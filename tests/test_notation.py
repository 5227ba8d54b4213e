"""The lecture's names, written by one rule (glassnet.notation) and read the same everywhere.

Every expected string is typed out by hand from the slides' convention: letter, 1-based
indices, layer in brackets; LaTeX braces a subscript only when it has more than one
character; a comma separates a weight's indices beside a layer wider than 9.
"""

import numpy as np
import pytest

import glassnet as gn
from glassnet import notation
from glassnet.course.steps import build_chain, weight_name
from glassnet.explain.notation import Symbols
from glassnet.playground.names import step_names


# ---- the rule itself ---------------------------------------------------------------------

@pytest.mark.parametrize("n_in, n_out, expected", [
    (2, 2, False), (9, 9, False),   # every index one digit: w99 reads one way
    (10, 1, True), (1, 10, True),   # w101 could be w10,1 or w1,01
    (784, 12, True),
])
def test_a_layer_is_wide_beyond_nine_inputs_or_neurons(n_in, n_out, expected):
    assert notation.wide(n_in, n_out) is expected


@pytest.mark.parametrize("call, expected", [
    (lambda: notation.weight(1, 1, 1, False), "w11[1]"),
    (lambda: notation.weight(2, 2, 1, False), "w21[2]"),
    (lambda: notation.weight(1, 3, 12, True), "w3,12[1]"),
    (lambda: notation.bias(1, 2), "b2[1]"),
    (lambda: notation.neuron("z", 1, 2), "z2[1]"),
    (lambda: notation.neuron("delta", 2, 1), "delta1[2]"),
    (lambda: notation.name("x", 1), "x1"),
    (lambda: notation.name("y"), "y"),
    (lambda: notation.name("dw", 1, 1, layer=2), "dw11[2]"),
])
def test_names_the_code_looks_numbers_up_by(call, expected):
    assert call() == expected


@pytest.mark.parametrize("args, kwargs, plain, latex", [
    (("delta", 1), {"layer": 2}, "δ1[2]", r"\delta_1^{[2]}"),
    (("delta", 12), {"layer": 3}, "δ12[3]", r"\delta_{12}^{[3]}"),
    (("a", 1), {"layer": 1}, "a1[1]", "a_1^{[1]}"),
    (("z", 2), {"layer": 1}, "z2[1]", "z_2^{[1]}"),
    (("w", 1, 1), {"layer": 1}, "w11[1]", "w_{11}^{[1]}"),
    (("w", 3, 12), {"layer": 1, "is_wide": True}, "w3,12[1]", "w_{3,12}^{[1]}"),
    (("b", 1), {"layer": 2}, "b1[2]", "b_1^{[2]}"),
    (("x", 2), {}, "x2", "x_2"),
    (("y_hat",), {}, "ŷ", r"\hat{y}"),
    (("y_hat", 2), {}, "ŷ2", r"\hat{y}_2"),
    (("alpha",), {}, "α", r"\alpha"),
])
def test_plain_text_and_latex_of_a_symbol(args, kwargs, plain, latex):
    assert notation.symbol(*args, **kwargs) == plain
    assert notation.symbol_latex(*args, **kwargs) == latex


def test_latex_helpers_for_weights_biases_and_derivatives():
    assert notation.weight_latex(2, 2, 1, False) == "w_{21}^{[2]}"
    assert notation.weight_latex(1, 10, 1, True) == "w_{10,1}^{[1]}"
    assert notation.bias_latex(1, 2) == "b_2^{[1]}"
    assert notation.derivative("L", "w11[2]") == "∂L/∂w11[2]"
    assert notation.derivative_latex(r"\mathcal{L}", "b_1^{[1]}") == \
        r"\frac{\partial \mathcal{L}}{\partial b_1^{[1]}}"


def test_the_gradient_vector_names_of_the_lecture_network():
    # the slides' ∇θL for 2-2-1: W[1] row by row (row j = input j), b[1], then W[2], b[2]
    assert notation.parameter_names([2, 2, 1]) == [
        "w11[1]", "w12[1]", "w21[1]", "w22[1]", "b1[1]", "b2[1]", "w11[2]", "w21[2]", "b1[2]"]


def test_a_wide_layer_takes_commas_and_its_neighbours_keep_their_names():
    names = notation.parameter_names([2, 10, 1])
    assert names[:3] == ["w1,1[1]", "w1,2[1]", "w1,3[1]"]
    assert "w2,10[1]" in names and "w10,1[2]" in names and "b10[1]" in names
    # layer 2 of 12-3-2 is 3 → 2: not wide, whatever the width of layer 1
    weights, biases = notation.layer_names(2, 3, 2)
    assert weights == ["w11[2]", "w12[2]", "w21[2]", "w22[2]", "w31[2]", "w32[2]"]
    assert set(weights + biases) <= set(notation.parameter_names([12, 3, 2]))
    assert notation.parameter_names([12, 3, 2])[0] == "w1,1[1]"


# ---- every part of glassnet names by the same rule ---------------------------------------

def test_network_gradient_vector_uses_the_rule():
    net = gn.Network([gn.Dense(12, 3, "relu"), gn.Dense(3, 2, "sigmoid")], loss="bce", seed=0)
    net.loss(net.forward(np.ones((1, 12))), np.array([[1.0, 0.0]])).backward()
    names, values = net.gradient_vector()
    assert names == notation.parameter_names([12, 3, 2]) and len(values) == len(names)


def test_explain_symbols_use_the_rule():
    s = Symbols([2, 2, 1])  # 0-based indices in, the slides' 1-based names out
    assert s.a(0, 1) == "x_2"
    assert s.a(1, 0) == "a_1^{[1]}"
    assert s.a(2, 0) == r"\hat{y}"
    assert s.y(0) == "y"
    assert s.z(2, 0) == "z_1^{[2]}"
    assert s.delta(2, 0) == r"\delta_1^{[2]}"
    assert s.w(2, 1, 0) == "w_{21}^{[2]}"
    assert s.dL(s.b(1, 1)) == r"\frac{\partial \mathcal{L}}{\partial b_2^{[1]}}"
    several = Symbols([3, 2])
    assert several.a(1, 1) == r"\hat{y}_2" and several.y(0) == "y_1"
    mixed = Symbols([12, 3, 2])  # the comma per layer, as in the gradient vector
    assert mixed.w(1, 10, 2) == "w_{11,3}^{[1]}"   # input 11 → neuron 3 of a 12 → 3 layer
    assert mixed.w(2, 0, 0) == "w_{11}^{[2]}"


def test_explain_renderers_agree_on_a_mixed_network():
    net = gn.Network([gn.Dense(12, 3, "relu", seed=1), gn.Dense(3, 2, "sigmoid", seed=2)],
                     loss="bce")
    trace = gn.explain.step(net, np.linspace(-1, 1, 12), [1.0, 0.0], lr=0.1)
    text, md = trace.to_text(), trace.to_markdown()
    assert "w11[2]" in text and "w1,1[1]" in text and "w11,2" not in text
    assert "w_{11}^{[2]}" in md and "w_{1,1}^{[2]}" not in md
    assert "w_{1,1}^{[1]}" in md


def test_course_chain_uses_the_rule():
    quantities, steps = build_chain((2, 2, 1))
    q = {name: (v.text, v.latex) for name, v in quantities.items()}
    assert q["x1"] == ("x1", "x_1")
    assert q["w21[1]"] == ("w21[1]", "w_{21}^{[1]}")
    assert q["b1[2]"] == ("b1[2]", "b_1^{[2]}")
    assert q["a1[1]"] == ("a1[1]", "a_1^{[1]}")
    assert q["a1[2]"] == ("ŷ", r"\hat{y}")            # the output is ŷ, its key a1[2]
    assert q["delta1[2]"] == ("δ1[2]", r"\delta_1^{[2]}")
    assert q["dw11[2]"] == ("∂L/∂w11[2]", r"\frac{\partial \mathcal{L}}{\partial w_{11}^{[2]}}")
    assert q["dsig1[1]"] == ("∂a1[1]/∂z1[1]", r"\frac{\partial a_1^{[1]}}{\partial z_1^{[1]}}")
    assert q["w11[1]_new"] == ("w11[1]'", "{w_{11}^{[1]}}'")
    assert weight_name(3, 12, 1, (784, 12, 1)) == "w3,12[1]"
    wide, _ = build_chain((2, 10, 1))
    assert wide["w2,10[1]"].latex == "w_{2,10}^{[1]}" and "w10,1[2]" in wide


def test_playground_names_use_the_rule():
    names = step_names([2, 2, 1])
    hidden, output = names["layers"]
    assert hidden["W"][1][0] == {"text": "w21[1]", "base": "w", "sub": "21", "layer": 1}
    assert output["delta"][0] == {"text": "delta1[2]", "base": "δ", "sub": "1", "layer": 2}
    assert hidden["a"][1]["text"] == "a2[1]" and output["a"][0]["text"] == "y_hat"
    assert names["x"][1]["text"] == "x2"
