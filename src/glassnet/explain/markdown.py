"""Markdown with LaTeX maths: the derivation of a traced step as the slides write it.

Each line of the derivation becomes a display formula ``$$…$$`` holding the formula, the
numbers plugged in and the result, e.g.
``$$a_1^{[1]} = \\sigma(0.05 \\cdot 0.15 + 0.10 \\cdot 0.20 + 0.35) = \\sigma(0.3775) \\approx 0.59327$$``.
Renders in Jupyter, GitHub and any Markdown viewer with MathJax or KaTeX.
"""

from __future__ import annotations

from .derivation import derive

__all__ = ["render_markdown", "header_lines"]


def header_lines(trace) -> list[str]:
    """Plain sentences that say what was traced."""
    n = trace.n_samples
    batch = "one sample" if n == 1 else f"a batch of {n} samples"
    return [f"`{trace.network}` on {batch}, loss {trace.loss_name}, "
            f"optimizer {trace.optimizer_label}."]


def render_markdown(trace, digits: int = 5, sample: int = 0) -> str:
    """The whole derivation as Markdown; ``digits`` sets the rounding of every number shown."""
    out = ["## One training step, number by number", ""] + header_lines(trace) + [""]
    for section in derive(trace, digits=digits, sample=sample):
        out += [f"### {section.title}", ""]
        for note in section.notes:
            out += [note, ""]
        for eq in section.lines:
            out += [f"$${eq.latex()}$$", ""]
    return "\n".join(out)
