"""The lecture, executable: worked example, errata, exercises, a generator and a checker.

Everything in the lecture "Introduction to Artificial Neural Networks" (E. Bezerra, CEFET/RJ)
that can be computed is computed here by glassnet's engine:

- :func:`worked_example` — the 2-2-1 network, one training step, every number;
- :func:`errata` — every number the slides print, checked, with a verdict;
- :func:`exercise` — exercises 1–4 solved step by step, discussion points answered;
- :func:`generate` — fresh exercises with nice numbers and an answer key;
- :func:`check` — a student's answers marked, with credit for errors carried forward.
"""

from .checker import CheckReport, check
from .generator import KINDS, build_sheet, generate
from .sheet import Sheet

__all__ = ["CheckReport", "KINDS", "Sheet", "build_sheet", "check", "generate"]
