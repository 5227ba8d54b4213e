"""The slides' derivation of a traced step, as LaTeX lines: formula, numbers plugged in, result.

Each line is an :class:`~glassnet.explain.derivation.lines.Eq` (a left-hand side and a chain of
``(relation, expression)`` parts), grouped into sections for the four steps. Markdown joins a
line into one ``$$…$$``; the LaTeX document aligns its parts; the JSON carries both. Every
number comes from the :class:`~glassnet.explain.trace.Trace`; the formulas are only written
out, but the numbers plugged into each line carry as many digits as it takes for the
arithmetic on the page to give the result on the page (``Context.operands``). Reference: the lecture's "Numerical Example" (steps 1–4).

One module per thing built: ``lines.py`` (:class:`Eq`, :class:`Section` and what the
builders share), then one per step: ``forward_lines.py``, ``loss_lines.py``,
``backward_lines.py`` (δ), ``gradient_lines.py`` (∂L/∂w, ∂L/∂b) and ``update_lines.py``.
"""

from __future__ import annotations

import numpy as np

from ..notation import Symbols
from .backward_lines import backward_section
from .forward_lines import forward_section
from .gradient_lines import gradient_section
from .lines import Context, Eq, Section, checked_sample
from .loss_lines import loss_section
from .update_lines import update_section

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
    return [forward_section(ctx), loss_section(ctx), backward_section(ctx),
            gradient_section(ctx), update_section(ctx)]
