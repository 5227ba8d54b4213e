"""The README's quick tour and CSV example run as written and print the lecture's numbers.

The tour's step is checked against the same step computed from scratch in NumPy below, with
the hand arithmetic beside it, never against the engine's own gradient.
"""

import re

import numpy as np
import pytest
from test_readme_interop import code_under


def lecture_step_from_scratch():
    """The tour's training step in plain NumPy, the lecture's formulas and no glassnet."""
    x, y = np.array([[0.05, 0.10]]), np.array([[0.01]])
    W1, b1 = np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([0.35, 0.35])
    W2, b2 = np.array([[0.40], [0.45]]), np.array([0.60])
    a1 = 1 / (1 + np.exp(-(x @ W1 + b1)))        # σ(0.3775), σ(0.3925) = 0.5932700, 0.5968844
    y_hat = 1 / (1 + np.exp(-(a1 @ W2 + b2)))     # σ(1.1059060) = 0.7513651
    loss = 0.5 * ((y - y_hat) ** 2).sum()         # ½ · 0.7413651² = 0.2748111
    delta2 = (y_hat - y) * y_hat * (1 - y_hat)    # 0.7413651 · 0.1868156 = 0.1384986
    delta1 = (delta2 @ W2.T) * a1 * (1 - a1)      # 0.1384986 · 0.40 · 0.5932700 · 0.4067300
                                                  # = 0.0133679; with 0.45, a2: 0.0149961
    # ∇θL in the tour's order: w11[1], w12[1], w21[1], w22[1], b1[1], b2[1], w11[2], w21[2], b1[2]
    grad = np.concatenate([(x.T @ delta1).ravel(), delta1[0], (a1.T @ delta2).ravel(), delta2[0]])
    theta = np.concatenate([W1.ravel(), b1, W2.ravel(), b2])
    return y_hat[0, 0], loss, grad, theta - 0.5 * grad   # θ ← θ − α ∇θL, α = 0.5


def test_quick_tour_prints_the_lecture_numbers_and_updates_by_hand_arithmetic(capsys):
    namespace = {}
    exec(compile(code_under("A quick tour"), "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "ŷ = 0.75136507" in out and "L = 0.27481108" in out
    names = namespace["names"]
    assert names == ["w11[1]", "w12[1]", "w21[1]", "w22[1]", "b1[1]", "b2[1]",
                     "w11[2]", "w21[2]", "b1[2]"]
    y_hat, loss, grad, updated = lecture_step_from_scratch()
    assert namespace["y_hat"][0, 0] == pytest.approx(y_hat, rel=1e-14)
    assert namespace["loss"] == pytest.approx(loss, rel=1e-14)
    np.testing.assert_allclose(namespace["grad"], grad, rtol=1e-12)
    # After the update: w11[2] = 0.40 − 0.5 · 0.0821670 = 0.3589165.
    assert namespace["output"].W.value[0, 0] == pytest.approx(0.40 - 0.5 * grad[6], rel=1e-14)
    assert namespace["output"].W.value[0, 0] == pytest.approx(0.3589165, abs=1e-7)
    net = namespace["net"]
    after = np.concatenate([p.value.ravel() for p in net.parameters()])
    np.testing.assert_allclose(after, updated, rtol=1e-12)


def test_csv_example_runs_on_a_real_csv(tmp_path, monkeypatch, capsys):
    from sklearn.datasets import load_iris

    iris = load_iris(as_frame=True)
    frame = iris.frame.rename(columns={"target": "species"})
    frame["species"] = np.asarray(iris.target_names)[frame["species"]]
    monkeypatch.chdir(tmp_path)
    frame.to_csv("iris.csv", index=False)
    exec(compile(code_under("Training on real data"), "README.md", "exec"), {})
    accuracy = float(re.search(r"'accuracy': (?:np.float64\()?([\d.]+)", capsys.readouterr().out)[1])
    assert accuracy > 0.85
    assert (tmp_path / "iris.safetensors").exists() and (tmp_path / "iris.ckpt").exists()
