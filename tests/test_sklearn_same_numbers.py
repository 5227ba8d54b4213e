"""glassnet.sklearn gives scikit-learn's numbers: the same fit, attribute for attribute.

Each case fits scikit-learn's ``MLPClassifier``/``MLPRegressor`` and glassnet's with the same
arguments, ``random_state`` included, on the same small data, and compares every fitted
attribute: ``coefs_`` and ``intercepts_`` to a relative 1e-6 (float64; what is left is the
rounding of sums taken in another order), ``loss_curve_``, ``validation_scores_``,
``best_loss_``, ``best_validation_score_``, ``loss_`` likewise, ``n_iter_``, ``t_``, the
classes and the predicted labels exactly, the probabilities to 1e-6.

The grid: every solver and learning-rate schedule, momentum with and without Nesterov, each
activation, ``alpha``, ``batch_size`` (``'auto'`` and numbers), ``shuffle``, the stopping rule
(``tol``/``n_iter_no_change``, adaptive slow-downs), ``early_stopping``, ``max_fun``, on
single- and 3-output regression and binary, multiclass and multilabel classification, with
and without ``sample_weight``, for 2 seeds; then ``warm_start`` and ``partial_fit``.
"""

import numpy as np
import pytest
from sklearn import neural_network as reference
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning

import glassnet.sklearn as ours

pytestmark = pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)


def _tasks():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(48, 4))
    one = np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2]
    three = np.column_stack([one, X[:, 3] ** 2, X[:, 0] - X[:, 1]])
    Xc, multiclass = make_classification(60, 4, n_informative=3, n_redundant=0, n_classes=3,
                                         random_state=0)
    binary = np.where(multiclass == 1, "yes", "no")           # string labels
    Xm, multilabel = make_multilabel_classification(60, 4, n_classes=3, random_state=0)
    return {"regression": ("MLPRegressor", X, one), "3 targets": ("MLPRegressor", X, three),
            "binary": ("MLPClassifier", Xc, binary),
            "multiclass": ("MLPClassifier", Xc, multiclass),
            "multilabel": ("MLPClassifier", Xm / 4, multilabel)}


TASKS = _tasks()

SETTINGS = {
    "sgd nesterov relu": dict(solver="sgd", learning_rate_init=0.05),
    "sgd momentum invscaling tanh": dict(solver="sgd", learning_rate="invscaling",
                                         learning_rate_init=0.2, power_t=0.3,
                                         nesterovs_momentum=False, activation="tanh"),
    "sgd adaptive, slowed down": dict(solver="sgd", learning_rate="adaptive", momentum=0.5,
                                      learning_rate_init=0.05, tol=0.5, n_iter_no_change=2,
                                      activation="logistic", max_iter=25),
    "sgd plain, batches of 7": dict(solver="sgd", momentum=0.0, batch_size=7,
                                    activation="identity", alpha=0.1, learning_rate_init=0.01),
    "adam relu alpha": dict(alpha=0.01, learning_rate_init=0.01),
    "adam tanh, no shuffle, batches of 16": dict(activation="tanh", shuffle=False,
                                                 batch_size=16, beta_1=0.8, epsilon=1e-6,
                                                 learning_rate_init=0.01),
    "adam stops on a flat loss": dict(learning_rate_init=0.01, tol=0.05, n_iter_no_change=2,
                                      max_iter=40),
    "adam early stopping": dict(early_stopping=True, validation_fraction=0.25,
                                learning_rate_init=0.02, n_iter_no_change=3, max_iter=30),
    "sgd early stopping logistic": dict(solver="sgd", early_stopping=True, momentum=0.8,
                                        activation="logistic", learning_rate_init=0.1),
    "lbfgs relu": dict(solver="lbfgs", alpha=0.01),
    "lbfgs tanh, max_fun": dict(solver="lbfgs", activation="tanh", max_fun=12, max_iter=100),
}

SEEDS = (0, 3)


def fit_both(task, settings, seed, sample_weight=None, calls=(("fit", {}),)):
    """Fit scikit-learn's estimator and ours through the same ``calls``; return both."""
    name, X, y = TASKS[task]
    arguments = {"hidden_layer_sizes": (6, 4), "max_iter": 15, "random_state": seed, **settings}
    models = getattr(reference, name)(**arguments), getattr(ours, name)(**arguments)
    for model in models:
        for method, extra in calls:
            getattr(model, method)(X, y, sample_weight=sample_weight, **extra)
    return models, X


def assert_same_numbers(theirs, mine, X):
    np.testing.assert_equal(mine.n_iter_, theirs.n_iter_)
    np.testing.assert_equal(mine.t_, theirs.t_)
    for name in ("coefs_", "intercepts_"):
        assert len(getattr(mine, name)) == len(getattr(theirs, name))
        for a, b in zip(getattr(mine, name), getattr(theirs, name)):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-12, err_msg=name)
    for name in ("loss_", "loss_curve_", "best_loss_", "validation_scores_",
                 "best_validation_score_"):
        assert hasattr(mine, name) == hasattr(theirs, name), name
        if getattr(theirs, name, None) is None:
            assert getattr(mine, name, None) is None, name
        else:
            np.testing.assert_allclose(getattr(mine, name), getattr(theirs, name), rtol=1e-6,
                                       atol=1e-12, err_msg=name)
    for name in ("n_layers_", "n_outputs_", "out_activation_", "n_features_in_"):
        assert getattr(mine, name) == getattr(theirs, name), name
    if not hasattr(theirs, "classes_"):
        np.testing.assert_allclose(mine.predict(X), theirs.predict(X), rtol=1e-6, atol=1e-12)
    else:
        np.testing.assert_array_equal(mine.predict(X), theirs.predict(X))
        np.testing.assert_array_equal(mine.classes_, theirs.classes_)
        np.testing.assert_allclose(mine.predict_proba(X), theirs.predict_proba(X), rtol=1e-6,
                                   atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "sample_weight"])
@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("setting", SETTINGS)
def test_same_arguments_give_scikit_learns_fit(setting, task, weighted, seed):
    n = len(TASKS[task][1])
    weights = np.random.default_rng(seed).uniform(0.2, 3.0, n) if weighted else None
    (theirs, mine), X = fit_both(task, SETTINGS[setting], seed, weights)
    assert_same_numbers(theirs, mine, X)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("task", ["regression", "3 targets", "multiclass", "multilabel"])
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_warm_start_fits_on_as_scikit_learn(solver, task, seed):
    # the second fit makes a fresh RandomState: its shuffles start again from the seed
    settings = dict(solver=solver, warm_start=True, learning_rate_init=0.02)
    (theirs, mine), X = fit_both(task, settings, seed, calls=[("fit", {}), ("fit", {})])
    assert_same_numbers(theirs, mine, X)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("task", TASKS)
@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_partial_fit_steps_as_scikit_learn(solver, task, seed):
    # n_iter_ is 1 after each call, t_ and loss_curve_ go on; an adaptive slow-down counts too
    name, _, y = TASKS[task]
    # scikit-learn asks for classes on the first call even for multilabel y (then unused)
    classes = np.unique(y) if y.ndim == 1 else np.arange(y.shape[1])
    first = {"classes": classes} if name == "MLPClassifier" else {}
    settings = dict(solver=solver, learning_rate="adaptive", tol=0.5, n_iter_no_change=1,
                    learning_rate_init=0.05)
    calls = [("partial_fit", first)] + [("partial_fit", {})] * 4
    (theirs, mine), X = fit_both(task, settings, seed, calls=calls)
    assert_same_numbers(theirs, mine, X)
    assert len(mine.loss_curve_) == 5 and mine.n_iter_ == 1
