"""The lecture, executable: worked example, errata, exercises, a generator and a checker.

Everything in the lecture "Introduction to Artificial Neural Networks" (E. Bezerra, CEFET/RJ)
that can be computed is computed here by glassnet's engine:

- :func:`worked_example` — the 2-2-1 network, one training step, every number;
- :func:`errata` — every number the slides print, checked, with a verdict;
- :func:`exercise` — exercises 1–4 solved step by step, discussion points answered;
- :func:`generate` — fresh exercises with nice numbers and an answer key;
- :func:`check` — a student's answers marked, with credit for errors carried forward;
- :func:`make_class`, :func:`mark_class` — a sheet per student of a roster, and a gradebook;
- :func:`to_moodle_xml` — variants as Moodle numerical questions with their tolerance;
- :func:`logistic_regression` — one sigmoid neuron on the loan data, beside scikit-learn.
"""

from .checker import CheckReport, check
from .classroom import make_class
from .gradebook import ClassMarks, mark_class
from .errata import ErrataTable, Erratum, errata
from .exercises import Exercise, exercise, exercises
from .generator import KINDS, build_sheet, generate
from .learning_rate import learning_rate_run
from .lecture import lecture_network
from .logistic import LogisticFit, logistic_regression
from .moodle import to_moodle_xml
from .sheet import Sheet
from .worked_example import WorkedExample, worked_example

__all__ = ["CheckReport", "ClassMarks", "ErrataTable", "Erratum", "Exercise", "KINDS", "Sheet",
           "WorkedExample", "build_sheet", "check", "errata", "exercise", "exercises",
           "generate", "learning_rate_run", "lecture_network", "logistic_regression",
           "make_class", "mark_class", "to_moodle_xml", "worked_example", "LogisticFit"]
