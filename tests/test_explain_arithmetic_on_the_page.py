"""The arithmetic on the page gives the result on the page.

Every displayed equation of a derivation is read back as printed: its numeric parts are
evaluated from the operands exactly as they are written, and each must round to the number
written after it (to the last printed digit of that number). A reader who redoes
``0.59327 · 0.40 + 0.59688 · 0.45 + 0.60`` by hand gets 1.105904, not the 1.10591 shown, so an
operand has to carry one digit more there.
"""

import math
import re

import numpy as np
import pytest
from test_explain_render import assorted_traces

import glassnet as gn
from glassnet.explain import step
from glassnet.explain.derivation import derive

_FUNCS = {"sig": lambda z: 1 / (1 + math.exp(-z)), "tanh": math.tanh, "log": math.log,
          "exp": math.exp, "relu": lambda z: max(z, 0.0)}
_LITERAL = r"-?\d+(?:\.\d+)?(?: \\times 10\^\{-?\d+\})?"


def _frac(tex: str) -> str:
    """``\\frac{A}{B}`` → ``((A)/(B))``, braces matched."""
    while (k := tex.find("\\frac{")) >= 0:
        args, at = [], k + 5
        for _ in range(2):
            depth, start = 0, at
            for at in range(start, len(tex)):
                depth += {"{": 1, "}": -1}.get(tex[at], 0)
                if depth == 0:
                    break
            args.append(tex[start + 1:at])
            at += 1
        tex = f"{tex[:k]}(({args[0]})/({args[1]})){tex[at:]}"
    return tex


def evaluate(tex: str):
    """The value of a numeric LaTeX expression as printed, or None if it holds a symbol."""
    py = re.sub(r"(\d(?:\.\d+)?) \\times 10\^\{(-?\d+)\}", r"\1e\2", tex)
    py = py.replace("\\left(", "(").replace("\\right)", ")").replace("[", "(").replace("]", ")")
    py = _frac(py)
    py = re.sub(r"e\^\{([^{}]*)\}", r"exp(\1)", py)
    py = py.replace("\\cdot", "*").replace("\\sigma", "sig").replace("\\tanh", "tanh")
    py = py.replace("\\operatorname{ReLU}", "relu")
    py = re.sub(r"\\log\s*(\d+(?:\.\d+)?)", r"log(\1)", py).replace("\\log", "log")
    py = py.replace("^", "**").replace("{", "(").replace("}", ")")
    py = re.sub(r"\)\s*(?=[(\w])", ")*", py)             # implicit products: (a)(b), (a) log
    py = re.sub(r"(\d)\s+(?=[a-z(])", r"\1*", py)        # 0.5 log(…), 2 (…)
    if "\\" in py or re.search(r"[a-z]", re.sub(r"sig|tanh|log|exp|relu|e-?\d", "", py)):
        return None
    try:
        return float(eval(py, {"__builtins__": {}}, _FUNCS))  # noqa: S307 - our own page
    except (SyntaxError, NameError, TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None


def printed(literal: str) -> tuple[float, float]:
    """A printed number and half a unit of its last printed digit."""
    m = re.fullmatch(r"\(?(-?\d+)(?:\.(\d+))?(?: \\times 10\^\{(-?\d+)\})?\)?", literal.strip())
    assert m, literal
    decimals, exponent = len(m[2] or ""), int(m[3] or 0)
    value = float(f"{m[1]}.{m[2] or 0}e{exponent}")
    return value, 0.5 * 10.0 ** (exponent - decimals)


def checks(eq):
    """``(shown, value as recomputed, printed result)`` of each step of a line that is numeric."""
    exprs = [expr for _, expr in eq.parts]
    for here, there in zip(exprs, exprs[1:]):
        for f in ("", "\\sigma", "\\tanh", "\\operatorname{ReLU}"):
            if f and not (here.startswith(f + "(") and there.startswith(f + "(")):
                continue
            inner = (lambda t: t[len(f) + 1:-1]) if f else (lambda t: t)
            if re.fullmatch(r"\(?" + _LITERAL + r"\)?", inner(there)):
                value = evaluate(inner(here))
                if value is not None:
                    yield f"{eq.latex()}", value, inner(there)
                break


def mismatches(trace, digits=5, sample=0):
    bad = []
    for section in derive(trace, digits=digits, sample=sample):
        for eq in section.lines:
            for line, value, result in checks(eq):
                target, half = printed(result)
                if abs(value - target) > half * (1 + 1e-9) + 1e-15:
                    bad.append(f"{line}   (the operands give {value!r})")
    return bad


def test_the_evaluator_reads_the_pages_forms():
    assert evaluate(r"0.05 \cdot 0.15 + 0.10 \cdot 0.20 + 0.35") == pytest.approx(0.3775)
    assert evaluate(r"\frac{1}{2}(0.01 - 0.75137)^2") == pytest.approx(0.5 * 0.74137 ** 2)
    assert evaluate(r"\sigma(1.10591)") == pytest.approx(0.7513658, abs=1e-7)
    assert evaluate(r"-[1 \log 0.6 + (1 - 1) \log(1 - 0.6)]") == pytest.approx(-math.log(0.6))
    assert evaluate(r"\frac{e^{1.0}}{e^{1.0} + e^{0.5}}") == pytest.approx(1 / (1 + math.exp(-0.5)))
    assert evaluate(r"1.5 \times 10^{-7} \cdot 2") == pytest.approx(3e-7)
    assert evaluate(r"\delta_1^{[2]} \cdot a_1^{[1]}") is None
    assert printed("0.1385") == (0.1385, pytest.approx(5e-5))


def test_every_equation_of_the_worked_example_gives_its_printed_result():
    ex = gn.course.worked_example()
    assert mismatches(ex.trace) == []
    md = ex.to_markdown()
    # the output neuron: 0.59327·0.40 + 0.596884·0.45 + 0.60 = 1.1059058 → 1.10591
    assert r"\sigma(0.59327 \cdot 0.40 + 0.596884 \cdot 0.45 + 0.60) = \sigma(1.10591)" in md
    # the LaTeX document (and the playground's MathML) are built from the same lines
    assert r"0.596884 \cdot 0.45" in ex.to_latex()
    for d in (3, 4, 6, 8):
        assert mismatches(ex.trace, digits=d) == [], d


def test_the_worked_example_had_lines_to_check():
    lines = [eq for s in derive(gn.course.worked_example().trace) for eq in s.lines]
    assert sum(1 for eq in lines for _ in checks(eq)) >= 30


@pytest.mark.parametrize("index", range(7))
def test_every_equation_of_assorted_traces_gives_its_printed_result(index):
    trace = assorted_traces()[index]
    for sample in range(min(trace.n_samples, 2)):
        assert mismatches(trace, sample=sample) == []


@pytest.mark.parametrize("seed", range(6))
def test_every_equation_of_random_lecture_sized_steps_gives_its_printed_result(seed):
    rng = np.random.default_rng(100 + seed)
    act = ["sigmoid", "tanh", "relu"][seed % 3]
    net = gn.Network([gn.Dense(2, 2, act, seed=seed), gn.Dense(2, 1, "sigmoid", seed=seed + 50)],
                     loss="squared_error")
    trace = step(net, rng.uniform(-1, 1, size=(1, 2)), rng.uniform(size=(1, 1)),
                 lr=float(rng.choice([0.1, 0.5, 1.0])))
    for d in (3, 5):
        assert mismatches(trace, digits=d) == []
