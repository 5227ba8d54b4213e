"""``sample_weight`` in glassnet.sklearn's MLPs: scikit-learn's numbers, from the same start.

scikit-learn's ``_backprop`` with weights: the loss is Σ w_n l_n / Σw per batch, the output
deltas are scaled by w_n, and the L2 term α/2 Σ‖W‖² is divided by Σw (not by the rows).
"""

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor
from sklearn.utils.estimator_checks import check_sample_weight_equivalence_on_dense_data

from glassnet.sklearn import MLPClassifier, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)


def same_start(ours, theirs, shapes, seed=7):
    """Put the same random weights in two fitted MLPs, ours and scikit-learn's."""
    rng = np.random.default_rng(seed)
    values = [rng.normal(size=s) for s in shapes]          # W[1], b[1], W[2], b[2]
    ours.network_.load_state_dict(dict(zip(["W[1]", "b[1]", "W[2]", "b[2]"], values)))
    theirs.coefs_ = [values[0].copy(), values[2].copy()]
    theirs.intercepts_ = [values[1].copy(), values[3].copy()]


@pytest.mark.parametrize("estimators, make_data", [
    ((MLPRegressor, SklearnMLPRegressor), "regression"),
    ((MLPClassifier, SklearnMLPClassifier), "multiclass"),
    ((MLPClassifier, SklearnMLPClassifier), "binary"),
])
def test_weighted_sgd_gives_scikit_learns_numbers(estimators, make_data):
    ours_cls, theirs_cls = estimators
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    y = {"regression": X @ np.array([1.0, -1.0, 0.5]),
         "multiclass": np.arange(20) % 3, "binary": np.arange(20) % 2}[make_data]
    w = rng.uniform(0.0, 3.0, size=20)                     # fractional, one near-zero or so
    n_out = {"regression": 1, "multiclass": 3, "binary": 1}[make_data]
    common = {"hidden_layer_sizes": (5,), "activation": "tanh", "solver": "sgd",
              "alpha": 0.01, "batch_size": 8, "shuffle": False, "learning_rate_init": 0.05,
              "momentum": 0.9, "max_iter": 1, "warm_start": True, "random_state": 0}
    ours = ours_cls(**common).fit(X, y, sample_weight=w)
    theirs = theirs_cls(**common).fit(X, y, sample_weight=w)
    same_start(ours, theirs, [(3, 5), (5,), (5, n_out), (n_out,)])
    for model in (ours, theirs):      # 3 epochs of batches 8, 8, 4 from the same start
        model.set_params(max_iter=3).fit(X, y, sample_weight=w)
    # loss_ weighs each batch's (weighted) loss by its rows, penalty α/(2Σw)‖W‖² included
    np.testing.assert_allclose(ours.loss_curve_[1:], theirs.loss_curve_[1:], rtol=1e-13)
    for mine, sklearns in zip(ours.coefs_ + ours.intercepts_,
                              theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(mine, sklearns, rtol=0, atol=1e-13)
    # and the weights mattered: the unweighted fit from the same start ends elsewhere
    plain = ours_cls(**common).fit(X, y)
    same_start(plain, theirs_cls(**common).fit(X, y), [(3, 5), (5,), (5, n_out), (n_out,)])
    plain.set_params(max_iter=3).fit(X, y)
    assert np.abs(plain.coefs_[0] - ours.coefs_[0]).max() > 1e-3


def test_scikit_learns_own_equivalence_setting_for_its_regressor():
    """scikit-learn's instance generator runs this check on its MLPRegressor with sgd,
    tol=1e-2, random_state=42: weighted rows must give the fit of repeated rows."""
    check_sample_weight_equivalence_on_dense_data(
        "MLPRegressor", MLPRegressor(solver="sgd", tol=1e-2, random_state=42))


def test_weights_that_leave_one_class_are_refused_naming_the_class():
    rng = np.random.default_rng(0)
    X, y = rng.uniform(size=(10, 4)), np.arange(10) % 2
    with pytest.raises(ValueError, match=r"can't train on 1 class: only samples of class \[1\] "
                                         r"have a positive sample_weight"):
        MLPClassifier(max_iter=5, random_state=0).fit(X, y, sample_weight=y.astype(float))
    # partial_fit may see one class per call: weights leaving one class are then fine
    clf = MLPClassifier(random_state=0)
    clf.partial_fit(X, y, sample_weight=y.astype(float), classes=[0, 1])
    assert clf.n_iter_ == 1


def test_partial_fit_and_early_stopping_take_weights():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] + 0.3 * rng.normal(size=60) > 0).astype(int)
    w = rng.uniform(0.5, 2.0, size=60)
    clf = MLPClassifier((4,), random_state=0)
    before = clf.partial_fit(X, y, classes=[0, 1]).coefs_[0].copy()
    clf.partial_fit(X, y, sample_weight=w)
    assert not np.array_equal(before, clf.coefs_[0])
    # weights of ones through the early-stopping split: the same split, the same fit
    settings = {"hidden_layer_sizes": (4,), "early_stopping": True, "max_iter": 30,
                "random_state": 0}
    plain = MLPClassifier(**settings).fit(X, y)
    ones = MLPClassifier(**settings).fit(X, y, sample_weight=np.ones(60))
    assert ones.validation_scores_ == plain.validation_scores_
    np.testing.assert_array_equal(ones.coefs_[0], plain.coefs_[0])
    weighted = MLPClassifier(**settings).fit(X, y, sample_weight=w)
    assert weighted.validation_scores_ != plain.validation_scores_


def test_the_caller_keeps_its_weights():
    X, y = np.random.default_rng(2).normal(size=(12, 2)), np.arange(12) % 2
    w = np.linspace(0.5, 2.0, 12)
    copy = w.copy()
    MLPClassifier((3,), max_iter=3, early_stopping=True, random_state=0).fit(X, y, w)
    np.testing.assert_array_equal(w, copy)
