"""Train mode's data: glassnet's 2-D toy sets, TF Playground's two regression sets, or a CSV.

Classification uses glassnet's toy sets or a CSV of two features and a label; regression uses
TensorFlow Playground's sets over the square [-6, 6]², each target in about [-1, 1]:

- ``plane``: ``y = (x1 + x2) / 10``, a tilted plane;
- ``gaussians_regression``: six bumps of height ±1 at (±4 or 0, ±2.5), each falling
  linearly to 0 at distance 2; a point takes the bump of largest size at it.

As in TF Playground, a regression set's noise moves each point by up to ``noise × 6`` in
each coordinate before its target is read, so that the targets stay on the surface.

Every set is split into train and test rows by a seeded permutation. Uploaded CSVs are
standardised (each feature to mean 0, standard deviation 1), so that any units train with
the default learning rates; the page then shows the standardised coordinates.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

from .. import datasets
from ..datasets.tabular import is_data_row
from .limits import Limits, RequestError, get_choice, get_float, get_int, short

__all__ = ["PlaygroundData", "TOY_SETS", "make_data", "parse_csv"]

TOY_SETS = ("xor", "circles", "moons", "spiral", "gaussians")
REGRESSION_SETS = ("plane", "gaussians_regression")
PROBLEMS = ("classification", "regression")
NOISE = {"circles": 0.05, "moons": 0.1, "spiral": 0.2, "gaussians": 1.0,  # the loaders' defaults
         "plane": 0.0, "gaussians_regression": 0.0}
_RADIUS = 6.0  # TF Playground's square [-6, 6]²
_BUMPS = [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]


@dataclass
class PlaygroundData:
    """Points and their integer labels (regression: real targets), split into train and test."""

    X_train: np.ndarray   # (N_train, 2)
    y_train: np.ndarray   # (N_train,) integer class labels, or float targets for regression
    X_test: np.ndarray    # (N_test, 2)
    y_test: np.ndarray    # (N_test,)
    classes: list[str]    # class names in label order; empty for regression
    description: str
    standardised: tuple[np.ndarray, np.ndarray] | None = None  # (μ, σ) of an uploaded CSV
    problem: str = "classification"
    # h-extras hook: how these points were made (data set, its settings, seed, test_fraction),
    # so that "Copy as code" can make them again (playground/code.py)
    recipe: dict | None = None

    @property
    def n_classes(self) -> int:
        return len(self.classes)


def make_data(spec: dict, uploads: dict, limits: Limits) -> PlaygroundData:
    """The data set a train request names, split by ``spec["test_fraction"]``."""
    problem = get_choice(spec, "problem", "classification", PROBLEMS)
    name = spec.get("dataset", "spiral" if problem == "classification" else "plane")
    seed = get_int(spec, "seed", 0, 0, 2**31 - 1)
    if problem == "regression":
        X, y, classes, description, recipe = _regression(
            spec, get_choice(spec, "dataset", "plane", REGRESSION_SETS), seed, limits)
        standardised = None
    elif isinstance(name, str) and name.startswith("upload-"):
        if name not in uploads:
            raise RequestError(f"no uploaded data set {short(name)}; upload the CSV again", 404)
        X, y, classes, description, standardised = uploads[name]
        recipe = {"dataset": "upload"}
    else:
        X, y, classes, description, recipe = _toy(
            spec, get_choice(spec, "dataset", "spiral", TOY_SETS), seed, limits)
        standardised = None
    test_fraction = get_float(spec, "test_fraction", 0.2, 0.0, 0.9)
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = int(round(test_fraction * len(X)))
    test, train = order[:n_test], order[n_test:]
    recipe = {**recipe, "seed": seed, "n_test": n_test, "test_fraction": test_fraction}
    return PlaygroundData(X[train], y[train], X[test], y[test], classes, description,
                          standardised, problem, recipe)


def regression_target(name: str, X: np.ndarray) -> np.ndarray:
    """The target of the regression set ``name`` at the points ``X`` (N, 2)."""
    x1, x2 = X[:, 0], X[:, 1]
    if name == "plane":
        return (x1 + x2) / 10.0
    best = np.zeros(len(X))
    for cx, cy, sign in _BUMPS:
        bump = sign * np.clip(1.0 - np.hypot(x1 - cx, x2 - cy) / 2.0, 0.0, 1.0)
        best = np.where(np.abs(bump) > np.abs(best), bump, best)
    return best


def _regression(spec: dict, name: str, seed: int, limits: Limits):
    n = get_int(spec, "n_samples", 200, 4, limits.max_points)
    noise = get_float(spec, "noise", NOISE[name], 0.0, 3.0)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-_RADIUS, _RADIUS, size=(n, 2))
    jitter = rng.uniform(-_RADIUS, _RADIUS, size=(n, 2)) * noise
    y = regression_target(name, X + jitter)
    what = ("a plane, y = (x1 + x2) / 10" if name == "plane"
            else "six Gaussian-like bumps of height ±1")
    return (X, y, [], f"Regression: {n} points on {what}, noise {noise:g}.",
            {"dataset": name, "n_samples": n, "noise": noise})  # h-extras: the recipe


def _toy(spec: dict, name: str, seed: int, limits: Limits):
    recipe = {"dataset": name}  # h-extras hook: the loader's own arguments, for code.py
    if name == "xor":
        data = datasets.xor()
    else:
        n = get_int(spec, "n_samples", 200, 4, limits.max_points)
        noise = get_float(spec, "noise", NOISE[name], 0.0, 3.0)
        if name in ("spiral", "gaussians"):
            k = get_int(spec, "n_classes", 3 if name == "spiral" else 2, 2, limits.max_classes)
            # the blobs' spread plays the part of the noise
            extra = {"noise": noise} if name == "spiral" else {"spread": max(noise, 0.01)}
            data = getattr(datasets, name)(n, n_classes=k, seed=seed, **extra)
            recipe.update(n_samples=n, n_classes=k, **extra)
        else:
            data = getattr(datasets, name)(n, noise=noise, seed=seed)
            recipe.update(n_samples=n, noise=noise)
    return (data.X, data.y.astype(np.int64), list(data.target_names), data.description,
            recipe)


def parse_csv(text: str, limits: Limits):
    """``(X, y, classes, description, (μ, σ))`` from CSV text: two numbers, then a label.

    The header row is optional, by the rule of every CSV reader in glassnet
    (:func:`~glassnet.datasets.tabular.is_data_row`): a first row whose two features are
    numbers is data, any other first row the header. Labels may be numbers or words; classes are
    numbered in sorted order. Features are standardised with the file's mean μ and std σ.
    """
    try:
        rows = [row for row in csv.reader(io.StringIO(text)) if row and any(c.strip() for c in row)]
    except csv.Error as error:  # e.g. a field over the csv module's 128 KiB limit
        raise RequestError(f"the CSV file cannot be read as CSV ({error}); expected rows of "
                           "x1, x2, label") from None
    if not rows:
        raise RequestError("the CSV file is empty; expected rows of x1, x2, label")
    header = None
    if not is_data_row(rows[0][:2]):
        header, rows = rows[0], rows[1:]
    if not 2 <= len(rows) <= limits.max_points:
        raise RequestError(f"the CSV must have 2 to {limits.max_points} data rows, got {len(rows)}")
    features, labels = [], []
    for line, row in enumerate(rows, start=2 if header else 1):
        if len(row) != 3:
            raise RequestError(f"CSV line {line}: expected 3 columns (x1, x2, label), "
                               f"got {len(row)}")
        try:
            features.append([float(row[0]), float(row[1])])
        except ValueError:
            raise RequestError(f"CSV line {line}: expected two numbers before the label, got "
                               f"{row[0].strip()[:20]!r} and {row[1].strip()[:20]!r}") from None
        labels.append(row[2].strip())
    X = np.array(features)
    if not np.isfinite(X).all():
        raise RequestError("the CSV contains NaN or infinite features; expected finite numbers")
    classes = sorted(set(labels), key=_label_key)
    if not 2 <= len(classes) <= limits.max_classes:
        raise RequestError(f"the CSV must have 2 to {limits.max_classes} classes in its label "
                           f"column, got {len(classes)}")
    index = {c: k for k, c in enumerate(classes)}
    y = np.array([index[c] for c in labels], dtype=np.int64)
    mean, std = X.mean(axis=0), X.std(axis=0)
    std = np.where(std > 0, std, 1.0)  # a constant feature stays 0 rather than NaN
    X = (X - mean) / std
    names = header[:2] if header else ["x1", "x2"]
    return X, y, classes, (f"Uploaded CSV: {len(X)} points, features {names[0].strip()} and "
                           f"{names[1].strip()} standardised, {len(classes)} classes."), (mean, std)


def _label_key(label: str):
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, 0.0, label)
