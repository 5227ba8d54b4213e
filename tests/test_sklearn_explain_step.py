"""What glassnet adds to scikit-learn's estimators: ``explain_step`` and writable weights."""

import copy

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

import glassnet as gn
from glassnet.sklearn import MLPClassifier, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)


def regression(n=30, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, np.column_stack([np.sin(X[:, 0]), X[:, 1] * X[:, 2]])


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_explain_step_records_the_step_partial_fit_takes_next(solver):
    X, Y = regression()
    reg = MLPRegressor(hidden_layer_sizes=(4,), solver=solver, alpha=0.1,
                       learning_rate_init=0.05, max_iter=5, random_state=0).fit(X, Y)
    before = [W.copy() for W in reg.coefs_]
    twin = copy.deepcopy(reg)
    trace = reg.explain_step(X[:5], Y[:5])
    twin.partial_fit(X[:5], Y[:5])          # one batch of 5 rows: the same step, for real
    assert isinstance(trace, gn.explain.Trace) and trace.optimizer.startswith("Sklearn")
    for layer, W in zip(trace.layers, twin.coefs_):
        np.testing.assert_allclose(layer.W.new, W, rtol=1e-12, atol=1e-15)
    for W_now, W_then in zip(reg.coefs_, before):    # the estimator itself did not move
        np.testing.assert_array_equal(W_now, W_then)
    assert trace.loss * 0.5 == pytest.approx(twin.loss_curve_[-1] - _l2(reg, 5), rel=1e-12)


def _l2(est, n):
    """(α / 2n) Σ‖W‖², the penalty in scikit-learn's loss, of the weights before the step."""
    return 0.5 * est.alpha * sum(float((W ** 2).sum()) for W in est.coefs_) / n


def test_explain_step_of_a_classifier_takes_labels_and_one_sample():
    X, y = make_classification(40, 4, n_informative=3, n_redundant=0, n_classes=3,
                               random_state=0)
    clf = MLPClassifier((5,), max_iter=5, random_state=0).fit(X, y)
    trace = clf.explain_step(X[0], y[0])                     # one row and its label
    np.testing.assert_allclose(trace.y_hat, clf.predict_proba(X[:1]), rtol=1e-12)
    assert trace.loss == pytest.approx(-np.log(clf.predict_proba(X[:1])[0, y[0]]), rel=1e-12)
    with pytest.raises(ValueError, match="one target per row of X \\(2\\), got 3"):
        clf.explain_step(X[:2], y[:3])


def test_explain_step_after_lbfgs_is_a_gradient_step_of_learning_rate_init():
    X, Y = regression()
    reg = MLPRegressor(hidden_layer_sizes=(3,), solver="lbfgs", alpha=0.5,
                       learning_rate_init=0.1, max_iter=5, random_state=0).fit(X, Y)
    trace = reg.explain_step(X, Y)
    first = trace.layers[0].W
    # θ ← θ − η (∂L/∂W + (α / n) W), n = 30 rows
    np.testing.assert_allclose(first.new, first.old - 0.1 * (first.grad + 0.5 / 30 * first.old),
                               rtol=1e-12)


def test_coefs_and_intercepts_are_assignable_as_in_scikit_learn():
    X, Y = regression()
    reg = MLPRegressor(hidden_layer_sizes=(4,), max_iter=3, random_state=0).fit(X, Y)
    reg.coefs_[1] = np.zeros((4, 2))                       # an item, as a list's
    reg.intercepts_ = [np.zeros(4), np.array([1.0, -2.0])]  # the whole list
    np.testing.assert_array_equal(reg.network_.layers[1].W.value, np.zeros((4, 2)))
    # no weights into the output: every prediction is its bias
    np.testing.assert_array_equal(reg.predict(X[:3]), [[1.0, -2.0]] * 3)
    reg.coefs_[0][:] = 0.0                                  # in place, as scikit-learn's arrays
    assert not reg.network_.layers[0].W.value.any()
    with pytest.raises(ValueError, match="expected 2 arrays, one per layer, got 1"):
        reg.coefs_ = [np.zeros((3, 4))]
    with pytest.raises(ValueError, match="shape"):
        reg.coefs_[0] = np.zeros((2, 2))
