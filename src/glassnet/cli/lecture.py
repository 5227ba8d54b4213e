"""The lecture from the command line: ``example``, ``exercise N`` and ``quiz`` (new, check,
class, mark, moodle).

Everything here is a thin shell over :mod:`glassnet.course` and :mod:`glassnet.explain`; the
numbers come from the engine, the command only chooses a format and where the text goes.
"""

from __future__ import annotations

from pathlib import Path

import click

from .. import course
from ..course import generator, moodle
from ..explain import svg
from .common import ensure_folder, parse_sizes, say, write_text
from .errors import UserError, user_input

FORMATS = ["text", "markdown", "latex", "svg", "json"]
VIEWS = list(svg.VIEWS)


def render_trace(trace, fmt: str, digits: int, view: str = "forward") -> str:
    """The trace in one of :data:`FORMATS`; ``view`` picks the SVG diagram."""
    if fmt == "text":
        return trace.to_text(digits=digits)
    if fmt == "markdown":
        return trace.to_markdown(digits=digits)
    if fmt == "latex":
        return trace.to_latex(digits=digits)
    if fmt == "json":
        return trace.to_json(indent=2, digits=digits)
    return trace.to_svg(view, digits=min(digits, 5))


def _errata_text(fmt: str) -> str:
    """Every number the slides print, checked (right ones too), in the chosen format."""
    table = course.errata()
    if fmt == "json":
        import json
        from dataclasses import asdict

        return json.dumps([asdict(row) for row in table], indent=2, ensure_ascii=False)
    if fmt in ("markdown", "latex"):
        return table.to_markdown() if fmt == "markdown" else table.to_latex()
    return table.to_text()


def _worked_example_text(fmt: str, digits: int, view: str) -> str:
    """The course's worked example (trace, full gradient vector, update table) without the
    errata, which ``--errata`` adds once; its text opens with ŷ and L to 8 digits, the
    lecture's precision."""
    ex = course.worked_example()
    if fmt in ("svg", "json"):
        return render_trace(ex.trace, fmt, digits, view)
    if fmt == "latex":
        return ex.to_latex(digits=digits, errata=False)
    if fmt == "markdown":
        return ex.to_markdown(digits=digits, errata=False)
    return ex.to_text(digits=digits, errata=False)


def _errata_pointer(fmt: str) -> str:
    """One line in place of the errata table: how many problems, and where to see them."""
    table = course.errata()
    said = (f"Of the {len(table)} numbers and statements the slides print, "
            f"{len(table.problems())} are wrong or unclear: ")
    if fmt == "latex":
        return said + r"\texttt{glassnet example -{}-errata} lists every one, checked."
    return said + "`glassnet example --errata` lists every one, checked."


@click.command(epilog="""\b
Examples:
  glassnet example                         every number of one training step
  glassnet example --errata                ... and every number the slides print, checked
  glassnet example --format markdown --digits 4 > step.md
  glassnet example --format svg --view backward > backward.svg
""")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Plain text, Markdown with LaTeX maths, a LaTeX document, an SVG diagram, "
                   "or JSON (schema glassnet.trace/1).")
@click.option("--errata", is_flag=True, help="Also print the table of every number the "
              "slides print, checked against the engine.")
@click.option("--digits", type=click.IntRange(1, 15), default=5, show_default=True,
              help="Significant digits of the numbers shown.")
@click.option("--view", type=click.Choice(VIEWS), default="forward", show_default=True,
              help="Which diagram --format svg draws.")
def example(fmt: str, errata: bool, digits: int, view: str) -> None:
    """The lecture's worked example: forward pass, loss, backward pass and update of its
    2-2-1 sigmoid network (x = (0.05, 0.10), y = 0.01, α = 0.5), every number shown."""
    if errata and fmt == "svg":
        raise UserError("--errata is a table; use it with --format text, markdown, latex or json")
    text = _worked_example_text(fmt, digits, view).rstrip("\n")
    if errata:
        text = _with_errata(text, fmt)
    elif fmt in ("text", "markdown"):
        text = f"{text}\n\n{_errata_pointer(fmt)}"
    elif fmt == "latex":
        head, end = text.rsplit("\\end{document}", 1)
        text = f"{head}{_errata_pointer(fmt)}\n\n\\end{{document}}{end}"
    click.echo(text)


def _with_errata(text: str, fmt: str) -> str:
    """The errata table added to the output as one document of the same format: one JSON
    object, one LaTeX document, or text and Markdown one after the other."""
    table = _errata_text(fmt).rstrip("\n")
    if fmt == "json":
        import json

        return json.dumps({"trace": json.loads(text), "errata": json.loads(table)},
                          indent=2, ensure_ascii=False)
    if fmt == "latex":
        head, end = text.rsplit("\\end{document}", 1)
        return f"{head}\\section*{{Every number the slides print}}\n{table}\n\\end{{document}}{end}"
    if fmt == "markdown":
        return f"{text}\n\n## Every number the slides print, checked\n\n{table}"
    return f"{text}\n\nEvery number the slides print, checked against the engine:\n{table}"


@click.command(epilog="""\b
Examples:
  glassnet exercise 1              the forward pass of exercise 1, solved
  glassnet exercise 4 --format markdown > exercise4.md
""")
@click.argument("number", type=int, metavar="N")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "latex"]),
              default="text", show_default=True,
              help="Plain text, Markdown with LaTeX maths, or a LaTeX document.")
def exercise(number: int, fmt: str) -> None:
    """Exercise N (1 to 4) of the lecture, solved step by step, its discussion answered."""
    if not 1 <= number <= 4:
        raise UserError(f"the lecture has exercises 1 to 4, got {number}")
    with user_input(f"exercise {number}"):
        solved = course.exercise(number)
    click.echo(getattr(solved, f"to_{fmt}")().rstrip("\n"))


@click.group(epilog="""\b
Examples:
  glassnet quiz new forward --seed 7 --out quiz7/
  glassnet quiz check quiz7/sheet.json my-answers.csv

A class:
  glassnet quiz class forward --roster students.csv --out class/
      hand out class/students/, keep class/instructor/ (the keys)
  glassnet quiz mark class/ answers/*.csv --out grades.csv
      a gradebook and class/summary.md; --no-carry-forward for no carried credit
  glassnet quiz moodle forward --seeds 1-20 --out quiz.xml
""")
def quiz() -> None:
    """Fresh exercises in the lecture's style, a checker for the answers, and a whole class:
    a sheet per student, a gradebook, Moodle XML."""


@quiz.command("new", epilog="""\b
Kinds: forward, output_gradients, hidden_gradients, weight_update, training_step.
Examples:
  glassnet quiz new forward --seed 7                 the student page on stdout
  glassnet quiz new training_step --seed 3 --shape 2,3,1 --out quiz3/
""")
@click.argument("kind")
@click.option("--seed", type=click.IntRange(min=0), required=True,
              help="The same seed gives the same sheet.")
@click.option("--shape", default="2,2,1", show_default=True,
              help="Layer widths, input first: 2,2,1 is the lecture's network.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for sheet.md, key.md, sheet.json (for `quiz check`) and "
                   "answers.csv (a form to fill in). Without it the student page is printed.")
@click.option("--decimal-comma", is_flag=True, help="Write numbers as 0,5933 on sheet and key.")
def quiz_new(kind: str, seed: int, shape: str, out: Path | None, decimal_comma: bool) -> None:
    """A new exercise sheet of KIND and its answer key."""
    sizes = parse_sizes(shape, "--shape")
    try:
        generator._kind(kind)  # the generator's own spelling rules: aliases, '-' for '_'
    except ValueError:
        raise UserError(f"unknown quiz kind {kind!r}; expected one of "
                        f"{', '.join(course.KINDS)}") from None
    with user_input("quiz new"):
        sheet = course.generate(kind, seed=seed, shape=sizes, decimal_comma=decimal_comma)
    if out is None:
        click.echo(sheet.to_markdown().rstrip("\n"))
        return
    folder = ensure_folder(out, "--out")
    write_text(folder / "sheet.md", sheet.to_markdown())
    write_text(folder / "key.md", sheet.to_markdown(key=True))
    write_text(folder / "answers.csv", "name,value\n" + "".join(f"{n},\n" for n in sheet.names))
    sheet.save(folder / "sheet.json")
    click.echo(f"wrote {folder / 'sheet.md'} (for the student), {folder / 'key.md'} "
               f"(the answer key), {folder / 'answers.csv'} (a form to fill in) and "
               f"{folder / 'sheet.json'} (for `glassnet quiz check`; it holds the key)")


@quiz.command("check", epilog="""\b
ANSWERS is a CSV file of name,value rows or a JSON object {"name": value}.
Example:
  glassnet quiz check quiz7/sheet.json quiz7/answers.csv
""")
@click.argument("sheet", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("answers", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True)
@click.pass_context
def quiz_check(ctx: click.Context, sheet: Path, answers: Path, fmt: str) -> None:
    """Mark ANSWERS against SHEET (the sheet.json of `quiz new`): correct, wrong, or correct
    given your earlier value, with the formula for the first wrong one."""
    with user_input(f"sheet {str(sheet)!r}", also=(KeyError,)):
        loaded = course.Sheet.load(sheet)
    if not answers.exists():  # a FIFO or device is refused by course.check, naming what it is
        raise UserError(f"answers file {str(answers)!r} does not exist; expected a CSV of "
                        "name,value rows or a JSON object")
    with user_input(f"answers {str(answers)!r}"):
        report = course.check(loaded, answers)  # blank rows of the form count as missing
    click.echo((report.to_markdown() if fmt == "markdown" else report.to_text()).rstrip("\n"))
    say(ctx, f"score: {report.score:.0%}")


@quiz.command("class", epilog="""\b
ROSTER is a CSV with a 'student' column (or one name a row).
Example:
  glassnet quiz class forward --roster students.csv --out class/
  hand out class/students/ ; keep class/instructor/ (keys, sheet.json, manifest)
""")
@click.argument("kind")
@click.option("--roster", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="CSV of the students, one a row.")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Class folder: students/<name>/ to hand out, instructor/ to keep.")
@click.option("--shape", default="2,2,1", show_default=True,
              help="Layer widths, input first: 2,2,1 is the lecture's network.")
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="Class seed; each student's own seed is drawn from it.")
@click.option("--decimal-comma", is_flag=True, help="Write numbers as 0,5933 on sheets and keys.")
@click.pass_context
def quiz_class(ctx: click.Context, kind: str, roster: Path, out: Path, shape: str,
               seed: int | None, decimal_comma: bool) -> None:
    """A sheet of KIND for every student of a roster, each with a seed of its own."""
    sizes = parse_sizes(shape, "--shape")
    _quiz_kind(kind)
    folder = ensure_folder(out, "--out")
    with user_input("quiz class", also=(RuntimeError,)):
        manifest = course.make_class(kind, roster, folder, shape=sizes, seed=seed,
                                     decimal_comma=decimal_comma)
    click.echo(f"wrote sheets for {len(manifest['students'])} students: hand out "
               f"{folder / 'students'}; keep {folder / 'instructor'} (keys, sheet.json and "
               f"manifest.json, for `glassnet quiz mark`)")
    say(ctx, f"class seed {manifest['class_seed']}")


@quiz.command("mark", epilog="""\b
ANSWERS: one file per student named by the student (Ada_Lovelace.csv), or one class CSV
with a 'student' column (and name,value columns, or one column per answer).
Example:
  glassnet quiz mark class/ answers/*.csv --out grades.csv
""")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.argument("answers", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="The gradebook CSV: student, score, each answer's verdict.")
@click.option("--carry-forward/--no-carry-forward", default=True, show_default=True,
              help="Credit an answer that is right from the student's own wrong earlier "
                   "value; with --no-carry-forward it counts as wrong.")
def quiz_mark(folder: Path, answers: tuple[Path, ...], out: Path, carry_forward: bool) -> None:
    """Mark every student of the class in FOLDER (made by `quiz class`): a gradebook CSV and
    a summary (share correct per question, the mistakes seen), also in FOLDER/summary.md."""
    with user_input("quiz mark"):
        marks = course.mark_class(folder, list(answers), out, carry_forward=carry_forward)
    click.echo(marks.summary_markdown().rstrip("\n"))
    click.echo(f"\nwrote {out} and {folder / 'summary.md'}")


def _quiz_kind(kind: str) -> None:
    try:
        generator._kind(kind)  # the generator's own spelling rules: aliases, '-' for '_'
    except ValueError:
        raise UserError(f"unknown quiz kind {kind!r}; expected one of "
                        f"{', '.join(course.KINDS)}") from None


@quiz.command("moodle", epilog="""\b
Example:
  glassnet quiz moodle forward output_gradients --seeds 1-20 --out quiz.xml
  then in Moodle: Question bank, Import, Moodle XML
""")
@click.argument("kinds", nargs=-1, required=True)
@click.option("--seeds", default="1-20", show_default=True,
              help="The variants: seeds as 1-20 or 1,4,9 (or both, 1-5,9).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The Moodle XML file to write.")
@click.option("--shape", default="2,2,1", show_default=True,
              help="Layer widths, input first: 2,2,1 is the lecture's network.")
def quiz_moodle(kinds: tuple[str, ...], seeds: str, out: Path, shape: str) -> None:
    """Variants of KINDS as Moodle numerical questions with their tolerance, one category per
    kind."""
    sizes = parse_sizes(shape, "--shape")
    for kind in kinds:
        _quiz_kind(kind)
    chosen = _seed_list(seeds)
    with user_input("quiz moodle"):
        xml = moodle.to_moodle_xml(kinds, chosen, out, shape=sizes)
    count = xml.count('type="numerical"')
    click.echo(f"wrote {out}: {count} numerical questions from "
               f"{len(chosen)} variants of {', '.join(kinds)}")


def _seed_list(text: str) -> list[int]:
    seeds: list[int] = []
    try:
        for part in text.split(","):
            low, _, high = part.strip().partition("-")
            seeds += range(int(low), int(high or low) + 1)
    except ValueError:
        seeds = []
    if not seeds or min(seeds) < 0:
        raise UserError(f"--seeds expected seeds such as 1-20 or 1,4,9, got {text!r}")
    return list(dict.fromkeys(seeds))


COMMANDS = [example, exercise, quiz]
