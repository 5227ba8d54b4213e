"""examples/handoff_ddp.py, run as the README shows it: glassnet → to_torch → DDP → from_torch.

The README's command (``torchrun --standalone --nproc_per_node=2 …``, two CPU processes on
the gloo backend) runs while this process runs the script's ``main`` as one process (what
``python examples/handoff_ddp.py`` does: a process group of one) on the same global batch. Same global batches, same starting bits:
the two must end with the same weights, up to the float32 rounding of summing each
gradient in another order (two half-batch GEMMs and an all-reduce instead of one GEMM).
``torchrun --standalone`` picks free ports itself, so parallel test workers do not collide.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import glassnet as gn

torch = pytest.importorskip("torch")
if not torch.distributed.is_available():
    pytest.skip("this PyTorch build has no torch.distributed", allow_module_level=True)

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "examples" / "handoff_ddp.py"
README = ROOT / "README.md"
TIMEOUT = 240  # seconds; a run takes 10-40 s on a loaded 2-core machine, mostly imports
# float32 rounding: eps = 2**-23 ≈ 1.19e-7 is one unit in the last place at 1, and the
# weights here stay below 1; 16 units leave room for ~200 steps of differently rounded sums.
FLOAT32_ATOL = 16 * np.finfo(np.float32).eps


def readme_commands() -> list[list[str]]:
    """The ``torchrun`` command lines of the README's hand-off section, as argument lists."""
    section = README.read_text(encoding="utf-8").split("\n## When you outgrow glassnet\n")[1]
    section = section.split("\n## ", 1)[0]
    block = re.search(r"^```bash\n(.*?)^```", section, re.DOTALL | re.MULTILINE)[1]
    return [shlex.split(line, comments=True) for line in block.splitlines()
            if line.startswith("torchrun ")]


def launch(words: list[str], *options: str) -> subprocess.Popen:
    """Start a README command from the repository root; ``torchrun`` through this Python."""
    if words[0] == "torchrun":
        words = [sys.executable, "-m", "torch.distributed.run", *words[1:]]
    elif words[0] == "python":
        words = [sys.executable, *words[1:]]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}  # torchrun's own default, without its warning
    return subprocess.Popen([*words, *options], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def finish(process: subprocess.Popen) -> str:
    try:
        out, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
        pytest.fail(f"{shlex.join(process.args)} ran over {TIMEOUT} s:\n{out[-3000:]}")
    assert process.returncode == 0, f"{shlex.join(process.args)} failed:\n{out[-3000:]}"
    return out


def load_example():
    spec = importlib.util.spec_from_file_location("handoff_ddp", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The README's CPU command (two processes), and meanwhile the script's ``main`` in this
    process: ``python examples/handoff_ddp.py``, a process group of one (no second start-up
    of torch, DDP and scikit-learn on a 2-core machine)."""
    folder = tmp_path_factory.mktemp("handoff")
    cpu = next(words for words in readme_commands() if "--device" not in words)
    two = launch(cpu, "--save", str(folder / "two.safetensors"),
                 "--explain", str(folder / "two.md"))
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            load_example().main(["--save", str(folder / "one.safetensors")])
    finally:
        out = finish(two)
    return {"two": out, "one": printed.getvalue(), "folder": folder}


@pytest.mark.slow
def test_the_readme_shows_two_processes_on_the_cpu_and_the_same_script_on_gpus():
    commands = readme_commands()
    assert len(commands) == 2, commands
    cpu, gpu = commands
    assert "--nproc_per_node=2" in cpu and "--device" not in cpu
    assert gpu[-2:] == ["--device", "cuda"] and gpu[1:-2] != cpu[1:]  # one process per GPU
    for words in commands:
        assert "examples/handoff_ddp.py" in words and (ROOT / "examples/handoff_ddp.py") == SCRIPT


@pytest.mark.slow
def test_two_processes_end_with_the_weights_of_one_on_the_same_global_batch(runs):
    assert "PyTorch DDP, 2 processes on cpu" in runs["two"]
    assert "PyTorch DDP, 1 process on cpu" in runs["one"]
    two = gn.load(runs["folder"] / "two.safetensors").state_dict()
    one = gn.load(runs["folder"] / "one.safetensors").state_dict()
    assert list(two) == ["W[1]", "b[1]", "W[2]", "b[2]"]
    for name in two:
        assert two[name].dtype == np.float32
        np.testing.assert_allclose(two[name], one[name], rtol=0, atol=FLOAT32_ATOL,
                                   err_msg=name)
    # and PyTorch did train: its loss fell below the one glassnet handed over
    first = float(re.search(r"1\. glassnet.*loss (\d+\.\d+)", runs["two"])[1])
    then = float(re.search(r"3\. PyTorch DDP.*loss (\d+\.\d+)", runs["two"])[1])
    assert then < 0.7 * first


@pytest.mark.slow
def test_the_network_brought_back_gets_the_same_digits_right_as_pytorch(runs):
    out = runs["two"]
    line = re.search(r"glassnet on (\d+) test digits: loss (\d+\.\d+), accuracy (\d\.\d+) "
                     r"\((\d+) right\); PyTorch: (\d+) right, different labels on (\d+)", out)
    assert line, out
    n, loss, accuracy, ours, theirs, different = line.groups()
    assert ours == theirs and different == "0"
    # recomputed here from the saved file, on the example's own test split
    example = load_example()
    _, X_test, _, y_test = example.digits(seed=0, global_batch=64)
    net = gn.load(runs["folder"] / "two.safetensors")
    assert len(y_test) == int(n)
    assert (net.predict(X_test) == y_test).sum() == int(theirs)
    assert net.evaluate(X_test, y_test)["accuracy"] == pytest.approx(float(accuracy), abs=5e-5)
    assert float(accuracy) > 0.9                      # a digits MLP reaches 95-98 %
    # the explanation is the engine's: its derivation file names the loss it printed
    shown = re.search(r"ℓ = −log ŷ\[(\d)\] = (\d+\.\d+)", out)
    assert shown, out
    markdown = (runs["folder"] / "two.md").read_text(encoding="utf-8")
    assert shown[2][:4] in markdown


def test_a_global_batch_the_processes_cannot_share_is_refused_in_one_sentence():
    example = load_example()
    args = example.parse_args(["--global-batch", "63"])
    example.check_args(args, world_size=1)            # one process takes any batch
    with pytest.raises(SystemExit, match=r"expected --global-batch to be a multiple of the "
                                         r"2 processes, got 63"):
        example.check_args(args, world_size=2)
    with pytest.raises(SystemExit, match=r"expected --torch-epochs of at least 1, got 0"):
        example.check_args(example.parse_args(["--torch-epochs", "0"]), world_size=1)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_without_a_gpu_device_cuda_says_so():
    example = load_example()
    with pytest.raises(SystemExit, match="expected a CUDA GPU for --device cuda"):
        example.start_processes("cuda")


@pytest.mark.slow
@pytest.mark.skipif(not torch.cuda.is_available(),
                    reason="no CUDA GPU here: the README's --device cuda command needs one")
def test_the_gpu_command_runs_unchanged_and_agrees_with_the_cpu(runs):
    gpu = next(words for words in readme_commands() if "--device" in words)
    folder = runs["folder"]
    out = finish(launch(gpu, "--save", str(folder / "gpu.safetensors")))
    assert re.search(r"PyTorch DDP, \d+ process(es)? on cuda", out)
    line = re.search(r"\((\d+) right\); PyTorch: (\d+) right, different labels on (\d+)", out)
    assert line[1] == line[2] and line[3] == "0"
    cuda = gn.load(folder / "gpu.safetensors").state_dict()
    cpu = gn.load(folder / "one.safetensors").state_dict()
    for name in cpu:  # cuBLAS sums in its own order: float32 rounding, not the same bits
        np.testing.assert_allclose(cuda[name], cpu[name], rtol=0, atol=1e-4, err_msg=name)
