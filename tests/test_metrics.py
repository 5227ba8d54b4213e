"""glassnet.metrics against scikit-learn's, a hand-worked case, and bad input."""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given, settings
from hypothesis import strategies as st

from glassnet import metrics


@st.composite
def label_pairs(draw):
    n = draw(st.integers(1, 40))
    k = draw(st.integers(2, 5))
    labels = st.lists(st.integers(0, k - 1), min_size=n, max_size=n)
    return np.array(draw(labels)), np.array(draw(labels))


@pytest.mark.filterwarnings("ignore:A single label was found")  # scikit-learn's, not ours
@settings(max_examples=50, deadline=None)
@given(pair=label_pairs())
def test_classification_metrics_match_scikit_learn(pair):
    y_true, y_pred = pair
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(skm.accuracy_score(y_true, y_pred))
    for ours, theirs in ((metrics.precision, skm.precision_score),
                         (metrics.recall, skm.recall_score), (metrics.f1, skm.f1_score)):
        expected = theirs(y_true, y_pred, average="macro", zero_division=0)
        assert ours(y_true, y_pred) == pytest.approx(expected, abs=1e-12)
        per_class = theirs(y_true, y_pred, average=None, zero_division=0)
        np.testing.assert_allclose(ours(y_true, y_pred, average=None), per_class, atol=1e-12)
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred),
                                  skm.confusion_matrix(y_true, y_pred))


@st.composite
def value_pairs(draw):
    n, k = draw(st.integers(1, 30)), draw(st.integers(1, 3))
    values = st.floats(-100, 100, allow_nan=False, allow_infinity=False)
    grid = st.lists(st.lists(values, min_size=k, max_size=k), min_size=n, max_size=n)
    return np.array(draw(grid)), np.array(draw(grid))


@settings(max_examples=50, deadline=None)
@given(pair=value_pairs())
def test_regression_metrics_match_scikit_learn(pair):
    y_true, y_pred = pair
    assert metrics.mae(y_true, y_pred) == pytest.approx(
        skm.mean_absolute_error(y_true, y_pred), rel=1e-9, abs=1e-12)
    assert metrics.rmse(y_true, y_pred) == pytest.approx(
        np.sqrt(skm.mean_squared_error(y_true, y_pred)), rel=1e-9, abs=1e-12)
    if len(y_true) >= 2:  # scikit-learn leaves R² undefined for a single sample
        assert metrics.r2(y_true, y_pred) == pytest.approx(
            skm.r2_score(y_true, y_pred), rel=1e-7, abs=1e-9)


def test_hand_worked_three_class_example():
    y_true = [0, 0, 1, 1, 2]
    y_pred = [0, 1, 1, 1, 0]
    # rows true, columns predicted: class 0 → (0, 1); class 1 → (1, 1); class 2 → (0)
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred),
                                  [[1, 1, 0], [0, 2, 0], [1, 0, 0]])
    assert metrics.accuracy(y_true, y_pred) == 3 / 5
    # precision per class: TP / predicted = 1/2, 2/3, 0/0 → 0
    assert metrics.precision(y_true, y_pred) == pytest.approx((1 / 2 + 2 / 3 + 0) / 3)
    # recall per class: TP / actual = 1/2, 2/2, 0/1
    assert metrics.recall(y_true, y_pred) == pytest.approx((1 / 2 + 1 + 0) / 3)
    # F1 = 2TP / (predicted + actual): 2/4, 4/5, 0/1
    assert metrics.f1(y_true, y_pred) == pytest.approx((2 / 4 + 4 / 5 + 0) / 3)


def test_one_hot_and_probability_rows_count_as_their_argmax():
    probabilities = np.array([[0.7, 0.3], [0.2, 0.8], [0.9, 0.1]])
    assert metrics.accuracy(np.eye(2)[[0, 1, 1]], probabilities) == 2 / 3


def test_r2_of_a_constant_target_is_one_when_exact_and_zero_otherwise():
    assert metrics.r2([3.0, 3.0], [3.0, 3.0]) == 1.0
    assert metrics.r2([3.0, 3.0], [3.0, 4.0]) == 0.0


def test_a_negative_label_is_not_counted_as_a_class():
    # before the check, -1 became a class of its own (sorted first): [[0, 1], [0, 1]]
    with pytest.raises(ValueError, match="got -1"):
        metrics.confusion_matrix([-1, 0], [0, 0])
    np.testing.assert_array_equal(metrics.confusion_matrix([1, 0], [0, 0]), [[1, 0], [1, 0]])


def test_confusion_matrix_with_n_classes_counts_absent_classes():
    np.testing.assert_array_equal(metrics.confusion_matrix([0, 0], [0, 0], n_classes=3),
                                  [[2, 0, 0], [0, 0, 0], [0, 0, 0]])


@pytest.mark.parametrize("call, error, pattern", [
    (lambda: metrics.accuracy([0, 1], [0]), ValueError, "same length, got 2 and 1"),
    (lambda: metrics.accuracy([], []), ValueError, "at least one sample"),
    (lambda: metrics.accuracy([0.5, 1], [0, 1]), ValueError, "integer class labels"),
    (lambda: metrics.accuracy(["a"], ["a"]), TypeError, "numeric y_true"),
    (lambda: metrics.mae([1.0, np.nan], [1, 2]), ValueError, "finite y_true"),
    (lambda: metrics.rmse(np.zeros((2, 2)), np.zeros((2, 3))), ValueError, "same shape"),
    (lambda: metrics.f1([0, 1], [0, 1], average="micro"), ValueError, "'macro' or None"),
    (lambda: metrics.get_metric("auc"), ValueError, "unknown metric 'auc'"),
    (lambda: metrics.confusion_matrix([-1, 0], [0, 0]), ValueError,
     "confusion_matrix expected class labels >= 0 in y_true, got -1"),
    (lambda: metrics.accuracy([0, 1], [0, -2.0]), ValueError,
     "accuracy expected class labels >= 0 in y_pred, got -2"),
    (lambda: metrics.precision([-1, 1], [0, 1]), ValueError, "precision expected .* >= 0"),
    (lambda: metrics.recall([0, 1], [-1, 1]), ValueError, "recall expected class labels >= 0"),
    (lambda: metrics.f1([0, -1], [0, 1]), ValueError, "f1 expected class labels >= 0"),
    (lambda: metrics.f1([0, 1], [0, 1.5]), ValueError, "f1 expected integer class labels"),
    (lambda: metrics.accuracy([0, 1e19], [0, 1]), ValueError,
     r"below 2\*\*63 in y_true, got 1e\+19"),
    (lambda: metrics.confusion_matrix([0, 3], [0, 1], n_classes=3), ValueError,
     r"expected class labels in 0..2 for n_classes=3, got a label of 3"),
    (lambda: metrics.confusion_matrix([0, 1], [0, 1], n_classes=0), ValueError,
     "confusion_matrix expected n_classes to be a positive integer, got 0"),
])
def test_metrics_refuse_bad_labels_lengths_and_settings_in_one_sentence(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


@pytest.mark.parametrize("name", ["mae", "rmse", "r2"])
def test_regression_metrics_refuse_empty_arrays_in_one_sentence(name):
    with pytest.raises(ValueError, match=f"{name} expected at least one value in y_true, got none"):
        getattr(metrics, name)([], [])
