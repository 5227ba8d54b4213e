"""Variants of an exercise as Moodle XML: one numerical question per answer, one category per
kind.

Each answer of each variant (``generate(kind, seed)`` for every seed) becomes a Moodle
*numerical* question whose text gives the variant's numbers. Moodle cannot give credit for
errors carried forward, so an answer's tolerance is the checker's rule (half a unit of the last
digit asked for) plus what the earlier answers, each rounded as asked, can move it
(:func:`chain_tolerances`): a student who rounds every line as the sheet asks is accepted. Import the file in Moodle under Question bank → Import →
Moodle XML; draw random questions from a kind's category to give each student a variant.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .._files import atomic_write
from ._format import num, strip_math
from .checker import rounding_slack
from .generator import KINDS, _kind, generate
from .sheet import _given_lines, asked_tolerance

__all__ = ["to_moodle_xml", "tolerance", "chain_tolerances"]


def tolerance(value: float, decimals: int) -> float:
    """Half a unit of the last digit the sheet asks for (:func:`~glassnet.course.sheet.
    asked_tolerance`, the checker's own rule)."""
    return asked_tolerance(decimals, value)


def chain_tolerances(sheet) -> dict[str, float]:
    """Each answer's tolerance in a quiz that cannot carry errors forward: its own rounding,
    plus what the earlier answers it is computed from, each rounded as asked, can move it
    (:func:`~glassnet.course.checker.rounding_slack`, as the checker allows)."""
    values = {**sheet.givens, **sheet.key}
    tol: dict[str, float] = {}
    for step in sheet.steps:
        carried = rounding_slack(step, [values[d] for d in step.deps], tol)
        tol[step.name] = tolerance(values[step.name], sheet.decimals) + carried
    return tol


def to_moodle_xml(kinds, seeds, out=None, shape=(2, 2, 1), *, decimals: int = 4,
                  category: str = "glassnet") -> str:
    """Moodle XML for the variants ``seeds`` of each of ``kinds``; written to ``out`` if given.

    Parameters
    ----------
    kinds : str or list of str
        Exercise kinds, as for :func:`~glassnet.course.generate`; one category each, named
        ``$course$/top/<category>/<kind's title>``.
    seeds : iterable of int
        One variant per seed.
    """
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    seeds = list(seeds)
    if not seeds:
        raise ValueError("seeds expected at least one seed, such as range(1, 21)")
    quiz = ET.Element("quiz")
    for kind in map(_kind, kinds):
        cat = ET.SubElement(quiz, "question", type="category")
        _text(ET.SubElement(cat, "category"), f"$course$/top/{category}/{KINDS[kind]}")
        for seed in seeds:
            sheet = generate(kind, seed=seed, shape=shape, decimals=decimals)
            given = "".join(f"<li>{_html(g)}</li>" for g in _given_lines(sheet, "markdown"))
            tolerances = chain_tolerances(sheet)
            for k, step in enumerate(sheet.steps, 1):
                value = sheet.key[step.name]
                q = ET.SubElement(quiz, "question", type="numerical")
                _text(ET.SubElement(q, "name"), f"{KINDS[kind]}, seed {seed}: {k:02d} {step.name}")
                label = sheet.quantities[step.name].latex
                body = (f"<p>{sheet._header()}</p><p>Given:</p><ul>{given}</ul>"
                        f"<p>Compute \\({label}\\) to {decimals} decimal places"
                        f"{' (optional on the sheet)' if step.optional else ''}.</p>")
                qt = ET.SubElement(q, "questiontext", format="html")
                _text(qt, body)
                ET.SubElement(q, "defaultgrade").text = "1"
                answer = ET.SubElement(q, "answer", fraction="100", format="moodle_auto_format")
                _text(answer, num(value, 12))
                ET.SubElement(answer, "tolerance").text = num(tolerances[step.name], 12)
                _text(ET.SubElement(answer, "feedback", format="html"),
                      strip_math(sheet.derivation(step.name)))
    ET.indent(quiz)
    xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode")
    if out is not None:
        atomic_write(out, xml + "\n", parents=True)
    return xml


def _text(parent, text: str) -> None:
    ET.SubElement(parent, "text").text = text


def _html(markdown: str) -> str:
    """Markdown's ``$…$`` maths as MathJax's ``\\(…\\)``."""
    parts = markdown.split("$")
    return "".join(p if k % 2 == 0 else f"\\({p}\\)" for k, p in enumerate(parts))
