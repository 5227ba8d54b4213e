"""A class of students: a sheet each from a roster, and every student's answers marked."""

import csv
import json

import pytest

from glassnet import course
from glassnet.course import Sheet
from tests.cli_helpers import one_error_line, run_cli
from tests.conftest import require_tool

ROSTER = "student,email\nAda Lovelace,ada@x\nAlan Turing,alan@x\nGrace Hopper,grace@x\n"


def _roster(tmp_path):
    path = tmp_path / "students.csv"
    path.write_text(ROSTER)
    return path


def test_quiz_class_writes_a_sheet_per_student_and_keeps_the_keys_apart(tmp_path):
    require_tool("pdflatex")
    code, out, _ = run_cli("quiz", "class", "forward", "--roster", _roster(tmp_path),
                           "--out", tmp_path / "class", "--seed", "5")
    assert code == 0, out
    handed, kept = tmp_path / "class" / "students", tmp_path / "class" / "instructor"
    manifest = json.loads((kept / "manifest.json").read_text())
    seeds = [s["seed"] for s in manifest["students"]]
    assert [s["student"] for s in manifest["students"]] == ["Ada Lovelace", "Alan Turing",
                                                            "Grace Hopper"]
    assert len(set(seeds)) == 3
    for s in manifest["students"]:
        mine = handed / s["folder"]
        assert sorted(p.name for p in mine.iterdir()) == ["answers.csv", "sheet.md", "sheet.pdf"]
        assert (mine / "sheet.pdf").read_bytes().startswith(b"%PDF")
        sheet = Sheet.load(kept / s["folder"] / "sheet.json")
        assert sheet.seed == s["seed"] and s["student"] in sheet.title
        assert (kept / s["folder"] / "key.pdf").exists()
    # nothing handed out holds a key value
    ada = Sheet.load(kept / "Ada_Lovelace" / "sheet.json")
    text = "".join(p.read_text() for p in (handed / "Ada_Lovelace").glob("*.[mc][ds]*"))
    assert not any(f"{v:.4f}"[:-1] in text for v in ada.key.values())


def test_make_class_from_python_is_reproducible_from_the_class_seed(tmp_path):
    one = course.make_class("forward", ["Ann", "Bo"], tmp_path / "a", seed=3, pdf=False)
    two = course.make_class("forward", ["Ann", "Bo"], tmp_path / "b", seed=3, pdf=False)
    assert one["students"] == two["students"]
    assert (tmp_path / "a/students/Ann/sheet.md").read_text() == \
        (tmp_path / "b/students/Ann/sheet.md").read_text()
    with pytest.raises(ValueError, match="more than once"):
        course.make_class("forward", ["Ann", "Ann"], tmp_path / "c", pdf=False)


def test_quiz_class_of_a_missing_roster_is_one_error_line(tmp_path):
    code, _, err = run_cli("quiz", "class", "forward", "--roster", tmp_path / "none.csv",
                           "--out", tmp_path / "c")
    assert code != 0 and "none.csv" in one_error_line(err)
