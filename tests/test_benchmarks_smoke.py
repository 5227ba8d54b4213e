"""The benchmark harness still runs: structure only, never speed.

``python -m benchmarks --quick`` times each library for a few milliseconds in its own
subprocess and trains for one epoch; the figures are meaningless, but the table, the JSON and
the same-step check between glassnet and PyTorch must all be there.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_quick_run_writes_the_table_and_the_json(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--processes", "1",
         "--cases", "lecture,digits", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| step case | glassnet | PyTorch | GEMM floor |" in done.stdout
    assert ("| step case | NumPy GEMM floor | PyTorch's GEMM floor | NumPy floor ÷ PyTorch's: "
            "above 1, PyTorch's BLAS is faster | PyTorch step |") in done.stdout
    assert "| fit case | glassnet | PyTorch | scikit-learn |" in done.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    lecture = result["steps"]["lecture"]
    for lib in ("glassnet", "torch", "floor", "torch_floor"):
        assert lecture[lib]["seconds"]["median"] > 0
    ceiling = lecture["torch"]["seconds"]["median"] / lecture["floor"]["seconds"]["median"]
    assert lecture["ceiling_vs_torch"] == pytest.approx(ceiling)
    blas = lecture["floor"]["seconds"]["median"] / lecture["torch_floor"]["seconds"]["median"]
    assert lecture["torch_blas_vs_numpy"] == pytest.approx(blas)
    # The same first step in both libraries: the comparison is of equal work.
    assert lecture["checks"]["same_first_step"]["met"]
    assert set(lecture["checks"]) == {"speedup_vs_torch", "same_first_step"}
    digits = result["fits"]["digits"]
    for lib in ("glassnet", "torch", "sklearn"):
        assert 0.5 < digits[lib]["accuracy"]["median"] <= 1.0  # one epoch already learns
    assert result["machine"]["cores"] >= 1 and result["machine"]["blas"]


def test_bad_process_count_is_one_clear_error():
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--processes", "0"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "--processes expected a positive number, got 0" in done.stderr


@pytest.mark.slow
def test_playground_bench_still_talks_to_the_playground():
    """``benchmarks.bench_playground --quick`` (run by ``make bench``) drives the app over HTTP
    and in process; a guard or API change that refuses its requests must fail here, not there."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_playground", "--quick"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    cases = {(row["where"], row["case"]) for row in result["rows"]}
    assert ("in-process (TestClient)", "mini-batch 32") in cases
    assert ("HTTP (uvicorn)", "full batch 500") in cases
    assert all(row["median ms"] > 0 for row in result["rows"])
