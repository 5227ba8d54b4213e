"""The lecture's training step as a chain of named hand calculations.

Each :class:`Step` is one line a student writes on paper, such as
``δ_1^{[2]} = ∂L/∂ŷ · ŷ(1 − ŷ)``: a name, an operation and the names it reads. The chain
for a sigmoid network with the squared-error loss ``L = ½ Σ_k (y_k − ŷ_k)²`` and one sample:

======================  ===============================  =========================
step                    formula                          name
======================  ===============================  =========================
weighted sum            z_i = Σ_j a_j w_{ji} + b_i        ``z1[1]``
activation              a_i = σ(z_i)                      ``a1[1]`` (``y_hat``)
loss                    L = ½ Σ_k (y_k − ŷ_k)²            ``L``
∂L/∂ŷ                   ŷ − y                             ``dy_hat``
sigmoid slope           ∂a/∂z = a(1 − a)                  ``dsig1[2]``
output delta            δ = ∂L/∂ŷ · ∂ŷ/∂z                  ``delta1[2]``
weight gradient         ∂L/∂w_{ji} = δ_i a_j               ``dw11[2]``
bias gradient           ∂L/∂b_i = δ_i                     ``db1[2]``
hidden ∂L/∂a            ∂L/∂a_j = Σ_i δ_i w_{ji}           ``da1[1]``
hidden delta            δ_j = ∂L/∂a_j · a_j(1 − a_j)       ``delta1[1]``
update                  θ' = θ − α ∂L/∂θ                  ``w11[1]_new``
======================  ===============================  =========================

The generator turns a slice of this chain into an exercise; the checker re-evaluates it
from a student's own numbers to give credit for errors carried forward. Values for an
answer key come from the engine (see :mod:`glassnet.course.generator`); a test checks that
this chain and the engine agree to rounding. Reference: M. Mazur, "A Step by Step
Backpropagation Example" (2015), whose numbers the lecture uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Quantity", "Step", "build_chain", "weight_name"]


@dataclass(frozen=True)
class Quantity:
    """A named number of the calculation: its key, plain-text label and LaTeX."""

    name: str
    text: str
    latex: str


@dataclass(frozen=True)
class Step:
    """One hand calculation: ``name = op(*deps)``."""

    name: str
    op: str
    deps: tuple[str, ...]
    optional: bool = False  # an intermediate a student may skip without losing credit

    def compute(self, values: list[float]) -> float:
        return _OPS[self.op][0](values)

    def formula(self, symbols: list[str], latex: bool = False) -> str:
        """The right-hand side with ``symbols`` (labels or numbers) put in."""
        return _OPS[self.op][1](symbols, latex)


def _sigmoid(z: float) -> float:
    # One sample at a time is what a student does by hand; the engine uses its own
    # stable vectorised sigmoid, and a test checks that both agree.
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _dot(symbols, latex):
    times = r" \cdot " if latex else "·"
    return " + ".join(f"{a}{times}{b}" for a, b in zip(symbols[0::2], symbols[1::2]))


def _affine(symbols, latex):
    return f"{_dot(symbols[:-1], latex)} + {symbols[-1]}"


def _half_sq(symbols, latex):
    terms = [f"({y} - {a})^2" if latex else f"({y} − {a})²"
             for a, y in zip(symbols[0::2], symbols[1::2])]
    half = r"\tfrac{1}{2}" if latex else "½"
    return f"{half}" + (terms[0] if len(terms) == 1 else "[" + " + ".join(terms) + "]")


_OPS = {
    "affine": (lambda v: sum(a * w for a, w in zip(v[0:-1:2], v[1:-1:2])) + v[-1], _affine),
    "sigmoid": (lambda v: _sigmoid(v[0]),
                lambda s, tex: rf"\sigma({s[0]})" if tex else f"σ({s[0]})"),
    "half_sq": (lambda v: 0.5 * sum((y - a) ** 2 for a, y in zip(v[0::2], v[1::2])), _half_sq),
    "sub": (lambda v: v[0] - v[1], lambda s, tex: f"{s[0]} - {s[1]}" if tex else f"{s[0]} − {s[1]}"),
    "sig_prime": (lambda v: v[0] * (1.0 - v[0]),
                  lambda s, tex: rf"{s[0]} \cdot (1 - {s[0]})" if tex else f"{s[0]}·(1 − {s[0]})"),
    "mul": (lambda v: v[0] * v[1], lambda s, tex: _dot(s, tex)),
    "copy": (lambda v: v[0], lambda s, tex: s[0]),
    "dot": (lambda v: sum(d * w for d, w in zip(v[0::2], v[1::2])), _dot),
    "update": (lambda v: v[0] - v[1] * v[2],
               lambda s, tex: (rf"{s[0]} - {s[1]} \cdot {s[2]}" if tex
                               else f"{s[0]} − {s[1]}·{s[2]}")),
}


def _w(j: int, i: int, wide: bool) -> str:
    return f"{j},{i}" if wide else f"{j}{i}"


def weight_name(j: int, i: int, l: int, shape) -> str:
    """``w{j}{i}[{l}]``, the weight from input j to neuron i of layer l; beside a layer
    wider than 9 a comma separates the indices (``w3,12[1]``), as in ``gradient_vector``."""
    return f"w{_w(j, i, max(shape[l - 1], shape[l]) > 9)}[{l}]"


def build_chain(shape: tuple[int, ...]) -> tuple[dict[str, Quantity], list[Step]]:
    """Every quantity and every step of one training step of a sigmoid network.

    Parameters
    ----------
    shape : tuple of int
        Layer widths from input to output, e.g. ``(2, 2, 1)`` for the lecture's network.

    Returns
    -------
    quantities : dict
        name → :class:`Quantity` for the inputs, targets, parameters, α and every step.
    steps : list of Step
        Forward pass, loss, backward pass (last layer first), then the updates, in the
        order a student computes them.
    """
    depth = len(shape) - 1
    single = shape[-1] == 1
    q: dict[str, Quantity] = {}

    def add(name, text, latex):
        q[name] = Quantity(name, text, latex)
        return name

    def act(l, i):  # a_i^{[l]}; a^{[0]} is x, the last layer's a is ŷ
        if l == 0:
            return f"x{i}"
        return f"a{i}[{l}]"

    for j in range(1, shape[0] + 1):
        add(f"x{j}", f"x{j}", f"x_{{{j}}}")
    for k in range(1, shape[-1] + 1):
        add("y" if single else f"y{k}", "y" if single else f"y{k}", "y" if single else f"y_{{{k}}}")
    add("alpha", "α", r"\alpha")
    for l in range(1, depth + 1):
        wide = max(shape[l - 1], shape[l]) > 9
        for j in range(1, shape[l - 1] + 1):
            for i in range(1, shape[l] + 1):
                w = _w(j, i, wide)
                add(f"w{w}[{l}]", f"w{w}[{l}]", f"w_{{{w}}}^{{[{l}]}}")
        for i in range(1, shape[l] + 1):
            add(f"b{i}[{l}]", f"b{i}[{l}]", f"b_{{{i}}}^{{[{l}]}}")

    steps: list[Step] = []

    def step(name, text, latex, op, deps, optional=False):
        add(name, text, latex)
        steps.append(Step(name, op, tuple(deps), optional))

    # 1. forward pass
    for l in range(1, depth + 1):
        wide = max(shape[l - 1], shape[l]) > 9
        for i in range(1, shape[l] + 1):
            deps = [x for j in range(1, shape[l - 1] + 1) for x in (act(l - 1, j), f"w{_w(j, i, wide)}[{l}]")]
            step(f"z{i}[{l}]", f"z{i}[{l}]", f"z_{{{i}}}^{{[{l}]}}", "affine", deps + [f"b{i}[{l}]"])
            out = l == depth
            hat = ("ŷ" if single else f"ŷ{i}", r"\hat{y}" if single else rf"\hat{{y}}_{{{i}}}")
            text, latex = hat if out else (f"a{i}[{l}]", f"a_{{{i}}}^{{[{l}]}}")
            step(act(l, i), text, latex, "sigmoid", [f"z{i}[{l}]"])
    # 2. loss
    targets = ["y"] if single else [f"y{k}" for k in range(1, shape[-1] + 1)]
    step("L", "L", r"\mathcal{L}", "half_sq",
         [x for k, y in enumerate(targets, 1) for x in (act(depth, k), y)])
    # 3. backward pass, last layer first
    for k, y in enumerate(targets, 1):
        y_hat = q[act(depth, k)]
        name = "dy_hat" if single else f"dy_hat{k}"
        step(name, f"∂L/∂{y_hat.text}", rf"\frac{{\partial \mathcal{{L}}}}{{\partial {y_hat.latex}}}",
             "sub", [act(depth, k), y], optional=True)
    for l in range(depth, 0, -1):
        for i in range(1, shape[l] + 1):
            a, z = q[act(l, i)], q[f"z{i}[{l}]"]
            step(f"dsig{i}[{l}]", f"∂{a.text}/∂{z.text}",
                 rf"\frac{{\partial {a.latex}}}{{\partial {z.latex}}}", "sig_prime", [a.name],
                 optional=True)
            upstream = (("dy_hat" if single else f"dy_hat{i}") if l == depth else f"da{i}[{l}]")
            step(f"delta{i}[{l}]", f"δ{i}[{l}]", rf"\delta_{{{i}}}^{{[{l}]}}", "mul",
                 [upstream, f"dsig{i}[{l}]"])
        wide = max(shape[l - 1], shape[l]) > 9
        for j in range(1, shape[l - 1] + 1):
            for i in range(1, shape[l] + 1):
                w = q[f"w{_w(j, i, wide)}[{l}]"]
                step(f"d{w.name}", f"∂L/∂{w.text}",
                     rf"\frac{{\partial \mathcal{{L}}}}{{\partial {w.latex}}}", "mul",
                     [f"delta{i}[{l}]", act(l - 1, j)])
        for i in range(1, shape[l] + 1):
            b = q[f"b{i}[{l}]"]
            step(f"d{b.name}", f"∂L/∂{b.text}",
                 rf"\frac{{\partial \mathcal{{L}}}}{{\partial {b.latex}}}", "copy", [f"delta{i}[{l}]"])
        if l > 1:
            for j in range(1, shape[l - 1] + 1):
                a = q[act(l - 1, j)]
                deps = [x for i in range(1, shape[l] + 1)
                        for x in (f"delta{i}[{l}]", f"w{_w(j, i, wide)}[{l}]")]
                step(f"da{j}[{l - 1}]", f"∂L/∂{a.text}",
                     rf"\frac{{\partial \mathcal{{L}}}}{{\partial {a.latex}}}", "dot", deps,
                     optional=True)
    # 4. update
    for name in [n for n in list(q) if n[0] in "wb" and "[" in n and not n.startswith("d")]:
        p = q[name]
        step(f"{name}_new", f"{p.text}'", f"{{{p.latex}}}'", "update", [name, "alpha", f"d{name}"])
    return q, steps
