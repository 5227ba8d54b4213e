"""One sigmoid neuron with binary cross-entropy is logistic regression: same coefficients as
scikit-learn's unregularised LogisticRegression, and weights that read out feature importance."""

import numpy as np
import pytest

import glassnet as gn


@pytest.fixture(scope="module")
def fit():
    return gn.course.logistic_regression(seed=0)


def test_one_sigmoid_neuron_finds_scikit_learns_logistic_coefficients(fit):
    # Agreement to 1e-3 would do; full-batch descent to |∂L/∂θ| < 1e-10 lands within ~1e-8.
    assert fit.max_difference < 1e-6
    np.testing.assert_allclose(fit.weights, fit.sklearn_weights, atol=1e-6)
    assert fit.bias == pytest.approx(fit.sklearn_bias, abs=1e-6)
    # At the minimum the gradient (1/N) Xᵀ(ŷ − y) vanishes: check it on the engine directly.
    X = fit.scaler.transform(gn.datasets.loan(seed=0).X)
    y = gn.datasets.loan(seed=0).y
    p = fit.net.forward(X)[:, 0]
    assert np.abs(X.T @ (p - y) / len(y)).max() < 1e-9


def test_importances_read_out_the_loan_officers_rule():
    data = gn.datasets.loan(n_samples=20000, seed=1)
    fit = gn.course.logistic_regression(data)
    rule = gn.datasets.LOAN_RULE
    # Per unit, the weights estimate the hidden rule 0.08·income + 0.03·score − 0.15·debt.
    for name, raw in zip(fit.feature_names, fit.raw_weights):
        assert raw == pytest.approx(rule[name], rel=0.1), name
    names = [row[0] for row in fit.importances()]
    ranked = sorted(fit.feature_names, key=lambda n: -abs(fit.weights[fit.feature_names.index(n)]))
    assert names == ranked
    signs = {row[0]: np.sign(row[1]) for row in fit.importances()}
    assert signs == {"income": 1, "credit_score": 1, "debt": -1}
    assert "lowers approval" in fit.to_text() and "| debt |" in fit.to_markdown()


def test_logistic_regression_rejects_non_binary_labels():
    data = gn.datasets.loan(seed=0)
    data.y = data.y + 1
    with pytest.raises(ValueError, match="binary labels 0/1"):
        gn.course.logistic_regression(data)
