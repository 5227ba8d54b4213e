"""The renderings of a trace show the engine's numbers: Markdown, LaTeX, text, JSON, Jupyter."""

import json
import math
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import LECTURE_X, LECTURE_Y, make_lecture_net, require_tool
from latex2mathml.converter import convert

import glassnet as gn
from glassnet.explain import step
from glassnet.explain.derivation import derive
from glassnet.explain.notation import fmt

DOCS = Path(__file__).resolve().parents[1] / "docs" / "trace-schema.md"


def lecture_trace(**kwargs):
    return step(make_lecture_net(), LECTURE_X, LECTURE_Y, lr=0.5, **kwargs)


def assorted_traces():
    """Every activation, every loss, fused and not, a batch, Adam and a wide layer."""
    rng = np.random.default_rng(0)
    logistic = gn.Network([gn.Dense(3, 1, "sigmoid", seed=1)], loss="bce")
    softmax = gn.Network([gn.Dense(2, 3, "relu", seed=2), gn.Dense(3, 3, "softmax", seed=3)],
                         loss="cross_entropy")
    mixed = gn.Network([gn.Dense(2, 3, "tanh", seed=4), gn.Dense(3, 2, "leaky_relu", seed=5),
                        gn.Dense(2, 2, "identity", seed=6)], loss="mse")
    soft_sq = gn.Network([gn.Dense(2, 3, "softmax", seed=7)], loss="squared_error")
    wide = gn.Network([gn.Dense(12, 11, "relu", seed=8), gn.Dense(11, 1, "sigmoid", seed=9)],
                      loss="bce")
    return [
        lecture_trace(),
        step(make_lecture_net(), rng.uniform(size=(3, 2)), rng.uniform(size=(3, 1)), lr=0.5),
        step(logistic, [1.0, 2.0, -1.5], 1, lr=0.1),
        step(softmax, [[1.0, -2.0], [0.5, 0.5]], [2, 0], optimizer=gn.Adam(softmax.parameters())),
        step(mixed, rng.normal(size=(2, 2)), rng.normal(size=(2, 2)), lr=0.1),
        step(soft_sq, [[0.3, -0.7]], [[0.0, 1.0, 0.0]], lr=0.1),
        step(wide, rng.normal(size=(5, 12)), rng.integers(0, 2, size=5), lr=0.1),
    ]


# ---- Markdown ----------------------------------------------------------------------------

def test_markdown_shows_the_slides_lines():
    md = lecture_trace().to_markdown()
    # the slides' hidden neurons and output (with the slides' weight order, corrected)
    assert (r"$$a_1^{[1]} = \sigma(0.05 \cdot 0.15 + 0.10 \cdot 0.20 + 0.35) = \sigma(0.3775) "
            r"\approx 0.59327$$") in md
    assert r"a_2^{[1]} = \sigma(0.05 \cdot 0.25 + 0.10 \cdot 0.30 + 0.35) = \sigma(0.3925)" in md
    # a2 carries a sixth digit: 0.59327·0.40 + 0.596884·0.45 + 0.60 = 1.1059058 → 1.10591
    # (with 0.59688 it would be 1.105904, not the 1.10591 shown)
    assert r"\hat{y} = \sigma(0.59327 \cdot 0.40 + 0.596884 \cdot 0.45 + 0.60)" in md
    assert r"\mathcal{L} = \frac{1}{2}(y - \hat{y})^2 = \frac{1}{2}(0.01 - 0.75137)^2" in md
    assert r"\delta_1^{[2]} = \frac{\partial \mathcal{L}}{\partial \hat{y}} \cdot" in md
    assert r"w_{11}^{[2]} \leftarrow w_{11}^{[2]} - \alpha" in md


def _number(text: str) -> float:
    return float(text.replace(r" \times 10^{", "e").rstrip("}"))


def test_markdown_results_are_the_engine_values_rounded():
    net = make_lecture_net()
    trace = step(net, LECTURE_X, LECTURE_Y, lr=0.5)
    names, grads = gn.Network.gradient_vector(_replay_gradients())
    lecture = dict(zip(names, grads))
    d = r"\frac{\partial \mathcal{L}}{\partial "
    expected = {
        d + "w_{11}^{[1]}}": lecture["w11[1]"], d + "w_{12}^{[1]}}": lecture["w12[1]"],
        d + "w_{21}^{[1]}}": lecture["w21[1]"], d + "w_{22}^{[1]}}": lecture["w22[1]"],
        d + "b_1^{[1]}}": lecture["b1[1]"], d + "b_2^{[1]}}": lecture["b2[1]"],
        d + "w_{11}^{[2]}}": lecture["w11[2]"], d + "w_{21}^{[2]}}": lecture["w21[2]"],
        d + "b_1^{[2]}}": lecture["b1[2]"], r"\hat{y}": trace.y_hat[0, 0],
        r"\mathcal{L}": trace.loss, "w_{11}^{[2]}": trace.layers[1].W.new[0, 0],
    }
    for digits in (3, 5, 7):
        found = 0
        for section in derive(trace, digits=digits):
            for eq in section.lines:
                if eq.lhs in expected:
                    rel, last = eq.parts[-1]
                    value = expected[eq.lhs]
                    decimals = len(last.split(".")[-1]) if "." in last else 0
                    assert abs(_number(last) - value) <= 0.51 * 10 ** -decimals, eq.latex()
                    assert (rel == "=") == (_number(last) == value)
                    found += 1
        assert found == len(expected)


def _replay_gradients():
    """The lecture net after a plain backward, for its gradient_vector."""
    net = make_lecture_net()
    net.loss(net.forward(LECTURE_X), LECTURE_Y).backward()
    return net


_ARITH = re.compile(r"^[-+*/(). 0-9]+$")


def _evaluate(expr: str):
    """Plugged-in numbers as Python arithmetic, or None where the line is not plain arithmetic."""
    expr = expr.replace(r"\cdot", "*")
    squash = {r"\sigma(": lambda v: 1 / (1 + math.exp(-v)), r"\tanh(": math.tanh,
              r"\operatorname{ReLU}(": lambda v: max(v, 0.0)}
    for prefix, f in squash.items():
        if expr.startswith(prefix) and expr.endswith(")") and _ARITH.match(expr[len(prefix):-1]):
            return f(eval(expr[len(prefix):-1]))  # digits and operators only (checked above)
    frac = re.match(r"^\\frac\{1\}\{(\d+)\}\((.*)\)$", expr)
    if frac and _ARITH.match(frac.group(2)):
        return eval(frac.group(2)) / int(frac.group(1))
    return eval(expr) if _ARITH.match(expr) else None


@pytest.mark.parametrize("index", range(7))
def test_numbers_plugged_in_give_the_result(index):
    """Evaluating each line's plugged-in numbers reproduces its result (up to rounding)."""
    trace = assorted_traces()[index]
    checked = 0
    for section in derive(trace, digits=7):
        for eq in section.lines:
            if not eq.parts or eq.parts[-1][0] not in ("=", r"\approx"):
                continue
            try:
                result = _number(eq.parts[-1][1])
            except ValueError:
                continue
            for _, expr in eq.parts[:-1]:
                value = _evaluate(expr)
                if value is not None:
                    assert value == pytest.approx(result, rel=1e-4, abs=1e-6), eq.latex()
                    checked += 1
    assert checked >= 4


def test_digits_option_changes_the_rounding():
    md = lecture_trace().to_markdown(digits=3)
    assert r"\sigma(0.3775) \approx 0.593$$" in md or r"\sigma(0.378) \approx 0.593$$" in md
    assert r"\approx 0.751$$" in md


def test_batch_markdown_shows_sample_and_mean():
    x, y = np.array([[0.05, 0.10], [0.5, 0.2]]), np.array([[0.01], [0.5]])
    trace = step(make_lecture_net(), x, y, lr=0.5)
    md = trace.to_markdown(sample=1)
    assert "sample 2 of 2" in md and r"\ell_2" in md
    assert r"\frac{1}{2} \sum_{n=1}^{2}" in md
    assert fmt(trace.layers[1].W.grad[0, 0]) in md


def test_fused_output_shows_y_hat_minus_y():
    trace = assorted_traces()[2]
    md = trace.to_markdown()
    assert r"\delta_1^{[1]} = \frac{\partial \mathcal{L}}{\partial z_1^{[1]}} = \hat{y} - y" in md
    assert "simplifies to ŷ − y" in md and "logistic regression" in md
    assert r"\frac{\partial \mathcal{L}}{\partial \hat{y}}" not in md


# ---- LaTeX -------------------------------------------------------------------------------

def test_every_maths_fragment_parses_as_mathml():
    for trace in assorted_traces():
        for section in derive(trace):
            for eq in section.lines:
                mathml = convert(eq.latex())
                assert mathml.startswith("<math") and "merror" not in mathml


@pytest.mark.slow
def test_latex_document_compiles_with_pdflatex(tmp_path):
    pdflatex = require_tool("pdflatex")
    for k, trace in enumerate(assorted_traces()[:4] + assorted_traces()[6:]):
        tex = tmp_path / f"trace{k}.tex"
        tex.write_text(trace.to_latex(), encoding="utf-8")
        run = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", tex.name],
                             check=False, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stdout[-2000:]
        assert (tmp_path / f"trace{k}.pdf").stat().st_size > 1000


def test_latex_not_standalone_is_a_body_without_preamble():
    body = lecture_trace().to_latex(standalone=False)
    assert r"\documentclass" not in body and r"\begin{align*}" in body
    assert r"a_1^{[1]} &= \sigma(0.05 \cdot 0.15 + 0.10 \cdot 0.20 + 0.35)" in body


# ---- text --------------------------------------------------------------------------------

def test_text_tables_show_the_update_numbers():
    trace = lecture_trace()
    text = trace.to_text()
    out = trace.layers[1]
    row = next(line for line in text.splitlines() if line.strip().startswith("w11[2]"))
    cells = [float(c) for c in row.split()[1:]]
    engine = [out.W.old[0, 0], out.W.grad[0, 0], out.W.step[0, 0], out.W.new[0, 0]]
    np.testing.assert_allclose(cells, engine, rtol=1e-4)   # 0.40, 0.082167, −0.041084, 0.35892
    assert "0.27481" in text and "0.3775" in text


def test_text_fits_100_columns_for_every_network():
    for trace in assorted_traces():
        lines = trace.to_text().splitlines()
        assert max(len(line) for line in lines) <= 100
    wide = assorted_traces()[6].to_text()
    assert "more entries of W[1]" in wide and "batch mean" in wide


# ---- JSON --------------------------------------------------------------------------------

def test_json_holds_the_engine_numbers_exactly():
    trace = lecture_trace()
    doc = json.loads(trace.to_json())
    assert doc["schema"] == "glassnet.trace/1"
    assert doc["network"]["sizes"] == [2, 2, 1]
    assert doc["loss"]["value"] == trace.loss
    out = doc["layers"][1]
    assert out["W"]["grad"] == trace.layers[1].W.grad.tolist()
    assert out["W"]["new"][0][0] == trace.layers[1].W.new[0, 0]
    assert out["delta"] == trace.layers[1].delta.tolist()
    assert doc["layers"][0]["a"][0] == trace.layers[0].a[0].tolist()
    lines = [eq["latex"] for s in doc["derivation"] for eq in s["lines"]]
    assert any(r"\sigma(0.3775) \approx 0.59327" in line for line in lines)


def test_json_of_a_batch_and_a_fused_output():
    trace = assorted_traces()[3]
    doc = json.loads(trace.to_json(indent=2))
    assert doc["batch"]["n"] == 2 and doc["batch"]["y"] == [2, 0]
    assert doc["batch"]["dy_hat"] is None and doc["loss"]["fused"] is True
    per_sample = np.array(doc["layers"][0]["W"]["grad_per_sample"])
    np.testing.assert_allclose(per_sample.mean(axis=0), doc["layers"][0]["W"]["grad"], rtol=1e-12)


def test_json_leaves_out_large_per_sample_gradients():
    net = gn.Network([gn.Dense(300, 400, "relu"), gn.Dense(400, 1, "sigmoid")], seed=0)
    trace = step(net, np.ones((2, 300)), [[0.5], [0.5]], lr=0.1)
    doc = trace.to_dict(per_sample=None)
    # W[1] has 2·300·400 = 240 000 per-sample numbers (> 100 000); W[2] has 2·400 = 800
    assert doc["layers"][0]["W"]["grad_per_sample"] is None
    assert len(doc["layers"][1]["W"]["grad_per_sample"]) == 2
    assert np.shape(trace.to_dict(per_sample=True)["layers"][0]["W"]["grad_per_sample"]) == \
        (2, 300, 400)
    assert trace.to_dict(per_sample=False)["layers"][1]["b"]["grad_per_sample"] is None


def test_schema_document_names_every_field():
    doc = lecture_trace().to_dict()
    text = DOCS.read_text(encoding="utf-8")
    keys = set(doc) | {f"network.{k}" for k in doc["network"]} | {f"loss.{k}" for k in doc["loss"]}
    keys |= {f"batch.{k}" for k in doc["batch"]} | {f"optimizer.{k}" for k in doc["optimizer"]}
    keys |= set(doc["layers"][0]) | set(doc["layers"][0]["W"]) | set(doc["derivation"][0])
    missing = [k for k in sorted(keys) if f"`{k.split('.')[-1]}`" not in text]
    assert not missing, f"docs/trace-schema.md does not describe {missing}"
    assert "glassnet.trace/1" in text


# ---- Jupyter -----------------------------------------------------------------------------

def test_trace_and_network_display_richly():
    trace = lecture_trace()
    assert trace._repr_markdown_() == trace.to_markdown()
    assert trace._repr_svg_().startswith("<svg") and trace._repr_html_().count("<svg") == 3
    net = make_lecture_net()
    assert net._repr_svg_().startswith("<svg") and "0.45" in net._repr_svg_()
    assert "| 2 | 2 → 1 | sigmoid | 3 |" in net._repr_markdown_()
    assert "<svg" in net._repr_html_()


@pytest.mark.slow
def test_notebook_displays_trace_and_network():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    code = ("import numpy as np, glassnet as gn\n"
            "net = gn.Network([gn.Dense(2, 2, 'sigmoid'), gn.Dense(2, 1, 'sigmoid')], seed=0)\n"
            "display(net)\n"
            "gn.explain.step(net, np.array([[0.05, 0.10]]), np.array([[0.01]]), lr=0.5)")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = nb.cells[0].outputs
    assert {"text/html", "text/markdown", "image/svg+xml"} <= set(outputs[0]["data"])
    result = outputs[-1]["data"]
    assert "<svg" in result["text/html"] and r"\sigma(" in result["text/markdown"]


@pytest.mark.parametrize("value, digits, text", [
    (0.1, 5, "0.10"),              # two decimals kept, as the slides write 0.10
    (0.3775, 5, "0.3775"),         # trailing zeros of 0.37750 dropped
    (0.593269992, 5, "0.59327"),   # 5 decimals
    (0.0006684021, 5, "0.0006684"),  # below 0.1: 5 significant figures, 0.00066840 → 0.0006684
    (-0.0410835, 3, "-0.0411"),
    (2.0, 5, "2"),                 # whole numbers without decimals
    (1.23e-9, 3, "1.23e-09"),      # scientific below 1e-6
    (0.0, 5, "0"),
])
def test_numbers_are_written_as_the_slides_write_them(value, digits, text):
    assert fmt(value, digits) == text


def test_text_update_table_keeps_every_number_whole_and_apart():
    # tiny gradients of a 3-12-1 network used to run into each other ("0.17324-0.000044257…")
    net = gn.Network([gn.Dense(3, 12, "sigmoid", seed=0), gn.Dense(12, 1, "sigmoid", seed=1)],
                     loss="squared_error")
    trace = gn.explain.step(net, [0.1, 0.2, 0.3], [1.0], lr=0.1)
    table = trace.to_text().split("Step 4: update")[1].splitlines()[2:]
    rows = {line.split()[0]: [float(v) for v in line.split()[1:]] for line in table
            if line.strip().startswith(("w", "b")) and "[" in line}
    W = trace.layers[0].W
    old, grad = W.old[0, 0], W.grad[0, 0]
    assert rows["w1,1[1]"] == pytest.approx([old, grad, -0.1 * grad, old - 0.1 * grad], rel=1e-4)
    assert all(len(values) == 4 for values in rows.values())
