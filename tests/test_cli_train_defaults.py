"""``glassnet train NAME`` with nothing else: every bundled data set ends at a good model."""

import pytest
from cli_helpers import run_cli

from glassnet.cli.defaults import default_epochs

slow = pytest.mark.slow

# the floor each bundled set must reach on its test rows with the defaults (seed 0)
FLOORS = [
    ("xor", 1.0), ("moons", 0.95), ("circles", 0.95), ("gaussians", 0.95), ("spiral", 0.90),
    # loan's labels carry logistic noise of scale 1: no model does much better than 0.85
    ("loan", 0.80),
    # the real data sets pay for importing scikit-learn once
    pytest.param("wine", 0.95, marks=slow), pytest.param("iris", 0.90, marks=slow),
    pytest.param("breast_cancer", 0.95, marks=slow),
    pytest.param("digits", 0.96, marks=slow),
]


def _test_accuracy(out: str) -> float:
    words = next(line.split() for line in out.splitlines() if line.startswith("test "))
    return float(words[words.index("accuracy") + 1])


@pytest.mark.parametrize(("name", "floor"), FLOORS)
def test_defaults_reach_a_good_model(tmp_path, name, floor):
    code, out, err = run_cli("--quiet", "train", name, "--out", tmp_path / "m.safetensors")
    assert code == 0, err
    assert _test_accuracy(out) >= floor, out
    assert "note " not in out  # neither near chance nor a grown loss


def test_default_epochs_count_updates_not_passes():
    # 160 rows in batches of 32 are 5 updates an epoch: 2000 updates are 400 epochs
    assert default_epochs(160, 32) == 400
    assert default_epochs(1437, 32) == 45   # ⌈2000 / 45⌉
    assert default_epochs(4000, 32) == 20   # 16 would be too few passes over the data
    assert default_epochs(4, 32) == 500     # xor: one update an epoch, capped
    # --validation-split 0.2 leaves 128 of 160 rows for the updates: 4 batches, 500 epochs
    assert default_epochs(160, 32, 0.2) == 500


def test_help_states_the_defaults():
    code, out, _ = run_cli("train", "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "enough for about 2000 updates" in flat
    assert "0.01 for adam, 0.1 for sgd" in flat


def test_a_run_near_chance_says_so_and_what_to_change(tmp_path):
    # one epoch (5 updates) leaves the rings of circles unseparated
    code, out, err = run_cli("--quiet", "train", "circles", "--epochs", "1",
                             "--out", tmp_path / "m.safetensors")
    assert code == 0, err
    notes = [line for line in out.splitlines() if line.startswith("note ")]
    assert len(notes) == 1, out
    assert "near chance (0.5000" in notes[0]
    assert "--epochs" in notes[0] and "--lr" in notes[0]


def test_a_loss_that_grew_without_overflowing_says_lower_the_lr(tmp_path):
    # the first epoch's mean is already 7e134 and the last one lower: only the loss before
    # the first update shows that training made things worse
    code, out, err = run_cli("--quiet", "train", "moons", "--optimizer", "sgd", "--lr", "1e6",
                             "--epochs", "20", "--out", tmp_path / "m.safetensors")
    assert code == 0, err
    notes = [line for line in out.splitlines() if line.startswith("note ")]
    assert len(notes) == 1, out  # not also "near chance ... try a larger --lr"
    assert notes[0].startswith("note   the loss grew from 1.121 before training to 1.9")
    assert "lower --lr (it was 1e+06, the default is 0.1)" in notes[0]
