"""``glassnet train``, ``evaluate``, ``predict`` and ``plot`` on tiny runs (seconds, not minutes)."""

import csv
import json

import numpy as np
import pytest
from cli_helpers import one_error_line, png_size, run_cli

import glassnet as gn
from glassnet.datasets import Standardizer


@pytest.fixture(scope="module")
def xor_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xor")
    code, out, err = run_cli("train", "xor", "--hidden", "4", "--activation", "tanh",
                             "--epochs", "300", "--lr", "0.05", "--batch-size", "4",
                             "--out", folder / "xor.safetensors", "--plots", folder / "plots")
    assert code == 0, err
    return folder, out, err


@pytest.fixture(scope="module")
def digits_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("digits")
    code, out, err = run_cli("train", "digits", "--epochs", "3", "--hidden", "32", "--lr", "0.01",
                             "--validation-split", "0.1", "--out", folder / "d.safetensors")
    assert code == 0, err
    return folder, out, err


def _metric(out: str, row: str, name: str) -> float:
    """The number after ``name`` on the line that starts with the word ``row``."""
    words = next(line.split() for line in out.splitlines() if line.split()[:1] == [row])
    return float(words[words.index(name) + 1])


def test_train_xor_learns_and_writes_everything(xor_run):
    folder, out, _ = xor_run
    assert _metric(out, "train", "accuracy") == 1.0
    assert "nothing held out" in out  # 4 rows are too few to hold any out
    assert gn.load(folder / "xor.safetensors").n_in == 2
    record = json.loads((folder / "xor.history.json").read_text())
    assert record["format"] == "glassnet.run/1"
    losses = record["history"]["history"]["loss"]
    assert len(losses) == 300 and losses[-1] < losses[0] / 10
    assert len(record["points"]["X"]) == 4  # 2-D data: kept for the decision boundary


def test_train_plots_are_png_images_of_640_by_480(xor_run):
    folder, out, _ = xor_run
    names = sorted(p.name for p in (folder / "plots").iterdir())
    assert names == ["accuracy.png", "boundary.png", "confusion.png", "loss.png", "weights.png"]
    for path in (folder / "plots").iterdir():
        assert png_size(path) == (640, 480)
    assert "plots" in out


def test_plot_command_writes_svg(xor_run, tmp_path):
    folder, _, _ = xor_run
    code, out, _ = run_cli("plot", folder / "xor.safetensors", "--out", tmp_path,
                           "--format", "svg")
    assert code == 0 and len(out.split()) == 5
    import xml.etree.ElementTree as ET

    root = ET.parse(tmp_path / "loss.svg").getroot()
    # 6.4 × 4.8 inches at 72 points per inch
    assert (root.get("width"), root.get("height")) == ("460.8pt", "345.6pt")


def test_digits_metrics_agree_with_the_saved_model(digits_run):
    folder, out, _ = digits_run
    test_accuracy = _metric(out, "test", "accuracy")
    assert test_accuracy > 0.85  # 3 epochs of 64-32-10 at α = 0.01: far above the 10 % of chance
    net = gn.load(folder / "d.safetensors")
    data = gn.datasets.digits()
    # the saved model takes raw pixels (the standardisation is folded into W[1], b[1])
    accuracy = np.mean(net.forward(data.X).argmax(axis=1) == data.y)
    record = json.loads((folder / "d.history.json").read_text())
    code, report, _ = run_cli("evaluate", folder / "d.safetensors", "digits")
    assert code == 0   # the rows the run held out (20 % stratified: 359), as train scored them
    assert "359 held-out rows of the run that made the model (20%, seed 0;" in report
    assert record["data"]["n_test"] == 359
    assert _metric(report, "accuracy", "accuracy") == \
        pytest.approx(record["test"]["accuracy"], abs=5e-5)
    code, report, _ = run_cli("evaluate", folder / "d.safetensors", "digits", "--rows", "all")
    assert code == 0 and "all 1797 rows" in report
    assert _metric(report, "accuracy", "accuracy") == pytest.approx(accuracy, abs=5e-5)
    assert len(record["history"]["history"]["val_loss"]) == 3
    assert len(record["standardizer"]["scale"]) == 64  # what was folded into W[1], b[1]
    matrix = np.array(record["test"]["confusion_matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == record["data"]["n_test"]


def test_predict_writes_a_csv_of_the_model_outputs(digits_run, tmp_path):
    folder, _, _ = digits_run
    code, _, err = run_cli("predict", folder / "d.safetensors", "digits", "--out",
                           tmp_path / "p.csv")
    assert code == 0 and "1797 predictions" in err
    rows = list(csv.reader((tmp_path / "p.csv").open()))
    assert rows[0][:3] == ["row", "prediction", "p_0"] and len(rows) == 1 + 1797
    net = gn.load(folder / "d.safetensors")
    expected = net.forward(gn.datasets.digits().X).argmax(axis=1)
    assert [int(r[1]) for r in rows[1:]] == expected.tolist()
    probabilities = np.array([[float(v) for v in r[2:]] for r in rows[1:]])
    assert np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)


def test_predict_out_into_a_new_folder_creates_it(xor_run, tmp_path):
    folder, _, _ = xor_run
    out = tmp_path / "new" / "p.csv"
    code, _, err = run_cli("predict", folder / "xor.safetensors", "xor", "--out", out)
    assert code == 0, err
    rows = list(csv.reader(out.open()))
    # XOR learned exactly: the rows (0,0), (0,1), (1,0), (1,1) are labelled 0, 1, 1, 0
    assert [r[1] for r in rows[1:]] == ["0", "1", "1", "0"]


def test_folded_standardizer_gives_the_same_outputs():
    rng = np.random.default_rng(3)
    X = rng.normal(5.0, 3.0, size=(20, 4))
    net = gn.Network([gn.Dense(4, 3, "relu"), gn.Dense(3, 2, "softmax")],
                     loss="cross_entropy", seed=1)
    scaler = Standardizer().fit(X)
    before = net.forward(scaler.transform(X)).copy()
    scaler.fold_into(net)   # what `glassnet train` does before saving
    assert np.allclose(net.forward(X), before, rtol=1e-12, atol=1e-12)


def test_unfolded_target_standardizer_gives_raw_outputs():
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(20, 3)), rng.normal(1e5, 3e4, size=(20, 2))
    net = gn.Network([gn.Dense(3, 4, "tanh"), gn.Dense(4, 2, "identity")], loss="mse", seed=1)
    target = Standardizer().fit(y)
    before = net.forward(X) * target.scale_ + target.mean_
    target.unfold_from_output(net)   # what `glassnet train` does for a regression target
    assert np.allclose(net.forward(X), before, rtol=1e-12)
    classifier = gn.Network([gn.Dense(3, 2, "softmax")], loss="cross_entropy", seed=1)
    with pytest.raises(ValueError, match="expected a linear"):
        target.unfold_from_output(classifier)


@pytest.mark.parametrize("scale", [1e5, 1e-3])
def test_regression_in_raw_units_trains_with_the_defaults(tmp_path, scale):
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, size=(300, 3)) * [200, 5, 1]
    y = scale * (1 + 0.01 * x[:, 0] + 0.3 * x[:, 1] - 2 * x[:, 2])
    path = tmp_path / "house.csv"
    path.write_text("area,rooms,age,price\n" + "".join(
        f"{a},{b},{c},{t}\n" for (a, b, c), t in zip(x, y)))
    code, out, err = run_cli("--quiet", "train", path, "--target", "price",
                             "--out", tmp_path / "house.safetensors")
    assert code == 0, err
    assert _metric(out, "test", "r2") >= 0.9
    record = json.loads((tmp_path / "house.history.json").read_text())
    assert record["target_standardizer"]["mean"] == pytest.approx([y[:240].mean()], rel=0.2)
    # the saved model predicts raw units, with no scaler beside it
    code, out, err = run_cli("predict", tmp_path / "house.safetensors", path)
    predicted = np.array([float(row[1]) for row in csv.reader(out.splitlines()[1:])])
    assert code == 0, err
    assert gn.metrics.r2(y, predicted) >= 0.9


def test_csv_regression_fits_a_line_and_a_diverging_run_writes_no_model(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(200, 2))
    y = 3 * x[:, 0] - 2 * x[:, 1] + 0.5
    path = tmp_path / "line.csv"
    path.write_text("a,b,target\n" + "".join(f"{p},{q},{t}\n" for (p, q), t in zip(x, y)))
    code, out, err = run_cli("train", path, "--target", "target", "--hidden", "none",
                             "--epochs", "200", "--lr", "0.05", "--out",
                             tmp_path / "line.safetensors")
    assert code == 0, err
    assert _metric(out, "test", "r2") > 0.999  # a linear target, one linear layer
    assert "the training loss is on the standardised target" in out + err  # not the metrics
    code, _, err = run_cli("--quiet", "train", path, "--target", "target", "--optimizer",
                           "sgd", "--lr", "1e6", "--epochs", "50", "--out",
                           tmp_path / "bad.safetensors")
    assert code == 2 and "diverged" in one_error_line(err)
    assert not (tmp_path / "bad.safetensors").exists()  # nothing half-written


def test_csv_with_a_bad_cell_names_its_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,label\n1,2,x\n3,oops,y\n")
    code, _, err = run_cli("train", path, "--target", "label")
    assert code == 2
    line = one_error_line(err)
    assert "line 3" in line and "'oops'" in line


def test_csv_with_an_identifier_as_target_is_one_line(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("x,t\n" + "".join(f"{i % 3},user{i}\n" for i in range(20_000)))
    code, _, err = run_cli("train", path, "--target", "t", "--out", tmp_path / "ids.safetensors")
    assert code == 2
    assert one_error_line(err) == ("glassnet: error: column 't' has 20000 distinct values in "
                                   "20000 rows: it looks like an identifier, not a class")


def test_hidden_widths_too_large_for_the_machine_are_one_line(tmp_path, monkeypatch):
    code, _, err = run_cli("train", "moons", "--hidden", 10**12, "--out", tmp_path / "m.st")
    assert code == 2
    assert "--hidden: Dense(2 → 1000000000000) needs 24.0 TB for its weights" in \
        one_error_line(err)
    # 10⁷ units: the weights (0.4 GB) fit, but scoring 160 rows of them (25.6 GB) does not
    monkeypatch.setattr(gn.checks, "machine_memory", lambda: 16 * 10**9)
    code, _, err = run_cli("--quiet", "train", "moons", "--hidden", 10**7,
                           "--out", tmp_path / "m.st")
    assert code == 2
    assert "fit needs 27.2 GB for a network of 50,000,002 parameters on 160 rows" in \
        one_error_line(err)


@pytest.mark.parametrize("args, expected", [
    (["train", "nope"], "unknown data set 'nope'"),
    (["train", "data/missing.csv", "--target", "y"], "no such file 'data/missing.csv'"),
    (["train", "iris", "--activation", "swish"], "'--activation'"),
    (["train", "iris", "--hidden", "8,-1"], "--hidden expected positive integers"),
    (["train", "iris", "--hidden", "0"], "'64,32' ('none' or '' for no hidden layer), got '0'"),
    (["train", "iris", "--hidden", "8,0"], "--hidden expected positive integers"),
    (["train", "iris", "--checkpoint", "a.ckpt", "--resume", "b.ckpt"], "cannot be used"),
    (["train", "iris", "--early-stopping", "3"], "--validation-split"),
    (["train", "iris", "--loss", "binary_cross_entropy"], "needs 2 classes"),
    (["train", "iris", "--target", "x"], "--target is for CSV files"),
    (["evaluate", "missing.safetensors", "iris"], "no such model file"),
    (["predict", "broken.safetensors", "iris"], "broken.safetensors"),
    (["plot", "missing.safetensors"], "no such file"),
])
def test_train_mistakes_are_one_line(tmp_path, monkeypatch, args, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{oops")
    code, _, err = run_cli(*args)
    assert code == 2
    assert expected in one_error_line(err)
    assert not list(tmp_path.glob("*.history.json"))


@pytest.mark.parametrize("hidden", ["none", "", "NONE"])
def test_no_hidden_layer_is_none_or_empty(tmp_path, hidden):
    code, out, err = run_cli("--quiet", "train", "iris", "--hidden", hidden, "--epochs", 1,
                             "--out", tmp_path / "m.safetensors")
    assert code == 0, err
    assert len(gn.load(tmp_path / "m.safetensors").layers) == 1


def test_train_help_says_how_to_ask_for_no_hidden_layer():
    code, out, _ = run_cli("train", "--help")
    assert code == 0 and "'none' or '' for no hidden layer" in " ".join(out.split())


def test_evaluate_refuses_data_of_another_width(digits_run):
    folder, _, _ = digits_run
    code, _, err = run_cli("evaluate", folder / "d.safetensors", "iris")
    assert code == 2
    assert "expects 64 features per row, but iris has 4" in one_error_line(err)


def test_quiet_train_prints_results_only(tmp_path):
    code, out, err = run_cli("--quiet", "train", "moons", "--epochs", "2", "--out",
                             tmp_path / "m.safetensors")
    assert code == 0 and err == ""
    assert "test" in out and "\x1b[" not in out and "\r" not in out


def test_csv_classes_by_name_and_predict_on_new_rows(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, size=(200, 2))
    colour = np.where(x[:, 0] + x[:, 1] > 0, "red", "blue")
    (tmp_path / "col.csv").write_text(
        "a,b,colour\n" + "".join(f"{p},{q},{c}\n" for (p, q), c in zip(x, colour)))
    (tmp_path / "new.csv").write_text("a,b\n0.8,0.7\n-0.9,-0.6\n")
    code, out, err = run_cli("--quiet", "train", tmp_path / "col.csv", "--target", "colour",
                             "--epochs", "50", "--lr", "0.01", "--out",
                             tmp_path / "col.safetensors")
    assert code == 0, err
    assert _metric(out, "test", "accuracy") >= 0.9  # a straight boundary, 160 training rows
    code, out, _ = run_cli("predict", tmp_path / "col.safetensors", tmp_path / "new.csv")
    rows = list(csv.reader(out.splitlines()))
    # classes are the sorted names; a + b = 1.5 is far on the red side, −1.5 on the blue
    assert rows[0] == ["row", "prediction", "p_blue", "p_red"]
    assert [r[1] for r in rows[1:]] == ["red", "blue"]
    # the training file itself: its target column is recognised and left out
    code, out, _ = run_cli("predict", tmp_path / "col.safetensors", tmp_path / "col.csv")
    assert code == 0 and len(out.splitlines()) == 201


def test_glassnet_alone_prints_its_help():
    code, out, _ = run_cli()
    assert code == 0 and "Commands:" in out and "train" in out


def _confusion(report: str) -> tuple[list[str], np.ndarray]:
    """The class names and counts of the confusion matrix ``evaluate`` prints."""
    lines = report.splitlines()
    start = lines.index("confusion matrix (rows: true class, columns: predicted)") + 1
    names = lines[start].split()
    counts = [line.split()[1:] for line in lines[start + 1:start + 1 + len(names)]]
    assert [line.split()[0] for line in lines[start + 1:start + 1 + len(names)]] == names
    return names, np.array(counts, dtype=int)


def test_evaluate_scores_the_held_out_rows_and_names_the_classes(tmp_path, monkeypatch):
    from sklearn.datasets import load_iris

    iris = load_iris(as_frame=True)
    frame = iris.frame.rename(columns={"target": "species"})
    frame["species"] = np.asarray(iris.target_names)[frame["species"]]
    frame.to_csv(tmp_path / "iris.csv", index=False)
    (tmp_path / "elsewhere").mkdir()
    assert run_cli("--quiet", "train", tmp_path / "iris.csv", "--target", "species",
                   "--epochs", "40", "--lr", "0.01", "--test-split", "0.3", "--seed", "4",
                   "--out", tmp_path / "iris.safetensors")[0] == 0
    record = json.loads((tmp_path / "iris.history.json").read_text())
    monkeypatch.chdir(tmp_path / "elsewhere")   # the record finds the CSV from anywhere
    code, out, err = run_cli("evaluate", tmp_path / "iris.safetensors", "../iris.csv")
    assert code == 0, err
    # 150 rows, 30 % held out, stratified: 15 of each species
    first = out.splitlines()[0]
    assert "45 held-out rows of the run that made the model (30%, seed 4;" in first
    names, matrix = _confusion(out)
    assert names == ["setosa", "versicolor", "virginica"]
    assert matrix.sum() == 45 and matrix.sum(axis=1).tolist() == [15, 15, 15]
    assert matrix.tolist() == record["test"]["confusion_matrix"]   # what train scored
    assert _metric(out, "accuracy", "accuracy") == \
        pytest.approx(record["test"]["accuracy"], abs=5e-5)
    code, out, _ = run_cli("evaluate", tmp_path / "iris.safetensors", "../iris.csv",
                           "--rows", "all")
    assert code == 0 and "all 150 rows" in out.splitlines()[0]
    assert _confusion(out)[1].sum() == 150
    # the bundled iris is other data than the CSV trained on: every row, and it says why
    code, out, _ = run_cli("evaluate", tmp_path / "iris.safetensors", "iris")
    assert code == 0 and "all 150 rows (not the data the model was trained on" in out
    code, _, err = run_cli("evaluate", tmp_path / "iris.safetensors", "iris", "--rows",
                           "held-out")
    assert code == 2 and "use --rows all" in one_error_line(err)


def test_evaluate_a_csv_that_lacks_a_class(tmp_path):
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, size=(120, 2))
    colour = np.where(x[:, 0] > 0, "red", "blue")
    rows = [f"{p},{q},{c}\n" for (p, q), c in zip(x, colour)]
    (tmp_path / "all.csv").write_text("a,b,colour\n" + "".join(rows))
    reds = [r for r, c in zip(rows, colour) if c == "red"]
    (tmp_path / "red.csv").write_text("a,b,colour\n" + "".join(reds))
    assert run_cli("--quiet", "train", tmp_path / "all.csv", "--target", "colour", "--epochs",
                   "60", "--lr", "0.01", "--out", tmp_path / "m.safetensors")[0] == 0
    code, out, err = run_cli("evaluate", tmp_path / "m.safetensors", tmp_path / "red.csv")
    assert code == 0, err
    # "red" is class 1 of the model (blue, red) even though red.csv has red alone;
    # a shifted label would make every row wrong (accuracy near 0)
    assert _metric(out, "accuracy", "accuracy") > 0.9


def test_early_stopping_ends_the_run_before_the_epoch_limit(tmp_path):
    code, out, err = run_cli("--quiet", "train", "iris", "--epochs", "1000", "--lr", "0.05",
                             "--validation-split", "0.2", "--early-stopping", "3", "--out",
                             tmp_path / "iris.safetensors")
    assert code == 0, err
    record = json.loads((tmp_path / "iris.history.json").read_text())
    assert record["history"]["stopped_reason"] == "early_stopping"
    epochs = len(record["history"]["history"]["loss"])
    assert epochs < 1000 and out.startswith(f"{epochs} epochs")
    # the best epoch's weights are kept: patience 3 means 4 epochs without improvement
    assert record["history"]["best_epoch"] == epochs - 4


def test_squared_loss_classifier_trains_explains_and_plots(tmp_path):
    code, out, err = run_cli("--quiet", "train", "iris", "--loss", "squared_error",
                             "--epochs", "60", "--lr", "0.01", "--out",
                             tmp_path / "sq.safetensors", "--plots", tmp_path / "plots")
    assert code == 0, err
    assert _metric(out, "test", "accuracy") > 0.6  # three sigmoid units on one-hot rows
    assert gn.load(tmp_path / "sq.safetensors").layers[-1].activation.name == "sigmoid"
    # a class number becomes the one-hot row the squared loss compares with
    code, out, err = run_cli("explain", tmp_path / "sq.safetensors", "--input", "5,3,1.5,0.2",
                             "--target", "0", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["batch"]["y"] == [[1.0, 0.0, 0.0]]
    assert {p.name for p in (tmp_path / "plots").iterdir()} == \
        {"loss.png", "confusion.png", "weights.png"}


def test_plot_of_a_damaged_run_record_is_one_line(xor_run, tmp_path):
    folder, _, _ = xor_run
    record = json.loads((folder / "xor.history.json").read_text())
    del record["history"]
    (tmp_path / "xor.safetensors").write_bytes((folder / "xor.safetensors").read_bytes())
    (tmp_path / "xor.history.json").write_text(json.dumps(record))
    code, _, err = run_cli("plot", tmp_path / "xor.safetensors")
    assert code == 2 and "lacks ['history']" in one_error_line(err)
    (tmp_path / "xor.history.json").write_text("{not json")
    code, _, err = run_cli("plot", tmp_path / "xor.safetensors")
    assert code == 2 and "xor.history.json" in one_error_line(err)


def test_a_csv_without_a_header_loses_no_row(tmp_path, xor_run):
    folder, _, _ = xor_run
    (tmp_path / "p.csv").write_text("0,0\n1,1\n")   # a first row of numbers is data
    code, out, err = run_cli("predict", folder / "xor.safetensors", tmp_path / "p.csv")
    assert code == 0, err
    assert [row[0] for row in csv.reader(out.splitlines())] == ["row", "0", "1"]
    rows = "".join(f"{i % 7},{i % 5},{(i % 7) + 2 * (i % 5) + 0.5}\n" for i in range(50))
    (tmp_path / "nohead.csv").write_text(rows)
    code, _, err = run_cli("train", tmp_path / "nohead.csv", "--target", "price")
    assert code == 2 and "no header row" in one_error_line(err) and "--target" in err
    code, out, err = run_cli("--quiet", "train", tmp_path / "nohead.csv", "--target", -1,
                             "--epochs", 1, "--out", tmp_path / "n.safetensors")
    assert code == 0, err
    record = json.loads((tmp_path / "n.history.json").read_text())
    assert record["data"]["n_train"] + record["data"]["n_test"] == 50
    code, out, err = run_cli("evaluate", tmp_path / "n.safetensors", tmp_path / "nohead.csv")
    assert code == 0 and "10 held-out rows of the run" in out, err  # 20 % of all 50
    code, out, err = run_cli("evaluate", tmp_path / "n.safetensors", tmp_path / "nohead.csv",
                             "--rows", "all")
    assert code == 0 and "all 50 rows" in out, err
