"""``python -m benchmarks.tricks``: what each speed trick of the engine earns, on and off.

A trick is a way of computing a formula that reads less plainly than the formula (a sum as
a BLAS product, a constant as a 0-d array, all parameters updated as one array). The house
rule: a trick stays only where it earns at least 10 % on a case of ``make bench``. This
script measures each one on those cases: the engine as it is ("on") against the same engine
with that one trick replaced by the plain formula ("off"), in one process, in interleaved
rounds, each figure the fastest block of its rounds. A trick the engine no longer has is
reported as absent (docs/performance.md keeps what it measured before it went).

    python -m benchmarks.tricks [--rounds 15] [--json PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time

import numpy as np

import glassnet as gn
from glassnet import activations, layers, optim

# The step cases of ``make bench`` (benchmarks/cases.py), plus the fits' own steps.
CASES = {
    "lecture 2-2-1 SGD N=1 f64": ((2, 2, 1), "sigmoid", "squared_error", "sgd", 1, "float64"),
    "64-32-10 SGD N=32 f32": ((64, 32, 10), "relu", "cross_entropy", "sgd", 32, "float32"),
    "784-256-128-10 SGD N=128 f32": ((784, 256, 128, 10), "relu", "cross_entropy", "sgd", 128,
                                     "float32"),
    "digits 64-64-10 Adam N=32 f32": ((64, 64, 10), "relu", "cross_entropy", "adam", 32,
                                      "float32"),
    "MNIST-1D 40-100-100-10 Adam N=100 f32": ((40, 100, 100, 10), "relu", "cross_entropy",
                                              "adam", 100, "float32"),
}


def _network(sizes, hidden, loss, dtype):
    output = "sigmoid" if loss == "squared_error" else "softmax"
    acts = [hidden] * (len(sizes) - 2) + [output]
    return gn.Network([gn.Dense(a, b, act) for a, b, act in zip(sizes[:-1], sizes[1:], acts)],
                      loss=loss, dtype=dtype, seed=0)


def make_step(case):
    """A closure doing one training step of ``case`` through the public API, as a user would."""
    sizes, hidden, loss, opt, n, dtype = case
    rng = np.random.default_rng(0)
    net = _network(sizes, hidden, loss, dtype)
    x = rng.normal(size=(n, sizes[0])).astype(dtype)
    y = rng.integers(0, sizes[-1], n) if loss == "cross_entropy" else rng.uniform(size=(n, 1))
    optimizer = gn.SGD(net.parameters(), lr=0.01) if opt == "sgd" else gn.Adam(net.parameters())

    def step():
        loss_value = net.loss(net.forward(x), y)
        loss_value.backward()
        optimizer.step()
    return step


def _block(step, seconds=0.05) -> float:
    """Seconds per step over a block of about ``seconds``."""
    count, start = 0, time.perf_counter()
    while True:
        step()
        count += 1
        elapsed = time.perf_counter() - start
        if elapsed > seconds:
            return elapsed / count


# ---- the tricks: each a context manager that turns it off -------------------------------

def _patch(owner, name, value):
    @contextlib.contextmanager
    def patched():
        old = getattr(owner, name)
        setattr(owner, name, value)
        try:
            yield
        finally:
            setattr(owner, name, old)
    return patched if hasattr(owner, name) else None


def _sgd_loop():
    if not hasattr(optim.SGD, "_lr_as"):
        return None
    return _patch(optim.SGD, "step", optim.Optimizer.step)


def _adam_all_at_once():
    if hasattr(optim.Adam, "_end_to_end"):
        return _patch(optim.Adam, "_end_to_end", lambda self: None)
    return _patch(optim.Adam, "_all_at_once_applies", lambda self: False)  # the earlier name


def _typed_constants():
    if not hasattr(activations, "_ZERO"):
        return None

    @contextlib.contextmanager
    def off():
        saved = (activations._ZERO, activations._ONE, optim.SGD._lr_as, optim.Adam._typed_constants)
        activations._ZERO, activations._ONE = {}, {}
        optim.SGD._lr_as = lambda self, dtype: self.lr
        optim.Adam._typed_constants = lambda self, dtype: (
            1 - self.beta1, self.beta2, 1 - self.beta2, self.eps)
        try:
            yield
        finally:
            (activations._ZERO, activations._ONE, optim.SGD._lr_as,
             optim.Adam._typed_constants) = saved
    return off


def _blas_sums():
    if not hasattr(layers, "column_sums"):
        return None
    from glassnet import losses

    @contextlib.contextmanager
    def off():
        saved = (layers.column_sums, activations.row_sums, activations.row_maxima)
        layers.column_sums = lambda a: a.sum(axis=0)
        activations.row_sums = lambda a: a.sum(axis=1, keepdims=True)
        activations.row_maxima = lambda a: a.max(axis=1, keepdims=True)
        extra = {name: getattr(losses, name) for name in ("row_sums", "row_maxima")
                 if hasattr(losses, name)}
        for name in extra:
            setattr(losses, name, getattr(activations, name))
        try:
            yield
        finally:
            layers.column_sums, activations.row_sums, activations.row_maxima = saved
            for name, value in extra.items():
                setattr(losses, name, value)
    return off


def _zero_arrays():
    if not hasattr(activations, "_zeros_for"):
        return None
    return _patch(activations, "_zeros_for", lambda z: activations._ZERO.get(z.dtype, 0))


def _sigmoid_in_place():
    if not hasattr(activations, "_LARGE"):
        return None

    def plain(self, z):
        z = np.asarray(z)
        if z.dtype.kind != "f":
            z = z.astype(np.float64)
        return np.exp(np.minimum(z, 0)) / (1 + np.exp(-np.abs(z)))
    return _patch(activations.Sigmoid, "__call__", plain)


def _dot_method():
    source = getattr(layers.Dense._forward, "__code__", None)
    if source is None or "dot" not in source.co_names:
        return None

    def forward(self, a_prev):
        self.a_prev = a_prev
        self.z = a_prev @ self.W.value + self.b.value
        self.a = self.activation(self.z)
        return self.a
    return _patch(layers.Dense, "_forward", forward)


def _finite_by_dot():
    import importlib

    from glassnet import network
    try:
        owner = importlib.import_module("glassnet.checks")
    except ImportError:  # before checks.py, the network held it
        owner = network
    if not hasattr(owner, "all_finite"):
        return None
    return _patch(owner, "all_finite", lambda a: bool(np.isfinite(a).all()))


def _cross_entropy_from_y_hat():
    from glassnet.losses import CrossEntropy, _logsumexp
    method = "per_sample" if "finfo" in CrossEntropy.per_sample.__code__.co_names else "value"
    original = getattr(CrossEntropy, method)
    if "finfo" not in original.__code__.co_names:
        return None

    def from_z(self, y_hat, y, z=None, *rest, **options):
        if z is None or y.ndim != 1:
            return original(self, y_hat, y, z, *rest, **options)
        l = _logsumexp(z)[:, 0] - z[np.arange(len(y)), y]
        return l if method == "per_sample" else float(l.sum()) / len(l)
    return _patch(CrossEntropy, method, from_z)


TRICKS = {
    "finiteness by one dot product (all_finite)": _finite_by_dot,
    "cross-entropy value from log ŷ where ŷ is normal": _cross_entropy_from_y_hat,
    "0-d typed constants (activations, SGD's α, Adam's β)": _typed_constants,
    "SGD's fast path past the per-parameter loop": _sgd_loop,
    "Adam over all parameters laid end to end (Adam.step)": _adam_all_at_once,
    "sums and row maxima as BLAS products (_reduce.py)": _blas_sums,
    "ReLU/sigmoid clip against an array of zeros": _zero_arrays,
    "sigmoid in place from 1000 elements": _sigmoid_in_place,
    "a.dot(W) for a @ W in Dense's forward": _dot_method,
}


def measure(rounds: int, only=None) -> list[dict]:
    rows = []
    for trick, make in TRICKS.items():
        if only and not any(word in trick for word in only):
            continue
        off = make()
        if off is None:
            rows.append({"trick": trick, "case": "—", "on_us": None, "off_us": None,
                         "gain": None, "note": "not in this engine"})
            continue
        for case, spec in CASES.items():
            on_times, off_times = [], []
            for _ in range(rounds):
                step = make_step(spec)
                for _ in range(20):
                    step()
                on_times.append(_block(step))
                with off():
                    step = make_step(spec)
                    for _ in range(20):
                        step()
                    off_times.append(_block(step))
            on_us, off_us = min(on_times) * 1e6, min(off_times) * 1e6
            rows.append({"trick": trick, "case": case, "on_us": round(on_us, 2),
                         "off_us": round(off_us, 2), "gain": round(1 - on_us / off_us, 3),
                         "note": ""})
    return rows


def markdown(rows: list[dict]) -> str:
    lines = ["| trick | case | on µs | off µs | gain |", "|---|---|---|---|---|"]
    for row in rows:
        if row["gain"] is None:
            lines.append(f"| {row['trick']} | {row['case']} | — | — | {row['note']} |")
        else:
            lines.append(f"| {row['trick']} | {row['case']} | {row['on_us']:.1f} | "
                         f"{row['off_us']:.1f} | {row['gain']:+.1%} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tricks", description=__doc__)
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds per figure")
    parser.add_argument("--json", help="also write the rows as JSON to this file")
    parser.add_argument("--only", nargs="*", help="words that pick tricks by name")
    args = parser.parse_args(argv)
    rows = measure(args.rounds, args.only)
    print(markdown(rows))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
