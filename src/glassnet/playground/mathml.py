"""LaTeX from the explain renderers, turned into MathML on the server for Chromium to draw.

MathML Core is rendered natively by Chromium (since version 109), so the page needs no
JavaScript maths library and no CDN. Reference: https://www.w3.org/TR/mathml-core/
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["to_mathml"]


@lru_cache(maxsize=4096)
def to_mathml(latex: str, display: str = "block") -> str:
    """One LaTeX expression as a ``<math>`` element (``display`` is "block" or "inline")."""
    from latex2mathml.converter import convert

    return convert(latex, display=display)
