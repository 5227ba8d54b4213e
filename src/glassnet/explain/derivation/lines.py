"""The pieces a derivation is made of: lines of maths, sections, and what builders share."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

import numpy as np

from ..notation import Symbols
import math
from collections.abc import Callable

from ..numbers import fmt, half_unit, relation, tex_num

__all__ = ["Eq", "Section", "Context", "MAX_NEURONS", "MAX_WEIGHTS", "checked_sample",
           "first_weights", "more"]

# Beyond these sizes the per-neuron and per-weight lines of a layer are cut short.
MAX_NEURONS = 8
MAX_WEIGHTS = 16


def checked_sample(trace, sample) -> int:
    """``sample`` as a row index of the traced batch, or a ValueError naming the range."""
    n = trace.n_samples
    if isinstance(sample, bool) or not isinstance(sample, (int, np.integer)) or not 0 <= sample < n:
        raise ValueError(f"sample must be a row index of the batch, 0 to {n - 1}, got {sample!r}")
    return int(sample)


@dataclass
class Eq:
    """``lhs rel₁ expr₁ rel₂ expr₂ …``, e.g. ``a_1^{[1]} = σ(…) = σ(0.3775) ≈ 0.59327``."""

    lhs: str
    parts: list[tuple[str, str]]

    def latex(self) -> str:
        return " ".join([self.lhs] + [f"{rel} {expr}" for rel, expr in self.parts])


@dataclass
class Section:
    """One step of the lecture: a title, plain-text notes, and the lines of maths."""

    key: str    # "forward", "loss", "backward", "gradients" or "update"
    title: str
    notes: list[str] = field(default_factory=list)
    lines: list[Eq] = field(default_factory=list)


@dataclass
class Context:
    """What every section builder needs: the trace, the symbols, digits and the sample row."""

    trace: object
    sym: Symbols
    digits: int
    sample: int

    @property
    def batch_symbols(self) -> Symbols:
        """Symbols for the batch loss 𝓛 (the gradients that are applied)."""
        return Symbols(self.sym.sizes, "\\mathcal{L}")

    def num(self, value, paren: bool = False) -> str:
        return tex_num(value, self.digits, paren)

    def operands(self, values, compute: Callable[..., float], result: float,
                 result_digits: int | None = None) -> Callable[..., str]:
        """How to print the operands ``values`` of a line so that the arithmetic on the page
        gives the result on the page: ``compute(*values as printed)`` must round to ``result``
        as printed (with :meth:`num`, to ``result_digits`` where it was printed wider).

        The operands get the fewest digits, from ``digits`` up, that do it: 0.59327 · 0.40 +
        0.59688 · 0.45 + 0.60 = 1.105904 would not give the 1.10591 shown, 0.59327 · 0.40 +
        0.596884 · 0.45 + 0.60 = 1.1059058 does. Returns a ``num``-like formatter.
        """
        shown = fmt(result, result_digits or self.digits)
        try:
            target, half = float(shown), half_unit(shown)
        except ValueError:
            target = half = math.nan
        for digits in range(self.digits, 16):  # 15 digits: the most fmt can mean
            try:
                got = compute(*(float(fmt(v, digits)) for v in values))
            except (ArithmeticError, ValueError):
                digits = self.digits
                break
            if not math.isfinite(target) or abs(got - target) <= half * (1 + 1e-9) + 1e-15:
                break

        def num(value, paren: bool = False) -> str:
            return tex_num(value, digits, paren)

        num.digits = digits
        return num

    def result(self, value) -> tuple[str, str]:
        """The closing ``(=|≈, number)`` part of a line."""
        return relation(value, self.digits), self.num(value)

    @staticmethod
    def cut(count: int, limit: int) -> tuple[range, int]:
        """The indices to show and how many are left out."""
        shown = min(count, limit)
        return range(shown), count - shown


def first_weights(layer) -> list[tuple[int, int]]:
    """``(j, i)`` of the weights written out: row by row, at most ``MAX_WEIGHTS``."""
    return list(islice(np.ndindex(layer.n_in, layer.n_out), MAX_WEIGHTS))


def more(count: int, what: str, layer: int) -> Eq:
    """The line that stands for ``count`` lines left out, e.g. "… 4 more weights of layer 2"."""
    return Eq(f"\\text{{… {count} more {what} of layer {layer}}}", [])
