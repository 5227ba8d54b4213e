"""glassnet.sklearn in use: the training loop by hand, the stopping rules, and the ecosystem."""

import numpy as np
import pytest
from sklearn.datasets import load_iris, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import glassnet as gn
from glassnet.sklearn import MLPClassifier, MLPRegressor

pytestmark = pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def small_regression(n=20, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, np.sin(X[:, 0]) + 0.5 * X[:, 1]


def test_one_epoch_is_the_lecture_step_plus_the_l2_penalty():
    X, y = small_regression()
    n, alpha, lr = len(X), 0.1, 0.05
    reg = MLPRegressor(hidden_layer_sizes=(4,), activation="tanh", solver="sgd", momentum=0.0,
                       alpha=alpha, batch_size=n, shuffle=False, learning_rate_init=lr,
                       max_iter=1, random_state=0)
    reg.fit(X, y)
    # the same start by hand, as scikit-learn draws it: RandomState(0), layer by layer W then
    # b, uniform on ±√(6 / (n_in + n_out))
    rs = np.random.RandomState(0)
    layers = []
    for n_in, n_out, act in ((3, 4, "tanh"), (4, 1, "identity")):
        bound = np.sqrt(6 / (n_in + n_out))
        W, b = rs.uniform(-bound, bound, (n_in, n_out)), rs.uniform(-bound, bound, n_out)
        layers.append(gn.Dense(n_in, n_out, act, init={"W": W, "b": b}))
    net = gn.Network(layers, loss="squared_error")
    loss = net.loss(net.forward(X), y)
    loss.backward()
    penalty = 0.0
    for layer in net.layers:
        penalty += 0.5 * alpha * np.sum(layer.W.value ** 2) / n   # (α / 2n) ‖W‖²
        layer.W.grad += alpha / n * layer.W.value                 # (α / n) W; biases free
    gn.SGD(net.parameters(), lr=lr).step()
    assert reg.loss_curve_ == [pytest.approx(float(loss) + penalty, rel=1e-14)]
    for mine, theirs in zip(reg.coefs_ + reg.intercepts_,
                            [la.W.value for la in net.layers] + [la.b.value for la in net.layers]):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=1e-15)


def test_mse_loss_is_twice_squared_error_for_one_target():
    X, y = small_regression()
    curves = [MLPRegressor(loss, hidden_layer_sizes=(3,), max_iter=1, batch_size=len(X), alpha=0.0,
                           random_state=1).fit(X, y).loss_curve_[0]
              for loss in ("squared_error", "mse")]
    # same start, same first forward: mean (y − ŷ)² = 2 · ½ mean (y − ŷ)²
    assert curves[1] == pytest.approx(2 * curves[0], rel=1e-14)


def test_training_stops_after_more_than_n_iter_no_change_flat_epochs():
    X, y = small_regression()
    reg = MLPRegressor(hidden_layer_sizes=(3,), tol=1e9, n_iter_no_change=3, max_iter=100,
                       random_state=0)
    reg.fit(X, y)
    # epoch 1 improves on best_loss_ = inf; epochs 2, 3, 4, 5 count 1..4 flat; 4 > 3 stops
    assert reg.n_iter_ == 5 and len(reg.loss_curve_) == 5
    assert reg.best_loss_ == min(reg.loss_curve_)


def test_adaptive_learning_rate_divides_by_five_until_below_1e_6():
    X, y = small_regression()
    reg = MLPRegressor(hidden_layer_sizes=(3,), solver="sgd", learning_rate="adaptive",
                       learning_rate_init=0.1, tol=1e9, n_iter_no_change=2, max_iter=100,
                       random_state=0)
    reg.fit(X, y)
    # 0.1 / 5^7 = 1.28e-6 > 1e-6 is divided once more; 0.1 / 5^8 = 2.56e-7 then stops.
    # epoch 1 improves; then 9 rounds of 3 flat epochs (8 divisions + the stop): 1 + 27
    assert reg.n_iter_ == 28
    assert reg._optimizer.lr == pytest.approx(0.1 / 5**8, rel=1e-12)


def test_invscaling_learning_rate_follows_samples_seen():
    X, y = small_regression(n=20)
    reg = MLPRegressor(hidden_layer_sizes=(3,), solver="sgd", learning_rate="invscaling",
                       learning_rate_init=0.1, power_t=0.5, max_iter=2, random_state=0).fit(X, y)
    assert reg.t_ == 40
    assert reg._optimizer.lr == pytest.approx(0.1 / 41**0.5, rel=1e-12)   # lr₀ / (t + 1)^p


def test_early_stopping_keeps_validation_scores_and_stops_early(iris):
    X, y = iris
    clf = MLPClassifier((8,), early_stopping=True, n_iter_no_change=3, learning_rate_init=0.05,
                        max_iter=500, random_state=0).fit(X, y)
    assert clf.best_loss_ is None and len(clf.validation_scores_) == clf.n_iter_ < 500
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert max(clf.validation_scores_[-4:]) < clf.best_validation_score_ + clf.tol


def test_attributes_in_scikit_learns_layout(iris):
    X, y = iris
    clf = MLPClassifier((16, 5), max_iter=20, random_state=0).fit(X, y)
    assert [W.shape for W in clf.coefs_] == [(4, 16), (16, 5), (5, 3)]
    assert [b.shape for b in clf.intercepts_] == [(16,), (5,), (3,)]
    assert (clf.n_layers_, clf.n_outputs_, clf.out_activation_) == (4, 3, "softmax")
    assert clf.coefs_[0] is clf.network_.layers[0].W.value
    assert len(clf.loss_curve_) == clf.n_iter_ == 20 and clf.loss_ == clf.loss_curve_[-1]
    assert clf.n_features_in_ == 4 and list(clf.classes_) == [0, 1, 2]
    assert repr(clf.network_) == ("Network(Dense(4 → 16, relu), Dense(16 → 5, relu), "
                                  "Dense(5 → 3, softmax); loss=cross_entropy)")


def test_same_random_state_same_fit_and_other_random_states_differ(iris):
    X, y = iris
    fits = [MLPClassifier((5,), max_iter=5, random_state=s).fit(X, y).coefs_[0]
            for s in (3, 3, 4)]
    np.testing.assert_array_equal(fits[0], fits[1])
    assert not np.allclose(fits[0], fits[2])
    from_legacy = [MLPClassifier((5,), max_iter=2, random_state=np.random.RandomState(0))
                   .fit(X, y).coefs_[0] for _ in range(2)]
    np.testing.assert_array_equal(*from_legacy)  # a RandomState seeds the same fit too


def test_drop_in_for_scikit_learns_classifier(iris):
    X, y = iris
    settings = dict(hidden_layer_sizes=(16,), max_iter=1000, random_state=0)
    ours = MLPClassifier(**settings).fit(X, y).score(X, y)
    theirs = SklearnMLPClassifier(**settings).fit(X, y).score(X, y)
    # measured: 0.967 (glassnet) and 0.973 (scikit-learn); the starts differ, the fits agree
    assert ours > 0.95 and theirs > 0.95 and abs(ours - theirs) <= 0.03


def test_works_in_a_pipeline_grid_search_and_cross_validation():
    X, y = load_iris(return_X_y=True)
    pipe = make_pipeline(StandardScaler(), MLPClassifier((8,), max_iter=200, random_state=0,
                                                         learning_rate_init=0.01))
    assert cross_val_score(pipe, X, y, cv=3).mean() > 0.85
    grid = GridSearchCV(pipe, {"mlpclassifier__alpha": [1e-4, 1e-1],
                               "mlpclassifier__hidden_layer_sizes": [(4,), (8,)]}, cv=3)
    grid.fit(X, y)
    assert grid.best_score_ > 0.85 and len(grid.cv_results_["params"]) == 4


def test_partial_fit_needs_classes_first_and_then_learns(iris):
    X, y = iris
    clf = MLPClassifier((8,), learning_rate_init=0.01, random_state=0)
    with pytest.raises(ValueError, match="expected classes .* on its first call"):
        clf.partial_fit(X, y)
    clf.partial_fit(X[y < 2], y[y < 2], classes=[0, 1, 2])   # a batch need not hold every class
    for _ in range(30):
        clf.partial_fit(X, y)
    # as scikit-learn: n_iter_ counts the epochs of the last call, t_ every sample seen
    assert clf.n_iter_ == 1 and clf.t_ == 100 + 30 * 150 and len(clf.loss_curve_) == 31
    assert clf.loss_curve_[-1] < 0.5 * clf.loss_curve_[1]
    with pytest.raises(ValueError, match="y has the new labels \\[7\\]"):
        clf.partial_fit(X[:2], [0, 7])


def test_warm_start_continues_where_fit_stopped():
    X, y = small_regression()
    reg = MLPRegressor(hidden_layer_sizes=(4,), max_iter=3, warm_start=True, random_state=0)
    reg.fit(X, y)
    first = reg.coefs_[0].copy()
    reg.fit(X, y)
    # as scikit-learn: n_iter_ restarts at each fit, loss_curve_ and t_ go on
    assert reg.n_iter_ == 3 and len(reg.loss_curve_) == 6 and reg.t_ == 6 * len(X)
    assert not np.array_equal(first, reg.coefs_[0])


def test_string_labels_multilabel_targets_and_multioutput_regression_fit():
    X, Y = make_multilabel_classification(n_samples=60, n_classes=3, random_state=0)
    clf = MLPClassifier((10,), max_iter=50, random_state=0).fit(X, Y)
    assert clf.predict(X).shape == (60, 3) and set(np.unique(clf.predict(X))) <= {0, 1}
    assert clf.out_activation_ == "logistic" and clf.network_.loss_fn.name == "binary_cross_entropy"
    labels = np.where(Y[:, 0] == 1, "spam", "ham")
    binary = MLPClassifier((4,), max_iter=20, random_state=0).fit(X, labels)
    assert list(binary.classes_) == ["ham", "spam"] and binary.predict_proba(X).shape == (60, 2)
    np.testing.assert_allclose(binary.predict_proba(X).sum(axis=1), 1.0, atol=1e-15)
    reg = MLPRegressor(hidden_layer_sizes=(4,), max_iter=5, random_state=0).fit(X, Y * 1.5)
    assert reg.predict(X).shape == (60, 3)


def test_feature_names_are_kept_and_checked():
    pd = pytest.importorskip("pandas")
    X, y = small_regression()
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    reg = MLPRegressor(hidden_layer_sizes=(3,), max_iter=2, random_state=0).fit(frame, y)
    assert list(reg.feature_names_in_) == ["a", "b", "c"]
    with pytest.raises(ValueError, match="feature names should match"):
        reg.predict(frame.rename(columns={"a": "z"}))


def test_verbose_prints_each_epoch_and_max_iter_warns(capsys):
    X, y = small_regression()
    with pytest.warns(ConvergenceWarning, match="stopped after max_iter=2 epochs"):
        MLPRegressor(hidden_layer_sizes=(3,), max_iter=2, verbose=True, random_state=0).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("Iteration 2, loss = ")


def test_the_trained_network_goes_to_torch(iris):
    torch = pytest.importorskip("torch")
    from glassnet.interop import to_torch

    X, y = iris
    clf = MLPClassifier((6,), max_iter=10, random_state=0).fit(X, y)
    model = to_torch(clf.network_)
    np.testing.assert_allclose(model(torch.from_numpy(X)).detach().numpy(),
                               clf.predict_proba(X), rtol=0, atol=1e-12)


@pytest.mark.parametrize("setting, message", [
    ({"hidden_layer_sizes": (0,)}, "hidden_layer_sizes to be positive integers"),
    ({"activation": "swish"}, "activation to be one of 'identity', 'logistic'"),
    ({"solver": "newton"}, "solver to be one of 'adam', 'sgd', 'lbfgs', got 'newton'"),
    ({"max_fun": 0}, "max_fun >= 1, got 0"),
    ({"loss": "poisson"}, "got 'poisson' \\(scikit-learn's 'poisson' is not in glassnet\\)"),
    ({"batch_size": 0}, "batch_size to be a positive int or 'auto', got 0"),
    ({"learning_rate_init": 0.0}, "learning_rate_init > 0, got 0.0"),
    ({"max_iter": 0}, "max_iter >= 1, got 0"),
    ({"momentum": 1.5}, "momentum in \\[0, 1\\], got 1.5"),
    ({"beta_1": 1.0}, "beta_1 < 1, got 1.0"),
    ({"validation_fraction": 0.0}, "validation_fraction > 0, got 0.0"),
    ({"random_state": "seven"}, "random_state to be None, an int"),
    ({"loss": "huber"}, "loss 'squared_error' or 'mse', got 'huber'"),
])
def test_bad_settings_are_named_when_fitting(setting, message):
    X, y = small_regression()
    reg = MLPRegressor(**setting)           # scikit-learn's rule: __init__ never validates
    with pytest.raises(ValueError, match=message):
        reg.fit(X, y)


@pytest.mark.parametrize("solver, settings, tolerance", [
    ("sgd", {"momentum": 0.9, "nesterovs_momentum": True}, 1e-13),
    ("sgd", {"momentum": 0.9, "nesterovs_momentum": False}, 1e-13),
    # scikit-learn's Adam adds ε to √v before the bias correction (PyTorch's after); the
    # estimators step with scikit-learn's rule (interop/sklearn/optimizers.py), so only
    # rounding is left
    ("adam", {}, 1e-13),
])
def test_same_start_same_numbers_as_scikit_learn(solver, settings, tolerance):
    from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor

    X, y = small_regression(n=20)
    rng = np.random.default_rng(7)
    W1, b1, W2, b2 = (rng.normal(size=s) for s in [(3, 5), (5,), (5, 1), (1,)])
    common = dict(hidden_layer_sizes=(5,), activation="tanh", solver=solver, alpha=0.01,
                  batch_size=8, shuffle=False, learning_rate_init=0.05, max_iter=1,
                  warm_start=True, random_state=0, **settings)
    ours, theirs = MLPRegressor(**common).fit(X, y), SklearnMLPRegressor(**common).fit(X, y)
    ours.network_.load_state_dict({"W[1]": W1, "b[1]": b1, "W[2]": W2, "b[2]": b2})
    theirs.coefs_, theirs.intercepts_ = [W1.copy(), W2.copy()], [b1.copy(), b2.copy()]
    for model in (ours, theirs):      # 3 epochs of batches 8, 8, 4 from the same start
        model.set_params(max_iter=3).fit(X, y)
    np.testing.assert_allclose(ours.loss_curve_[1:], theirs.loss_curve_[1:], rtol=tolerance)
    for mine, sklearns in zip(ours.coefs_ + ours.intercepts_,
                              theirs.coefs_ + theirs.intercepts_):
        np.testing.assert_allclose(mine, sklearns, rtol=0, atol=tolerance)


def test_a_diverging_fit_is_a_value_error_naming_the_learning_rate():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 3)) * 100          # unscaled inputs and a huge learning rate
    reg = MLPRegressor(solver="sgd", learning_rate_init=10.0, random_state=0)
    with pytest.raises(ValueError, match="could not fit: training diverged .* smaller learning"):
        reg.fit(X, X[:, 0] * 1e3)
    assert all(np.isfinite(W).all() for W in reg.coefs_)   # the last finite weights are kept


def test_sample_weight_of_ones_is_the_unweighted_fit_and_bad_weights_are_refused():
    X, y = small_regression()
    settings = dict(hidden_layer_sizes=(3,), max_iter=3, random_state=0)
    plain = MLPRegressor(**settings).fit(X, y)
    ones = MLPRegressor(**settings).fit(X, y, sample_weight=np.ones(len(X)))
    # a share of N·1/N = 1.0 exactly: the weighted gradients are the plain ones, bit for bit
    np.testing.assert_array_equal(plain.coefs_[0], ones.coefs_[0])
    with pytest.raises(ValueError, match="sample_weight >= 0, got a weight of -1"):
        MLPRegressor(**settings).fit(X, y, sample_weight=np.r_[-1.0, np.ones(len(X) - 1)])
    with pytest.raises(ValueError, match="sample_weight all zero"):
        MLPRegressor(**settings).fit(X, y, sample_weight=np.zeros(len(X)))
    with pytest.raises(ValueError, match="sample_weight of shape \\(20,\\), one per sample"):
        MLPRegressor(**settings).fit(X, y, sample_weight=np.ones(3))
