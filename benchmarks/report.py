"""Turn raw worker figures into medians, ratios, target checks and a Markdown table."""

from __future__ import annotations

import statistics

from .cases import CASES

def spread(values: list[float]) -> dict | None:
    """Median with min and max, the form every figure is reported in."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)}


def summarise_steps(raw: list[dict]) -> dict:
    """Per case and library: seconds per step over processes.

    Each process's figure is its fastest block (timeit's convention: on a shared machine the
    slower blocks measure the other jobs); the figure reported is the median over processes.
    """
    out: dict = {}
    for result in raw:
        per_process = min(result["seconds"])
        entry = out.setdefault(result["case"], {}).setdefault(result["lib"], {"per_process": []})
        entry["per_process"].append(per_process)
        if "fingerprint" in result:
            entry["fingerprint"] = result["fingerprint"]
    for case_name, libs in out.items():
        case = CASES[case_name]
        for entry in libs.values():
            entry["seconds"] = spread(entry["per_process"])
        g, t, f = (libs.get(k, {}).get("seconds") for k in ("glassnet", "torch", "floor"))
        checks = {}
        libs["vs_torch"] = t["median"] / g["median"] if g and t else None
        if g and t and case.min_speedup_vs_torch:
            checks["speedup_vs_torch"] = _check(libs["vs_torch"], case.min_speedup_vs_torch)
        if g and f and case.min_fraction_of_floor:
            checks["fraction_of_floor"] = _check(f["median"] / g["median"],
                                                 case.min_fraction_of_floor)
        fg, ft = (libs.get(k, {}).get("fingerprint") for k in ("glassnet", "torch"))
        if fg and ft:
            checks["same_first_step"] = _parity(fg, ft, case.dtype)
        libs["checks"] = checks
        # Not a target: PyTorch's step time over NumPy's GEMMs alone is the largest speed-up
        # over PyTorch that any step built on NumPy's matrix products could show.
        libs["ceiling_vs_torch"] = t["median"] / f["median"] if t and f else None
        # Above 1: PyTorch's BLAS does the same products faster than NumPy's on this machine.
        tf = libs.get("torch_floor", {}).get("seconds")
        libs["torch_blas_vs_numpy"] = f["median"] / tf["median"] if f and tf else None
    return out


def summarise_fits(raw: list[dict]) -> dict:
    out: dict = {}
    for result in raw:
        entry = out.setdefault(result["case"], {}).setdefault(result["lib"], {"runs": []})
        entry["runs"].append(result)
    for case_name, libs in out.items():
        case = CASES[case_name]
        for entry in libs.values():
            for key in ("seconds", "accuracy", "peak_mib"):
                entry[key] = spread([r.get(key) for r in entry["runs"]])
        libs["checks"] = _fit_checks(case, libs)
    return out


def _fit_checks(case, libs) -> dict:
    def median(lib, key):
        figure = libs.get(lib, {}).get(key)
        return figure["median"] if figure else None

    checks, g = {}, median("glassnet", "seconds")
    for lib in ("torch", "sklearn"):
        target = case.targets.get(f"speedup_vs_{lib}")
        other = median(lib, "seconds")
        if target and g and other:
            checks[f"speedup_vs_{lib}"] = _check(other / g, target)
    accuracy = median("glassnet", "accuracy")
    if "min_accuracy" in case.targets and accuracy is not None:
        checks["accuracy"] = _check(accuracy, case.targets["min_accuracy"])
    if "speedup_vs_sklearn" in case.targets and accuracy is not None:
        others = [median(lib, "accuracy") for lib in ("torch", "sklearn")]
        best = max(a for a in others if a is not None) if any(others) else None
        if best is not None:
            checks["accuracy_vs_others"] = {"value": accuracy - best, "target": 0.0,
                                            "met": accuracy >= best}
    if "memory_vs_torch" in case.targets:
        g_mem, t_mem = median("glassnet", "peak_mib"), median("torch", "peak_mib")
        if g_mem is not None and t_mem:
            checks["memory_vs_torch"] = {"value": g_mem / t_mem, "target": 1.0,
                                         "met": g_mem <= t_mem}
    return checks


def _check(value: float, target: float) -> dict:
    return {"value": value, "target": target, "met": value >= target}


def _parity(a: list[float], b: list[float], dtype: str) -> dict:
    """Largest difference between two libraries' first-step changes, relative to Σ|Δθ|.

    Fingerprints hold ``(Σ|Δθ|, ΣΔθ)`` per parameter; the signed sum of a softmax layer's
    bias change is ~0 by construction, so both are scaled by the parameter's Σ|Δθ|.
    """
    worst = 0.0
    for i in range(0, len(a), 2):
        scale = max(abs(a[i]), abs(b[i]), 1e-30)
        worst = max(worst, abs(a[i] - b[i]) / scale, abs(a[i + 1] - b[i + 1]) / scale)
    tolerance = 1e-4 if dtype == "float32" else 1e-10
    return {"value": worst, "target": tolerance, "met": worst <= tolerance}


# ---- Markdown ---------------------------------------------------------------------


def _time(figure: dict | None) -> str:
    if not figure:
        return "—"
    scale, unit = ((1e6, "µs") if figure["median"] < 1e-3 else
                   (1e3, "ms") if figure["median"] < 1 else (1.0, "s"))
    m, lo, hi = (figure[k] * scale for k in ("median", "min", "max"))
    digits = 1 if m < 100 else 0
    return f"{m:.{digits}f} {unit} ({lo:.{digits}f}–{hi:.{digits}f})"


def _ratio(check: dict | None, percent: bool = False) -> str:
    if not check:
        return "—"
    mark = "✓" if check["met"] else "✗"
    if percent:
        return f"{check['value']:.0%} (≥ {check['target']:.0%}) {mark}"
    return f"{check['value']:.2f}× (≥ {check['target']:g}×) {mark}"


def _vs_torch(checks: dict, ratio: float | None) -> str:
    if "speedup_vs_torch" in checks or ratio is None:
        return _ratio(checks.get("speedup_vs_torch"))
    return f"{ratio:.2f}× (reported)"


def step_table(steps: dict) -> str:
    rows = [("| step case | glassnet | PyTorch | GEMM floor | PyTorch ÷ glassnet "
             "| floor ÷ glassnet | same step as PyTorch |"),
            "|---|---|---|---|---|---|---|"]
    for name, libs in steps.items():
        checks = libs["checks"]
        parity = checks.get("same_first_step")
        same = f"{'yes' if parity['met'] else 'NO'} (rel. diff {parity['value']:.0e})" \
            if parity else "—"
        rows.append(f"| {CASES[name].title} | {_time(libs.get('glassnet', {}).get('seconds'))} "
                    f"| {_time(libs.get('torch', {}).get('seconds'))} "
                    f"| {_time(libs.get('floor', {}).get('seconds'))} "
                    f"| {_vs_torch(checks, libs.get('vs_torch'))} "
                    f"| {_ratio(checks.get('fraction_of_floor'), percent=True)} | {same} |")
    return "\n".join(rows)


def ceiling_table(steps: dict) -> str:
    """How far a NumPy step could ever get ahead of PyTorch, next to the target."""
    rows = [("| step case | NumPy GEMM floor | PyTorch's GEMM floor | NumPy floor ÷ PyTorch's: "
             "above 1, PyTorch's BLAS is faster | PyTorch step "
             "| PyTorch ÷ NumPy floor: the most any NumPy step can reach | target vs PyTorch |"),
            "|---|---|---|---|---|---|---|"]
    for name, libs in steps.items():
        ceiling = libs.get("ceiling_vs_torch")
        if ceiling is None:
            continue
        blas = libs.get("torch_blas_vs_numpy")
        target = CASES[name].min_speedup_vs_torch
        rows.append(f"| {CASES[name].title} | {_time(libs['floor']['seconds'])} "
                    f"| {_time(libs.get('torch_floor', {}).get('seconds'))} "
                    f"| {'—' if blas is None else f'{blas:.2f}×'} "
                    f"| {_time(libs['torch']['seconds'])} | {ceiling:.2f}× "
                    f"| {'none: share of the floor' if target is None else f'≥ {target:g}×'} |")
    # Only where the products are the step: the tiny cases' floors time the call, not the BLAS.
    faster = [CASES[name].title.split(" ")[0] for name, libs in steps.items()
              if CASES[name].min_fraction_of_floor
              and (libs.get("torch_blas_vs_numpy") or 0) > 1.05]
    if faster:
        rows += ["", f"PyTorch's BLAS is faster than NumPy's on this machine "
                 f"({', '.join(faster)}): there PyTorch's step can be faster than any step "
                 "built on NumPy's products."]
    return "\n".join(rows)


def fit_table(fits: dict) -> str:
    rows = [("| fit case | glassnet | PyTorch | scikit-learn | targets | test accuracy "
             "(glassnet / PyTorch / scikit-learn) | peak memory added, MiB (glassnet / PyTorch) |"),
            "|---|---|---|---|---|---|---|"]
    for name, libs in fits.items():
        cells = [_time(libs.get(lib, {}).get("seconds"))
                 for lib in ("glassnet", "torch", "sklearn")]
        checks = libs["checks"]
        targets = []
        for key, label in (("speedup_vs_torch", "vs PyTorch"),
                           ("speedup_vs_sklearn", "vs scikit-learn")):
            if key in checks:
                targets.append(f"{label} {_ratio(checks[key])}")
        for key, label in (("accuracy", "accuracy ≥"), ("accuracy_vs_others", "accuracy ≥ others"),
                           ("memory_vs_torch", "memory ≤ PyTorch")):
            if key in checks:
                targets.append(f"{label} {'✓' if checks[key]['met'] else '✗'}")
        accuracy = " / ".join(_figure(libs, lib, "accuracy", "{:.1%}")
                              for lib in ("glassnet", "torch", "sklearn"))
        memory = " / ".join(_figure(libs, lib, "peak_mib", "{:.0f}") for lib in ("glassnet", "torch"))
        rows.append(f"| {CASES[name].title} | {' | '.join(cells)} | {'; '.join(targets) or '—'} "
                    f"| {accuracy} | {memory} |")
    return "\n".join(rows)


def _figure(libs: dict, lib: str, key: str, form: str) -> str:
    figure = libs.get(lib, {}).get(key)
    return form.format(figure["median"]) if figure else "—"


def all_checks(report: dict) -> list[tuple[str, str, dict]]:
    found = []
    for section in ("steps", "fits"):
        for name, libs in report.get(section, {}).items():
            for key, check in libs["checks"].items():
                found.append((name, key, check))
    for extra in report.get("extras", []):
        for key, check in extra.get("checks", {}).items():
            found.append((extra["name"], key, check))
    return found
