"""Small synthetic problems: XOR, 2-D shapes, and the lecture's loan officer.

Each generator draws from ``numpy.random.default_rng(seed)`` and nothing else, then shuffles
the rows, so the same seed gives the same bits and the classes are interleaved.
"""

from __future__ import annotations

import numpy as np

from ..init import make_rng
from .base import Dataset

__all__ = ["xor", "moons", "circles", "spiral", "gaussians", "loan", "LOAN_RULE"]


def xor() -> Dataset:
    """The four corners of the unit square with ``y = x1 XOR x2``: not linearly separable.

    A single neuron cannot fit it (its decision boundary is one line); a 2-2-1 network can.
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    return Dataset(X, y, ["x1", "x2"], ["0", "1"],
                   "XOR truth table: label 1 when exactly one input is 1.")


def moons(n_samples: int = 200, noise: float = 0.1, seed=None) -> Dataset:
    """Two interleaving half circles in 2-D, with Gaussian noise of std ``noise``.

    Class 0: ``(cos t, sin t)``; class 1: ``(1 − cos t, 0.5 − sin t)``; ``t ∈ [0, π]``.
    """
    n0 = _check("moons", n_samples, noise)
    rng = make_rng(seed)
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n_samples - n0)
    X = np.vstack([np.column_stack([np.cos(t0), np.sin(t0)]),
                   np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
    return _finish(X, n0, noise, rng, "Two interleaving half moons; class 1 is the lower one.")


def circles(n_samples: int = 200, noise: float = 0.05, factor: float = 0.5, seed=None) -> Dataset:
    """Two concentric rings: class 0 of radius 1, class 1 of radius ``factor`` (0 < factor < 1)."""
    n0 = _check("circles", n_samples, noise)
    if not 0 < factor < 1:
        raise ValueError(f"circles expected 0 < factor < 1, got {factor!r}")
    rng = make_rng(seed)
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n_samples - n0, endpoint=False)
    X = np.vstack([np.column_stack([np.cos(t0), np.sin(t0)]),
                   factor * np.column_stack([np.cos(t1), np.sin(t1)])])
    return _finish(X, n0, noise, rng, f"Two concentric circles; class 1 is the inner ring "
                   f"(radius {factor:g}).")


def spiral(n_samples: int = 300, n_classes: int = 3, noise: float = 0.2, seed=None) -> Dataset:
    """``n_classes`` spiral arms (CS231n's example): radius r ∈ [0, 1] grows along each arm.

    Arm k: ``θ = 4k + 4r + noise·ε``, point ``(r sin θ, r cos θ)``. Reference:
    https://cs231n.github.io/neural-networks-case-study/
    """
    _check("spiral", n_samples, noise)
    _check_classes(n_classes, n_samples, "spiral")
    rng = make_rng(seed)
    labels = np.arange(n_samples) * n_classes // n_samples  # equal arms, up to one sample
    r = np.concatenate([np.linspace(0, 1, np.sum(labels == k)) for k in range(n_classes)])
    theta = 4.0 * labels + 4.0 * r + noise * rng.standard_normal(n_samples)
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    return _shuffled(X, labels, rng, [str(k) for k in range(n_classes)],
                     f"{n_classes} interleaved spiral arms in 2-D (CS231n).")


def gaussians(n_samples: int = 200, n_classes: int = 2, spread: float = 1.0,
              distance: float = 3.0, seed=None) -> Dataset:
    """Round Gaussian blobs of std ``spread``, centres evenly on a circle of radius ``distance``."""
    _check("gaussians", n_samples, spread, "spread")
    _check_classes(n_classes, n_samples, "gaussians")
    rng = make_rng(seed)
    labels = np.arange(n_samples) * n_classes // n_samples
    angle = 2 * np.pi * labels / n_classes
    centres = distance * np.column_stack([np.cos(angle), np.sin(angle)])
    X = centres + spread * rng.standard_normal((n_samples, 2))
    return _shuffled(X, labels, rng, [str(k) for k in range(n_classes)],
                     f"{n_classes} Gaussian blobs (std {spread:g}) around a circle of radius "
                     f"{distance:g}.")


#: The loan officer's hidden rule: ``z = Σ w_i x_i + b`` in the features' own units;
#: the applicant is approved when ``z + noise · ε > 0`` with ε standard logistic.
LOAN_RULE = {"income": 0.08, "credit_score": 0.03, "debt": -0.15, "bias": -22.0}


def loan(n_samples: int = 500, noise: float = 1.0, seed=None) -> Dataset:
    """The lecture's loan officer: approve (1) or reject (0) from income, credit score and debt.

    Applicants: income (thousand $ a year) log-normal with median 55; credit score
    N(680, 60²) clipped to [300, 850]; debt (thousand $) Gamma(shape 2, scale 10). The
    hidden rule (:data:`LOAN_RULE`)::

        z = 0.08 · income + 0.03 · credit_score − 0.15 · debt − 22
        approve  ⇔  z + noise · ε > 0,   ε ~ Logistic(0, 1)

    so ``P(approve) = σ(z / noise)``: exactly a single sigmoid neuron, whose learned weights
    recover the importance of each feature (``noise = 0`` makes the rule deterministic).
    Standardise the features first; then weight i estimates ``LOAN_RULE[i] · std_i / noise``.
    """
    _check("loan", n_samples, noise)
    rng = make_rng(seed)
    income = np.exp(rng.normal(np.log(55.0), 0.4, n_samples))
    credit = np.clip(rng.normal(680.0, 60.0, n_samples), 300.0, 850.0)
    debt = rng.gamma(2.0, 10.0, n_samples)
    X = np.column_stack([income, credit, debt])
    w = np.array([LOAN_RULE["income"], LOAN_RULE["credit_score"], LOAN_RULE["debt"]])
    z = X @ w + LOAN_RULE["bias"]
    y = (z + noise * rng.logistic(0.0, 1.0, n_samples) > 0).astype(np.int64)
    description = ("Loan applications (the lecture's loan-officer analogy): income in "
                   "thousand $, credit score, debt in thousand $. Approved (1) when "
                   "0.08·income + 0.03·credit_score − 0.15·debt − 22 plus logistic noise "
                   f"of scale {noise:g} is positive.")
    return Dataset(X, y, ["income", "credit_score", "debt"], ["rejected", "approved"],
                   description, extra={"rule": dict(LOAN_RULE), "noise": noise})


# ---- helpers ---------------------------------------------------------------------------


def _check(name, n_samples, noise, noise_name="noise") -> int:
    """Refuse bad sizes and noise in one sentence; return n0, the first class's half."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) \
            or n_samples < 2:
        raise ValueError(f"{name} expected n_samples to be an integer >= 2, got {n_samples!r}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not noise >= 0 \
            or not np.isfinite(noise):
        raise ValueError(f"{name} expected {noise_name} to be a finite number >= 0, got "
                         f"{noise!r}")
    return n_samples // 2


def _check_classes(n_classes, n_samples, name):
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) \
            or not 2 <= n_classes <= n_samples:
        raise ValueError(f"{name} expected n_classes to be an integer from 2 to n_samples "
                         f"({n_samples}), got {n_classes!r}")


def _finish(X, n0, noise, rng, description):
    X = X + noise * rng.standard_normal(X.shape)
    labels = (np.arange(len(X)) >= n0).astype(np.int64)
    return _shuffled(X, labels, rng, ["0", "1"], description)


def _shuffled(X, labels, rng, target_names, description):
    order = rng.permutation(len(X))
    return Dataset(X[order], labels[order].astype(np.int64), ["x1", "x2"], target_names,
                   description)
