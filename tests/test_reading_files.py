"""Reading a user's file: only a regular one, refused at once otherwise, and never unbounded.

A FIFO with no writer would block a plain ``open`` forever, so each of these tests runs the
read in a thread and fails (after unblocking it) if no error comes within seconds.
"""

import os
import threading

import numpy as np
import pytest

import glassnet as gn
from glassnet import _files, course, datasets, persistence
from glassnet.course import Sheet

from cli_helpers import one_error_line, run_cli

DEV_ZERO = "/dev/zero"
needs_dev_zero = pytest.mark.skipif(not os.path.exists(DEV_ZERO), reason="needs /dev/zero")


def raised_at_once(call, fifo=None, seconds=10.0) -> BaseException:
    """The exception ``call()`` raises, failing the test if it returns or takes ``seconds``."""
    outcome = finished_at_once(call, fifo, seconds)
    assert "error" in outcome, f"{call} returned instead of refusing the file"
    return outcome["error"]


def finished_at_once(call, fifo=None, seconds=10.0) -> dict:
    """``{"value": ...}`` or ``{"error": ...}`` of ``call()``; fails if it takes ``seconds``."""
    outcome = {}

    def run():
        try:
            outcome["value"] = call()
        except BaseException as error:  # noqa: BLE001 - handed to the test to check
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if fifo is not None:  # a writer that leaves at once gives the stuck reader its EOF
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"{call} blocked for {seconds} s instead of refusing the file")
    return outcome


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    return path


def _xor_fit(net, **options):
    X, y = gn.datasets.xor()
    return net.fit(X, y, epochs=2, batch_size=2, seed=0, progress=False, **options)


# ---- model and checkpoint files --------------------------------------------------------


def test_loading_a_fifo_is_a_model_file_error_at_once(fifo):
    error = raised_at_once(lambda: gn.load(fifo), fifo)
    assert isinstance(error, gn.ModelFileError)
    assert str(error) == (f"{fifo}: is a FIFO (named pipe), not a regular file; expected a "
                          "glassnet model file")


@needs_dev_zero
def test_loading_or_resuming_from_dev_zero_is_refused():
    error = raised_at_once(lambda: gn.load(DEV_ZERO))
    assert isinstance(error, gn.ModelFileError) and "is a character device" in str(error)
    net = gn.Network([gn.Dense(2, 1, "sigmoid")], loss="bce", seed=0)
    error = raised_at_once(lambda: _xor_fit(net, resume=DEV_ZERO))
    assert isinstance(error, gn.ModelFileError) and error.path == DEV_ZERO
    assert error.problem == ("is a character device, not a regular file; expected a "
                             "glassnet model file")


def test_resuming_from_a_fifo_or_a_folder_is_refused(fifo, tmp_path):
    net = gn.Network([gn.Dense(2, 1, "sigmoid")], loss="bce", seed=0)
    error = raised_at_once(lambda: _xor_fit(net, resume=fifo), fifo)
    assert isinstance(error, gn.ModelFileError) and "is a FIFO" in str(error)
    with pytest.raises(gn.ModelFileError, match="is a folder; expected a glassnet model file"):
        _xor_fit(net, resume=tmp_path)


def test_a_huge_declared_header_is_refused_before_reading_it(tmp_path):
    path = tmp_path / "huge.safetensors"
    path.write_bytes((2**64 - 1).to_bytes(8, "little") + b"{}")
    with pytest.raises(gn.ModelFileError, match=r"declares a 18,446,744,073,709,551,615-byte "
                                                r"header, more than the 100,000,000 bytes"):
        gn.load(path)
    path.write_bytes((1000).to_bytes(8, "little") + b"{}")
    with pytest.raises(gn.ModelFileError, match=r"its header says 1000 bytes, the file has 2\)"):
        gn.load(path)


def test_only_the_bytes_the_header_declares_are_read(tmp_path):
    path = tmp_path / "m.safetensors"
    gn.Network([gn.Dense(2, 3), gn.Dense(3, 1)], seed=0).save(path)
    size = path.stat().st_size
    with open(path, "ab") as handle:
        handle.write(b"\0" * 5_000_000)  # megabytes after the tensors: one of them is read
    assert len(persistence._read_declared(path)) == size + 1
    with pytest.raises(gn.ModelFileError, match="checksum does not match"):
        gn.load(path)


def test_an_empty_file_is_truncated(tmp_path):
    (tmp_path / "empty.safetensors").write_bytes(b"")
    with pytest.raises(gn.ModelFileError, match=r"is truncated or empty \(0 bytes\)"):
        gn.load(tmp_path / "empty.safetensors")


# ---- CSV, answers and sheets -----------------------------------------------------------


def test_load_csv_refuses_a_fifo_and_dev_zero_at_once(fifo):
    error = raised_at_once(lambda: datasets.load_csv(fifo, target="y"), fifo)
    assert isinstance(error, ValueError)
    assert str(error) == (f"load_csv: {fifo}: is a FIFO (named pipe), not a regular file; "
                          "expected a CSV file")
    if os.path.exists(DEV_ZERO):
        error = raised_at_once(lambda: datasets.load_csv(DEV_ZERO, target="y"))
        assert "is a character device, not a regular file" in str(error)


def test_a_csv_over_the_cap_is_refused_in_one_sentence(tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    path.write_text("x,y\n" + "1,2\n" * 49)  # 4 + 49 · 4 = 200 bytes
    monkeypatch.setattr(_files, "MAX_TEXT_BYTES", 199)
    with pytest.raises(ValueError, match=r"big.csv: is 200 bytes, more than the 199 glassnet "
                                         r"reads; expected a CSV file of at most that size"):
        datasets.load_csv(path, target="y")
    monkeypatch.setattr(_files, "MAX_TEXT_BYTES", 200)
    assert datasets.load_csv(path, target="y").X.shape == (49, 1)


def test_check_refuses_answers_that_are_not_a_regular_file(tmp_path):
    sheet = course.generate("forward", seed=0)
    pipe = tmp_path / "answers.json"
    os.mkfifo(pipe)
    error = raised_at_once(lambda: course.check(sheet, pipe), pipe)
    assert isinstance(error, ValueError) and str(error) == (
        f"{pipe}: is a FIFO (named pipe), not a regular file; expected a .csv or .json "
        "answers file")
    if os.path.exists(DEV_ZERO):
        error = raised_at_once(lambda: course.check(sheet, DEV_ZERO))
        assert "/dev/zero: is a character device" in str(error)


def test_sheet_load_refuses_a_fifo(tmp_path):
    pipe = tmp_path / "sheet.json"
    os.mkfifo(pipe)
    error = raised_at_once(lambda: Sheet.load(pipe), pipe)
    assert isinstance(error, ValueError)
    assert "is a FIFO (named pipe), not a regular file" in str(error)


# ---- the command line: exit 2, one line ------------------------------------------------


@pytest.mark.parametrize("command", [
    ["train", "{fifo}", "--target", "y"],
    ["evaluate", "{fifo}", "iris"],
    ["train", "iris", "--resume", "{fifo}"],
    ["train", "iris", "--out", "{fifo}"],
])
def test_the_cli_refuses_a_fifo_in_one_line(fifo, command):
    args = [part.format(fifo=fifo) for part in command]
    code, _, err = finished_at_once(lambda: run_cli(*args), fifo)["value"]
    assert code == 2
    assert "is a FIFO (named pipe), not a regular file" in one_error_line(err)


def test_the_cli_predicts_from_a_regular_csv_only(tmp_path, fifo):
    model = tmp_path / "m.safetensors"
    gn.Network([gn.Dense(4, 3, "softmax")], loss="cross_entropy", seed=0).save(model)
    code, _, err = finished_at_once(lambda: run_cli("predict", model, fifo), fifo)["value"]
    assert code == 2 and "is a FIFO (named pipe)" in one_error_line(err)
    rows = tmp_path / "rows.csv"
    rows.write_text("a,b,c,d\n1,2,3,4\n")
    code, out, _ = run_cli("predict", model, rows)
    assert code == 0 and len(out.strip().splitlines()) == 2
    assert np.isfinite(gn.load(model).predict(np.ones((1, 4)))).all()


def test_quiz_check_says_the_answers_file_is_a_fifo_not_missing(tmp_path, fifo):
    sheet = tmp_path / "quiz"
    code, _, _ = run_cli("quiz", "new", "forward", "--seed", "1", "--out", sheet)
    assert code == 0
    code, _, err = finished_at_once(
        lambda: run_cli("quiz", "check", sheet / "sheet.json", fifo), fifo)["value"]
    assert code == 2
    line = one_error_line(err)
    assert "is a FIFO (named pipe), not a regular file" in line and "does not exist" not in line
