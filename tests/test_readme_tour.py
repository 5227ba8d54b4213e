"""The README's quick tour and CSV example run as written and print the lecture's numbers."""

import re

import numpy as np
from test_readme_interop import code_under


def test_quick_tour_prints_the_lecture_numbers_and_updates_by_hand_arithmetic(capsys):
    namespace = {}
    exec(compile(code_under("A quick tour"), "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "ŷ = 0.75136507" in out and "L = 0.27481108" in out
    names = namespace["names"]
    assert names == ["w11[1]", "w12[1]", "w21[1]", "w22[1]", "b1[1]", "b2[1]",
                     "w11[2]", "w21[2]", "b1[2]"]
    # After the update: w11[2] = 0.40 − 0.5 · 0.0821670 = 0.3589165.
    assert namespace["output"].W.value[0, 0] == np.float64(0.40 - 0.5 * namespace["grad"][6])


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
