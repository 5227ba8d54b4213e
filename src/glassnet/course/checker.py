"""Mark a student's answers to a sheet, with credit for errors carried forward.

For each step, in the order a student computes them, the checker compares the student's
number with two references:

- the key's value — a match is **correct**;
- the same formula re-evaluated with the student's *own* earlier numbers (the givens, plus
  their answers where they gave one) — a match is **correct given your earlier value**
  (``carried_forward``) when one of those earlier numbers was wrong, and plain **correct**
  when they were all right but rounded (rounding an input is not a mistake).

Anything else is **wrong**. A number matches when it is within half a unit of its own last
written digit (``0.5933`` is accepted for 0.59327, ``0.5934`` is not), so the tolerance
follows the student's rounding — but never beyond the precision the sheet asks for (its
``decimals``; four significant digits for large values; ``decimals − 1`` significant figures
below 0.01, so ``0.0002`` does not pass for 0.000209): ``0.59`` or ``0`` written for
0.59327 is too coarse to earn the mark. For the first wrong value the report shows the
formula with the student's numbers plugged in. Answers come as a dict, or a CSV
(``name,value`` rows, or ``name;value``) or JSON (``{"name": value}``) file; numbers keep
their written digits, and a decimal comma (``0,3775``) is read as one. An answer that is not
one number (``abc``, ``1/2``, ``≈0.38``, a CSV row ``z1[1],0,2139`` that could be read two
ways) is marked **unreadable**, with the reason, and the other answers are marked as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ._format import md_table, num, text_table
from .answers import parse as _parse
from .answers import read_answers
from .misconceptions import MISCONCEPTIONS, candidates, said_of
from .sheet import SMALL, Sheet, asked_tolerance, significant_figures

__all__ = ["Mark", "CheckReport", "check", "read_answers", "MISCONCEPTIONS"]

VERDICTS = {"correct": "correct", "carried_forward": "correct given your earlier value",
            "wrong": "wrong", "missing": "missing", "skipped": "not given (optional step)",
            "unreadable": "unreadable (not a number)"}

@dataclass(frozen=True)
class Mark:
    """The verdict on one answer."""

    name: str
    label: str
    written: str | None      # the student's answer as written
    expected: float          # the key's value
    carried: float           # the formula re-evaluated from the student's own numbers
    verdict: str             # a key of VERDICTS
    note: str = ""
    #: for a wrong answer that one of the lecture's common mistakes explains, its name (a key
    #: of :data:`glassnet.course.misconceptions.MISCONCEPTIONS`); the note says it in words.
    misconception: str = ""

    @property
    def misconception_text(self) -> str:
        """The misconception in a sentence a student understands ("" when none)."""
        return said_of(self.misconception, self.name) if self.misconception else ""


@dataclass
class CheckReport:
    """Per-answer marks, the hint for the first wrong value, and a score."""

    sheet: Sheet
    marks: list[Mark]
    hint: str | None
    unknown: list[str]

    @property
    def verdicts(self) -> dict[str, str]:
        return {m.name: m.verdict for m in self.marks}

    @property
    def score(self) -> float:
        """Share of required answers that are correct or correct given earlier values."""
        required = [m for m in self.marks if m.verdict != "skipped"]
        good = sum(m.verdict in ("correct", "carried_forward") for m in required)
        return good / len(required) if required else 1.0

    def _rows(self):
        return [[m.name, m.written or "—", num(m.expected, 6), VERDICTS[m.verdict], m.note]
                for m in self.marks]

    def _summary(self) -> str:
        counts = {v: sum(m.verdict == v for m in self.marks) for v in VERDICTS}
        parts = [f"{n} {VERDICTS[v]}" for v, n in counts.items() if n]
        return f"Score {self.score:.0%}: " + ", ".join(parts) + "."

    def to_text(self) -> str:
        out = [self._summary(), "", text_table(["answer", "yours", "key", "verdict", "note"],
                                               self._rows())]
        if self.hint:
            out += ["", self.hint]
        if self.unknown:
            out += ["", f"Ignored names that are not on this sheet: {', '.join(self.unknown)}"]
        return "\n".join(out)

    def to_markdown(self) -> str:
        out = [self._summary(), "", md_table(["answer", "yours", "key", "verdict", "note"],
                                             self._rows())]
        if self.hint:
            out += ["", f"**First wrong value.** {self.hint}"]
        if self.unknown:
            out += ["", f"Ignored names not on this sheet: {', '.join(self.unknown)}"]
        return "\n".join(out) + "\n"

    def __str__(self) -> str:
        return self.to_text()

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _aliases(sheet: Sheet) -> dict[str, str]:
    alias = {q.text: q.name for q in sheet.quantities.values()}
    depth = len(sheet.shape) - 1
    if sheet.shape[-1] == 1:
        alias.update({"y_hat": f"a1[{depth}]", "yhat": f"a1[{depth}]",
                      "delta_out": f"delta1[{depth}]", "δ_out": f"delta1[{depth}]",
                      "dL/dy_hat": "dy_hat"})
    alias.update({"loss": "L"})
    alias.update(sheet.aliases)
    for name in sheet.quantities:
        if name.startswith("d") and name[1] in "wb":
            alias[f"dL/d{name[1:]}"] = name  # dL/dw11[1] as well as dw11[1]
    return alias


def check(sheet, answers) -> CheckReport:
    """Mark ``answers`` against ``sheet``.

    Parameters
    ----------
    sheet : Sheet or path
        From :func:`glassnet.course.generate`, or a sheet saved with ``Sheet.save``.
    answers : dict, or path to a .csv or .json file
        Answer name (as printed on the sheet, e.g. ``"z1[1]"``, ``"delta1[2]"``,
        ``"dw11[1]"``, ``"w11[1]_new"``; ``"y_hat"`` and ``"delta_out"`` also work) → value.
        Write numbers as you rounded them: the tolerance is half a unit of your last digit.

    Returns
    -------
    CheckReport
        ``report.verdicts`` maps each answer name to ``correct``, ``carried_forward``,
        ``wrong``, ``missing``, ``skipped`` or ``unreadable`` (the note says why; the other
        answers are marked all the same); ``report.hint`` explains the first wrong value.
    """
    if isinstance(sheet, (str, Path)):
        sheet = Sheet.load(sheet)
    if not isinstance(sheet, Sheet):
        raise TypeError(f"sheet must be a Sheet or a path to a saved sheet, got "
                        f"{type(sheet).__name__}")
    alias = _aliases(sheet)
    written, unknown = {}, []
    for raw, text in read_answers(answers).items():
        name = raw if raw in sheet.key else alias.get(raw)
        if name in sheet.key:
            written[name] = text
        else:
            unknown.append(raw)
    parsed = {n: _parse(n, t) for n, t in written.items()}
    marks, verdict, hint = [], {}, None
    # The student's own working: the givens, their answers, and every line they left out
    # recomputed from those (never the key's value), so a skipped line costs nothing.
    own: dict[str, float] = dict(sheet.givens)
    off: set[str] = set()   # lines whose value rests on a wrong number of the student's
    # How far an optional line left out may be from its recomputed value when the student
    # rounded it on paper, as asked, before going on: its own rounding plus its inputs'.
    loose: dict[str, float] = {}
    for step in sheet.steps:
        deps = [own[d] if d in own else sheet.key[d] for d in step.deps]
        carried, truth = step.compute(deps), sheet.key[step.name]
        slack = rounding_slack(step, deps, loose)
        deps_ok = not any(d in off for d in step.deps)
        label = sheet.quantities[step.name].text
        if step.name not in parsed:
            verdict[step.name] = "skipped" if step.optional else "missing"
            own[step.name] = carried
            if step.optional:
                loose[step.name] = asked_tolerance(sheet.decimals, carried) + slack
            if not deps_ok:
                off.add(step.name)
            marks.append(Mark(step.name, label, None, truth, carried, verdict[step.name]))
            continue
        if isinstance(parsed[step.name], str):   # unreadable: marked, the rest goes on
            verdict[step.name] = "unreadable"
            own[step.name] = carried
            if not deps_ok:
                off.add(step.name)
            marks.append(Mark(step.name, label, written[step.name], truth, carried,
                              "unreadable", parsed[step.name]))
            continue
        value, written_tol = parsed[step.name]
        own[step.name] = value
        loose[step.name] = written_tol  # the next lines were computed before this rounding
        tol = min(written_tol, asked_tolerance(sheet.decimals, truth))
        note, mistake = "", ""
        if _close(value, truth, tol):
            v = "correct"
        elif _close(value, carried,
                    min(written_tol, asked_tolerance(sheet.decimals, carried)) + slack):
            v = "correct" if deps_ok else "carried_forward"
            note = ("from your rounded inputs" if deps_ok else
                    f"from your earlier numbers this is {num(carried, 6)}")
        elif alt := next((t for a, t in sheet.also_accepted.get(step.name, ()) if _close(
                value, a, min(written_tol, asked_tolerance(sheet.decimals, a)))), None):
            v, note = "correct", f"accepted as {alt}"
        else:
            v = "wrong"
            if _close(value, truth, written_tol):
                note = ("rounded more coarsely than the "
                        + (f"{significant_figures(sheet.decimals)} significant figures"
                           if abs(truth) < SMALL else f"{sheet.decimals} decimals")
                        + " asked for")
            elif hint is None:
                hint = _hint(sheet, step, {n: t for n, t in written.items()
                                           if not isinstance(parsed[n], str)},
                             own, carried, label)
                note = "see below"
            if not _close(value, truth, written_tol):
                mistake = _diagnose(sheet, step, own, value, written_tol, written) or ""
                if mistake:
                    note = said_of(mistake, step.name) + (" (see below)" if note else "")
        verdict[step.name] = v
        if v != "correct":
            off.add(step.name)
        marks.append(Mark(step.name, label, written[step.name], truth, carried, v, note,
                          mistake if v == "wrong" else ""))
    return CheckReport(sheet, marks, hint, unknown)


def rounding_slack(step, deps: list[float], loose: dict[str, float]) -> float:
    """How much ``step`` may move when the lines it reads were rounded by up to ``loose``
    (name → half a unit of the digits kept), to first order: each input moved in turn."""
    base, total = step.compute(deps), 0.0
    for k, d in enumerate(step.deps):
        if loose.get(d):
            moved = [x + loose[d] if i == k else x for i, x in enumerate(deps)]
            total += abs(step.compute(moved) - base)
    return total


def _diagnose(sheet, step, own, value, written_tol, written) -> str | None:
    """The name of the common mistake that gives the student's ``value``: the line redone
    under each mistake from their own numbers, then (for a line they left out that this one
    reads) that line redone under it and this one from there."""
    def gives(x: float) -> bool:
        return _close(value, x, min(written_tol, asked_tolerance(sheet.decimals, x)))

    for name, x in candidates(step, own):
        if gives(x):
            return name
    by_name = {s.name: s for s in sheet.steps}
    for d in step.deps:
        if d in by_name and d not in written:
            for name, x in candidates(by_name[d], own):
                if gives(step.compute([x if e == d else own[e] for e in step.deps])):
                    return name
    return None


def _hint(sheet, step, written, own, carried, label) -> str:
    """The formula with the numbers the student worked with: theirs as written, and lines
    they left out as recomputed from their own numbers."""
    shown = {d: written[d] if d in written else num(own[d], 6) for d in step.deps
             if d not in sheet.givens and d in own}
    yours = any(d in written for d in step.deps) or any(
        d in shown and not _close(own[d], sheet.key[d], 1e-12) for d in step.deps)
    where = " with your numbers" if yours else ""
    return (f"{sheet.derivation(step.name, values=shown, result=carried)}{where}; "
            f"you wrote {label} = {written[step.name]}.")


def _close(value: float, reference: float, tol: float) -> bool:
    # The floor absorbs binary rounding of values given to full float precision.
    return abs(value - reference) <= tol + 1e-9 * max(1.0, abs(reference))
