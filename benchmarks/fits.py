"""Whole training runs per library, built from a :class:`~benchmarks.cases.FitCase`.

Each fitter gets the case and the arrays ``X_train, y_train, X_test, y_test`` (prepared once
by the runner, so every library trains on the same split) and returns the wall time of the
fit, the test accuracy and the peak resident memory the fit added. Each library trains as
its users would call it, with its own default initialisation drawn from the case's seed
(glassnet: He for ReLU layers; PyTorch: ``nn.Linear``'s; scikit-learn: Glorot); the step
cases are where the weights are identical. The split is fixed; the runner gives every round
of processes its own seed, so accuracies are compared as medians over seeds rather than on
one lucky or unlucky draw.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from .cases import FitCase


class PeakMemory:
    """Peak resident memory added inside the block, from Linux's VmHWM (reset on entry)."""

    def __enter__(self):
        self.supported = _reset_peak()
        self.baseline = _status_kib("VmRSS")
        return self

    def __exit__(self, *exc):
        peak = _status_kib("VmHWM")
        self.added_mib = (peak - self.baseline) / 1024 if self.supported else None
        return False


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # 5 resets the peak RSS counter (Linux ≥ 4.0)
        return True
    except OSError:
        return False


def _status_kib(key: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def _epochs(case: FitCase, quick: bool) -> int:
    return 1 if quick else case.epochs


def fit_glassnet(case: FitCase, data: dict, quick: bool = False) -> dict:
    import glassnet as gn

    pairs = list(zip(case.sizes[:-1], case.sizes[1:]))
    layers = [gn.Dense(n_in, n_out, activation="softmax" if i == len(pairs) - 1 else "relu")
              for i, (n_in, n_out) in enumerate(pairs)]
    net = gn.Network(layers, loss="cross_entropy", dtype=case.dtype, seed=case.seed)
    optimizer = gn.Adam(net.parameters(), lr=case.lr)
    X, y = data["X_train"], data["y_train"]
    with PeakMemory() as memory:
        start = time.perf_counter()
        net.fit(X, y, epochs=_epochs(case, quick), batch_size=case.batch,
                optimizer=optimizer, shuffle=True, seed=case.seed, progress=False)
        seconds = time.perf_counter() - start
    predicted = net.forward(data["X_test"]).argmax(axis=1)
    return {"seconds": seconds, "accuracy": float(np.mean(predicted == data["y_test"])),
            "peak_mib": memory.added_mib}


def fit_torch(case: FitCase, data: dict, quick: bool = False) -> dict:
    """The loop a PyTorch user writes: shuffled index, slices, zero_grad/backward/step."""
    import torch
    from torch import nn

    torch.manual_seed(case.seed)
    modules = []
    for index, (n_in, n_out) in enumerate(zip(case.sizes[:-1], case.sizes[1:])):
        linear = nn.Linear(n_in, n_out)
        modules += [linear] if index == len(case.sizes) - 2 else [linear, nn.ReLU()]
    model = nn.Sequential(*modules)
    optimizer = torch.optim.Adam(model.parameters(), lr=case.lr)
    criterion = nn.CrossEntropyLoss()
    X, y = torch.from_numpy(data["X_train"]), torch.from_numpy(data["y_train"].astype(np.int64))
    generator = torch.Generator().manual_seed(case.seed)
    with PeakMemory() as memory:
        start = time.perf_counter()
        for _ in range(_epochs(case, quick)):
            order = torch.randperm(len(X), generator=generator)
            for first in range(0, len(X), case.batch):
                rows = order[first:first + case.batch]
                optimizer.zero_grad()
                loss = criterion(model(X[rows]), y[rows])
                loss.backward()
                optimizer.step()
        seconds = time.perf_counter() - start
    with torch.no_grad():
        predicted = model(torch.from_numpy(data["X_test"])).argmax(dim=1).numpy()
    return {"seconds": seconds, "accuracy": float(np.mean(predicted == data["y_test"])),
            "peak_mib": memory.added_mib}


def fit_sklearn(case: FitCase, data: dict, quick: bool = False) -> dict:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    epochs = _epochs(case, quick)
    model = MLPClassifier(hidden_layer_sizes=case.sizes[1:-1], activation="relu",
                          solver="adam", learning_rate_init=case.lr, batch_size=case.batch,
                          max_iter=epochs, alpha=0.0, shuffle=True, random_state=case.seed,
                          tol=0.0, n_iter_no_change=epochs + 1)
    with PeakMemory() as memory, warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(data["X_train"], data["y_train"])
        seconds = time.perf_counter() - start
    predicted = model.predict(data["X_test"])
    return {"seconds": seconds, "accuracy": float(np.mean(predicted == data["y_test"])),
            "peak_mib": memory.added_mib}


FITTERS = {"glassnet": fit_glassnet, "torch": fit_torch, "sklearn": fit_sklearn}


def prepare(case: FitCase) -> dict:
    """The case's train/test arrays, float32 inputs and int64 labels, split with a fixed seed."""
    if case.data == "digits":
        from sklearn.datasets import load_digits

        X, y = load_digits(return_X_y=True)
        X = X / 16.0
        order = np.random.default_rng(case.seed).permutation(len(X))
        cut = len(X) - len(X) // 4
        train, test = order[:cut], order[cut:]
        arrays = X[train], y[train], X[test], y[test]
    elif case.data == "mnist1d":
        from mnist1d.data import get_dataset_args, make_dataset

        made = make_dataset(get_dataset_args())  # the package defaults: seed 42, 4000/1000
        arrays = made["x"], made["y"], made["x_test"], made["y_test"]
    else:
        rng = np.random.default_rng(case.seed)
        X = rng.standard_normal((8192 + 1024, case.sizes[0]))
        y = rng.integers(0, case.sizes[-1], len(X))
        arrays = X[:8192], y[:8192], X[8192:], y[8192:]
    X_train, y_train, X_test, y_test = arrays
    return {"X_train": np.ascontiguousarray(X_train, dtype=case.dtype),
            "y_train": np.asarray(y_train, dtype=np.int64),
            "X_test": np.ascontiguousarray(X_test, dtype=case.dtype),
            "y_test": np.asarray(y_test, dtype=np.int64)}
