"""``glassnet example``, ``exercise``, ``quiz``, the global error handling and ``--help``."""

import json
import xml.etree.ElementTree as ET

import pytest
from cli_helpers import one_error_line, run_cli

import glassnet.cli.lecture


def test_example_prints_the_lecture_numbers():
    code, out, _ = run_cli("example")
    assert code == 0
    # z[2] = 0.59326999·0.40 + 0.59688438·0.45 + 0.60 = 1.10590597;  ŷ = σ(1.10590597)
    assert "ŷ = 0.75136507" in out
    # L = ½ (0.01 − 0.75136507)² = ½ · 0.54962215 = 0.27481108
    assert "L = 0.27481108" in out
    assert out.count("ŷ = 0.75136507") == 1   # said once, not by the command and the course both
    # hidden: σ(0.05·0.15 + 0.10·0.20 + 0.35) = σ(0.3775) = 0.59327
    assert "0.59327" in out and "0.3775" in out
    # w11[2] ← 0.40 − 0.5 · 0.08216704 = 0.35891648 (the slides print 0.3589)
    assert "0.35892" in out


def test_example_writes_json_svg_markdown_and_latex():
    code, out, _ = run_cli("example", "--format", "json")
    assert code == 0
    trace = json.loads(out)
    assert trace["schema"] == "glassnet.trace/1"
    assert trace["loss"]["value"] == pytest.approx(0.27481108, abs=1e-8)
    assert trace["batch"]["y_hat"][0][0] == pytest.approx(0.75136507, abs=1e-8)
    code, out, _ = run_cli("example", "--format", "svg", "--view", "backward")
    assert code == 0 and ET.fromstring(out).tag.endswith("svg")
    code, out, _ = run_cli("example", "--format", "markdown", "--digits", "4")
    assert code == 0 and r"\sigma(0.3775)" in out
    code, out, _ = run_cli("example", "--format", "latex")
    assert code == 0 and out.lstrip().startswith(r"\documentclass")


def test_example_errata_has_the_slides_slip():
    code, out, _ = run_cli("example", "--errata", "--format", "json")
    assert code == 0
    document = json.loads(out)  # one JSON document: the trace and the errata
    assert document["trace"]["schema"] == "glassnet.trace/1"
    rows = document["errata"]
    # ∂L/∂w21[2] = δ_out · a2[1] = 0.13849856 · 0.59688438 = 0.08266763: the slides print 0.0826
    slip = [r for r in rows if r["printed"] == "0.0826"]
    assert slip and slip[0]["verdict"] != "correct"


def test_example_points_at_errata_and_errata_prints_the_table_once():
    # the slides print ∂L/∂w21[2] = 0.0826 for 0.13849856 · 0.59688438 = 0.08266763
    code, out, _ = run_cli("example")
    assert code == 0 and "0.0826;" not in out and "[erratum]" not in out
    assert out.count("glassnet example --errata") == 1   # the one line pointing at the table
    assert len(out.splitlines()) < 80                     # the step, not the step and a table
    slip = {"text": "printed 0.0826;", "markdown": "| 0.0826 |", "latex": "& 0.0826 &"}
    for fmt, row in slip.items():
        code, out, _ = run_cli("example", "--format", fmt)
        assert code == 0 and row not in out and "--errata" in out.replace("-{}-", "--")
        code, out, _ = run_cli("example", "--errata", "--format", fmt)
        assert code == 0 and out.count(row) == 1, fmt  # the table once, in every format
        assert "0.75136507" in out or "0.75137" in out


def test_example_errata_latex_is_one_document():
    code, out, _ = run_cli("example", "--errata", "--format", "latex")
    assert code == 0
    assert out.count("\\documentclass") == 1 and out.count("\\end{document}") == 1
    assert out.index("\\begin{longtable}") < out.index("\\end{document}")


def test_exercise_one_is_solved():
    code, out, _ = run_cli("exercise", "1")
    assert code == 0
    # a1 = σ(0.10·0.12 + 0.20·0.22 + 0.35) = σ(0.406) = 0.60012837
    # a2 = σ(0.10·0.18 + 0.20·0.28 + 0.35) = σ(0.424) = 0.60444002
    assert "0.60013" in out or "0.6001" in out
    assert "0.60444" in out or "0.6044" in out


def test_exercise_out_of_range_is_one_line():
    code, _, err = run_cli("exercise", "7")
    assert code == 2
    assert "exercises 1 to 4, got 7" in one_error_line(err)


def test_quiz_new_is_reproducible_and_check_scores_the_key_full_and_a_slip_wrong(tmp_path):
    code, out, _ = run_cli("quiz", "new", "forward", "--seed", "7", "--out", tmp_path)
    assert code == 0
    for name in ("sheet.md", "key.md", "sheet.json", "answers.csv"):
        assert (tmp_path / name).is_file()
    key = json.loads((tmp_path / "sheet.json").read_text())["key"]
    # the same seed gives the same sheet
    code, again, _ = run_cli("quiz", "new", "forward", "--seed", "7")
    assert again.strip() == (tmp_path / "sheet.md").read_text().strip()

    answers = tmp_path / "mine.json"
    answers.write_text(json.dumps({name: f"{value:.6f}" for name, value in key.items()}))
    code, out, err = run_cli("quiz", "check", tmp_path / "sheet.json", answers)
    assert code == 0 and "Score 100%" in out

    first = next(iter(key))
    wrong = {**{n: f"{v:.6f}" for n, v in key.items()}, first: f"{key[first] + 1:.6f}"}
    answers.write_text(json.dumps(wrong))
    code, out, _ = run_cli("quiz", "check", tmp_path / "sheet.json", answers)
    assert code == 0 and "wrong" in out and "Score 100%" not in out


def test_quiz_check_of_the_blank_form_reports_every_answer_missing(tmp_path):
    run_cli("quiz", "new", "forward", "--seed", "3", "--out", tmp_path)
    code, out, _ = run_cli("quiz", "check", tmp_path / "sheet.json",
                           tmp_path / "answers.csv")
    assert code == 0 and "missing" in out and "Score 0%" in out


@pytest.mark.parametrize("args, expected", [
    (["example", "--format", "pdf"], "'--format'"),
    (["quiz", "new", "nonsense", "--seed", "1"], "unknown quiz kind 'nonsense'"),
    (["quiz", "new", "forward", "--seed", "1", "--shape", "2,x"], "--shape expected positive"),
    (["quiz", "check", "missing.json", "answers.csv"], "missing.json"),
    (["no-such-command"], "No such command"),
])
def test_user_mistakes_are_one_line_exit_2(tmp_path, monkeypatch, args, expected):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(*args)
    assert code == 2
    assert expected in one_error_line(err)


def test_debug_shows_the_traceback_of_a_mistake(tmp_path):
    code, _, err = run_cli("--debug", "quiz", "check", tmp_path / "nope.json",
                           tmp_path / "a.csv")
    assert code == 2
    assert "Traceback" in err and err.strip().splitlines()[-1].startswith("glassnet: error:")


def test_an_internal_error_exits_1_with_a_traceback_only_under_debug(monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(glassnet.cli.lecture, "_worked_example_text", broken)
    code, _, err = run_cli("example")
    assert code == 1
    assert "internal error: ZeroDivisionError: simulated bug" in err and "Traceback" not in err
    code, _, err = run_cli("--debug", "example")
    assert code == 1 and "Traceback" in err


@pytest.mark.parametrize("command", [
    [], ["example"], ["exercise"], ["quiz"], ["quiz", "new"], ["quiz", "check"], ["train"],
    ["evaluate"], ["predict"], ["explain"], ["plot"], ["export"], ["playground"]])
def test_every_command_has_help_with_examples(command):
    code, out, _ = run_cli(*command, "--help")
    assert code == 0
    assert "Usage: glassnet" in out and "Example" in out


def test_global_flags_work_after_the_command():
    code, _, err = run_cli("quiz", "new", "nonsense", "--seed", "1", "--debug")
    assert code == 2 and "Traceback" in err
    code, out, err = run_cli("example", "--quiet")
    assert code == 0 and "ŷ = 0.75136507" in out
