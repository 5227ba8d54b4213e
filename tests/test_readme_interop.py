"""The README's interop examples run as written (so they stay runnable)."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def code_under(heading: str) -> str:
    """The first ```python block of the README section titled ``heading``."""
    text = README.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


@pytest.mark.slow
def test_when_you_outgrow_glassnet_runs(tmp_path, monkeypatch, capsys):
    pytest.importorskip("torch")
    onnxruntime = pytest.importorskip("onnxruntime")
    monkeypatch.chdir(tmp_path)                       # the example writes xor.onnx
    namespace = {}
    exec(compile(code_under("When you outgrow glassnet"), "README.md", "exec"), namespace)
    glassnet_loss, torch_loss = (float(v) for v in re.findall(r"loss (\d+\.\d+)",
                                                               capsys.readouterr().out))
    assert torch_loss < glassnet_loss                 # training did continue in PyTorch
    X = namespace["X"].astype("float32")
    session = onnxruntime.InferenceSession("xor.onnx", providers=["CPUExecutionProvider"])
    accuracy = (session.run(None, {"x": X})[0].argmax(axis=1) == namespace["y"]).mean()
    assert accuracy > 0.95


def test_scikit_learn_pipeline_example_runs(capsys):
    exec(compile(code_under("In a scikit-learn pipeline"), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert float(re.search(r"5-fold accuracy (\d\.\d+)", out).group(1)) > 0.9
    assert "Network(Dense(4 → 16, relu), Dense(16 → 3, softmax)" in out
