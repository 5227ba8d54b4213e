"""The companion notebook runs top to bottom, is committed without outputs, and uses only
glassnet's public API."""

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "ann_intro_companion.ipynb"


def load():
    return nbformat.read(NOTEBOOK, as_version=4)


def test_notebook_is_committed_without_outputs():
    for cell in load().cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


def test_notebook_uses_only_the_public_api():
    source = "\n".join(c.source for c in load().cells if c.cell_type == "code")
    # No private names (gn._x, gn.course._format, from glassnet.x import _y) and no deep imports.
    assert not re.search(r"\bgn(\.\w+)*\._", source)
    assert not re.search(r"^\s*(from|import) glassnet\.", source, re.MULTILINE)


def test_notebook_follows_the_lecture_section_by_section():
    titles = [line for c in load().cells if c.cell_type == "markdown"
              for line in c.source.splitlines() if line.startswith("## ")]
    assert [t.split(". ", 1)[1] for t in titles[:7]] == [
        "A single neuron", "The simplest neural network is… logistic regression",
        "The 2-2-1 network", "The four training steps", "The numerical example", "Exercises",
        "Training on real data"]


@pytest.mark.slow
def test_notebook_runs_top_to_bottom_and_prints_the_lecture_numbers(tmp_path):
    nb = load()
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                     for o in c.outputs if o.output_type == "stream")
    assert "ŷ = 0.75136507   L = 0.27481108" in text        # the slides' forward pass
    assert "∂L/∂b1[2]   =  0.13849856" in text               # a gradient the slides omit
    assert "3 correct given your earlier value" in text      # the checker's carried-forward credit
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert len(images) == 2                                   # learning-rate runs, loss curve


def test_the_learning_rate_figure_uses_the_linear_plot_not_a_log_axis():
    # A log axis ran down to ~1e-34 and hid the overshoot at large α (see
    # test_course_learning_rate_plot.py for the figure itself).
    source = "\n".join(c.source for c in load().cells if c.cell_type == "code")
    assert "run.plot(ax" in source
    assert "set_yscale" not in source and "semilogy" not in source


def test_training_is_watched_on_a_validation_set_and_the_test_set_is_scored_once_at_the_end():
    code = [c.source for c in load().cells if c.cell_type == "code"]
    source = "\n".join(code)
    watched = re.findall(r"validation_data\s*=\s*\(([^)]*)\)", source)
    assert watched and not any("test" in names.lower() for names in watched), watched
    assert "test loss" not in source
    # Scored once: only the last code cell computes anything from the test rows.
    scored = [i for i, s in enumerate(code)
              if re.search(r"(evaluate|predict|forward)\(\s*X_test", s)]
    assert scored == [len(code) - 1], scored


ROOT = NOTEBOOK.parents[1]


def test_one_command_opens_the_notebook_and_the_test_run_installs_no_jupyter():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipes = dict(re.findall(r"^([\w$().-]+):[^\n]*\n((?:\t[^\n]*\n)*)", makefile, re.MULTILINE))
    assert "jupyter lab $(NOTEBOOK)" in recipes["notebook"]
    assert "NOTEBOOK := notebooks/ann_intro_companion.ipynb" in makefile
    assert '-e ".[notebook]"' in recipes["$(NOTEBOOK_STAMP)"]
    assert re.search(r"^notebook: \$\(NOTEBOOK_STAMP\)$", makefile, re.MULTILINE)
    assert "notebook" not in re.search(r"^test:.*$", makefile, re.MULTILINE)[0]
    # The extras, read without a TOML parser (Python 3.10 has none): jupyterlab in
    # `notebook`, nowhere in `test`.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    extra = re.search(r"^notebook = \[(.*)\]$", pyproject, re.MULTILINE)
    assert extra and '"jupyterlab' in extra[1] and '"glassnet[all]"' in extra[1]
    test_extra = re.search(r"^test = \[(.*?)^\]", pyproject, re.MULTILINE | re.DOTALL)[1]
    assert "jupyter" not in test_extra and "notebook]" not in test_extra


def test_the_readme_and_the_notebook_say_how_to_open_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    course = readme.split("## The lecture, executable", 1)[1].split("\n## ", 1)[0]
    assert "make notebook" in course and "notebooks/ann_intro_companion.ipynb" in course
    assert "`make notebook`" in load().cells[0].source
