"""``explain``, ``export``, ``playground``, checkpoints, and real ``python -m glassnet`` runs."""

import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from cli_helpers import one_error_line, run_cli, run_module

import glassnet as gn
from glassnet.course import lecture_network


@pytest.fixture
def lecture_model(tmp_path):
    path = tmp_path / "lecture.safetensors"
    lecture_network().save(path)
    return path


def test_explain_a_saved_model_leaves_the_file_alone(lecture_model):
    before = lecture_model.read_bytes()
    code, out, _ = run_cli("explain", lecture_model, "--input", "0.05,0.10", "--target",
                           "0.01", "--lr", "0.5")
    assert code == 0
    # ŷ = σ(1.10590597) = 0.75136507 → 0.75137 at 5 digits; w11[2] ← 0.40 − 0.5·0.08216704
    assert "0.75137" in out and "0.35892" in out
    assert lecture_model.read_bytes() == before


def test_explain_svg_draws_the_view_asked_for(lecture_model):
    code, out, _ = run_cli("explain", lecture_model, "--input", "0.05,0.10", "--target",
                           "0.01", "--format", "svg", "--view", "update")
    assert code == 0 and out.lstrip().startswith("<svg")
    # the update view labels each edge old → new: w11[2] 0.40 → 0.40 − 0.5·0.08216704 = 0.35892
    assert "0.40 → 0.35892" in out and "Update by SGD" in out


def test_explain_markdown_of_a_classifier(tmp_path):
    net = gn.Network([gn.Dense(3, 4, "tanh"), gn.Dense(4, 3, "softmax")],
                     loss="cross_entropy", seed=0)
    net.save(tmp_path / "c.safetensors")
    code, out, _ = run_cli("explain", tmp_path / "c.safetensors", "--input", "1,2,3",
                           "--target", "2", "--format", "markdown")
    assert code == 0 and "$$" in out
    code, _, err = run_cli("explain", tmp_path / "c.safetensors", "--input", "1,2,3",
                           "--target", "5")
    assert code == 2 and "class number from 0 to 2" in one_error_line(err)


def test_explain_text_keeps_a_space_between_all_columns_of_tiny_numbers(tmp_path):
    # a 2-12-2 classifier's small gradients once printed as "-0.036481-0.000031763"
    net = gn.Network([gn.Dense(2, 12, "tanh"), gn.Dense(12, 2, "softmax")],
                     loss="cross_entropy", seed=22)  # a seed whose gradients are that small
    net.save(tmp_path / "m.safetensors")
    code, out, _ = run_cli("explain", tmp_path / "m.safetensors", "--input", "0.5,-0.2",
                           "--target", "1")
    assert code == 0
    update = out.split("Step 4: update")[1].splitlines()[2:]
    rows = [line.split() for line in update if line.strip()[:1] in ("w", "b")]
    assert len(rows) > 20  # the table shows the first rows of each parameter
    for name, *numbers in rows:
        old, grad, step, new = map(float, numbers)  # four numbers, each whole
        assert new == pytest.approx(old + step, abs=1e-4)
        assert step == pytest.approx(-0.5 * grad, rel=1e-3, abs=1e-9)


@pytest.mark.parametrize("args, expected", [
    (["--input", "0.05", "--target", "0.01"], "--input expected 2 numbers, got 1"),
    (["--input", "0.05,abc", "--target", "0.01"], "--input expected numbers"),
    (["--input", "0.05,0.1", "--target", "0.01,0.2"], "--target expected 1 value"),
])
def test_explain_wrong_input_is_one_line(lecture_model, args, expected):
    code, _, err = run_cli("explain", lecture_model, *args)
    assert code == 2 and expected in one_error_line(err)


def test_export_onnx_runs_in_onnxruntime(lecture_model, tmp_path):
    import onnxruntime

    code, _, err = run_cli("export", lecture_model, "--to", "onnx", tmp_path / "l.onnx")
    assert code == 0 and "wrote" in err
    session = onnxruntime.InferenceSession(str(tmp_path / "l.onnx"))
    y_hat = session.run(None, {session.get_inputs()[0].name:
                               np.array([[0.05, 0.10]], np.float32)})[0]
    assert y_hat[0, 0] == pytest.approx(0.75136507, abs=1e-6)


@pytest.mark.slow  # importing torch and tracing take a few seconds
def test_export_torch_program_loads_without_glassnet_code(lecture_model, tmp_path):
    import torch

    code, _, _ = run_cli("export", lecture_model, "--to", "torch", tmp_path / "l.pt2")
    assert code == 0
    module = torch.export.load(str(tmp_path / "l.pt2")).module()
    x = torch.tensor([[0.05, 0.10], [0.05, 0.10], [0.0, 0.0]], dtype=torch.float64)
    assert module(x)[0, 0].item() == pytest.approx(0.75136507, abs=1e-8)
    assert module(x[:1]).shape == (1, 1)  # the batch size is not fixed to the example's


def test_export_unknown_target_is_one_line(lecture_model, tmp_path):
    code, _, err = run_cli("export", lecture_model, "--to", "tflite", tmp_path / "x")
    assert code == 2 and "'--to'" in one_error_line(err)


def test_checkpoint_then_resume_equals_an_uninterrupted_run(tmp_path):
    common = ["--quiet", "train", "moons", "--hidden", "8", "--seed", "4"]
    assert run_cli(*common, "--epochs", "3", "--checkpoint", tmp_path / "c.ckpt",
                   "--out", tmp_path / "first.safetensors")[0] == 0
    assert run_cli(*common, "--epochs", "6", "--resume", tmp_path / "c.ckpt",
                   "--out", tmp_path / "resumed.safetensors")[0] == 0
    assert run_cli(*common, "--epochs", "6", "--out", tmp_path / "straight.safetensors")[0] == 0
    resumed, straight = (gn.load(tmp_path / f"{name}.safetensors").state_dict()
                         for name in ("resumed", "straight"))
    assert all(np.array_equal(resumed[name], straight[name]) for name in straight)
    assert (tmp_path / "resumed.safetensors").read_bytes() == \
        (tmp_path / "straight.safetensors").read_bytes()  # the whole file, byte for byte


def test_python_m_glassnet_runs_the_example(tmp_path):
    done = run_module("example", cwd=tmp_path)
    assert done.returncode == 0
    assert "ŷ = 0.75136507" in done.stdout and "L = 0.27481108" in done.stdout
    assert "\x1b[" not in done.stdout  # plain output when not a terminal


def test_python_m_glassnet_mistake_exit_code(tmp_path):
    done = run_module("train", "no_such_data", cwd=tmp_path)
    assert done.returncode == 2
    assert "unknown data set 'no_such_data'" in one_error_line(done.stderr)
    assert done.stdout == ""


def test_train_in_a_pipe_prints_plain_epoch_lines(tmp_path):
    done = run_module("train", "xor", "--hidden", "4", "--epochs", "20", "--out",
                      tmp_path / "x.safetensors", cwd=tmp_path)
    assert done.returncode == 0
    assert "\r" not in done.stderr and "\x1b[" not in done.stderr  # no bar redraws, no colour
    epochs = [line for line in done.stderr.splitlines() if line.startswith("epoch")]
    assert len(epochs) == 10  # one line per tenth of the run, never one per batch


@pytest.mark.slow
def test_ctrl_c_keeps_a_checkpoint_and_writes_no_model(tmp_path):
    ckpt, model = tmp_path / "run.ckpt", tmp_path / "m.safetensors"
    process = subprocess.Popen(
        [sys.executable, "-m", "glassnet", "train", "digits", "--epochs", "500",
         "--checkpoint", ckpt, "--out", model], cwd=tmp_path,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180  # generous: a loaded machine imports slowly
    while not ckpt.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert ckpt.exists() and not model.exists()
    assert "resume" in err.lower()


@pytest.mark.slow
def test_playground_serves_the_page(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "glassnet", "playground", "--port", "0",
                                "--no-browser"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()  # "glassnet playground: http://127.0.0.1:PORT/ …"
        url = line.split()[2]
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert b"<html" in response.read().lower()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)


def test_playground_port_in_use_is_one_line():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        code, _, err = run_cli("playground", "--port", port, "--no-browser")
    assert code == 2 and f"127.0.0.1:{port}" in one_error_line(err)


def test_the_console_script_is_installed():
    script = Path(sys.executable).with_name("glassnet")
    if not script.exists():
        pytest.skip(f"no console script beside {sys.executable} (not an installed environment)")
    done = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"glassnet, version {gn.__version__}"


def test_evaluate_and_predict_a_model_saved_from_python(tmp_path):
    data = gn.datasets.iris()
    net = gn.Network([gn.Dense(4, 3, "softmax")], loss="cross_entropy", seed=0)
    net.fit(data.X, data.y, epochs=30, lr=0.05, seed=0, progress=False)
    net.save(tmp_path / "py.safetensors")  # no run record beside it
    accuracy = np.mean(net.predict(data.X) == data.y)
    code, out, err = run_cli("evaluate", tmp_path / "py.safetensors", "iris")
    assert code == 0, err
    assert f"accuracy   {accuracy:.4f}" in out
    assert "all 150 rows (no run record beside the model" in out   # says what it scored
    assert "setosa" in out   # the data set's class names label the confusion matrix
    code, out, _ = run_cli("predict", tmp_path / "py.safetensors", "iris")
    assert out.splitlines()[0] == "row,prediction,p_0,p_1,p_2"  # no names known: numbers
