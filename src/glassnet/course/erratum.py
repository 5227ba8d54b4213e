"""One row of the errata table: a claim of the slides, what they print, what is right, and why.

:func:`checked_number` makes the row of a printed number: it redoes the comparison at the
printed precision, so a verdict is never typed in by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ._format import num

__all__ = ["Erratum", "VERDICTS", "checked_number"]

# "style" marks a remark on presentation (argument order, a result left to the reader): no
# number is wrong and nothing is missing, so it is not an erratum and not one of problems().
VERDICTS = ("correct", "truncated", "erratum", "inconsistent", "omitted", "missing data",
            "notation", "style")


@dataclass(frozen=True)
class Erratum:
    """One checked claim of the slides."""

    slide: str        # the slide's title
    claim: str        # what the slide states (Markdown with $…$ maths)
    printed: str      # the printed value or label
    correct: str      # the correct value or label
    verdict: str      # one of VERDICTS
    explanation: str  # one sentence: why, and what the slide most likely meant


def _decimals(printed: str) -> int:
    return len(printed.split(".")[1]) if "." in printed else 0


def checked_number(slide: str, claim: str, printed: str, value: float, why_wrong: str = "",
                   correct: str | None = None) -> Erratum:
    """Compare a printed number with the true ``value`` at the printed precision."""
    d = _decimals(printed)
    rounded = f"{value:.{d}f}"
    cut = f"{math.trunc(value * 10**d) / 10**d:.{d}f}"
    if rounded == printed:
        return Erratum(slide, claim, printed, correct or rounded, "correct",
                       f"{num(value)} rounds to {printed}.")
    if cut == printed:
        off, half = abs(value - float(printed)), 0.5 / 10**d
        return Erratum(slide, claim, printed, correct or rounded, "truncated",
                       why_wrong or f"{num(value)} rounds to {rounded}; the slide cut the "
                       f"digits instead and is off by {off:.3g}, more than "
                       f"half a unit of the last printed digit ({half:g}).")
    return Erratum(slide, claim, printed, correct or rounded, "erratum",
                   why_wrong or f"the value is {num(value)}.")
