"""Numbers as the slides print them: rounded for reading, in plain text or LaTeX.

``fmt(0.7513650835)`` is ``0.75137`` and ``fmt(0.00067)`` keeps its significant figures;
``tex_num`` writes ``fmt``'s scientific notation as ``\\times 10^{-7}``, and ``relation``
says whether a rounded number may follow ``=`` or needs ``\\approx``.
"""

from __future__ import annotations

import math

__all__ = ["fmt", "tex_num", "relation", "half_unit"]


def fmt(value: float, digits: int = 5) -> str:
    """``value`` rounded for reading: ``digits`` decimals, or ``digits`` significant figures below 0.1.

    Trailing zeros are dropped down to two decimals, as the slides write 0.10 and 0.3775;
    whole numbers print without decimals. Beyond 1e6 or below 1e-6, scientific notation.
    """
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    if v == 0:
        return "0"
    if v == round(v) and abs(v) < 1e15:
        return str(int(v))
    magnitude = math.floor(math.log10(abs(v)))
    if magnitude >= 6 or magnitude < -6:
        return f"{v:.{max(digits - 1, 1)}e}"
    decimals = max(digits, digits - 1 - magnitude)
    text = f"{v:.{decimals}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    frac = frac + "0" * (2 - len(frac)) if len(frac) < 2 else frac
    if frac.strip("0") == "" and whole.lstrip("-") == "0":
        return text  # rounded to zero: keep the digits that say so
    return f"{whole}.{frac}"


def tex_num(value: float, digits: int = 5, paren: bool = False) -> str:
    """:func:`fmt` as LaTeX: ``1.2 \\times 10^{-7}`` for scientific, ``(-0.3)`` if ``paren``."""
    text = fmt(value, digits)
    if "e" in text and "inf" not in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa} \\times 10^{{{int(exponent)}}}"
    return f"({text})" if paren and text.startswith("-") else text


def relation(value: float, digits: int) -> str:
    """``=`` when the rounded text is the exact value, else ``\\approx``."""
    try:
        exact = float(fmt(value, digits)) == float(value)
    except ValueError:
        exact = False
    return "=" if exact else "\\approx"


def half_unit(text: str) -> float:
    """Half a unit of the last digit :func:`fmt` printed: ``0.1385`` → 5e-05, ``1.2e-07`` → 5e-09."""
    mantissa, _, exponent = text.partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)
