"""What ``glassnet train --plots`` draws says what it is: titles, axis labels, legends and
ticks read back from the figures that ``draw_run`` saves (behaviour tests through the CLI)."""

import json

import numpy as np
import pytest
from cli_helpers import run_cli

pytest.importorskip("matplotlib")
from glassnet.cli.plotting import figures_for_run  # noqa: E402


def _train(folder, *args):
    model = folder / "run.safetensors"
    code, _, err = run_cli("train", *args, "--hidden", "8", "--out", model,
                           "--plots", folder / "plots")
    assert code == 0, err
    return model, json.loads((folder / "run.history.json").read_text())


@pytest.fixture(scope="module")
def moons_run(tmp_path_factory):
    return _train(tmp_path_factory.mktemp("moons"), "moons", "--epochs", "3")


@pytest.fixture(scope="module")
def house_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("house")
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, (60, 2))
    rows = [f"{a:.3f},{b:.3f},{a + b * b:.3f}" for a, b in X]
    (folder / "house.csv").write_text("area,age,price\n" + "\n".join(rows) + "\n")
    return _train(folder, folder / "house.csv", "--target", "price", "--epochs", "3")


def _legend(ax) -> list[str]:
    return [text.get_text() for text in ax.get_legend().get_texts()]


def test_regression_boundary_names_the_target_and_the_features(house_run):
    model, _ = house_run
    fig = figures_for_run(model)["boundary"]
    ax, colourbar = fig.axes
    assert ax.get_title() == "Predicted price over the two features"
    assert colourbar.get_ylabel() == "price (shading: predicted, dots: true)"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("area", "age")
    assert _legend(ax) == ["training rows", "test rows"]
    assert (model.parent / "plots" / "boundary.png").is_file()


def test_classification_boundary_legend_names_classes_and_train_and_test(moons_run):
    model, record = moons_run
    ax = figures_for_run(model)["boundary"].axes[0]
    assert _legend(ax) == [*record["data"]["class_names"], "training rows", "test rows"]
    assert sum(record["points"]["test"]) == record["data"]["n_test"]
    train_dots, test_rings = ax.collections[-2:]  # after the shading
    assert len(train_dots.get_offsets()) == record["data"]["n_train"]
    assert len(test_rings.get_offsets()) == record["data"]["n_test"]
    assert len(test_rings.get_facecolors()) == 0  # hollow


def test_curves_have_whole_epoch_ticks_and_a_held_out_curve(moons_run):
    model, record = moons_run
    history = record["history"]["history"]
    assert len(history["test_loss"]) == len(history["loss"]) == 3
    # the last epoch's held-out accuracy is the test accuracy train prints
    assert history["test_accuracy"][-1] == pytest.approx(record["test"]["accuracy"])
    figures = figures_for_run(model)
    for name in ("loss", "accuracy"):
        ax = figures[name].axes[0]
        ticks = ax.get_xticks()
        assert np.array_equal(ticks, np.round(ticks)), (name, ticks)
        assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == name
        assert _legend(ax) == ["training", "held-out (test)"]


def test_a_run_without_held_out_rows_draws_no_test_curve(tmp_path):
    model, record = _train(tmp_path, "xor", "--epochs", "2")  # 4 rows: nothing held out
    assert "test_loss" not in record["history"]["history"]
    figures = figures_for_run(model)
    assert _legend(figures["loss"].axes[0]) == ["training"]
    assert _legend(figures["boundary"].axes[0]) == ["0", "1", "training rows"]


def test_weights_histograms_have_axis_labels(moons_run):
    model, _ = moons_run
    axes = figures_for_run(model)["weights"].axes
    assert [ax.get_xlabel() for ax in axes] == ["weight value"] * 2  # W[1], W[2]
    assert axes[0].get_ylabel() == "number of weights"
