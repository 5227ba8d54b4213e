"""net.fit: mini-batches, stopping rules, divergence, callbacks, optimizers, progress, bad input."""

import math
import sys

import numpy as np
import pytest

import glassnet as gn
from glassnet import datasets


def classifier(n_in=2, hidden=8, n_out=2, seed=0):
    return gn.Network([gn.Dense(n_in, hidden, "tanh"), gn.Dense(hidden, n_out, "softmax")],
                      loss="cross_entropy", seed=seed)


class Recorder(gn.Callback):
    """Keeps the rows of every batch (read from the first layer's cached input) and losses."""

    def __init__(self):
        self.rows, self.losses, self.epochs = [], [], []

    def on_batch_end(self, trainer, batch, loss):
        self.rows.append(trainer.net.layers[0].a_prev[:, 0].copy())
        self.losses.append(loss)
        self.epochs.append(trainer.epoch)


# ---- mini-batches -------------------------------------------------------------------------


def test_each_epoch_visits_every_row_once_in_batches_of_batch_size_then_the_rest():
    X = np.arange(10.0).reshape(-1, 1) * np.ones((1, 2))  # row r is (r, r)
    y = np.arange(10) % 2
    rec = Recorder()
    classifier().fit(X, y, epochs=2, batch_size=4, seed=0, callbacks=[rec], progress=False)
    assert [len(r) for r in rec.rows] == [4, 4, 2, 4, 4, 2]
    first, second = np.concatenate(rec.rows[:3]), np.concatenate(rec.rows[3:])
    assert sorted(first) == sorted(second) == list(range(10))
    assert not np.array_equal(first, second)  # a fresh permutation each epoch


def test_shuffle_false_keeps_the_given_order():
    X = np.arange(6.0).reshape(-1, 1) * np.ones((1, 2))
    rec = Recorder()
    classifier().fit(X, np.arange(6) % 2, epochs=1, batch_size=4, shuffle=False,
                     callbacks=[rec], progress=False)
    assert np.concatenate(rec.rows).tolist() == [0, 1, 2, 3, 4, 5]


def test_epoch_loss_is_the_batch_size_weighted_mean_of_batch_losses():
    X, y = datasets.moons(10, seed=1)
    rec = Recorder()
    history = classifier().fit(X, y, epochs=1, batch_size=4, seed=0, callbacks=[rec],
                               progress=False)
    # batches of 4, 4 and 2 rows: (4 L1 + 4 L2 + 2 L3) / 10
    expected = (4 * rec.losses[0] + 4 * rec.losses[1] + 2 * rec.losses[2]) / 10
    assert history["loss"][0] == pytest.approx(expected, rel=1e-12)


def test_the_same_seed_gives_the_same_bits_and_another_seed_does_not():
    X, y = datasets.moons(60, seed=0)
    nets = [classifier() for _ in range(3)]
    for net, seed in zip(nets, (5, 5, 6)):
        net.fit(X, y, epochs=3, batch_size=8, seed=seed, progress=False)
    a, b, c = (net.state_dict()["W[1]"] for net in nets)
    assert a.tobytes() == b.tobytes()
    assert a.tobytes() != c.tobytes()


def test_a_seed_is_drawn_and_recorded_when_none_is_given():
    X, y = datasets.xor()
    history = classifier().fit(X, y, epochs=1, batch_size=2, progress=False)
    assert isinstance(history.seed, int) and history.seed > 0


# ---- stopping rules ------------------------------------------------------------------------


def test_epoch_limit_sets_the_reason_and_history_length():
    X, y = datasets.xor()
    history = classifier().fit(X, y, epochs=7, batch_size=4, progress=False)
    assert history.epochs == 7 and history.stopped_reason == "epochs"


def test_target_loss_stops_as_soon_as_an_epoch_reaches_it():
    X, y = datasets.xor()
    history = classifier(hidden=4).fit(X, y, epochs=2000, batch_size=4, lr=0.05, seed=0,
                                       target_loss=0.05, progress=False)
    assert history.stopped_reason == "target_loss"
    assert history["loss"][-1] <= 0.05 < min(history["loss"][:-1])
    assert history.epochs < 2000


def test_early_stopping_restores_the_weights_of_the_best_validation_epoch():
    X, y = datasets.moons(80, noise=0.1, seed=0)
    net, snapshots = classifier(), []
    # validating against the opposite labels: the better training gets, the worse val_loss
    history = net.fit(X, y, epochs=50, batch_size=16, seed=0, validation_data=(X, 1 - y),
                      early_stopping=gn.EarlyStopping(patience=2), progress=False,
                      callbacks=[lambda epoch, logs: snapshots.append(net.state_dict())])
    assert history.stopped_reason == "early_stopping"
    best = int(np.argmin(history["val_loss"])) + 1
    assert history.best_epoch == best
    assert history.epochs == best + 3  # the best epoch, then patience + 1 without progress
    assert net.state_dict()["W[1]"].tobytes() == snapshots[best - 1]["W[1]"].tobytes()
    assert net.state_dict()["W[1]"].tobytes() != snapshots[-1]["W[1]"].tobytes()


def test_early_stopping_without_validation_data_is_refused_in_one_sentence():
    X, y = datasets.xor()
    with pytest.raises(ValueError, match="no validation data.*validation_split"):
        classifier().fit(X, y, epochs=3, batch_size=4, early_stopping=3, progress=False)


def test_a_callback_can_stop_training():
    class StopAtTwo(gn.Callback):
        def on_epoch_end(self, trainer, logs):
            if trainer.epoch == 2:
                trainer.stop("callback", "enough")

    X, y = datasets.xor()
    history = classifier().fit(X, y, epochs=9, batch_size=4, callbacks=[StopAtTwo()],
                               progress=False)
    assert (history.epochs, history.stopped_reason, history.message) == (2, "callback", "enough")


# ---- divergence ----------------------------------------------------------------------------


def test_a_non_finite_loss_stops_with_the_last_finite_weights_and_a_hint():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3)) * 10
    y = X @ np.array([1.0, 2.0, 3.0])
    net = gn.Network([gn.Dense(3, 1)], loss="mse", seed=0)
    # full batches in a fixed order, so every step sees the same rows; lr = 1 is far above
    # 2 / λ_max(2XᵀX/N) ≈ 0.01, so the loss grows geometrically until it overflows
    with pytest.raises(gn.TrainingDiverged) as caught:
        net.fit(X, y, epochs=5000, batch_size=64, optimizer="sgd", lr=1.0, shuffle=False,
                progress=False)
    error = caught.value
    message = str(error)
    assert f"epoch {error.epoch}, batch 1" in message and "last finite loss" in message
    assert "smaller learning rate (now 1)" in message
    assert math.isfinite(error.last_finite_loss)
    assert np.isfinite(net.layers[0].W.value).all()
    # the restored weights are exactly those that produced the last finite loss
    assert net.loss(net.forward(X), y) == error.last_finite_loss
    assert error.history.stopped_reason == "diverged"


# ---- optimizers ---------------------------------------------------------------------------


def test_optimizer_by_name_instance_or_factory_give_the_same_training():
    X, y = datasets.moons(40, seed=2)
    results = []
    for make in (lambda net: "sgd", lambda net: gn.SGD(net.parameters(), lr=0.01),
                 lambda net: (lambda params: gn.SGD(params, lr=0.01))):
        net = classifier()
        net.fit(X, y, epochs=2, batch_size=8, seed=1, optimizer=make(net), progress=False)
        results.append(net.state_dict()["W[2]"].tobytes())
    assert results[0] == results[1] == results[2]  # "sgd" means SGD with lr 0.01


@pytest.mark.parametrize("optimizer, options, error, pattern", [
    ("rmsprop", {}, ValueError, "expected optimizer 'sgd', 'adam'"),
    (lambda params: 3, {}, TypeError, "returning one, got int"),
    ("other-net", {}, ValueError, "built on net.parameters"),
    ("instance", {"lr": 0.1}, ValueError, "lr= applies to an optimizer given by name"),
])
def test_fit_refuses_unknown_misbuilt_or_foreign_optimizers_and_lr_beside_one(optimizer, options,
                                                                         error, pattern):
    net = classifier()
    if optimizer == "other-net":
        optimizer = gn.SGD(classifier().parameters(), lr=0.1)
    elif optimizer == "instance":
        optimizer = gn.SGD(net.parameters(), lr=0.1)
    X, y = datasets.xor()
    with pytest.raises(error, match=pattern):
        net.fit(X, y, epochs=1, batch_size=2, optimizer=optimizer, progress=False, **options)


# ---- progress ------------------------------------------------------------------------------


def test_no_progress_bar_when_stderr_is_not_a_terminal(capsys):
    X, y = datasets.xor()
    classifier().fit(X, y, epochs=3, batch_size=4, progress=True)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("ci, progress, shown", [
    (None, True, True), ("true", True, False), (None, False, False)])
def test_progress_bar_on_a_terminal_unless_ci_or_switched_off(monkeypatch, capsys, ci, progress,
                                                               shown):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    X, y = datasets.xor()
    classifier().fit(X, y, epochs=3, batch_size=4, progress=progress)
    err = capsys.readouterr().err
    assert ("3/3" in err and "loss" in err) is shown


# ---- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("X, y, pattern", [
    (np.full((4, 2), np.nan), [0, 1, 1, 0], "finite X"),
    (np.zeros((4, 3)), [0, 1, 1, 0], r"X of shape \(N, 2\).*got \(4, 3\)"),
    (np.zeros((0, 2)), [], "at least one sample"),
    (np.zeros((4, 2)), [0, 1, 1], "X has 4 rows, y has 3"),
    (np.zeros((4, 2)), [0, 1, 2, 0], r"labels in 0\.\.1 for a 2-class output"),
    (np.zeros((4, 2)), None, "y with one target per row of X, got None"),
    (np.zeros((4, 2)), 1, "y with one target per row of X, got 1"),
])
def test_fit_refuses_bad_x_and_y_in_one_sentence(X, y, pattern):
    with pytest.raises(ValueError, match=pattern):
        classifier().fit(X, y, epochs=1, batch_size=2, progress=False)


@pytest.mark.parametrize("options, pattern", [
    ({"epochs": 0}, "epochs to be a positive integer"),
    ({"batch_size": 2.5}, "batch_size to be a positive integer"),
    ({"validation_split": 1.0}, r"validation_split in \[0, 1\)"),
    ({"validation_split": 0.5, "validation_data": ([[0, 0]], [0])}, "not both"),
    ({"metrics": ["accuracy", "bogus"]}, "unknown metric 'bogus'"),
    ({"target_loss": -1}, "target_loss expected a finite number >= 0, got -1"),  # unreachable
])
def test_fit_refuses_bad_settings_in_one_sentence(options, pattern):
    X, y = datasets.xor()
    with pytest.raises(ValueError, match=pattern):
        classifier().fit(X, y, **{"epochs": 1, "batch_size": 2, "progress": False, **options})


@pytest.mark.parametrize("options, pattern", [
    ({"shuffle": "yes"}, "fit expected shuffle to be True or False, got 'yes'"),
    ({"progress": "x"}, "fit expected progress to be True or False, got 'x'"),
    ({"callbacks": 5}, r"fit expected callbacks to be a list of Callback objects .* got 5"),
])
def test_fit_refuses_settings_of_the_wrong_type_in_one_sentence(options, pattern):
    X, y = datasets.xor()
    with pytest.raises(TypeError, match=pattern):
        classifier().fit(X, y, **{"epochs": 1, "batch_size": 2, "progress": False, **options})


def test_an_optimizer_state_that_is_not_a_state_dict_is_named():
    opt = gn.SGD(classifier().parameters(), lr=0.1)
    with pytest.raises(ValueError, match="SGD.load_state_dict expected the dict state_dict"):
        opt.load_state_dict({"x": 1})


def test_validation_split_holds_out_rows_chosen_by_the_seed():
    X, y = datasets.moons(50, seed=0)
    rec = Recorder()
    history = classifier().fit(X, y, epochs=1, batch_size=100, seed=4, validation_split=0.2,
                               callbacks=[rec], progress=False)
    assert len(rec.rows[0]) == 40 and "val_loss" in history.history
    again = Recorder()
    classifier().fit(X, y, epochs=1, batch_size=100, seed=4, validation_split=0.2,
                     callbacks=[again], progress=False)
    assert sorted(again.rows[0]) == sorted(rec.rows[0])


def test_early_stopping_on_accuracy_waits_for_a_higher_value():
    stopper = gn.EarlyStopping(monitor="val_accuracy", patience=1)
    assert stopper.mode == "max" and gn.EarlyStopping().mode == "min"
    X, y = datasets.moons(80, noise=0.1, seed=0)
    history = classifier().fit(X, y, epochs=40, batch_size=16, seed=0, metrics=["accuracy"],
                               validation_data=(X, 1 - y), early_stopping=stopper,
                               progress=False)
    # opposite labels: validation accuracy falls as training succeeds, so the best is early
    best = int(np.argmax(history["val_accuracy"])) + 1
    assert history.best_epoch == best and history.epochs == best + 2


def test_an_optimizer_class_takes_fits_learning_rate():
    X, y = datasets.moons(40, seed=2)
    a, b = classifier(), classifier()
    a.fit(X, y, epochs=2, batch_size=8, seed=1, optimizer=gn.SGD, lr=0.2, progress=False)
    b.fit(X, y, epochs=2, batch_size=8, seed=1, optimizer="sgd", lr=0.2, progress=False)
    assert a.state_dict()["W[1]"].tobytes() == b.state_dict()["W[1]"].tobytes()


def test_a_checkpoint_in_a_missing_folder_is_refused_before_training(tmp_path):
    X, y = datasets.xor()
    with pytest.raises(ValueError, match="the folder .*nowhere does not exist"):
        classifier().fit(X, y, epochs=1, batch_size=4, progress=False,
                         checkpoint=tmp_path / "nowhere" / "run.ckpt")


@pytest.mark.parametrize("module", ["callbacks", "checkpoint", "interrupts"])
def test_the_earlier_import_paths_give_the_training_packages_own_objects(module):
    import importlib

    earlier = importlib.import_module(f"glassnet.{module}")
    now = importlib.import_module(f"glassnet.training.{module}")
    assert earlier.__all__ == now.__all__
    for name in earlier.__all__:
        assert getattr(earlier, name) is getattr(now, name)
