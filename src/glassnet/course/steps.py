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

from .. import notation

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


def weight_name(j: int, i: int, l: int, shape) -> str:
    """``w{j}{i}[{l}]``, the weight from input j to neuron i of layer l; beside a layer
    wider than 9 a comma separates the indices (``w3,12[1]``), as in ``gradient_vector``."""
    return notation.weight(l, j, i, notation.wide(shape[l - 1], shape[l]))


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
    chain = _Chain(tuple(shape))
    chain.givens()
    chain.forward()
    chain.loss()
    chain.backward()
    chain.updates()
    return chain.q, chain.steps


class _Chain:
    """The quantities and steps of :func:`build_chain`, added in the order they are computed."""

    def __init__(self, shape: tuple[int, ...]):
        self.shape, self.depth, self.single = shape, len(shape) - 1, shape[-1] == 1
        self.q: dict[str, Quantity] = {}
        self.steps: list[Step] = []

    def add(self, key: str, text: str, latex: str) -> str:
        self.q[key] = Quantity(key, text, latex)
        return key

    @staticmethod
    def shown(letter: str, *indices: int, **where) -> tuple[str, str]:
        """The plain text and the LaTeX of a name, as :mod:`glassnet.notation` writes them."""
        return (notation.symbol(letter, *indices, **where),
                notation.symbol_latex(letter, *indices, **where))

    def add_symbol(self, letter: str, *indices: int, **where) -> str:
        """A quantity named, shown and typeset by :mod:`glassnet.notation`."""
        return self.add(notation.name(letter, *indices, **where),
                        *self.shown(letter, *indices, **where))

    def step(self, key, text, latex, op, deps, optional=False) -> None:
        self.add(key, text, latex)
        self.steps.append(Step(key, op, tuple(deps), optional))

    def gradient_step(self, key: str, of: Quantity, op: str, deps, optional=False) -> None:
        """``key`` = ∂L/∂``of``."""
        self.step(key, notation.derivative("L", of.text),
                  notation.derivative_latex(r"\mathcal{L}", of.latex), op, deps, optional)

    def act(self, l: int, i: int) -> str:
        """a_i^{[l]}; a^{[0]} is x, the last layer's a is ŷ."""
        return notation.name("x", i) if l == 0 else notation.neuron("a", l, i)

    def wide(self, l: int) -> bool:
        return notation.wide(self.shape[l - 1], self.shape[l])

    def targets(self) -> list[str]:
        if self.single:
            return ["y"]
        return [notation.name("y", k) for k in range(1, self.shape[-1] + 1)]

    def dy_hat(self, k: int) -> str:
        return "dy_hat" if self.single else f"dy_hat{k}"

    def givens(self) -> None:
        for j in range(1, self.shape[0] + 1):
            self.add_symbol("x", j)
        for k in range(1, self.shape[-1] + 1):
            self.add_symbol("y", *(() if self.single else (k,)))
        self.add_symbol("alpha")
        for l in range(1, self.depth + 1):
            for j in range(1, self.shape[l - 1] + 1):
                for i in range(1, self.shape[l] + 1):
                    self.add_symbol("w", j, i, layer=l, is_wide=self.wide(l))
            for i in range(1, self.shape[l] + 1):
                self.add_symbol("b", i, layer=l)

    def forward(self) -> None:
        for l in range(1, self.depth + 1):
            for i in range(1, self.shape[l] + 1):
                deps = [x for j in range(1, self.shape[l - 1] + 1)
                        for x in (self.act(l - 1, j), weight_name(j, i, l, self.shape))]
                z = notation.neuron("z", l, i)
                self.step(z, *self.shown("z", i, layer=l), "affine", deps + [notation.bias(l, i)])
                shown = (self.shown("y_hat", *(() if self.single else (i,))) if l == self.depth
                         else self.shown("a", i, layer=l))
                self.step(self.act(l, i), *shown, "sigmoid", [z])

    def loss(self) -> None:
        pairs = [x for k, y in enumerate(self.targets(), 1) for x in (self.act(self.depth, k), y)]
        self.step("L", "L", r"\mathcal{L}", "half_sq", pairs)

    def backward(self) -> None:
        """Last layer first: ∂L/∂ŷ, then per layer ∂a/∂z, δ, ∂L/∂w, ∂L/∂b, ∂L/∂a_prev."""
        for k, y in enumerate(self.targets(), 1):
            y_hat = self.act(self.depth, k)
            self.gradient_step(self.dy_hat(k), self.q[y_hat], "sub", [y_hat, y], optional=True)
        for l in range(self.depth, 0, -1):
            self.deltas(l)
            for j in range(1, self.shape[l - 1] + 1):
                for i in range(1, self.shape[l] + 1):
                    w = self.q[weight_name(j, i, l, self.shape)]
                    self.gradient_step(f"d{w.name}", w, "mul",
                                       [notation.neuron("delta", l, i), self.act(l - 1, j)])
            for i in range(1, self.shape[l] + 1):
                b = self.q[notation.bias(l, i)]
                self.gradient_step(f"d{b.name}", b, "copy", [notation.neuron("delta", l, i)])
            if l > 1:
                self.hidden_gradients(l)

    def deltas(self, l: int) -> None:
        """∂a/∂z = a(1 − a) and δ = ∂L/∂a · ∂a/∂z of every neuron of layer ``l``."""
        for i in range(1, self.shape[l] + 1):
            a, z = self.q[self.act(l, i)], self.q[notation.neuron("z", l, i)]
            dsig = notation.neuron("dsig", l, i)
            self.step(dsig, notation.derivative(a.text, z.text),
                      notation.derivative_latex(a.latex, z.latex), "sig_prime", [a.name],
                      optional=True)
            upstream = self.dy_hat(i) if l == self.depth else notation.neuron("da", l, i)
            self.step(notation.neuron("delta", l, i), *self.shown("delta", i, layer=l), "mul",
                      [upstream, dsig])

    def hidden_gradients(self, l: int) -> None:
        """∂L/∂a_j^{[l-1]} = Σ_i δ_i^{[l]} w_{ji}^{[l]}, what layer ``l`` sends back."""
        for j in range(1, self.shape[l - 1] + 1):
            a = self.q[self.act(l - 1, j)]
            deps = [x for i in range(1, self.shape[l] + 1)
                    for x in (notation.neuron("delta", l, i), weight_name(j, i, l, self.shape))]
            self.gradient_step(notation.neuron("da", l - 1, j), a, "dot", deps, optional=True)

    def updates(self) -> None:
        for key in [n for n in list(self.q) if n[0] in "wb" and "[" in n and not n.startswith("d")]:
            p = self.q[key]
            self.step(f"{key}_new", f"{p.text}'", f"{{{p.latex}}}'", "update",
                      [key, "alpha", f"d{key}"])
