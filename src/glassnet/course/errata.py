"""Every number the lecture's slides print, checked: the errata table.

Each row is computed, not typed in: the arithmetic the slide writes is redone, the engine's
value for the quantity is read off one real training step of the lecture network, and the
verdict follows from comparing them with the printed digits.

=================  ======================================================================
verdict            meaning
=================  ======================================================================
``correct``        the printed number is the true value rounded to the printed digits
``truncated``      the slide cut digits instead of rounding (0.7513651 → 0.75136): off by
                   more than half a unit of the last digit (5.07e-6 > 5e-6), less than one
``erratum``        the printed number or label is wrong
``inconsistent``   two slides give different values for the same thing
``omitted``        the slides list the quantity but never compute it
``missing data``   an exercise cannot be solved as stated
``notation``       a notational difference worth knowing; no number changes
``style``          a remark on presentation, not an erratum: nothing is wrong or missing
=================  ======================================================================
"""

from __future__ import annotations

import textwrap

from ._format import latex_table, md_table, strip_math
from .errata_rows import rows
from .erratum import VERDICTS, Erratum
from .lecture import lecture_values

__all__ = ["Erratum", "ErrataTable", "errata", "VERDICTS"]


class ErrataTable(list):
    """A list of :class:`Erratum` rows with text, Markdown and LaTeX renderings."""

    HEADER = ["slide", "claim", "printed", "correct", "verdict", "explanation"]

    def problems(self) -> ErrataTable:
        """Every row but the ``correct`` and ``style`` ones (a truncated value would not pass
        the checker; a style remark is not a mistake)."""
        return ErrataTable(r for r in self if r.verdict not in ("correct", "style"))

    def counts(self) -> dict[str, int]:
        return {v: sum(r.verdict == v for r in self) for v in VERDICTS}

    def _rows(self, plain: bool) -> list[list[str]]:
        f = strip_math if plain else (lambda s: s)
        return [[r.slide, f(r.claim), f(r.printed), f(r.correct), r.verdict, f(r.explanation)]
                for r in self]

    def to_text(self, width: int = 96) -> str:
        """One block per row: verdict, slide and claim, then printed/correct and why."""
        blocks = []
        for slide, claim, printed, correct, verdict, why in self._rows(plain=True):
            head = f"[{verdict}] {slide}: {claim}"
            body = f"printed {printed}; correct {correct}. {why}"
            blocks.append("\n".join([head, *textwrap.wrap(body, width, initial_indent="    ",
                                                            subsequent_indent="    ")]))
        return "\n".join(blocks)

    def to_markdown(self) -> str:
        return md_table(self.HEADER, self._rows(plain=False)) + "\n"

    def to_latex(self) -> str:
        """A ``longtable`` (needs ``\\usepackage{longtable}``)."""
        spec = r"p{2.4cm}p{3.6cm}p{1.6cm}p{1.6cm}p{1.5cm}p{5cm}"
        return latex_table(self.HEADER, self._rows(plain=False), spec=spec)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def errata() -> ErrataTable:
    """The errata table of the lecture's numerical example and exercises.

    Returns
    -------
    ErrataTable
        Rows (slide, claim, printed, correct, verdict, explanation), in slide order;
        ``.problems()`` keeps only the mistakes.

    Examples
    --------
    >>> table = errata()
    >>> print(table.problems().to_text())     # doctest: +SKIP
    """
    return ErrataTable(rows(lecture_values()))
