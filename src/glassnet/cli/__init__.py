"""The ``glassnet`` command line: the lecture, training, explaining and exporting, without Python.

``glassnet`` (installed as a console script) and ``python -m glassnet`` run :func:`main`.

==============  ===========================================================================
command         what it does
==============  ===========================================================================
example         the lecture's worked example, step by step (text, Markdown, LaTeX, SVG, JSON)
exercise N      exercise N of the lecture, solved
quiz new/check  a fresh exercise sheet with its answer key; check a student's answers
train DATA      train on a bundled data set or a CSV file; write the model, history, plots
evaluate        a saved model's metrics on a data set
predict         a saved model's predictions, as CSV
explain         one recorded training step of a saved model
plot            loss curves, accuracy, confusion matrix, decision boundary, weight histograms
export          a saved model as PyTorch or ONNX
playground      the local web app
==============  ===========================================================================

A user mistake prints one line on stderr and exits with code 2; see :mod:`.errors`.
Heavy libraries (matplotlib, pandas) are imported by the command that needs
them, so ``glassnet --help`` stays quick.
"""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(args: list[str] | None = None):
    """Run the command line; without the ``cli`` extra, say so in one line (exit code 2)."""
    try:
        from .app import main as run
    except ModuleNotFoundError as error:
        print(f"glassnet: error: the command line needs {error.name!r}, which is not installed; "
              "install it with: pip install 'glassnet[all]'", file=sys.stderr)
        raise SystemExit(2) from None
    return run(args)
