"""Running the command line in tests: in-process through ``glassnet.cli.main``, or as a
real ``python -m glassnet`` subprocess."""

from __future__ import annotations

import contextlib
import io
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from glassnet.cli import main

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_cli(*args) -> tuple[int, str, str]:
    """``glassnet ARGS`` through the console script's entry point; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as done, contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        main([str(a) for a in args])
    return done.value.code, out.getvalue(), err.getvalue()


def run_module(*args, cwd=None, timeout=120) -> subprocess.CompletedProcess:
    """``python -m glassnet ARGS`` in a fresh interpreter, stdout and stderr as pipes."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "glassnet", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout, env=env)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (bytes 16–24), after checking the signature."""
    data = Path(path).read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def one_error_line(err: str) -> str:
    """The single line a user mistake prints; fails if there is more or a traceback."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {lines}"
    assert "Traceback" not in err
    assert lines[0].startswith("glassnet: error: ")
    return lines[0]
