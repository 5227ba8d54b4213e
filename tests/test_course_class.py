"""A class of students: a sheet each from a roster, and every student's answers marked."""

import csv
import json
import math

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


def _answers(sheet, slip=None):
    """The key as a student writes it (four decimals); ``slip`` makes z1[1] wrong and carries
    it into a1[1] the way a student would."""
    values = {n: round(v, 4) for n, v in sheet.key.items()}
    if slip:
        values["z1[1]"] = round(sheet.key["z1[1]"] + slip, 4)
        values["a1[1]"] = round(1 / (1 + math.exp(-values["z1[1]"])), 4)
    return values


def _write(path, values):
    path.write_text("name,value\n" + "".join(f"{n},{v}\n" for n, v in values.items()))
    return path


def test_quiz_mark_writes_a_gradebook_and_a_summary(tmp_path):
    folder = tmp_path / "class"
    course.make_class("forward", _roster(tmp_path), folder, seed=5, pdf=False)
    sheets = {s: Sheet.load(folder / "instructor" / s / "sheet.json")
              for s in ("Ada_Lovelace", "Alan_Turing")}
    ada = _write(tmp_path / "Ada_Lovelace.csv", _answers(sheets["Ada_Lovelace"]))
    alan = _write(tmp_path / "alan turing.csv", _answers(sheets["Alan_Turing"], slip=0.3))
    code, out, _ = run_cli("quiz", "mark", folder, ada, alan, "--out", tmp_path / "grades.csv")
    assert code == 0, out
    rows = {r["student"]: r for r in csv.DictReader((tmp_path / "grades.csv").open())}
    assert set(rows) == {"Ada Lovelace", "Alan Turing", "Grace Hopper"}
    assert float(rows["Ada Lovelace"]["score"]) == 1.0
    assert rows["Alan Turing"]["z1[1]"] == "wrong"
    assert rows["Alan Turing"]["a1[1]"] == "carried_forward"
    assert rows["Grace Hopper"]["z1[1]"] == "missing"
    summary = (folder / "summary.md").read_text()
    assert "| `z1[1]` | 33% |" in summary and "No answers from: Grace Hopper." in summary
    assert "share correct" in out

    code, out, _ = run_cli("quiz", "mark", folder, ada, alan, "--out", tmp_path / "strict.csv",
                           "--no-carry-forward")
    rows = {r["student"]: r for r in csv.DictReader((tmp_path / "strict.csv").open())}
    assert rows["Alan Turing"]["a1[1]"] == "wrong"
    assert "no credit for errors carried forward" in out


def test_mark_class_reads_one_class_csv_and_counts_named_mistakes(tmp_path, monkeypatch):
    from glassnet.course import gradebook
    folder = tmp_path / "class"
    course.make_class("forward", ["Ann", "Bo"], folder, seed=2, pdf=False)
    lines = ["student,name,value"]
    for who, slip in (("Ann", None), ("Bo", 0.3)):
        sheet = Sheet.load(folder / "instructor" / who / "sheet.json")
        lines += [f"{who},{n},{v}" for n, v in _answers(sheet, slip).items()]
    answers = tmp_path / "class-answers.csv"
    answers.write_text("\n".join(lines) + "\n")

    real = gradebook.check

    def with_misconception(sheet, written, **kw):  # a checker that names mistakes
        from types import SimpleNamespace
        report = real(sheet, written, **kw)
        report.marks = [SimpleNamespace(name=m.name, verdict=m.verdict,
                                        misconception="forgot the bias" if m.verdict == "wrong"
                                        else None) for m in report.marks]
        return report
    monkeypatch.setattr(gradebook, "check", with_misconception)
    marks = course.mark_class(folder, answers, tmp_path / "g.csv")
    assert marks.scores["Ann"] == 1.0 and marks.scores["Bo"] < 1.0
    assert marks.share_correct("z1[1]") == 0.5
    assert marks.mistakes == {"z1[1]": {"forgot the bias": 1}}
    assert "| `z1[1]` | forgot the bias | 1 |" in marks.summary_markdown()


def test_mark_class_names_an_answers_file_of_no_student(tmp_path):
    folder = tmp_path / "class"
    course.make_class("forward", ["Ann"], folder, seed=2, pdf=False)
    stray = _write(tmp_path / "Zed.csv", {"z1[1]": 0.1})
    code, _, err = run_cli("quiz", "mark", folder, stray, "--out", tmp_path / "g.csv")
    line = one_error_line(err)
    assert code == 2 and "'Zed' is not a student" in line
    assert "expected an answers file named after a student (Ann)" in line


def student_chain(sheet) -> dict:
    """Every answer as a careful student writes it: computed from their own rounded answers,
    then rounded to 4 decimals (3 significant figures below 0.01)."""
    values, written = {**sheet.givens}, {}
    for step in sheet.steps:
        exact = step.compute([values[d] for d in step.deps])
        digits = 4 if abs(exact) >= 0.01 or exact == 0 else 2 - math.floor(math.log10(abs(exact)))
        values[step.name] = written[step.name] = round(exact, digits)
    return written


def test_quiz_moodle_carries_every_variants_key_values_and_tolerances(tmp_path):
    import xml.etree.ElementTree as ET
    code, out, _ = run_cli("quiz", "moodle", "forward", "weight_update", "--seeds", "1-12",
                           "--out", tmp_path / "quiz.xml")
    assert code == 0, out
    root = ET.parse(tmp_path / "quiz.xml").getroot()
    categories = [q.findtext("category/text") for q in root.iter("question")
                  if q.get("type") == "category"]
    assert categories == ["$course$/top/glassnet/Forward pass",
                          "$course$/top/glassnet/Weight update"]
    found = {q.findtext("name/text"): (float(q.findtext("answer/text")),
                                       float(q.findtext("answer/tolerance")))
             for q in root.iter("question") if q.get("type") == "numerical"}
    for kind in ("forward", "weight_update"):
        for seed in range(1, 13):
            sheet = course.generate(kind, seed=seed)
            for k, name in enumerate(sheet.names, 1):
                value, tol = found.pop(f"{course.KINDS[kind]}, seed {seed}: {k:02d} {name}")
                assert value == pytest.approx(sheet.key[name], rel=1e-10)
                # at least half a unit of the 4th decimal (3rd significant figure below 0.01)
                exponent = math.floor(math.log10(abs(value)))
                own = (min(5e-5, 0.5 * 10 ** (exponent - 2)) if abs(value) < 0.01 else
                       max(5e-5, 0.5 * 10 ** (exponent - 3)))
                assert tol >= own * (1 - 1e-9)
                # and a student who rounds every line as asked, from their own rounded
                # numbers, is inside it (Moodle gives no credit for errors carried forward)
                assert abs(student_chain(sheet)[name] - value) <= tol
    assert not found  # nothing else


def test_quiz_moodle_refuses_a_bad_seed_list(tmp_path):
    code, _, err = run_cli("quiz", "moodle", "forward", "--seeds", "a-b", "--out",
                           tmp_path / "q.xml")
    assert code != 0 and "--seeds expected" in one_error_line(err)


def test_every_sheet_states_its_conventions_marks_optional_steps_and_leaves_room():
    sheet = course.generate("output_gradients", seed=4)
    for text in (sheet.to_text(), sheet.to_markdown(), sheet.to_latex()):
        assert "from input" in text and "to neuron" in text
        assert "(optional)" in text
        assert "4 decimal places" in text and "significant figures" in text
    assert "L = ½(y − ŷ)²" in sheet.to_text() and "σ(z) = 1/(1 + e^−z)" in sheet.to_text()
    assert r"\frac{1}{2}(y - \hat{y})^2" in sheet.to_markdown()
    optional = [s.name for s in sheet.steps if s.optional]
    assert optional and all(f"`{n}` (optional)" in sheet.to_markdown() for n in optional)
    latex = sheet.to_latex()
    assert latex.count(r"\underline{\hspace{5cm}}") == len(sheet.steps)  # room for each answer
    assert r"\underline" not in sheet.to_latex(key=True)


def test_decimal_comma_on_sheet_and_key_through_quiz_new(tmp_path):
    require_tool("pdflatex")
    code, out, _ = run_cli("quiz", "new", "forward", "--seed", "7", "--decimal-comma",
                           "--out", tmp_path)
    assert code == 0, out
    sheet = Sheet.load(tmp_path / "sheet.json")
    assert sheet.decimal_comma
    student, key = (tmp_path / "sheet.md").read_text(), (tmp_path / "key.md").read_text()
    z = f"{sheet.key['z1[1]']:.8g}".replace(".", "{,}")
    assert z in key and "decimal comma" in student
    assert "0{," in student and "0." not in student.split("**Compute")[0]
    text = course.generate("forward", seed=7, decimal_comma=True).to_text(key=True)
    assert f"{sheet.key['a1[1]']:.8g}".replace(".", ",") in text
    sheet.to_pdf(tmp_path / "sheet.pdf")  # compiles with {,} in the maths
    assert (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF")


def test_a_decimal_comma_class_marks_answers_written_with_commas(tmp_path):
    folder = tmp_path / "class"
    course.make_class("forward", ["Ann"], folder, seed=2, pdf=False, decimal_comma=True)
    sheet = Sheet.load(folder / "instructor" / "Ann" / "sheet.json")
    (tmp_path / "Ann.csv").write_text("name;value\n" + "".join(
        f"{n};{round(v, 4)}\n".replace(".", ",") for n, v in sheet.key.items()))
    assert course.mark_class(folder, [tmp_path / "Ann.csv"]).scores == {"Ann": 1.0}


def test_quiz_help_shows_the_class_workflow():
    code, out, _ = run_cli("quiz", "--help")
    assert code == 0
    for line in ("quiz class forward --roster students.csv", "quiz mark class/",
                 "--no-carry-forward", "quiz moodle"):
        assert line in out
    for command in ("class", "mark", "moodle"):
        assert run_cli("quiz", command, "--help")[0] == 0


def test_mark_class_from_python_takes_each_students_answers_as_a_dict(tmp_path):
    folder = tmp_path / "class"
    course.make_class("forward", ["Ada", "Alan"], folder, seed=1, pdf=False)
    ada = Sheet.load(folder / "instructor" / "Ada" / "sheet.json")
    marks = course.mark_class(folder, {"Ada": ada.key})
    assert marks.scores == {"Ada": 1.0, "Alan": 0.0} and marks.absent == ["Alan"]
