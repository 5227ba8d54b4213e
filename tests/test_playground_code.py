"""Copy as code: the scripts a Train session writes repeat its run.

Each set-up is trained through the playground's API; its glassnet script, run in a fresh
Python, must print the session's training loss to all six printed digits (it is the same
arithmetic in the same order, so the same float), and its PyTorch script the same loss to
about 1e-12 (float64, but another library's order of operations), so to its six printed
digits but for rounding at a half-unit edge.
"""

import os
import re
import subprocess
import sys
import warnings
from importlib.util import find_spec
from pathlib import Path

import pytest

pytest.importorskip("starlette")
with warnings.catch_warnings():  # starlette 1.x suggests httpx2; httpx is what we install
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

import glassnet  # noqa: E402
from glassnet.playground import create_app  # noqa: E402

# One set-up per output layer and loss the playground builds, across optimizers and
# activations; 23 steps of 16 rows cross an epoch boundary of every data set but xor's.
SETUPS = {
    "spiral-softmax-ce-adam": {"dataset": "spiral", "n_samples": 150, "n_classes": 3,
                               "hidden": [6, 5], "activation": "tanh", "optimizer": "adam",
                               "loss": "cross_entropy", "lr": 0.03, "batch_size": 16, "seed": 4},
    "xor-sigmoid-bce-sgd": {"dataset": "xor", "test_fraction": 0, "hidden": [3],
                            "activation": "relu", "optimizer": "sgd", "loss": "cross_entropy",
                            "lr": 0.5, "batch_size": 3, "seed": 1},
    "circles-squared-momentum": {"dataset": "circles", "n_samples": 120, "hidden": [5],
                                 "activation": "sigmoid", "optimizer": "momentum",
                                 "loss": "squared_error", "lr": 0.2, "batch_size": 16,
                                 "seed": 2, "test_fraction": 0.25},
    "gaussians-mse-leaky": {"dataset": "gaussians", "n_samples": 90, "n_classes": 3,
                            "hidden": [4], "activation": "leaky_relu", "optimizer": "adam",
                            "loss": "mse", "lr": 0.05, "batch_size": 16, "seed": 0},
    # Train's TF Playground options: regression, extra input features, L1 and L2 penalties
    "regression-features-l2-momentum": {"problem": "regression",
                                        "dataset": "gaussians_regression", "n_samples": 100,
                                        "noise": 0.1, "features": ["x1", "x2", "x1sq", "sinx2"],
                                        "hidden": [5], "optimizer": "momentum", "lr": 0.05,
                                        "penalty": "l2", "penalty_rate": 0.003, "batch_size": 10,
                                        "seed": 6},
    "plane-squared-sgd": {"problem": "regression", "dataset": "plane", "n_samples": 60,
                          "loss": "squared_error", "hidden": [3], "optimizer": "sgd", "lr": 0.01,
                          "batch_size": 8, "seed": 7},
    "circles-features-l1-nohidden": {"dataset": "circles", "n_samples": 100,
                                     "features": ["x1sq", "x2sq", "x1x2"], "hidden": [],
                                     "penalty": "l1", "penalty_rate": 0.001, "lr": 0.1,
                                     "batch_size": 16, "seed": 8},
}
STEPS = 23


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(), base_url="http://127.0.0.1") as c:
        yield c


@pytest.fixture(scope="module")
def runs(client, tmp_path_factory):
    """Per set-up: the session's training loss after ``STEPS`` steps and what each script prints.

    All the glassnet scripts run in one fresh Python, one after another, and all the PyTorch
    scripts in another (importing torch once: it takes seconds on a busy machine).
    """
    folder = tmp_path_factory.mktemp("scripts")
    losses, files = {}, {"glassnet": [], "pytorch": []}
    for name, spec in SETUPS.items():
        sid = client.post("/api/train", json=spec).json()["id"]
        report = client.post(f"/api/train/{sid}/step", json={"steps": STEPS}).json()
        losses[name] = report["train_loss"]
        answer = client.get(f"/api/train/{sid}/code").json()
        assert answer["steps"] == STEPS
        for language in files:
            path = folder / f"{name}-{language}.py".replace("-", "_")
            path.write_text(answer[language], encoding="utf-8")
            files[language].append(path)
    printed = {language: run_all(paths) for language, paths in files.items()
               if language == "glassnet" or find_spec("torch")}
    for values in printed.values():
        assert [steps for steps, _ in values] == [STEPS] * len(SETUPS)
    return losses, {language: dict(zip(SETUPS, (loss for _, loss in values)))
                    for language, values in printed.items()}


def run_all(paths: list[Path]) -> list[tuple[int, float]]:
    """Run each script as ``python script.py`` would (runpy, as __main__), all in one fresh
    Python with this checkout's glassnet; the step count and the loss each prints."""
    runner = ("import runpy, sys\n"
              "for path in sys.argv[1:]:\n    runpy.run_path(path, run_name='__main__')\n")
    env = {**os.environ, "PYTHONPATH": str(Path(glassnet.__file__).parents[1]),
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-c", runner, *map(str, paths)], capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(paths), f"unexpected output: {done.stdout!r}"
    values = []
    for line in lines:
        match = re.fullmatch(r"step (\d+): training loss (\S+)", line)
        assert match, f"unexpected output: {line!r}"
        values.append((int(match.group(1)), float(match.group(2))))
    return values


@pytest.mark.parametrize("name", SETUPS)
def test_the_glassnet_script_prints_the_sessions_loss(runs, name):
    losses, printed = runs
    assert printed["glassnet"][name] == float(f"{losses[name]:.6g}")  # every printed digit


@pytest.mark.parametrize("name", SETUPS)
def test_the_pytorch_script_agrees_to_float_precision(runs, name):
    pytest.importorskip("torch")
    losses, printed = runs
    # float64 in another order of operations agrees to ~1e-12; what is left is the rounding
    # to six printed digits, at most half a unit of the sixth: 5e-6 of the value
    assert printed["pytorch"][name] == pytest.approx(losses[name], rel=5.01e-6)


# Whole epochs: the script calls net.fit, which shuffles as the session does (steps, spec).
WHOLE_EPOCHS = {
    "spiral-l1-momentum": (16, {"dataset": "spiral", "n_samples": 150, "batch_size": 16,
                                "optimizer": "momentum", "lr": 0.1, "penalty": "l1",
                                "penalty_rate": 0.01, "seed": 3}),  # 120 rows: 8 batches
    "xor-squared": (10, {"dataset": "xor", "test_fraction": 0, "hidden": [3], "batch_size": 3,
                         "loss": "squared_error", "optimizer": "sgd", "lr": 0.5}),  # 2 batches
    "plane-l2-x1x2": (15, {"problem": "regression", "dataset": "plane", "n_samples": 50,
                           "features": ["x1", "x2", "x1x2"], "batch_size": 8, "penalty": "l2",
                           "penalty_rate": 0.03, "seed": 2}),  # 40 rows: 5 batches
}


def test_whole_epochs_become_one_fit_call_with_the_same_loss(client, tmp_path):
    losses, paths = [], []
    for name, (steps, spec) in WHOLE_EPOCHS.items():
        sid = client.post("/api/train", json=spec).json()["id"]
        losses.append(client.post(f"/api/train/{sid}/step", json={"steps": steps}).json()
                      ["train_loss"])
        script = client.get(f"/api/train/{sid}/code").json()["glassnet"]
        assert "net.fit(X, T, epochs=" in script and "for step in range" not in script
        paths.append(tmp_path / f"{name.replace('-', '_')}.py")
        paths[-1].write_text(script, encoding="utf-8")
    printed = run_all(paths)
    assert printed == [(steps, float(f"{loss:.6g}"))
                       for (steps, _), loss in zip(WHOLE_EPOCHS.values(), losses)]


def test_the_script_follows_the_sessions_batch_order_not_a_fresh_start(client):
    """Two sessions one step apart give scripts with different step counts and losses."""
    spec = SETUPS["spiral-softmax-ce-adam"]
    sid = client.post("/api/train", json=spec).json()["id"]
    client.post(f"/api/train/{sid}/step", json={"steps": 1})
    one = client.get(f"/api/train/{sid}/code").json()
    assert one["steps"] == 1 and "for step in range(1):" in one["glassnet"]
    assert "gn.datasets.spiral(n_samples=150, n_classes=3, noise=0.2, seed=seed)" in one["glassnet"]
    assert "train = order[30:]" in one["glassnet"]  # 20 % of 150 points are the test split


def test_a_learning_rate_and_batch_size_changed_while_training_are_replayed(client, tmp_path):
    spec = SETUPS["spiral-softmax-ce-adam"]
    sid = client.post("/api/train", json=spec).json()["id"]
    client.post(f"/api/train/{sid}/settings", json={"batch_size": 8})  # at step 0: the start
    client.post(f"/api/train/{sid}/step", json={"steps": 3})
    client.post(f"/api/train/{sid}/settings", json={"lr": 0.1})
    client.post(f"/api/train/{sid}/step", json={"steps": 4})
    client.post(f"/api/train/{sid}/settings", json={"batch_size": 20, "lr": 0.1})  # lr as is
    loss = client.post(f"/api/train/{sid}/step", json={"steps": 9}).json()["train_loss"]
    answer = client.get(f"/api/train/{sid}/code").json()
    assert answer["exact"] is True and answer["changed"] == []
    script = answer["glassnet"]
    assert "gn.Adam(net.parameters(), lr=0.03)" in script and ", 0, 8\n" in script
    assert "    if step == 3:  # changed on the page\n        optimizer.lr = 0.1\n" in script
    assert "    if step == 7:  # changed on the page\n        batch = 20\n" in script
    paths = [tmp_path / "replayed.py"]
    paths[0].write_text(script, encoding="utf-8")
    if find_spec("torch"):
        paths.append(tmp_path / "replayed_torch.py")
        paths[1].write_text(answer["pytorch"], encoding="utf-8")
    printed = run_all(paths)
    assert printed[0] == (16, float(f"{loss:.6g}"))
    if len(printed) > 1:
        assert printed[1][1] == pytest.approx(loss, rel=5.01e-6)


def test_a_run_changed_past_replaying_says_its_script_is_not_the_same_run(client):
    spec = SETUPS["spiral-softmax-ce-adam"]
    sid = client.post("/api/train", json=spec).json()["id"]
    client.post(f"/api/train/{sid}/step", json={"steps": 3})
    client.post(f"/api/train/{sid}/settings", json={"activation": "relu"})
    answer = client.get(f"/api/train/{sid}/code").json()
    assert answer["exact"] is False and answer["changed"] == ["activation at step 3"]
    assert "it changed while training (activation at step 3)" in answer["glassnet"]
    assert 'activation="relu"' in answer["glassnet"]  # the final settings, from the start


def upload(client, n_rows: int) -> str:
    rows = "x1,x2,label\n" + "".join(f"{i},{(7 * i) % 5},{'ab'[i % 2]}\n" for i in range(n_rows))
    answer = client.post("/api/datasets", files={"file": ("d.csv", rows, "text/csv")})
    return answer.json()["dataset"]


def test_a_small_uploaded_csv_is_written_into_the_script(client, tmp_path):
    spec = {"dataset": upload(client, 20), "hidden": [3], "features": ["x1", "x2", "x1x2"]}
    sid = client.post("/api/train", json=spec).json()["id"]
    loss = client.post(f"/api/train/{sid}/step", json={"steps": 7}).json()["train_loss"]
    script = client.get(f"/api/train/{sid}/code").json()["glassnet"]
    assert "the uploaded CSV's 16 training rows, standardised" in script  # 20 % are test rows
    path = tmp_path / "uploaded.py"
    path.write_text(script, encoding="utf-8")
    assert run_all([path]) == [(7, float(f"{loss:.6g}"))]


def test_a_large_uploaded_csv_gets_a_sentence_not_a_script(client):
    spec = {"dataset": upload(client, 400), "hidden": [3]}
    sid = client.post("/api/train", json=spec).json()["id"]
    answer = client.get(f"/api/train/{sid}/code")
    assert answer.status_code == 400
    assert answer.json()["error"] == ("copy as code writes an uploaded CSV's training rows into "
                                      "the script only up to 300; this one has 320")


# After the last step: clicked points and settings that changed no update (spec, steps, changes)
AT_THE_END = {
    "spiral-points-penalty": ("spiral-softmax-ce-adam", 23,
                              [("points", {"x1": 0.5, "x2": -1.0, "label": 2}),
                               ("points", {"x1": -0.25, "x2": 0.75, "label": 0}),
                               ("settings", {"penalty": "l2", "penalty_rate": 0.1, "lr": 0.3})]),
    "regression-features-point": ("regression-features-l2-momentum", 23,
                                  [("settings", {"batch_size": 7}),
                                   ("points", {"x1": 2.0, "x2": -3.0, "label": 0.5})]),
    "plane-whole-epochs-point": (None, 15, [("points", {"x1": 1.0, "x2": 1.0, "label": -1.0})]),
}


def test_a_point_or_setting_changed_after_the_last_step_keeps_the_script_exact(client, tmp_path):
    losses, paths, torch_paths = [], [], []
    for name, (setup, steps, changes) in AT_THE_END.items():
        spec = SETUPS[setup] if setup else WHOLE_EPOCHS["plane-l2-x1x2"][1]
        sid = client.post("/api/train", json=spec).json()["id"]
        client.post(f"/api/train/{sid}/step", json={"steps": steps})
        for route, body in changes:
            assert client.post(f"/api/train/{sid}/{route}", json=body).status_code == 200
        losses.append(client.get(f"/api/train/{sid}").json()["train_loss"])  # what the page shows
        answer = client.get(f"/api/train/{sid}/code").json()
        assert answer["exact"] is True and answer["changed"] == [], name
        assert "if step ==" not in answer["glassnet"]  # nothing to replay: no update changed
        for language, folder in (("glassnet", paths), ("pytorch", torch_paths)):
            folder.append(tmp_path / f"{name.replace('-', '_')}_{language}.py")
            folder[-1].write_text(answer[language], encoding="utf-8")
    assert "net.fit(X, T, epochs=3," in paths[-1].read_text(encoding="utf-8")
    assert run_all(paths) == [(steps, float(f"{loss:.6g}"))
                              for (_, steps, _), loss in zip(AT_THE_END.values(), losses)]
    if find_spec("torch"):
        for (steps, value), loss in zip(run_all(torch_paths), losses):
            assert value == pytest.approx(loss, rel=5.01e-6)


def test_a_point_added_before_later_steps_still_says_the_script_differs(client):
    sid = client.post("/api/train", json=SETUPS["spiral-softmax-ce-adam"]).json()["id"]
    client.post(f"/api/train/{sid}/step", json={"steps": 3})
    client.post(f"/api/train/{sid}/points", json={"x1": 0.5, "x2": -1.0, "label": 2})
    client.post(f"/api/train/{sid}/step", json={"steps": 1})
    answer = client.get(f"/api/train/{sid}/code").json()
    assert answer["exact"] is False and answer["changed"] == ["point at step 3"]
