"""Spawn one worker process per figure, interleaving libraries, and collect what they print.

The libraries of a case take turns process by process (glassnet, PyTorch, floor, then
PyTorch, floor, glassnet, …), so a burst of load from another job on the machine hits all
of them alike rather than one library's figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from .cases import FIT_CASES, STEP_CASES

ROOT = Path(__file__).resolve().parent.parent
STEP_LIBS = ("glassnet", "torch", "floor", "torch_floor")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run_worker(args: list[str], timeout: float = 900) -> dict:
    """Run ``python -m benchmarks.worker ARGS`` and parse its one JSON line."""
    return run_module("benchmarks.worker", args, timeout)


def run_module(module: str, args: list[str], timeout: float = 900) -> dict:
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise RuntimeError(f"{module} {' '.join(args)} failed: {tail[0]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{module} {' '.join(args)} printed no JSON line")
    return json.loads(lines[-1])


def _rotations(libs: tuple[str, ...], processes: int):
    for round_ in range(processes):
        shift = round_ % len(libs)
        yield from libs[shift:] + libs[:shift]


def run_steps(processes: int, quick: bool, names: set[str] | None) -> list[dict]:
    raw = []
    for case in STEP_CASES:
        if names and case.name not in names:
            continue
        for lib in _rotations(STEP_LIBS, processes):
            _say(f"  step {case.name:8s} {lib}")
            raw.append(run_worker(["step", case.name, lib] + (["--quick"] if quick else [])))
    return raw


def run_fits(processes: int, quick: bool, names: set[str] | None) -> list[dict]:
    from .fits import prepare

    raw = []
    with tempfile.TemporaryDirectory(prefix="glassnet-bench-") as folder:
        for case in FIT_CASES:
            if names and case.name not in names:
                continue
            path = Path(folder) / f"{case.name}.npz"
            np.savez(path, **prepare(case))
            for index, lib in enumerate(_rotations(case.libs, processes)):
                # one seed per round, shared by the libraries: accuracy is compared over seeds
                seed = index // len(case.libs)
                _say(f"  fit  {case.name:8s} {lib} seed {seed}")
                args = ["fit", case.name, lib, "--data", str(path), "--seed", str(seed)]
                raw.append(run_worker(args + (["--quick"] if quick else [])))
    return raw


def run_extras(processes: int, quick: bool) -> list[dict]:
    """The benchmarks beside these, ``benchmarks/bench_*.py``, each printing one JSON line.

    Each is run ``processes`` times as ``python -m benchmarks.bench_NAME [--quick]``; its JSON
    may carry ``name``, ``title``, ``rows`` (a list of dicts) and ``checks``
    (``{key: {"value", "target", "met"}}``). The figures of its last run are reported, all
    runs are kept in the JSON.
    """
    extras = []
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        module = f"benchmarks.{path.stem}"
        runs = []
        for _ in range(1 if quick else processes):
            _say(f"  extra {path.stem}")
            try:
                runs.append(run_module(module, ["--quick"] if quick else []))
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                runs.append({"error": str(error)})
        last = runs[-1]
        extras.append({"name": last.get("name", path.stem), "title": last.get("title", module),
                       "rows": last.get("rows", []), "checks": last.get("checks", {}),
                       "error": last.get("error"), "runs": runs})
    return extras
