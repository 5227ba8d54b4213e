"""glassnet.datasets: loaders, the loan rule, CSV and DataFrame input, splitting, scaling."""

import random

import numpy as np
import pandas as pd
import pytest

import glassnet as gn
from glassnet import datasets


@pytest.mark.parametrize("loader, shape, n_classes", [
    (datasets.xor, (4, 2), 2),
    (lambda: datasets.moons(50, seed=0), (50, 2), 2),
    (lambda: datasets.circles(51, seed=0), (51, 2), 2),
    (lambda: datasets.spiral(90, n_classes=3, seed=0), (90, 2), 3),
    (lambda: datasets.gaussians(40, n_classes=4, seed=0), (40, 2), 4),
    (lambda: datasets.loan(120, seed=0), (120, 3), 2),
    (datasets.digits, (1797, 64), 10),
    (datasets.breast_cancer, (569, 30), 2),
    (datasets.iris, (150, 4), 3),
    (datasets.wine, (178, 13), 3),
])
def test_loaders_return_arrays_names_and_a_description(loader, shape, n_classes):
    data = loader()
    assert data.X.shape == shape and data.X.dtype == np.float64
    assert data.y.shape == (shape[0],) and data.y.dtype == np.int64
    assert sorted(set(data.y.tolist())) == list(range(n_classes))
    assert len(data.feature_names) == shape[1] and data.n_classes == n_classes
    assert len(data.description) > 20
    X, y = data  # unpacks like a pair
    assert X is data.X and y is data.y


def test_toy_generators_are_seeded_and_balanced():
    a, b, c = (datasets.spiral(60, seed=s) for s in (1, 1, 2))
    assert a.X.tobytes() == b.X.tobytes() and a.X.tobytes() != c.X.tobytes()
    assert np.bincount(a.y).tolist() == [20, 20, 20]
    assert np.bincount(datasets.moons(7, seed=0).y).tolist() == [3, 4]


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = datasets.moons(40, noise=0.0, seed=0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)                    # (cos t, sin t)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)


def test_loan_labels_follow_the_documented_rule_when_noise_is_zero():
    data = datasets.loan(300, noise=0.0, seed=3)
    income, credit, debt = data.X.T
    z = 0.08 * income + 0.03 * credit - 0.15 * debt - 22  # LOAN_RULE, written out
    np.testing.assert_array_equal(data.y, (z > 0).astype(int))
    assert data.extra["rule"] == datasets.LOAN_RULE


def test_a_single_neuron_learns_the_loan_officers_feature_importance():
    data = datasets.loan(2000, noise=1.0, seed=0)
    scaler = datasets.Standardizer().fit(data.X)
    net = gn.Network([gn.Dense(3, 1, "sigmoid", init="zeros")], loss="bce")
    net.fit(scaler.transform(data.X), data.y, epochs=60, batch_size=64, lr=0.05, seed=0,
            progress=False)
    learned = net.layers[0].W.value[:, 0]
    # with standardised inputs, weight i estimates rule_i · std_i (noise scale 1)
    truth = np.array([0.08, 0.03, -0.15]) * scaler.scale_
    assert np.all(np.sign(learned) == np.sign(truth))
    np.testing.assert_allclose(learned, truth, rtol=0.25)


def test_mnist1d_is_generated_with_the_package_defaults_and_keeps_global_state(monkeypatch):
    import mnist1d.data

    from glassnet.datasets import real

    calls = []
    make_dataset = mnist1d.data.make_dataset

    def spy(args=None, template=None):
        calls.append(dict(vars(args)))
        return make_dataset(args, template)

    monkeypatch.setattr(mnist1d.data, "make_dataset", spy)
    real._mnist1d_arrays.cache_clear()  # generate once here, through the spy
    np.random.seed(123)
    random.seed(123)
    expected = np.random.random(), random.random()
    np.random.seed(123)
    random.seed(123)
    data = datasets.mnist1d()
    assert (np.random.random(), random.random()) == expected  # make_dataset reseeds both
    assert calls == [mnist1d.data.get_dataset_args(as_dict=True)]  # defaults: seed 42, …
    assert data.X.shape == (4000, 40) and data.X_test.shape == (1000, 40)
    assert data.y.shape == (4000,) and data.y_test.shape == (1000,)
    assert sorted(set(data.y_test.tolist())) == list(range(10))
    data.X[0, 0] = 99.0  # the caller's copy; the cached arrays stay as generated
    assert datasets.mnist1d().X[0, 0] != 99.0


# ---- CSV and DataFrames --------------------------------------------------------------------


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_csv_with_a_categorical_target_is_labels_or_one_hot_when_asked(tmp_path):
    path = write(tmp_path, "height,weight,species\n1.5,3,dog\n0.3,4,cat\n\n1.7,5.5,dog\n")
    data = datasets.load_csv(path, target="species")
    np.testing.assert_array_equal(data.X, [[1.5, 3], [0.3, 4], [1.7, 5.5]])
    assert data.target_names == ["cat", "dog"] and data.feature_names == ["height", "weight"]
    assert data.y.dtype == np.int64 and data.y.tolist() == [1, 0, 1]  # cat = 0, dog = 1
    np.testing.assert_array_equal(datasets.load_csv(path, "species", one_hot=True).y,
                                  [[0, 1], [1, 0], [0, 1]])


def identifier_csv(tmp_path, n, n_classes):
    """``n`` rows of a feature and a word target cycling through ``n_classes`` names."""
    rows = "".join(f"{i % 7},id{i % n_classes:05d}\n" for i in range(n))
    return write(tmp_path, "x,t\n" + rows)


def test_a_target_with_more_classes_than_half_its_rows_is_an_identifier(tmp_path):
    # 20,000 distinct names would be a 20,000 × 20,000 float64 one-hot array: 3.2 GB
    path = identifier_csv(tmp_path, 20_000, 20_000)
    with pytest.raises(ValueError) as error:
        datasets.load_csv(path, target="t")
    assert str(error.value) == ("column 't' has 20000 distinct values in 20000 rows: it looks "
                                "like an identifier, not a class")
    with pytest.raises(ValueError, match="21 distinct values in 40 rows: it looks like an "):
        datasets.load_csv(identifier_csv(tmp_path, 40, 21), target="t", one_hot=True)


def test_half_as_many_classes_as_rows_or_a_handful_are_still_classes(tmp_path):
    data = datasets.load_csv(identifier_csv(tmp_path, 100, 50), target="t")
    assert data.n_classes == 50 and data.y.shape == (100,)       # labels, not (100, 50)
    assert data.y[:3].tolist() == [0, 1, 2] and data.y[50] == 0  # id00000 again at row 50
    assert datasets.load_csv(identifier_csv(tmp_path, 30, 20), target="t").n_classes == 20


def test_a_numeric_target_with_every_value_distinct_is_regression(tmp_path):
    path = write(tmp_path, "x,price\n" + "".join(f"{i},{1000 + i}\n" for i in range(500)))
    data = datasets.load_csv(path, target="price")
    assert data.task == "regression" and data.y.shape == (500,) and data.y[-1] == 1499.0
    with pytest.raises(ValueError, match="column 'price' has 500 distinct values in 500 rows"):
        datasets.load_csv(path, target="price", categorical=True)


def test_csv_with_a_numeric_target_is_regression_unless_told_categorical(tmp_path):
    path = write(tmp_path, "x,y\n1,10\n2,2\n3,10\n")
    data = datasets.load_csv(path, target=-1)
    assert data.task == "regression" and data.y.tolist() == [10.0, 2.0, 10.0]
    labels = datasets.load_csv(path, target="y", categorical=True, one_hot=False)
    assert labels.target_names == ["2", "10"] and labels.y.tolist() == [1, 0, 1]


@pytest.mark.parametrize("text, target, pattern", [
    ("a,b,t\n1,2,x\n1,oops,y\n", "t", r"line 3, column 'b': 'oops' is not a number"),
    ("a,b,t\n1,2,x\n1,,y\n", "t", r"line 3, column 'b': the cell is empty"),
    ("a,b,t\n1,nan,x\n", "t", r"line 2, column 'b': 'nan' is not finite"),
    ("a,b,t\n1,2,x\n1,2\n", "t", r"line 3 has 2 columns, expected 3"),
    ("a,b,t\n1,2,x\n", "price", r"no column 'price'; its columns are a, b, t"),
    ("", "t", r"is empty; expected a header row"),
    ("a,b,t\n", "t", r"has a header but no data rows"),
    ("a,t\n1,\n", "t", r"line 2, column 't': the target cell is empty"),
    ("a,t,t\n1,2,3\n", "t", r"names two columns 't' \(columns 2 and 3\); expected each name once"),
    ("a,a,t\n1,2,3\n", "t", r"names two columns 'a' \(columns 1 and 2\)"),
    (",a,t\n0,2,3\n", "t", r"has no name for column 1; expected a name in every header cell"),
])
def test_csv_problems_name_the_line_and_column(tmp_path, text, target, pattern):
    with pytest.raises(ValueError, match=pattern):
        datasets.load_csv(write(tmp_path, text), target=target)


def test_a_folder_instead_of_a_csv_file_is_named(tmp_path):
    with pytest.raises(ValueError, match="is a folder; expected a CSV file"):
        datasets.load_csv(tmp_path, target="t")


def test_dataframes_load_like_csv_and_name_the_row_of_a_bad_cell():
    frame = pd.DataFrame({"x1": [1.0, 2.0, 3.0], "x2": [4, 5, 6], "label": ["b", "a", "b"]},
                         index=["r1", "r2", "r3"])
    data = datasets.load_csv(frame, target="label", one_hot=False)
    assert data.X.tolist() == [[1, 4], [2, 5], [3, 6]] and data.y.tolist() == [1, 0, 1]
    frame.loc["r2", "x1"] = np.nan
    with pytest.raises(ValueError, match="DataFrame row 'r2', column 'x1': the cell is empty"):
        datasets.load_csv(frame, target="label")


def test_a_network_trains_on_a_csv_file(tmp_path):
    data = datasets.iris()
    names = data.target_names
    rows = [",".join(f"{v:g}" for v in x) + f",{names[k]}" for x, k in zip(data.X, data.y)]
    path = write(tmp_path, ",".join(data.feature_names) + ",species\n" + "\n".join(rows))
    table = datasets.load_csv(path, target="species", one_hot=True)
    X = datasets.Standardizer().fit_transform(table.X)
    net = gn.Network([gn.Dense(4, 8, "tanh"), gn.Dense(8, 3, "softmax")],
                     loss="cross_entropy", seed=0)
    net.fit(X, table.y, epochs=60, batch_size=16, lr=0.01, seed=0, progress=False)
    assert net.evaluate(X, table.y)["accuracy"] > 0.95  # one-hot targets work as labels do


# ---- splitting and scaling -----------------------------------------------------------------


def test_train_test_split_is_a_seeded_partition():
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, test_size=0.25, seed=0)
    assert len(X_test) == 3 and len(X_train) == 7  # ceil(0.25 · 10), as scikit-learn
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(10))
    np.testing.assert_array_equal(X_test[:, 0] // 2, y_test)  # rows stay together
    again = datasets.train_test_split(X, y, test_size=0.25, seed=0)
    np.testing.assert_array_equal(again[3], y_test)


def test_stratified_split_keeps_each_class_share():
    y = np.array([0] * 80 + [1] * 20)
    *_, y_train, y_test = datasets.train_test_split(np.zeros((100, 1)), y, 0.25, seed=1,
                                                    stratify=y)
    assert np.bincount(y_test).tolist() == [20, 5] and np.bincount(y_train).tolist() == [60, 15]


def test_standardizer_uses_training_statistics_only():
    train, test = np.array([[1.0, 5.0], [3.0, 5.0]]), np.array([[5.0, 7.0]])
    scaler = datasets.Standardizer().fit(train)
    # μ = (2, 5), σ = (1, 0 → 1): a constant column is shifted, not divided by zero
    np.testing.assert_array_equal(scaler.transform(train), [[-1, 0], [1, 0]])
    np.testing.assert_array_equal(scaler.transform(test), [[3, 2]])
    np.testing.assert_array_equal(scaler.inverse_transform(scaler.transform(test)), test)
    with pytest.raises(ValueError, match="fit on 2 features, got 3"):
        scaler.transform(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="before fit"):
        datasets.Standardizer().transform(train)


@pytest.mark.parametrize("call, pattern", [
    (lambda: datasets.moons(1), "moons expected n_samples to be an integer >= 2"),
    (lambda: datasets.moons(10, noise=-1), "moons expected noise to be a finite number >= 0"),
    (lambda: datasets.circles(10, factor=1.5), "0 < factor < 1"),
    (lambda: datasets.spiral(10, n_classes=1), "n_classes to be an integer from 2"),
    (lambda: datasets.train_test_split(np.zeros((4, 1)), np.zeros(3)), "same number of rows"),
    (lambda: datasets.train_test_split(np.zeros((4, 1)), np.zeros(4), 1.5), "test_size"),
])
def test_generators_and_split_refuse_bad_arguments_in_one_sentence(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()


def test_a_csv_without_a_header_is_read_by_position(tmp_path):
    # the first row's features are numbers, so it is data; the columns are named 0, 1, 2
    data = datasets.load_csv(write(tmp_path, "1,2,red\n3,4,blue\n5,6,red\n"), target=-1)
    assert data.X.tolist() == [[1, 2], [3, 4], [5, 6]] and data.y.tolist() == [1, 0, 1]
    assert data.feature_names == ["0", "1"]
    numbers = datasets.load_csv(write(tmp_path, "1,2,10\n3,4,20\n"), target=0)
    assert numbers.X.tolist() == [[2, 10], [4, 20]] and numbers.y.tolist() == [1, 3]
    with pytest.raises(ValueError, match=r"no header row .* to name a column 'price'; give "
                                         r"the target's position"):
        datasets.load_csv(write(tmp_path, "1,2,10\n3,4,20\n"), target="price")
    with pytest.raises(ValueError, match=r"line 2 has 2 columns, expected 3 as in line 1"):
        datasets.load_csv(write(tmp_path, "1,2,10\n3,4\n"), target=-1)
