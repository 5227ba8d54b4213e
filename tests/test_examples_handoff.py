"""examples/handoff_ddp.py as the README shows it: glassnet → to_torch → DDP → from_torch.

The README's command (``torchrun --standalone --nproc_per_node=2 …``, two CPU processes on
the gloo backend) runs while this process runs the script's ``main`` as one process (what
``python examples/handoff_ddp.py`` does: a process group of one) on the same global batch.
Same global batches, same starting bits: the two must end with the same weights, up to the
float32 rounding of summing each gradient in another order (two half-batch GEMMs and an
all-reduce instead of one GEMM). ``torchrun --standalone`` picks free ports itself, so
parallel test workers do not collide.
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


def beside_one_process(command: list[str], folder: Path, *options: str) -> tuple[str, str]:
    """Run a README command and, meanwhile, the script's ``main`` in this process on the CPU
    (what ``python examples/handoff_ddp.py`` runs; no second start-up of torch, DDP and
    scikit-learn on a 2-core machine). Saves ``many.safetensors`` and ``one.safetensors``;
    returns what each printed. One test per run: under ``pytest -n 2`` a shared fixture
    would run once per worker."""
    many = launch(command, "--save", str(folder / "many.safetensors"), *options)
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            load_example().main(["--save", str(folder / "one.safetensors")])
    finally:
        out = finish(many)
    assert "PyTorch DDP, 1 process on cpu" in printed.getvalue()
    return out, printed.getvalue()


def assert_same_weights(folder: Path, atol: float) -> None:
    many = gn.load(folder / "many.safetensors").state_dict()
    one = gn.load(folder / "one.safetensors").state_dict()
    assert list(many) == ["W[1]", "b[1]", "W[2]", "b[2]"]
    for name in many:
        assert many[name].dtype == np.float32
        np.testing.assert_allclose(many[name], one[name], rtol=0, atol=atol, err_msg=name)


def assert_same_digits_right(out: str, folder: Path) -> None:
    """The printed counts agree, and agree with the saved network on the example's split."""
    line = re.search(r"glassnet on (\d+) test digits: loss (\d+\.\d+), accuracy (\d\.\d+) "
                     r"\((\d+) right\); PyTorch: (\d+) right, different labels on (\d+)", out)
    assert line, out
    n, _, accuracy, ours, theirs, different = line.groups()
    assert ours == theirs and different == "0"
    example = load_example()
    defaults = example.parse_args([])                 # what the commands ran with
    _, X_test, _, y_test = example.digits(defaults.seed, defaults.global_batch)
    net = gn.load(folder / "many.safetensors")
    assert len(y_test) == int(n)
    assert (net.predict(X_test) == y_test).sum() == int(theirs)
    assert net.evaluate(X_test, y_test)["accuracy"] == pytest.approx(float(accuracy), abs=5e-5)
    assert float(accuracy) > 0.9                      # a digits MLP reaches 95-98 %


def test_the_readme_shows_two_cpu_processes_and_the_same_script_on_gpus():
    commands = readme_commands()
    assert len(commands) == 2, commands
    cpu, gpu = commands
    assert "--nproc_per_node=2" in cpu and "--nproc_per_node=gpu" in gpu  # one per GPU
    assert "examples/handoff_ddp.py" in cpu
    unchanged = [word for word in gpu if not word.startswith("--nproc_per_node")]
    assert unchanged == [w for w in cpu if not w.startswith("--nproc_per_node")] + [
        "--device", "cuda"]


@pytest.mark.slow
def test_two_processes_end_with_the_weights_of_one_and_come_back_as_pytorch_left_them(
        tmp_path):
    cpu = next(words for words in readme_commands() if "--device" not in words)
    out, _ = beside_one_process(cpu, tmp_path, "--explain", str(tmp_path / "step.md"))
    assert "PyTorch DDP, 2 processes on cpu" in out
    assert_same_weights(tmp_path, atol=FLOAT32_ATOL)
    # PyTorch did train: its loss fell well below the one glassnet handed over
    first = float(re.search(r"1\. glassnet.*loss (\d+\.\d+)", out)[1])
    then = float(re.search(r"3\. PyTorch DDP.*loss (\d+\.\d+)", out)[1])
    assert then < 0.7 * first
    assert_same_digits_right(out, tmp_path)
    # the explanation is the engine's: the derivation it wrote has the loss it printed, on
    # output neuron digit + 1 (the lecture counts neurons from 1)
    digit, loss = re.search(r"ℓ = −log ŷ\[(\d)\] = (\d+\.\d+)", out).groups()
    markdown = (tmp_path / "step.md").read_text(encoding="utf-8")
    line = r"-\\log \\hat\{y\}_\{(\d+)\} = -\\log \S+ \\approx (\S+)\$\$"
    neuron, derived = re.search(line, markdown).groups()
    assert int(neuron) == int(digit) + 1
    assert float(derived) == pytest.approx(float(loss), abs=6e-4)   # 4 digits there, 3 here


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
    with pytest.raises(SystemExit, match="expected a CUDA GPU for --device cuda"):
        load_example().start_processes("cuda")


@pytest.mark.slow
@pytest.mark.skipif(not torch.cuda.is_available(),
                    reason="no CUDA GPU here: the README's --device cuda command needs one")
def test_the_gpu_command_runs_unchanged_and_agrees_with_the_cpu(tmp_path):
    gpu = next(words for words in readme_commands() if "--device" in words)
    out, _ = beside_one_process(gpu, tmp_path)
    assert re.search(r"PyTorch DDP, \d+ process(es)? on cuda", out), out
    # cuBLAS sums in its own order: float32 rounding over ~90 steps, not the same bits
    assert_same_weights(tmp_path, atol=1e-4)
    assert_same_digits_right(out, tmp_path)
