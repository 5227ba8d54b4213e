"""The lecture's numerical example: one training step of the 2-2-1 network, every number.

x = (0.05, 0.10), y = 0.01, α = 0.5 and the weights of :mod:`glassnet.course.lecture`. The
step is recorded by :func:`glassnet.explain.step` from the engine's own caches, and shown
with the explain renderers; on top of that come the full gradient vector ∇θL (the slides
compute five of its nine entries), every updated parameter (the slides update six of nine)
and the errata table.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np

from .. import explain
from ..network import Network
from ._format import latex_document, latex_table, md_table, num, text_table
from .errata import ErrataTable, errata
from .generator import build_sheet
from .lecture import LECTURE_GIVENS, LECTURE_LR, LECTURE_X, LECTURE_Y, lecture_network
from .sheet import Sheet

__all__ = ["WorkedExample", "worked_example"]


@dataclass
class WorkedExample:
    """The worked example: the network, its data, the recorded step, the errata.

    Attributes
    ----------
    net : Network
        The lecture network at its initial values (the step ran on a copy).
    x, y : ndarray
        ``(1, 2)`` input and ``(1, 1)`` target.
    lr : float
        α = 0.5.
    trace : glassnet.explain.Trace
        The recorded training step.
    sheet : Sheet
        The same step as 34 hand calculations with the numbers plugged in (a
        ``training_step`` sheet, whose answers a student can check with ``gn.course.check``).
    errata : ErrataTable
        The slides' numbers, checked.
    """

    net: Network
    x: np.ndarray
    y: np.ndarray
    lr: float
    trace: explain.Trace
    sheet: Sheet
    errata: ErrataTable
    gradients: list[tuple[str, float]]   # ∇θL in the lecture's order: w11[1] … b1[2]

    @property
    def values(self) -> dict[str, float]:
        """Every number of the step by name (``"a1[2]"`` is ŷ, ``"L"`` the loss, …)."""
        return {**self.sheet.givens, **self.sheet.key}

    @property
    def y_hat(self) -> float:
        return float(self.trace.y_hat[0, 0])

    @property
    def loss(self) -> float:
        return self.trace.loss

    def _update_rows(self) -> list[list[str]]:
        v = self.values
        return [[name, num(v[name]), num(g), num(v[f"{name}_new"])] for name, g in self.gradients]

    def to_text(self, digits: int = 5, errata: bool = True) -> str:
        """The step in plain text; ``errata=False`` leaves out the slides' problems."""
        summary = f"ŷ = {self.y_hat:.8f}   L = {self.loss:.8f}   (one step of the lecture's network)"
        parts = [summary, "", textwrap.fill(_intro(plain=True), 96), "",
                 self.trace.to_text(digits=digits), "",
                 "The gradient vector ∇θL and the update θ ← θ − α ∇θL (α = 0.5), 8 digits:",
                 text_table(["θ", "value", "∂L/∂θ", "new value"], self._update_rows())]
        if errata:
            parts += ["", "What the slides get wrong (gn.course.errata() has every checked "
                      "number):", self.errata.problems().to_text()]
        return "\n".join(parts)

    def to_markdown(self, digits: int = 5, errata: bool = True) -> str:
        """The step as Markdown with LaTeX maths; ``errata=False`` leaves out the errata."""
        parts = [f"# The lecture's worked example\n\n{_intro(plain=False)}\n",
                 self.trace.to_markdown(digits=digits),
                 "\n## The gradient vector and the update\n",
                 "All nine entries of $\\nabla_\\theta \\mathcal{L}$ (the slides compute five) "
                 "and every updated parameter (the slides update six), to 8 digits:\n",
                 md_table(["θ", "value", "∂L/∂θ", "new value"], self._update_rows())]
        if errata:
            parts += ["\n## Errata\n", self.errata.to_markdown()]
        return "\n".join(parts)

    def to_latex(self, digits: int = 5, errata: bool = True) -> str:
        """A complete LaTeX document: the derivation, the update table and (unless
        ``errata=False``) the errata."""
        body = [_intro(plain=False), self.trace.to_latex(digits=digits, standalone=False),
                r"\subsection*{The gradient vector and the update}",
                latex_table(["$\\theta$", "value", "$\\partial L/\\partial\\theta$", "new value"],
                            self._update_rows())]
        if errata:
            body += [r"\subsection*{Errata}", r"{\footnotesize", self.errata.to_latex(), "}"]
        return latex_document("The lecture's worked example", "\n\n".join(body))

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _intro(plain: bool) -> str:
    text = ("The 2-2-1 sigmoid network with squared-error loss, x = (0.05, 0.10), y = 0.01, "
            "α = 0.5, W[1] = [[0.15, 0.25], [0.20, 0.30]] (row j = input j, column i = hidden "
            "neuron i), b[1] = [0.35, 0.35], W[2] = [[0.40], [0.45]], b[2] = [0.60]: the "
            "weights that give the slides' printed forward pass.")
    return text if plain else text.replace("α", "$\\alpha$")


def worked_example() -> WorkedExample:
    """Run and record the lecture's training step.

    Returns
    -------
    WorkedExample
        ``.trace`` (render with ``to_text``/``to_markdown``/``to_latex``/``to_svg``),
        ``.gradients`` (∇θL), ``.values`` (every number by name) and ``.errata``.

    Examples
    --------
    >>> ex = worked_example()
    >>> round(ex.y_hat, 8), round(ex.loss, 8)
    (0.75136507, 0.27481108)
    """
    stepped = lecture_network()
    trace = explain.step(stepped, LECTURE_X, LECTURE_Y, lr=LECTURE_LR)
    names, grads = stepped.gradient_vector()
    return WorkedExample(net=lecture_network(), x=LECTURE_X.copy(), y=LECTURE_Y.copy(),
                         lr=LECTURE_LR, trace=trace,
                         sheet=build_sheet("training_step", LECTURE_GIVENS,
                                           title="The lecture's worked example"),
                         errata=errata(), gradients=list(zip(names, map(float, grads))))
