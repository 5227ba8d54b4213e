"""Preparing data: a seeded train/test split, standardisation, one-hot targets."""

from __future__ import annotations

import numpy as np

from .. import checks
from ..init import make_rng

__all__ = ["train_test_split", "Standardizer", "one_hot"]


def train_test_split(X, y, test_size: float = 0.25, seed=None, stratify=None):
    """Split rows at random into ``X_train, X_test, y_train, y_test`` (scikit-learn's order).

    Parameters
    ----------
    X : array_like, shape (N, D)
    y : array_like, shape (N,) or (N, K)
    test_size : float in (0, 1) or int
        The fraction (rounded up, as scikit-learn) or number of rows for the test split.
    seed : int or numpy.random.Generator
        Drives the permutation; the same seed gives the same split.
    stratify : array_like of labels, shape (N,), optional
        Keep each class's share in both splits: each class gives ``round(test_size · n_k)``
        test rows, so the test split can differ from ``test_size · N`` by a row or two.
    """
    X, y = np.asarray(X), np.asarray(y)
    n = len(X)
    if len(y) != n:
        raise ValueError(f"train_test_split expected X and y with the same number of rows, "
                         f"got {n} and {len(y)}")
    n_test = _n_test(test_size, n)
    rng = make_rng(seed)
    if stratify is None:
        order = rng.permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:
        test, train = _stratified(np.asarray(stratify), n, n_test / n, rng)
    return X[train], X[test], y[train], y[test]


def _n_test(test_size, n: int) -> int:
    if isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        n_test = int(test_size)
    elif isinstance(test_size, float) and 0 < test_size < 1:
        n_test = int(np.ceil(test_size * n))
    else:
        raise ValueError(f"train_test_split expected test_size in (0, 1) or a row count, "
                         f"got {test_size!r}")
    if not 1 <= n_test < n:
        raise ValueError(f"train_test_split expected a test split of 1 to {n - 1} rows for "
                         f"{n} rows, got {n_test}")
    return n_test


def _stratified(labels, n, fraction, rng):
    if labels.shape != (n,):
        raise ValueError(f"train_test_split expected stratify labels of shape ({n},), "
                         f"got {labels.shape}")
    test, train = [], []
    for label in np.unique(labels):  # one pass per class, not per sample
        rows = rng.permutation(np.flatnonzero(labels == label))
        k = int(round(fraction * len(rows)))
        test.append(rows[:k])
        train.append(rows[k:])
    return rng.permutation(np.concatenate(test)), rng.permutation(np.concatenate(train))


class Standardizer:
    """Shift and scale each feature to mean 0 and standard deviation 1: ``(x − μ) / σ``.

    Fit on the training split only, then transform every split with the same μ and σ, so
    no information from the test data leaks into training. A constant feature keeps
    σ = 1 (it becomes 0 rather than NaN), as scikit-learn's ``StandardScaler``.

    Examples
    --------
    >>> scaler = Standardizer().fit(X_train)                  # doctest: +SKIP
    >>> X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)  # doctest: +SKIP
    """

    def __init__(self):
        self.mean_: np.ndarray | None = None   # μ, shape (D,)
        self.scale_: np.ndarray | None = None  # σ, shape (D,)

    def fit(self, X) -> Standardizer:
        X = _features(X, "Standardizer.fit")
        if len(X) == 0:
            raise ValueError("Standardizer.fit expected at least one row, got none")
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0)
        return self

    def transform(self, X) -> np.ndarray:
        if self.mean_ is None:
            raise ValueError("Standardizer.transform called before fit; call fit(X_train) first")
        X = _features(X, "Standardizer.transform")
        if X.shape[1] != len(self.mean_):
            raise ValueError(f"Standardizer was fit on {len(self.mean_)} features, got "
                             f"{X.shape[1]}")
        return (X - self.mean_) / self.scale_

    def fit_transform(self, X) -> np.ndarray:
        return self.fit(X).transform(X)

    def fold_into(self, net) -> None:
        """Make ``net``, trained on standardised inputs, take raw ones instead.

        The first layer absorbs the scaling: ``((x − μ)/σ) @ W + b = x @ (W/σ) + (b − (μ/σ) @ W)``,
        so a saved model needs no separate scaler to predict.
        """
        if self.mean_ is None:
            raise ValueError("Standardizer.fold_into called before fit; call fit(X_train) first")
        first = net.layers[0]
        if first.n_in != len(self.mean_):
            raise ValueError(f"Standardizer was fit on {len(self.mean_)} features, but "
                             f"{first!r} takes {first.n_in}")
        W, b = first.W.value, first.b.value              # (D, n_out), (n_out,)
        first.b.value = b - (self.mean_ / self.scale_) @ W
        first.W.value = W / self.scale_[:, None]

    def unfold_from_output(self, net) -> None:
        """Make ``net``, trained to predict standardised targets, predict raw ones instead.

        The last layer absorbs the inverse scaling:
        ``(a @ W + b)·σ + μ = a @ (W·σ) + (b·σ + μ)``. Exact only for a linear (identity)
        output, which is why only regression targets are standardised.
        """
        if self.mean_ is None:
            raise ValueError("Standardizer.unfold_from_output called before fit; call "
                             "fit(y_train) first")
        last = net.layers[-1]
        if last.activation.name != "identity":
            raise ValueError(f"Standardizer.unfold_from_output expected a linear (identity) "
                             f"output layer, got {last!r}")
        if last.n_out != len(self.mean_):
            raise ValueError(f"Standardizer was fit on {len(self.mean_)} targets, but "
                             f"{last!r} gives {last.n_out}")
        W, b = last.W.value, last.b.value                # (n_in, K), (K,)
        last.W.value = W * self.scale_
        last.b.value = b * self.scale_ + self.mean_

    @classmethod
    def from_statistics(cls, mean, scale) -> Standardizer:
        """A fitted Standardizer with the given μ and σ (e.g. read back from a run record)."""
        scaler = cls()
        scaler.mean_, scaler.scale_ = np.asarray(mean, float), np.asarray(scale, float)
        return scaler

    def inverse_transform(self, X) -> np.ndarray:
        """Back to the original units: ``x = z σ + μ``."""
        if self.mean_ is None:
            raise ValueError("Standardizer.inverse_transform called before fit")
        return _features(X, "Standardizer.inverse_transform") * self.scale_ + self.mean_

    def __repr__(self) -> str:
        fitted = "unfitted" if self.mean_ is None else f"{len(self.mean_)} features"
        return f"Standardizer({fitted})"


def one_hot(labels, n_classes: int | None = None) -> np.ndarray:
    """Rows of zeros with a 1 in the label's column, shape ``(N, n_classes)``."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise ValueError(f"one_hot expected integer labels of shape (N,), got "
                         f"{labels.dtype} {labels.shape}")
    k = int(labels.max()) + 1 if n_classes is None and labels.size else (n_classes or 0)
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ValueError(f"one_hot expected labels in 0..{k - 1}, got {labels.min()} to "
                         f"{labels.max()}")
    out = np.zeros((len(labels), k))
    out[np.arange(len(labels)), labels] = 1.0
    return out


def _features(X, name) -> np.ndarray:
    return checks.matrix(X, name, "features", dtype=np.float64, allow_empty=True)
