"""What the figures were measured on: CPU, cores, library versions and the BLAS in use."""

from __future__ import annotations

import os
import platform
import subprocess
import sys


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def blas_info() -> list[dict]:
    """threadpoolctl's view of numpy's BLAS, as a glassnet worker process sees it."""
    code = (
        "import json, numpy, glassnet\n"
        "from threadpoolctl import threadpool_info\n"
        "print(json.dumps([{k: p.get(k) for k in ('internal_api', 'version', 'architecture',"
        " 'num_threads', 'threading_layer', 'filepath')} for p in threadpool_info()]))\n"
    )
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env=os.environ.copy(), timeout=120)
    except (subprocess.SubprocessError, OSError) as error:
        return [{"error": str(error)}]
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in ("numpy", "torch", "scikit-learn", "glassnet"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def describe() -> dict:
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "versions": versions(),
        "blas": blas_info(),
        "openblas_env": {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")},
    }
