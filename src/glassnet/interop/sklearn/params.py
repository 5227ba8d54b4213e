"""Validation of the estimators' settings, run in ``fit`` (scikit-learn forbids it in ``__init__``).

Each error names the setting, what was expected and what was received. ``sample_weight`` is
checked by :func:`glassnet.checks.sample_weight`, as everywhere in glassnet.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

# scikit-learn's activation names, and the two extra ones glassnet has
ACTIVATIONS = {"identity": "identity", "logistic": "sigmoid", "sigmoid": "sigmoid",
               "tanh": "tanh", "relu": "relu", "leaky_relu": "leaky_relu"}
SOLVERS = ("adam", "sgd", "lbfgs")
LEARNING_RATES = ("constant", "invscaling", "adaptive")


def settings(est) -> dict:
    """Check every setting of ``est``; return the derived ones the training loop uses."""
    owner = type(est).__name__
    _choice(owner, "activation", est.activation, tuple(ACTIVATIONS))
    _choice(owner, "solver", est.solver, SOLVERS)
    _choice(owner, "learning_rate", est.learning_rate, LEARNING_RATES)
    for name in ("max_iter", "max_fun"):
        _number(owner, name, getattr(est, name), Integral, low=1)
    if est.n_iter_no_change != np.inf:   # np.inf: never stop for a flat loss, as scikit-learn
        _number(owner, "n_iter_no_change", est.n_iter_no_change, Integral, low=1)
    for name in ("alpha", "tol", "momentum", "power_t", "epsilon"):
        _number(owner, name, getattr(est, name), Real, low=0)
    _number(owner, "learning_rate_init", est.learning_rate_init, Real, low=0, strict=True)
    if est.momentum > 1:
        raise ValueError(f"{owner} expected momentum in [0, 1], got {est.momentum!r}")
    for name, strict in (("beta_1", False), ("beta_2", False), ("validation_fraction", True)):
        value = getattr(est, name)
        _number(owner, name, value, Real, low=0, strict=strict)
        if value >= 1:
            raise ValueError(f"{owner} expected {name} < 1, got {value!r}")
    hidden = _hidden(owner, est.hidden_layer_sizes)
    _check_batch_size(owner, est.batch_size)
    return {"hidden": hidden, "activation": ACTIVATIONS[est.activation]}


def weighted_classes(y: np.ndarray, sample_weight, owner: str) -> None:
    """Refuse weights that leave fewer than two classes of labels ``y`` (N,) with weight > 0."""
    if sample_weight is None or y.ndim != 1:  # multilabel: each column is its own problem
        return
    kept = np.unique(y[sample_weight > 0])
    if len(kept) < 2:
        raise ValueError(f"{owner} can't train on 1 class: only samples of class "
                         f"{kept.tolist()} have a positive sample_weight; expected at least "
                         f"2 classes")


def random_state(random_state, owner: str) -> np.random.RandomState:
    """scikit-learn's ``RandomState`` for ``random_state``: the same draws as its MLP makes.

    An int seeds a new ``RandomState``, ``None`` is numpy's global one and a ``RandomState``
    is used as it is (``sklearn.utils.check_random_state``). A numpy ``Generator``, which
    scikit-learn refuses, seeds a ``RandomState`` from one draw.
    """
    if isinstance(random_state, np.random.Generator):
        return np.random.RandomState(int(random_state.integers(2**32)))
    if random_state is None or isinstance(random_state, np.random.RandomState) or (
            isinstance(random_state, Integral) and not isinstance(random_state, bool)):
        return check_random_state(random_state)
    raise ValueError(f"{owner} expected random_state to be None, an int, a "
                     f"numpy.random.RandomState or Generator, got {random_state!r}")


def _hidden(owner: str, sizes) -> tuple[int, ...]:
    sizes = (sizes,) if isinstance(sizes, Integral) else sizes
    try:
        sizes = tuple(sizes)
    except TypeError:
        sizes = None
    if sizes is None or not all(isinstance(s, Integral) and not isinstance(s, bool) and s > 0
                                for s in sizes):
        raise ValueError(f"{owner} expected hidden_layer_sizes to be positive integers such as "
                         f"(100,) or (64, 32), got {sizes!r}")
    return tuple(int(s) for s in sizes)


def _check_batch_size(owner: str, batch_size) -> None:
    """'auto' or a positive int; :mod:`.stochastic` turns it into the rows of a batch."""
    if batch_size == "auto" or (isinstance(batch_size, Integral)
                                and not isinstance(batch_size, bool) and batch_size > 0):
        return
    raise ValueError(f"{owner} expected batch_size to be a positive int or 'auto', "
                     f"got {batch_size!r}")


def _choice(owner: str, name: str, value, choices: tuple) -> None:
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{owner} expected {name} to be one of {', '.join(map(repr, choices))}, "
                         f"got {value!r}")


def _number(owner, name, value, kind, low, strict=False) -> None:
    if isinstance(value, bool) or not isinstance(value, kind):
        what = "an int" if kind is Integral else "a number"
        raise ValueError(f"{owner} expected {name} to be {what}, got {value!r}")
    if not np.isfinite(value) or value < low or (strict and value == low):
        raise ValueError(f"{owner} expected {name} {'>' if strict else '>='} {low}, got {value!r}")
