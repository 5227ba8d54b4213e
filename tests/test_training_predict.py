"""predict, predict_proba and evaluate: what the loss says the outputs mean."""

import numpy as np
import pytest
import sklearn.metrics as skm

import glassnet as gn
from glassnet import datasets

X3 = np.array([[0.0, 1.0], [2.0, -1.0], [0.5, 0.5], [-1.0, -2.0]])


def test_multiclass_predicts_the_most_probable_class():
    net = gn.Network([gn.Dense(2, 3, "softmax")], loss="cross_entropy", seed=0)
    proba = net.predict_proba(X3)
    assert proba.shape == (4, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(net.predict(X3), proba.argmax(axis=1))
    proba[:] = 0  # a copy: the network's cached output is untouched
    assert net.y_hat.sum() == pytest.approx(4.0)


def test_binary_probabilities_have_one_column_per_class():
    net = gn.Network([gn.Dense(2, 1, "sigmoid", init={"W": [[1.0], [1.0]], "b": [-1.0]})],
                     loss="binary_cross_entropy")
    p = 1 / (1 + np.exp(-(X3.sum(axis=1) - 1)))  # σ(x1 + x2 − 1): 0.5, 0.5, 0.5, 0.018
    np.testing.assert_allclose(net.predict_proba(X3), np.column_stack([1 - p, p]))
    assert net.predict(X3).tolist() == [1, 1, 1, 0]  # ŷ ≥ 0.5 counts as class 1


def test_regression_predicts_values_and_has_no_probabilities():
    net = gn.Network([gn.Dense(2, 1, init={"W": [[2.0], [3.0]], "b": [1.0]})], loss="mse")
    np.testing.assert_array_equal(net.predict(X3), [4.0, 2.0, 3.5, -7.0])  # 2x1 + 3x2 + 1
    with pytest.raises(TypeError, match="regression network; use predict"):
        net.predict_proba(X3)
    two = gn.Network([gn.Dense(2, 2)], loss="mse", seed=0)
    assert two.predict(X3).shape == (4, 2)


def test_evaluate_gives_the_loss_and_metrics_scikit_learn_agrees_with():
    data = datasets.iris()
    X = datasets.Standardizer().fit_transform(data.X)
    net = gn.Network([gn.Dense(4, 3, "softmax")], loss="cross_entropy", seed=0)
    net.fit(X, data.y, epochs=3, batch_size=16, seed=0, progress=False)
    result = net.evaluate(X, data.y, metrics=["accuracy", "f1", "confusion_matrix"])
    predicted = net.predict(X)
    assert result["loss"] == pytest.approx(net.loss_fn(net.predict_proba(X), data.y))
    assert result["accuracy"] == pytest.approx(skm.accuracy_score(data.y, predicted))
    assert result["f1"] == pytest.approx(skm.f1_score(data.y, predicted, average="macro"))
    np.testing.assert_array_equal(result["confusion_matrix"],
                                  skm.confusion_matrix(data.y, predicted))
    assert set(net.evaluate(X, data.y)) == {"loss", "accuracy"}  # the default for classifiers


def test_regression_evaluate_defaults_to_rmse_and_refuses_accuracy():
    net = gn.Network([gn.Dense(2, 1, init={"W": [[1.0], [0.0]], "b": [0.0]})], loss="mse")
    y = np.array([0.0, 2.0, 0.5, -3.0])  # predictions x1 = 0, 2, 0.5, −1: one error of 2
    result = net.evaluate(X3, y)
    assert result == {"loss": pytest.approx(1.0), "rmse": pytest.approx(1.0)}  # √(4 / 4)
    with pytest.raises(ValueError, match="'accuracy' needs a classifier"):
        net.evaluate(X3, y, metrics=["accuracy"])
    with pytest.raises(ValueError, match="expected 4 targets, one per row of X, got 3"):
        net.evaluate(X3, y[:3])


def test_value_metrics_are_refused_for_a_multiclass_network_before_training():
    net = gn.Network([gn.Dense(2, 3, "softmax")], loss="cross_entropy", seed=0)
    with pytest.raises(ValueError, match="metric 'r2' compares values, but .* predicts one of "
                                         "several classes"):
        net.fit(X3, np.array([0, 1, 2, 1]), epochs=1, batch_size=2, metrics=["r2"],
                progress=False)
    assert net.layers[0].W.grad is None  # refused before the first batch


def test_fit_records_metrics_for_training_and_validation():
    X, y = datasets.moons(60, seed=0)
    net = gn.Network([gn.Dense(2, 8, "tanh"), gn.Dense(8, 2, "softmax")],
                     loss="cross_entropy", seed=0)
    history = net.fit(X, y, epochs=2, batch_size=10, seed=0, validation_data=(X[:20], y[:20]),
                      metrics=["accuracy", "f1"], progress=False)
    assert set(history.history) == {"loss", "accuracy", "f1", "val_loss", "val_accuracy",
                                    "val_f1"}
    # computed at the end of the epoch with the final weights, on the whole split
    assert history["val_accuracy"][-1] == net.evaluate(X[:20], y[:20])["accuracy"]
    assert history["accuracy"][-1] == net.evaluate(X, y)["accuracy"]
