"""The slides' derivation of a traced step, as LaTeX lines: formula, numbers plugged in, result.

Each line is an :class:`~glassnet.explain.lines.Eq` (a left-hand side and a chain of
``(relation, expression)`` parts), grouped into sections for the four steps. Markdown joins a
line into one ``$$…$$``; the LaTeX document aligns its parts; the JSON carries both. Every
number comes from the :class:`~glassnet.explain.trace.Trace`; the formulas are only written
out, never evaluated. Reference: the lecture's "Numerical Example" (steps 1–4).
"""

from __future__ import annotations

import numpy as np

from .backward import backward_sections
from .forward import forward_sections
from .lines import Context, Eq, Section, checked_sample
from .notation import Symbols

__all__ = ["Eq", "Section", "derive"]


def derive(trace, digits: int = 5, sample: int = 0) -> list[Section]:
    """The sections of the derivation of ``trace``; per-sample lines are for row ``sample``."""
    sample = checked_sample(trace, sample)
    if isinstance(digits, bool) or not isinstance(digits, (int, np.integer)) or not 1 <= digits <= 15:
        raise ValueError(f"digits must be an integer from 1 to 15, got {digits!r}")
    sizes = [trace.layers[0].n_in] + [layer.n_out for layer in trace.layers]
    # With a batch, per-sample lines differentiate ℓ_n, the loss of one sample.
    sym = Symbols(sizes, "\\mathcal{L}" if trace.n_samples == 1 else "\\ell")
    ctx = Context(trace, sym, int(digits), sample)
    return forward_sections(ctx) + backward_sections(ctx)
