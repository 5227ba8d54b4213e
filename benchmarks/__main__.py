"""``python -m benchmarks``: run every case, print the Markdown table, write the JSON."""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

from . import report
from .machine import describe
from .runner import ROOT, run_extras, run_fits, run_steps


def _markdown(result: dict) -> str:
    machine = result["machine"]
    blas = next((b for b in machine["blas"] if b.get("internal_api") in ("openblas", "mkl",
                                                                          "blis")), {})
    parts = [(
        f"Measured {result['started']} on {machine['cpu']}, {machine['cores']} cores; "
        f"numpy {machine['versions']['numpy']} with {blas.get('internal_api', '?')} "
        f"{blas.get('version', '?')} ({blas.get('architecture', '?')}, "
        f"{blas.get('num_threads', '?')} threads), torch {machine['versions']['torch']}, "
        f"scikit-learn {machine['versions']['scikit-learn']}. "
        f"{result['processes']} processes per figure: median (min–max) over processes of "
        f"each process's fastest block of steps; a fit is timed whole, once per process."
    )]
    if result.get("steps"):
        parts += ["", report.step_table(result["steps"]),
                  "", report.ceiling_table(result["steps"])]
    if result.get("fits"):
        parts += ["", report.fit_table(result["fits"])]
    for extra in result.get("extras", []):
        parts += ["", f"**{extra['title']}**" + (f": {extra['error']}" if extra["error"] else ""),
                  ""]
        if extra["rows"]:
            keys = list(extra["rows"][0])
            parts += ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
            parts += ["| " + " | ".join(str(row.get(k, "")) for k in keys) + " |"
                      for row in extra["rows"]]
    checks = report.all_checks(result)
    missed = [f"{case} {key}" for case, key, check in checks if not check["met"]]
    parts += ["", f"Checks met (targets and same-step parity): {len(checks) - len(missed)} of {len(checks)}"
              + (f" (missed: {', '.join(missed)})" if missed else "")]
    return "\n".join(parts)


def _write_json(result: dict, path: Path) -> None:
    from glassnet._files import atomic_write  # a reader never sees half a file

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(result, indent=1))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--processes", type=int, default=5,
                        help="worker processes per figure (default 5)")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny timings and one epoch: checks the harness, not the speed")
    parser.add_argument("--no-fits", action="store_true", help="only the step cases")
    parser.add_argument("--json", type=Path, help="where to write the JSON "
                        "(default benchmarks/results/bench-<time>.json)")
    args = parser.parse_args(argv)
    if args.processes < 1:
        parser.error(f"--processes expected a positive number, got {args.processes}")
    names = set(args.cases.split(",")) if args.cases else None
    started = datetime.datetime.now(datetime.timezone.utc)
    result = {"started": started.strftime("%Y-%m-%d %H:%M UTC"), "processes": args.processes,
              "quick": args.quick, "machine": describe()}
    result["steps"] = report.summarise_steps(run_steps(args.processes, args.quick, names))
    if not args.no_fits:
        result["fits"] = report.summarise_fits(run_fits(args.processes, args.quick, names))
    if names is None:
        result["extras"] = run_extras(args.processes, args.quick)
    result["markdown"] = _markdown(result)
    path = args.json or ROOT / "benchmarks" / "results" / f"bench-{started:%Y%m%dT%H%M%S}.json"
    _write_json(result, path)
    print(result["markdown"])
    print(f"\nJSON written to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
