"""Every example of the README runs as written, in a fresh folder, as a new user would.

Each ```python block runs in the order the README gives it, in one namespace per section
(a section's blocks read as one session; every section starts from nothing). The command
line's transcript is replayed command by command and must print what the README shows.
What a block needs (pdflatex, PyTorch) is required as the other tests require it: missing,
the test says so and skips, or fails under CI=true.
"""

import re
import shlex
from pathlib import Path

import pytest
from cli_helpers import run_cli
from conftest import require_module, require_tool

README = Path(__file__).resolve().parents[1] / "README.md"


def sections() -> dict[str, str]:
    """The README's ``## `` sections by title, in order."""
    text = README.read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2]))


def python_blocks(section: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", section, re.DOTALL | re.MULTILINE)


PYTHON_SECTIONS = [title for title, body in sections().items() if python_blocks(body)]
# What a section's code needs beyond glassnet's own dependencies, and which are slow.
NEEDS = {"The lecture, executable": {"tool": "pdflatex"},     # sheet.to_pdf
         "When you outgrow glassnet": {"modules": ("torch", "onnx")}}
SLOW = {"When you outgrow glassnet"}                         # 400 PyTorch steps: ~30 s


def test_every_python_block_belongs_to_a_section_run_here():
    assert PYTHON_SECTIONS == ["A quick tour", "Training on real data",
                               "See through a training step", "The lecture, executable",
                               "In a scikit-learn pipeline", "When you outgrow glassnet"]


@pytest.mark.parametrize("title", [
    pytest.param(t, marks=pytest.mark.slow) if t in SLOW else t for t in PYTHON_SECTIONS])
def test_the_python_blocks_of_each_section_run_as_written(title, tmp_path, monkeypatch,
                                                         capsys):
    needs = NEEDS.get(title, {})
    if "tool" in needs:
        require_tool(needs["tool"])
    for name in needs.get("modules", ()):
        require_module(name)
    monkeypatch.chdir(tmp_path)          # a fresh folder: nothing there but what blocks write
    namespace = {"__name__": "__main__"}
    for number, code in enumerate(python_blocks(sections()[title]), start=1):
        exec(compile(code, f"README.md ({title}, block {number})", "exec"), namespace)
    assert capsys.readouterr().out.strip(), "every section's example prints something"
    if title == "Training on real data":  # it wrote the CSV it reads: no file made by hand
        assert (tmp_path / "iris.csv").read_text().splitlines()[0].endswith(",species")
        assert (tmp_path / "iris.safetensors").exists()


def test_the_course_compares_logistic_regression_on_the_data_it_names():
    import glassnet as gn

    code = python_blocks(sections()["The lecture, executable"])[0]
    call = re.search(r"logistic_regression\((.*?)\)\s+# .*datasets\.loan\((.*?)\)", code)
    assert call, "the example names the data logistic_regression fits"
    fit_seed, named_seed = call[1], call[2]
    assert fit_seed == named_seed == "seed=0"
    # and that is the data logistic_regression() uses: the same rows, the same fit
    fit = gn.course.logistic_regression(seed=0)
    same = gn.course.logistic_regression(gn.datasets.loan(seed=0))
    assert fit.to_text() == same.to_text()


def transcript() -> list[tuple[str, list[str]]]:
    """``(command, lines the README shows it printing)`` for each ``$ `` line of the
    command line's transcript."""
    block = re.search(r"^```\n(\$ .*?)^```", sections()["The command line"],
                      re.DOTALL | re.MULTILINE)[1]
    steps = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


@pytest.mark.slow
def test_the_command_line_transcript_prints_what_the_readme_shows(tmp_path, monkeypatch):
    require_module("onnx")               # `glassnet export … --to onnx`
    monkeypatch.chdir(tmp_path)
    for command, shown in transcript():
        command, _, pipe = command.partition("|")
        words = shlex.split(command, comments=True)
        assert words[0] == "glassnet", command
        code, out, err = run_cli(*words[1:])
        printed = (out if code == 0 else err).splitlines()
        if pipe:
            head = shlex.split(pipe)
            assert head[:1] == ["head"], pipe
            printed = printed[:int(head[1].lstrip("-n"))]
        expected_code = 2 if any(s.startswith("glassnet: error:") for s in shown) else 0
        assert code == expected_code, f"{command}: exit {code}\n{err}"
        if "…" in shown:                 # the README shows how the output begins
            shown = shown[:shown.index("…")]
            printed = printed[:len(shown)]
        if shown:                        # a command shown without output is only run
            assert printed == shown, command
