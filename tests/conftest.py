"""Shared fixtures: the lecture's 2-2-1 network, and the programs the browser and LaTeX
tests need, which skip without them except under CI=true, where they fail."""

import importlib
import os
import shutil

import numpy as np
import pytest

import glassnet as gn


def make_lecture_net(dtype="float64"):
    """The slides' worked example with the weights that give their printed forward values.

    W[1][j, i] is the weight from input j to hidden neuron i: neuron 1 reads (0.15, 0.20),
    neuron 2 reads (0.25, 0.30) — Mazur's w1..w4, which produce the printed 0.3775, 0.3925.
    """
    net = gn.Network(
        [gn.Dense(2, 2, activation="sigmoid"), gn.Dense(2, 1, activation="sigmoid")],
        loss="squared_error",
        dtype=dtype,
    )
    hidden, output = net.layers
    hidden.W.value = np.array([[0.15, 0.25], [0.20, 0.30]])
    hidden.b.value = np.array([0.35, 0.35])
    output.W.value = np.array([[0.40], [0.45]])
    output.b.value = np.array([0.60])
    return net


LECTURE_X = np.array([[0.05, 0.10]])
LECTURE_Y = np.array([[0.01]])


@pytest.fixture
def lecture_net():
    return make_lecture_net()


# ---- programs and packages the browser and LaTeX tests need --------------------------------

# Where each program comes from, for the message: `make test-tools` installs these.
DEBIAN_PACKAGE = {"/usr/bin/chromium": "chromium", "chromium": "chromium",
                  "pdflatex": "texlive-latex-base"}


def in_ci() -> bool:
    """CI=true (or 1), as `make test` and the progress bar read it."""
    return os.environ.get("CI", "").lower() in ("true", "1")


def _missing(what: str):
    """Skip, saying what is missing; under CI=true fail instead, so nothing passes by skipping."""
    if in_ci():
        pytest.fail(f"{what}; CI=true runs every browser and LaTeX test, so what they need "
                    "must be there: missing, it fails instead of skipping", pytrace=False)
    pytest.skip(what, allow_module_level=True)


def require_tool(name: str) -> str:
    """The path of the program ``name`` (a name on PATH or an absolute path) for this test.

    Missing, the test skips with how to install it, or fails when CI=true. Also callable at
    module level.
    """
    path = shutil.which(name)
    if path is None:
        package = DEBIAN_PACKAGE.get(name, name)
        _missing(f"{name} is not installed (Debian's {package}; `make test` installs it "
                 "with apt-get)")
    return path


def require_module(name: str):
    """The Python module ``name`` (a test extra) for this test: missing, it skips, or fails
    when CI=true."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        reason = str(error)
    _missing(f"the Python module {name} cannot be imported ({reason}); `make test` installs "
             "the test extras")
