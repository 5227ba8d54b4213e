"""The subprocess entry point: measure one library on one case and print one JSON line.

``python -m benchmarks.worker step CASE LIB [--quick]`` times a training step;
``python -m benchmarks.worker fit CASE LIB --data FILE.npz [--quick]`` times a whole fit.
The runner starts a fresh process for every figure, so no library ever shares a process
(or its thread pools) with another.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace

import numpy as np

from .cases import CASES, FitCase, StepCase


def fingerprint(before, after) -> list[float]:
    """Sums of the first step's parameter changes ``Δθ``, to compare libraries' arithmetic."""
    out = []
    for (W0, b0), (W1, b1) in zip(before, after):
        for old, new in ((W0, W1), (b0, b1)):
            delta = new.astype(np.float64) - old.astype(np.float64)
            out += [float(np.abs(delta).sum()), float(delta.sum())]
    return out


def run_step(case: StepCase, lib: str, quick: bool) -> dict:
    from .steps import BUILDERS, time_step

    step, weights = BUILDERS[lib](case)
    result = {"kind": "step", "case": case.name, "lib": lib}
    if weights is not None:
        before = weights()
        step()
        result["fingerprint"] = fingerprint(before, weights())
    blocks, seconds = (2, 0.02) if quick else (7, 0.15)
    result["seconds"] = time_step(step, blocks=blocks, block_seconds=seconds)
    result["threads"] = _threads(lib)
    return result


def run_fit(case: FitCase, lib: str, data_path: str, quick: bool) -> dict:
    from .fits import FITTERS

    with np.load(data_path) as data:
        arrays = {key: data[key] for key in data.files}
    return {"kind": "fit", "case": case.name, "lib": lib,
            **FITTERS[lib](case, arrays, quick=quick)}


def _threads(lib: str) -> int | None:
    if lib in ("torch", "torch_floor"):
        import torch

        return torch.get_num_threads()
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    return blas[0]["num_threads"] if blas else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("kind", choices=["step", "fit"])
    parser.add_argument("case", choices=sorted(CASES))
    parser.add_argument("lib", choices=["glassnet", "torch", "sklearn", "floor", "torch_floor"])
    parser.add_argument("--data", help="the .npz file of a fit case's arrays")
    parser.add_argument("--seed", type=int, help="a fit's seed for weights and shuffling")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    case = CASES[args.case]
    if args.seed is not None:
        case = replace(case, seed=args.seed)
    if args.kind == "step":
        result = run_step(case, args.lib, args.quick)
    else:
        result = run_fit(case, args.lib, args.data, args.quick)
    result["pid"] = os.getpid()
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
