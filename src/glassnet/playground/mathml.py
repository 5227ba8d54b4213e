"""LaTeX from the explain renderers, turned into MathML on the server for Chromium to draw.

MathML Core is rendered natively by Chromium (since version 109), so the page needs no
JavaScript maths library and no CDN. Reference: https://www.w3.org/TR/mathml-core/

A derivation line ``lhs = formula = numbers ≈ result`` is converted part by part and the
parts are joined in one ``<mrow>``: the formula parts repeat from step to step and come from
a cache, which makes a step of the largest network about five times faster than converting
each whole line afresh (latex2mathml costs ~1.5 ms per line).

Chromium does not break a long ``<math>`` line, so each line is also sent in pieces
(:func:`line_pieces`: the left-hand side, then one piece per ``= …`` or ``≈ …``): the page
sets them side by side and a narrow box wraps them between pieces, never inside a formula.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["to_mathml", "line_mathml", "line_pieces"]

_MATH = '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">'


def to_mathml(latex: str) -> str:
    """One LaTeX expression as a block ``<math>`` element."""
    from latex2mathml.converter import convert

    return convert(latex, display="block")


@lru_cache(maxsize=16384)
def _inside(latex: str) -> str:
    """The MathML of ``latex`` without its ``<math>`` wrapper."""
    whole = to_mathml(latex)
    return whole[whole.index(">") + 1:-len("</math>")]


def line_mathml(lhs: str, parts) -> str:
    """A derivation line, explain's ``lhs`` and ``(relation, expression)`` parts, as block MathML."""
    return f"{_MATH}<mrow>{''.join(_inside_pieces(lhs, parts))}</mrow></math>"


def line_pieces(lhs: str, parts) -> list[str]:
    """The same line as block MathML pieces: ``lhs``, then each relation with its expression."""
    return [f"{_MATH}<mrow>{piece}</mrow></math>" for piece in _inside_pieces(lhs, parts)]


def _inside_pieces(lhs: str, parts) -> list[str]:
    return [_inside(lhs)] + [_inside(rel) + _inside(expr) for rel, expr in parts]
