"""A whole class: one sheet per student from a roster, and every student's answers marked.

:func:`make_class` writes, for a roster of students, a sheet of the same kind for each, with a
seed of its own (so no two neighbours copy the same numbers). What is handed out and what is
kept apart live in two folders of ``out``::

    out/students/<folder>/sheet.md, sheet.pdf (where a TeX engine is present), answers.csv
    out/instructor/manifest.json          who got which seed, kind, shape, decimals
    out/instructor/<folder>/sheet.json, key.md, key.pdf

Hand out ``students/`` only: ``instructor/`` holds the keys.

:func:`~glassnet.course.gradebook.mark_class` marks them (:mod:`glassnet.course.gradebook`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np

from .._files import atomic_write, read_regular_text
from ._format import tex_engine
from .generator import _kind, generate

__all__ = ["make_class", "read_roster"]

_MANIFEST = "glassnet.course.class/1"


# ---- the roster ---------------------------------------------------------------------------

def read_roster(roster) -> list[str]:
    """Student names from a list, or a CSV file whose ``student`` (or ``name``) column, or
    else whose first column, holds one name a row. Blank rows are skipped; names must be
    unique."""
    if isinstance(roster, (str, Path)):
        path = Path(roster)
        text = read_regular_text(path, "a .csv roster with a 'student' column", missing=(
            f"roster {str(path)!r} does not exist; expected a CSV with one student a row"))
        rows = [r for r in csv.reader(io.StringIO(text)) if r and any(c.strip() for c in r)]
        header = [c.strip().lower() for c in rows[0]] if rows else []
        column = next((header.index(h) for h in ("student", "name") if h in header), None)
        if column is not None:
            rows = rows[1:]
        names = [r[column or 0].strip() for r in rows if len(r) > (column or 0)]
    else:
        names = [str(n).strip() for n in roster]
    names = [n for n in names if n]
    if not names:
        raise ValueError("the roster names no students; expected a CSV with a 'student' "
                         "column and one name a row")
    doubles = sorted({n for n in names if names.count(n) > 1})
    if doubles:
        raise ValueError(f"the roster names {doubles} more than once; names must be unique")
    folders = [_folder(n) for n in names]
    clash = sorted({f for f in folders if folders.count(f) > 1})
    if clash:
        raise ValueError(f"students' names give the same folder name {clash}; make them "
                         f"differ in letters or digits")
    return names


def _folder(name: str) -> str:
    """A safe folder name for a student: letters, digits, '-' and '_' only."""
    slug = re.sub(r"[^\w-]+", "_", name, flags=re.ASCII).strip("_")
    return slug or "student"


# ---- making the sheets -------------------------------------------------------------------

def make_class(kind: str, roster, out, shape=(2, 2, 1), *, seed: int | None = None,
               decimals: int = 4, decimal_comma: bool = False, pdf: bool | None = None) -> dict:
    """One sheet of ``kind`` per student of ``roster``, written under ``out``.

    Parameters
    ----------
    kind : str
        An exercise kind, as for :func:`~glassnet.course.generate`.
    roster : path or list of str
        A CSV with a ``student`` column (or one name a row), or the names themselves.
    out : path
        The class folder: ``students/`` to hand out, ``instructor/`` to keep.
    shape : tuple of int
        Layer widths, input first.
    seed : int, optional
        The class seed, from which each student's seed is drawn (distinct for every
        student); without one it is drawn and recorded in the manifest.
    decimal_comma : bool
        Write numbers with a decimal comma (0,5933) on sheets and keys.
    pdf : bool, optional
        Also compile PDFs; by default, where a TeX engine is present.

    Returns
    -------
    dict
        The manifest (also written to ``out/instructor/manifest.json``).
    """
    kind = _kind(kind)
    names = read_roster(roster)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**32)
    seeds = np.random.default_rng(seed).choice(2**31, size=len(names), replace=False)
    pdf = tex_engine() is not None if pdf is None else pdf
    out = Path(out)
    students = []
    for name, student_seed in zip(names, seeds):
        sheet = generate(kind, seed=int(student_seed), shape=shape, decimals=decimals,
                         decimal_comma=decimal_comma)
        sheet.title = f"{sheet.title} for {name}"
        folder = _folder(name)
        handed, kept = out / "students" / folder, out / "instructor" / folder
        atomic_write(handed / "sheet.md", sheet.to_markdown(), parents=True)
        sheet.answer_template(handed / "answers.csv")
        atomic_write(kept / "key.md", sheet.to_markdown(key=True), parents=True)
        sheet.save(kept / "sheet.json")
        if pdf:
            sheet.to_pdf(handed / "sheet.pdf")
            sheet.to_pdf(kept / "key.pdf", key=True)
        students.append({"student": name, "folder": folder, "seed": int(student_seed)})
    manifest = {"format": _MANIFEST, "kind": kind, "shape": list(sheet.shape),
                "class_seed": int(seed), "decimals": decimals, "decimal_comma": decimal_comma,
                "students": students}
    atomic_write(out / "instructor" / "manifest.json",
                 json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", parents=True)
    return manifest


def _manifest(folder: Path) -> dict:
    path = folder / "instructor" / "manifest.json"
    try:
        data = json.loads(read_regular_text(path, "the manifest.json of make_class"))
    except FileNotFoundError:
        raise ValueError(f"{str(folder)!r} is not a class folder: {str(path)!r} is missing "
                         f"(make one with make_class or `glassnet quiz class`)") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"{str(path)!r} is not valid JSON ({e.msg}, line {e.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != _MANIFEST:
        raise ValueError(f"{str(path)!r} is not a class manifest (format {_MANIFEST!r})")
    return data
