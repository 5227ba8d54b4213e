"""gn.course.check: the key always checks, one slip is flagged once and carried forward,
tolerance follows the student's rounding, answers from dicts, CSV and JSON."""

import json
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import glassnet.course as course

KIND = st.sampled_from(sorted(course.KINDS))
SHAPE = st.sampled_from([(2, 2, 1), (3, 2, 1), (2, 3, 2), (2, 1), (2, 2, 2, 1)])
SEED = st.integers(0, 2**31)


def lecture_sheet():
    givens = {"x1": 0.05, "x2": 0.10, "y": 0.01, "alpha": 0.5,
              "w11[1]": 0.15, "w12[1]": 0.25, "w21[1]": 0.20, "w22[1]": 0.30,
              "b1[1]": 0.35, "b2[1]": 0.35, "w11[2]": 0.40, "w21[2]": 0.45, "b1[2]": 0.60}
    return course.build_sheet("training_step", givens)


def _sheet(kind, shape, seed):
    assume(not (kind == "hidden_gradients" and len(shape) < 3))
    return course.generate(kind, seed=seed, shape=shape)


@settings(max_examples=80, deadline=None)
@given(kind=KIND, shape=SHAPE, seed=SEED, decimals=st.integers(4, 10))
def test_the_key_checks_correct_exact_and_rounded(kind, shape, seed, decimals):
    sheet = _sheet(kind, shape, seed)
    assert sheet.decimals == 4  # "Give each answer to at least 4 decimal places (…)"
    assert set(course.check(sheet, sheet.key).verdicts.values()) == {"correct"}
    rounded = {n: as_asked(v, decimals) for n, v in sheet.key.items()}
    assert set(course.check(sheet, rounded).verdicts.values()) == {"correct"}


def as_asked(value, decimals):
    """``value`` written as the sheet asks: ``decimals`` places, and below 0.01 at least
    ``decimals − 1`` significant figures."""
    if abs(value) < 0.01:
        return f"{value:.{max(decimals - 1, 1) - 1}e}"
    return f"{value:.{decimals}f}"


def test_answers_coarser_than_asked_do_not_earn_the_mark():
    sheet = course.generate("hidden_gradients", seed=7)
    zeros = course.check(sheet, {name: "0" for name in sheet.key})
    assert "correct" not in zeros.verdicts.values()
    # Two decimals where four are asked: right digits, but too coarse to be checked.
    name, value = next((n, v) for n, v in sheet.key.items()
                       if abs(v - round(v, 2)) > 5e-5 and 0.01 <= abs(v) < 10)
    report = course.check(sheet, {**sheet.key, name: f"{value:.2f}"})
    assert report.verdicts[name] == "wrong"
    mark = next(m for m in report.marks if m.name == name)
    assert "more coarsely than the 4 decimals" in mark.note


def _descendants(sheet, name):
    seen = {name}
    for step in sheet.steps:
        if seen & set(step.deps):
            seen.add(step.name)
    return seen - {name}


@settings(max_examples=120, deadline=None)
@given(kind=KIND, shape=SHAPE, seed=SEED, data=st.data())
def test_one_slip_is_wrong_once_and_carried_forward(kind, shape, seed, data):
    sheet = _sheet(kind, shape, seed)
    slip = data.draw(st.sampled_from(sheet.names))
    size = data.draw(st.floats(0.02, 0.5))
    sign = data.draw(st.sampled_from([-1, 1]))
    answers = dict(sheet.key)
    # Off by 2–50 % plus 0.001, always away from the key (never a rounding of it).
    answers[slip] = sheet.key[slip] + sign * (abs(sheet.key[slip]) * size + 1e-3)
    # The student carries the slip on: every later step from their own numbers.
    for step in sheet.steps[sheet.names.index(slip) + 1:]:
        values = [sheet.givens.get(d, answers.get(d)) for d in step.deps]
        answers[step.name] = step.compute(values)
    later = _descendants(sheet, slip)
    for name in later:  # skip draws where a later value lands back on the key by chance
        diff = abs(answers[name] - sheet.key[name])
        assume(diff < 1e-12 or diff > 1e-6 * max(1.0, abs(sheet.key[name])))
    verdicts = course.check(sheet, answers).verdicts
    for name in sheet.names:
        moved = abs(answers[name] - sheet.key[name]) > 1e-6 * max(1.0, abs(sheet.key[name]))
        if name == slip:
            assert verdicts[name] == "wrong"
        elif name in later and moved:
            assert verdicts[name] == "carried_forward", name
        else:
            assert verdicts[name] == "correct", name


def test_tolerance_follows_the_students_rounding():
    sheet = lecture_sheet()   # a1[1] = σ(0.3775) = 0.59326999…
    verdict = lambda text: course.check(sheet, {"a1[1]": text}).verdicts["a1[1]"]  # noqa: E731
    assert verdict("0.5933") == "correct"       # |0.5933 − 0.59327| = 3.0e-5 ≤ 5e-5
    assert verdict("0.59") == "wrong"           # rounds right, but 2 decimals where 4 are asked
    assert verdict("0.59327") == "correct"
    assert verdict("0.5934") == "wrong"         # 1.3e-4 > 5e-5
    assert verdict("0.59328") == "wrong"        # 1.0e-5 > 5e-6
    assert verdict("5.933e-1") == "correct"
    report = course.check(sheet, {"a1[1]": "0.59"})
    assert "coarsely" in report.marks[1].note


def test_rounded_inputs_are_not_an_error_carried_forward():
    sheet = lecture_sheet()
    # A student who rounds a1, a2 to 2 decimals and computes on:
    # z1[2] = 0.59·0.40 + 0.60·0.45 + 0.60 = 0.236 + 0.27 + 0.60 = 1.106
    answers = {"a1[1]": "0.59", "a2[1]": "0.60", "z1[2]": "1.106"}
    assert course.check(sheet, answers).verdicts["z1[2]"] == "correct"


def test_hint_plugs_the_students_numbers_into_the_formula():
    sheet = lecture_sheet()
    answers = {"dy_hat": "0.7414", "dsig1[2]": "0.1868", "delta1[2]": "0.1485",
               "dw11[2]": str(0.1485 * 0.5933), "a1[1]": "0.5933"}
    report = course.check(sheet, answers)
    assert report.verdicts["delta1[2]"] == "wrong"
    assert report.verdicts["dw11[2]"] == "carried_forward"
    # 0.7414 · 0.1868 = 0.13849352
    assert report.hint == ("δ1[2] = ∂L/∂ŷ·∂ŷ/∂z1[2] = 0.7414·0.1868 = 0.13849352 with your "
                           "numbers; you wrote δ1[2] = 0.1485.")
    text = report.to_text()
    assert "correct given your earlier value" in text and "0.13849352" in text
    assert "First wrong value" in report.to_markdown()


def test_check_marks_missing_and_skipped_steps_accepts_aliases_and_lists_unknown_names():
    sheet = lecture_sheet()
    report = course.check(sheet, {"y_hat": "0.7514", "delta_out": "0.1385", "loss": "0.2748",
                                  "dL/dw11[2]": "0.0822", "w11[2]'": "0.3589", "zz": "1"})
    v = report.verdicts
    assert v["a1[2]"] == v["delta1[2]"] == v["L"] == v["dw11[2]"] == v["w11[2]_new"] == "correct"
    assert v["dsig1[2]"] == "skipped" and v["z1[1]"] == "missing"
    assert report.unknown == ["zz"]
    # 34 steps; 6 optional (∂L/∂ŷ, three ∂a/∂z, two ∂L/∂a) were skipped: 5 of 28 right.
    assert report.score == pytest.approx(5 / 28)


def test_answers_load_from_csv_and_json_files_keeping_their_written_digits(tmp_path):
    sheet = lecture_sheet()
    csv_path = tmp_path / "answers.csv"
    csv_path.write_text("name,value\nz1[1],0.3775\na1[1],0.5933\nz2[1],0.3926\n")
    v = course.check(sheet, csv_path).verdicts
    assert (v["z1[1]"], v["a1[1]"], v["z2[1]"]) == ("correct", "correct", "wrong")
    json_path = tmp_path / "answers.json"
    # JSON keeps the written digits: 0.59330 claims 5 decimals, and 0.59327 rounds to 0.59327.
    json_path.write_text('{"a1[1]": 0.59330, "a2[1]": 0.59688}')
    v = course.check(sheet, str(json_path)).verdicts
    assert v["a1[1]"] == "wrong" and v["a2[1]"] == "correct"
    saved = sheet.save(tmp_path / "sheet.json")
    assert course.check(saved, {"z1[1]": Decimal("0.3775")}).verdicts["z1[1]"] == "correct"
    assert json.loads(saved.read_text())["format"] == "glassnet.course.sheet/1"


@pytest.mark.parametrize("answers, error, match", [
    ("no/such/file.csv", ValueError, "does not exist"),
    ([1, 2], TypeError, "answers must be a dict"),
])
def test_answers_that_are_no_answers_at_all_are_refused(answers, error, match):
    with pytest.raises(error, match=match):
        course.check(lecture_sheet(), answers)


@pytest.mark.parametrize("text, reason", [
    ("abc", "'abc' is not a number"),
    (None, "None is not a number"),
    ("nan", "finite"),
    ("1e999999", "not a finite number of ordinary size"),  # overflowed
    ("1/2", "fraction; write it as a decimal"),
    ("≈0.3775", "without '≈'"),
])
def test_an_unreadable_answer_is_marked_with_its_reason_and_the_rest_is_marked(text, reason):
    report = course.check(lecture_sheet(), {"z1[1]": text, "a1[1]": "0.5933", "z2[1]": "0.3925"})
    mark = report.marks[0]
    assert (mark.name, mark.verdict) == ("z1[1]", "unreadable") and reason in mark.note
    assert report.verdicts["a1[1]"] == report.verdicts["z2[1]"] == "correct"
    assert "unreadable" in report.to_text() and report.score < 1


def test_a_decimal_comma_is_read_and_an_ambiguous_csv_row_is_not_guessed(tmp_path):
    sheet = lecture_sheet()
    assert course.check(sheet, {"z1[1]": "0,3775"}).verdicts["z1[1]"] == "correct"
    semi = tmp_path / "semi.csv"
    semi.write_text("name;value\nz1[1];0,3775\na1[1];0,5933\n")
    v = course.check(sheet, semi).verdicts
    assert v["z1[1]"] == v["a1[1]"] == "correct"
    comma = tmp_path / "comma.csv"
    comma.write_text('name,value\nz1[1],0,3775\na1[1],"0,5933"\nz2[1],0.3925\n')
    report = course.check(sheet, comma)
    assert report.verdicts["z1[1]"] == "unreadable"   # 0.3775, or 0 and a stray field?
    assert 'z1[1],"0,3775"' in report.marks[0].note and "z1[1],0.3775" in report.marks[0].note
    assert report.verdicts["a1[1]"] == report.verdicts["z2[1]"] == "correct"


def test_quiz_check_marks_a_file_with_an_unreadable_line(tmp_path, capsys):
    from glassnet.cli.app import main
    sheet = lecture_sheet().save(tmp_path / "sheet.json")
    answers = tmp_path / "answers.csv"
    answers.write_text("name,value\nz1[1],abc\na1[1],0.5933\n")
    with pytest.raises(SystemExit) as exit_:
        main(["quiz", "check", str(sheet), str(answers)])
    out = capsys.readouterr().out
    assert exit_.value.code == 0, out
    assert "unreadable" in out and "'abc' is not a number" in out


def test_answers_file_of_broken_json_is_named(tmp_path):
    (tmp_path / "answers.json").write_text('{"z1[1]": 0.3775,')
    with pytest.raises(ValueError, match="answers file 'answers.json' is not valid JSON"):
        course.check(lecture_sheet(), tmp_path / "answers.json")


def test_a_sheet_that_is_missing_broken_or_foreign_is_refused_with_its_reason(tmp_path):
    with pytest.raises(TypeError, match="sheet must be a Sheet"):
        course.check({"kind": "forward"}, {})
    with pytest.raises(ValueError, match="does not exist"):
        course.check(tmp_path / "nope.json", {})
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ValueError, match="not valid JSON"):
        course.check(tmp_path / "bad.json", {})
    (tmp_path / "other.json").write_text('{"format": "something else"}')
    with pytest.raises(ValueError, match="not a glassnet exercise sheet"):
        course.check(tmp_path / "other.json", {})


def test_the_answer_template_filled_in_by_a_student_is_checked(tmp_path):
    sheet = course.generate("forward", seed=3)
    path = tmp_path / "answers.csv"
    sheet.answer_template(path)
    assert path.read_text().splitlines()[:2] == ["name,value", "z1[1],"]
    # Blank rows are no answer; fill in one value, as a student would, and check.
    filled = path.read_text().replace("z1[1],", f"z1[1],{sheet.key['z1[1]']:.4f}")
    path.write_text(filled)
    verdicts = course.check(sheet, path).verdicts
    assert verdicts["z1[1]"] == "correct" and verdicts["z2[1]"] == "missing"


def test_skipped_optional_lines_are_recomputed_from_the_students_own_numbers():
    sheet = course.generate("training_step", seed=16)
    # (0.3839 − 0.82)·0.3839·0.6161 = −0.103147: ∂L/∂ŷ and σ′ left out, δ right from ŷ.
    report = course.check(sheet, {"a1[2]": "0.3839", "delta1[2]": "-0.1031"})
    assert report.verdicts["delta1[2]"] == "correct"
    assert report.verdicts["dy_hat"] == report.verdicts["dsig1[2]"] == "skipped"
    # A wrong ŷ carried through the skipped lines is credit for an error carried forward.
    report = course.check(sheet, {"a1[2]": "0.4000", "delta1[2]": str((0.4 - 0.82) * 0.4 * 0.6)})
    assert report.verdicts["a1[2]"] == "wrong"
    assert report.verdicts["delta1[2]"] == "carried_forward"


def test_the_hint_says_with_your_numbers_only_when_it_uses_them():
    sheet = lecture_sheet()
    report = course.check(sheet, {"z1[1]": "0.4100"})   # only givens go into z1[1]
    assert "with your numbers" not in report.hint and "you wrote z1[1] = 0.4100" in report.hint
    report = course.check(sheet, {"a1[2]": "0.7514", "delta1[2]": "0.2"})
    # ∂L/∂ŷ and σ′ were left out: the hint shows them recomputed from the student's ŷ.
    assert "with your numbers" in report.hint and "0.7414" in report.hint


def test_the_lectures_exercises_require_only_what_they_ask():
    from glassnet.course.exercises import exercise
    one = exercise(1).sheet
    assert course.check(one, {"a1[1]": "0.6001", "a2[1]": "0.6044", "y_hat": "0.7525"}).score == 1
    two = exercise(2).sheet
    k = two.key
    asked = {n: f"{k[n]:.4f}" for n in ("dy_hat", "dsig1[2]", "dw11[2]", "dw21[2]")}
    assert course.check(two, asked).score == 1
    assert course.check(two, {"dw11[2]": f"{k['dw11[2]']:.4f}"}).score < 1


def test_exercise_3_read_literally_is_accepted_with_a_note(tmp_path):
    from glassnet.course.exercises import exercise
    sheet = exercise(3).sheet
    # ∂L/∂w11^[2] = δ·a1 = 0.14·0.60 = 0.084, under the name the slide uses.
    report = course.check(sheet, {"dw11[2]": "0.084"})
    mark = next(m for m in report.marks if m.name == "dw11[1]")
    assert mark.verdict == "correct" and "literal" in mark.note and "^[2]" in mark.note
    saved = course.Sheet.load(sheet.save(tmp_path / "ex3.json"))
    assert course.check(saved, {"dw11[2]": "0.084"}).verdicts["dw11[1]"] == "correct"
    assert [s.optional for s in saved.steps] == [s.optional for s in sheet.steps]


def test_small_values_are_asked_to_significant_figures_and_every_update_shows():
    sheet = lecture_sheet()
    assert "below 0.01 to at least 3 significant figures" in sheet.to_text()
    small = next(m for m in course.check(sheet, {}).marks if 1e-4 < abs(m.expected) < 0.001)
    coarse = course.check(sheet, {small.name: f"{small.expected:.4f}"})
    assert coarse.verdicts[small.name] == "wrong"
    assert "3 significant figures" in coarse.marks[sheet.names.index(small.name)].note
    assert course.check(sheet, {small.name: f"{small.expected:.2e}"}).verdicts[small.name] \
        == "correct"
    for seed in range(40):
        sheet = course.generate("training_step", seed=seed)
        for step in (s for s in sheet.steps if s.op == "update"):
            theta, new = sheet.givens[step.deps[0]], sheet.key[step.name]
            for wrong in (theta, 2 * theta - new):   # no update; the update the wrong way
                text = f"{wrong:.4f}"
                assert course.check(sheet, {step.name: text}).verdicts[step.name] == "wrong"


def test_a_carried_error_is_credited_when_the_student_rounded_only_what_they_wrote():
    # The student keeps full precision on their calculator and writes each line as asked (4
    # decimals, 3 significant figures below 0.01); after one wrong line every later line must be credited as carried forward,
    # even where the written (rounded) inputs give a value half a unit away.
    for seed in range(60):
        sheet = course.generate("forward", seed=seed)
        exact, answers = dict(sheet.givens), {}
        for step in sheet.steps:
            value = step.compute([exact[d] for d in step.deps])
            if step.name == "z1[1]":
                value += 0.1234                       # the one mistake
            exact[step.name] = value
            answers[step.name] = f"{value:.4f}" if abs(value) >= 0.01 else f"{value:.3g}"
        report = course.check(sheet, answers)
        verdicts = {m.name: m.verdict for m in report.marks}
        assert verdicts["z1[1]"] == "wrong"
        assert all(verdicts[n] in ("correct", "carried_forward") for n in sheet.names[1:]), (
            seed, verdicts)
