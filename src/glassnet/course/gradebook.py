"""Marking a class made by :func:`~glassnet.course.make_class`: a gradebook and a summary.

:func:`mark_class` marks every student's answers with :func:`~glassnet.course.check` and
writes a gradebook (one row per student: score, then each answer's verdict) and a summary
(per question the share of students credited, and how often each named mistake occurred).
Answers come one file per student (named after the student or their folder) or as one class
CSV with a ``student`` column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .._files import atomic_write, read_regular_text
from ._format import md_table
from .checker import VERDICTS, check, read_answers
from .classroom import _folder, _manifest
from .sheet import Sheet

__all__ = ["ClassMarks", "mark_class"]

_CREDITED = ("correct", "carried_forward")


@dataclass
class ClassMarks:
    """Every student's verdicts, a score each, and what the class got right and wrong."""

    names: list[str]                    # the answer names, in the sheet's order
    verdicts: dict[str, dict[str, str]]  # student → answer name → verdict
    scores: dict[str, float]            # student → share of required answers credited
    mistakes: dict[str, dict[str, int]] = field(default_factory=dict)  # answer → mistake → n
    absent: list[str] = field(default_factory=list)  # students with no answers file
    carry_forward: bool = True

    def share_correct(self, name: str) -> float:
        """Share of students credited for answer ``name`` (carried-forward counts only when
        carry-forward is on, which it is unless ``carry_forward=False``)."""
        got = [v[name] for v in self.verdicts.values()]
        return sum(g in _CREDITED for g in got) / len(got) if got else 0.0

    def gradebook_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["student", "score", *self.names])
        for student, verdicts in self.verdicts.items():
            writer.writerow([student, f"{self.scores[student]:.4f}",
                             *(verdicts[n] for n in self.names)])
        return buffer.getvalue()

    def summary_markdown(self) -> str:
        mean = sum(self.scores.values()) / len(self.scores) if self.scores else 0.0
        rule = ("credit for errors carried forward" if self.carry_forward else
                "no credit for errors carried forward")
        lines = ["# Class summary", "", f"{len(self.scores)} students, mean score "
                 f"{mean:.0%} ({rule}).", ""]
        rows = []
        for n in self.names:
            counts = {}
            for v in self.verdicts.values():
                counts[v[n]] = counts.get(v[n], 0) + 1
            seen = ", ".join(f"{c} {VERDICTS.get(k, k)}" for k, c in counts.items())
            skipped = all(v[n] == "skipped" for v in self.verdicts.values())  # optional
            rows.append([f"`{n}`", "—" if skipped else f"{self.share_correct(n):.0%}", seen])
        lines += [md_table(["answer", "share correct", "verdicts"], rows), ""]
        named = [(n, m, c) for n, ms in self.mistakes.items() for m, c in ms.items()]
        if named:
            lines += ["## Named mistakes", "",
                      md_table(["answer", "mistake", "students"],
                               [[f"`{n}`", m, str(c)] for n, m, c in
                                sorted(named, key=lambda t: (-t[2], t[0]))]), ""]
        else:
            lines += ["No named mistakes were recognised.", ""]
        if self.absent:
            lines += [f"No answers from: {', '.join(self.absent)}.", ""]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary_markdown()


def mark_class(folder, answers, out=None, *, carry_forward: bool = True) -> ClassMarks:
    """Mark every student of the class in ``folder`` (made by :func:`make_class`).

    Parameters
    ----------
    folder : path
        The class folder (its ``instructor/`` holds the manifest and the sheets).
    answers : path, list of paths, or dict
        One file per student, named by the student (``Ada Lovelace.csv`` or the student's
        folder name, ``Ada_Lovelace.json``), each as ``check`` reads it; or one class CSV with
        a ``student`` column and either ``name,value`` columns (one row per answer) or one
        column per answer name. From Python, also a dict: student → their answers (a dict
        of name → value, or a file).
    out : path, optional
        The gradebook CSV to write; the summary goes beside the class, to
        ``folder/summary.md``.
    carry_forward : bool
        With ``False``, an answer the checker credits as "correct given your earlier value"
        counts as wrong: only the key's value earns the mark.

    Returns
    -------
    ClassMarks
    """
    folder = Path(folder)
    manifest = _manifest(folder)
    by_key = {}
    for s in manifest["students"]:
        by_key[s["student"]] = s
        by_key[s["folder"]] = s
        by_key[s["student"].casefold()] = s
    given: dict[str, dict[str, str]] = {}
    if isinstance(answers, dict):  # student → their answers (a dict, or a file's path)
        for student, theirs in answers.items():
            given[_student(str(student), by_key, Path("answers"))] = read_answers(theirs)
        answers = []
    files = [answers] if isinstance(answers, (str, Path)) else list(answers)
    for path in map(Path, files):
        for student, written in _answers_in(path, by_key, manifest).items():
            if student in given:
                raise ValueError(f"answers for {student!r} are given twice")
            given[student] = written
    names, verdicts, scores, mistakes, absent = None, {}, {}, {}, []
    for s in manifest["students"]:
        sheet = Sheet.load(folder / "instructor" / s["folder"] / "sheet.json")
        names = names or sheet.names
        written = given.get(s["student"])
        if written is None:
            absent.append(s["student"])
            written = {}
        report = check(sheet, written)  # reads a decimal comma (0,5933) by itself
        row = {}
        for mark in report.marks:
            verdict = mark.verdict
            if not carry_forward and verdict == "carried_forward":
                verdict = "wrong"  # only the key's value earns the mark
            row[mark.name] = verdict
            if mark.misconception:
                per = mistakes.setdefault(mark.name, {})
                per[mark.misconception] = per.get(mark.misconception, 0) + 1
        required = [v for n, v in row.items() if v != "skipped"]
        verdicts[s["student"]] = row
        scores[s["student"]] = (sum(v in _CREDITED for v in required) / len(required)
                                if required else 1.0)
    marks = ClassMarks(names or [], verdicts, scores, mistakes, absent, carry_forward)
    if out is not None:
        atomic_write(out, marks.gradebook_csv(), parents=True)
    atomic_write(folder / "summary.md", marks.summary_markdown())
    return marks


def _answers_in(path: Path, by_key: dict, manifest: dict) -> dict[str, dict[str, str]]:
    """student → answer name → the number as written, from one file."""
    if path.suffix.lower() == ".csv":
        text = read_regular_text(path, "a .csv answers file", missing=(
            f"answers file {str(path)!r} does not exist"))
        first = text.partition("\n")[0]
        delimiter = ";" if manifest.get("decimal_comma") or ";" in first else ","
        rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter)
                if r and any(c.strip() for c in r)]
        header = [c.strip().lower() for c in rows[0]] if rows else []
        if "student" in header:
            return _class_csv(path, rows, header, by_key)
    # one student's file: read as check reads it (',' or ';', a decimal point or comma)
    return {_student(path.stem, by_key, path): read_answers(path)}


def _class_csv(path, rows, header, by_key) -> dict[str, dict[str, str]]:
    col = header.index("student")
    out: dict[str, dict[str, str]] = {}
    long = "name" in header and "value" in header
    for r in rows[1:]:
        if len(r) <= col or not r[col].strip():
            continue
        student = _student(r[col].strip(), by_key, path)
        got = out.setdefault(student, {})
        if long:
            n, v = r[header.index("name")].strip(), r[header.index("value")].strip()
            if v:
                got[n] = v
        else:
            got.update({rows[0][k].strip(): c.strip() for k, c in enumerate(r)
                        if k != col and c.strip()})
    return out


def _student(key: str, by_key: dict, path: Path) -> str:
    found = by_key.get(key) or by_key.get(key.casefold()) or by_key.get(_folder(key))
    if found is None:
        names = sorted({entry["student"] for entry in by_key.values()})
        shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
        raise ValueError(f"{path.name}: {key!r} is not a student of this class; expected an "
                         f"answers file named after a student ({shown}), or a class CSV "
                         "with a 'student' column")
    return found["student"]
