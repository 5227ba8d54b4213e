"""gn.course.worked_example and gn.course.exercise: the lecture's numbers, solved."""

import numpy as np
import pytest
from conftest import require_tool

import glassnet as gn
from glassnet.course._format import latex_to_pdf


@pytest.fixture(scope="module")
def ex():
    return gn.course.worked_example()


def test_worked_example_gives_y_hat_loss_and_all_nine_gradients(ex):
    assert f"{ex.y_hat:.8f}" == "0.75136507" and f"{ex.loss:.8f}" == "0.27481108"
    names = [n for n, _ in ex.gradients]
    assert names == ["w11[1]", "w12[1]", "w21[1]", "w22[1]", "b1[1]", "b2[1]", "w11[2]",
                     "w21[2]", "b1[2]"]
    g = dict(ex.gradients)
    # ∂L/∂b = δ: 0.01336792, 0.01499608, 0.13849856 (the slides leave these out)
    assert [f"{g[n]:.8f}" for n in ("b1[1]", "b2[1]", "b1[2]")] == \
        ["0.01336792", "0.01499608", "0.13849856"]
    # The gradient vector, the trace and the hand-calculation sheet agree.
    assert g["w21[2]"] == ex.values["dw21[2]"] == ex.trace.layers[1].W.grad[1, 0]
    assert ex.values["w21[1]_new"] == pytest.approx(0.20 - 0.5 * g["w21[1]"], rel=1e-15)


def test_worked_example_leaves_its_network_untouched(ex):
    np.testing.assert_array_equal(ex.net.layers[0].W.value, [[0.15, 0.25], [0.20, 0.30]])
    assert ex.trace.layers[0].W.new[1, 0] != 0.20


def test_worked_example_markdown_text_and_latex_show_the_numbers_and_errata(ex):
    md = ex.to_markdown()
    for piece in ("0.59327", "0.75137", "## Errata", "| b1[2] | 0.6 | 0.13849856 | 0.53075072 |"):
        assert piece in md, piece
    text = ex.to_text()
    assert "0.53075072" in text and "[erratum]" in text
    assert ex.to_latex().isascii()


def test_students_can_check_the_worked_example(ex):
    report = gn.course.check(ex.sheet, {"a1[1]": "0.59327", "a1[2]": "0.75137", "L": "0.2748",
                                        "dw21[2]": "0.0826"})
    # The slides' truncated 0.0826 is not an accepted rounding of 0.0826676.
    assert report.verdicts["dw21[2]"] == "wrong"
    assert report.verdicts["a1[2]"] == report.verdicts["L"] == "correct"


def test_exercise_1_forward_pass_with_new_inputs():
    e = gn.course.exercise(1)
    k = e.sheet.key
    # z1 = 0.10·0.12 + 0.20·0.22 + 0.35 = 0.406 → σ = 0.60013; z2 = 0.424 → 0.60444
    assert k["z1[1]"] == pytest.approx(0.406, abs=1e-15)
    assert k["z2[1]"] == pytest.approx(0.424, abs=1e-15)
    assert (f"{k['a1[1]']:.5f}", f"{k['a2[1]']:.5f}") == ("0.60013", "0.60444")
    # ŷ = σ(0.60013·0.40 + 0.60444·0.45 + 0.60) = σ(1.11205) = 0.75251
    assert f"{k['a1[2]']:.5f}" == "0.75251"
    assert "$h_2$" in e.discussion[0][1] and "12.5%" in e.discussion[0][1]


def test_exercise_2_output_gradients():
    k = gn.course.exercise(2).sheet.key
    # ŷ − y = 0.70; ŷ(1 − ŷ) = 0.8·0.2 = 0.16; δ = 0.112; δ·0.60 = 0.0672; δ·0.55 = 0.0616
    for name, value in (("dy_hat", 0.70), ("dsig1[2]", 0.16), ("delta1[2]", 0.112),
                        ("dw11[2]", 0.0672), ("dw21[2]", 0.0616)):
        assert k[name] == pytest.approx(value, abs=1e-15), name


def test_exercise_3_states_its_assumption():
    e = gn.course.exercise(3)
    k = e.sheet.key
    # δ1 = 0.14 · 0.42 · 0.60 · 0.40 = 0.014112; ·0.05 = 0.0007056; ·0.10 = 0.0014112
    assert k["delta1[1]"] == pytest.approx(0.014112, abs=1e-15)
    assert k["dw11[1]"] == pytest.approx(0.0007056, abs=1e-15)
    assert k["dw21[1]"] == pytest.approx(0.0014112, abs=1e-15)
    assert any("assumed" in n for n in e.notes) and "x_2" in e.discussion[0][1]


def test_exercise_4_compares_learning_rates_with_a_real_run():
    e = gn.course.exercise(4)
    # 0.15 − 0.1 · 0.0008 = 0.14992; α doubled: 0.14984; α/10: 0.149992
    assert e.sheet.key["w11[1]_new"] == pytest.approx(0.14992, abs=1e-15)
    assert "0.14984" in e.discussion[0][1] and "0.149992" in e.discussion[0][1]
    run = e.run
    verdicts = [run.verdict(k) for k in range(len(run.alphas))]
    assert verdicts[0].startswith("too slow")          # α = 0.05
    assert verdicts[2] == "falls smoothly"             # α = 5
    assert verdicts[3].startswith("overshoots")        # α = 50: the loss rises on some steps
    assert run.losses[3][1] > run.losses[3][0]
    assert verdicts[4].startswith("stuck")             # α = 200: the output saturates
    assert run.losses[4][-1] == pytest.approx(0.125, abs=1e-4)   # ½(0.5 − 0)²


def test_exercise_number_outside_1_to_4_is_refused():
    with pytest.raises(ValueError, match="exercises 1 to 4, got 5"):
        gn.course.exercise(5)


@pytest.mark.slow
def test_worked_example_and_exercise_latex_compile_to_pdf(tmp_path, ex):
    require_tool("pdflatex")
    assert latex_to_pdf(ex.to_latex(), tmp_path / "we.pdf").read_bytes()[:4] == b"%PDF"
    pdf = latex_to_pdf(gn.course.exercise(4).to_latex(), tmp_path / "ex4.pdf")
    assert pdf.read_bytes()[:4] == b"%PDF"
