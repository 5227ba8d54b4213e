"""Every number the slides print, pinned: right where the slides are right, an erratum where not.

The arithmetic behind each pinned value is in the comment beside it. Values of the lecture
network come from the engine (see tests/test_golden_worked_example.py for the same numbers by hand).
"""

import pytest

import glassnet as gn

TABLE = gn.course.errata()


def row(slide_part, claim_part):
    found = [r for r in TABLE if slide_part in r.slide and claim_part in r.claim]
    assert len(found) == 1, (slide_part, claim_part, found)
    return found[0]


@pytest.mark.parametrize("slide, claim, printed, correct", [
    # σ(0.3775) = 1 / (1 + e^−0.3775) = 0.5932700
    ("Hidden Layer", r"\sigma(0.3775)", "0.59327", "0.59327"),
    # σ(0.3925) = 0.5968844
    ("Hidden Layer", r"\sigma(0.3925)", "0.59688", "0.59688"),
    # 0.59327·0.40 + 0.59688·0.45 + 0.60 = 0.237308 + 0.268596 + 0.60 = 1.105904
    ("Output Layer", "0.59327", "1.1059", "1.1059"),
    # ½(0.01 − 0.7513651)² = ½ · 0.549622 = 0.2748111
    ("Loss Computation", "0.01 - 0.75136", "0.2748", "0.2748"),
    # 0.7413651 · 0.1868156 = 0.1384986
    ("Output Layer Gradients", r"\delta_{out}", "0.1385", "0.1385"),
    # 0.1384986 · 0.5932700 = 0.0821670
    ("Gradient Calculation", "w_{11}^{[2]} = 0.1385", "0.0822", "0.0822"),
    # δ1 = 0.1384986 · 0.40 · 0.59327 · 0.40673 = 0.0133679
    ("Gradient Calculation", r"\delta_1 =", "0.0134", "0.0134"),
    # δ2 = 0.1384986 · 0.45 · 0.5968844 · 0.4031156 = 0.0149961
    ("Gradient Calculation", r"\delta_2 =", "0.0150", "0.0150"),
    # δ1·x1 = 0.0133679 · 0.05 = 0.00066840; δ1·x2 = 0.0013368
    ("Input-to-Hidden", "w_{11}^{[1]}", "0.00067", "0.00067"),
    ("Input-to-Hidden", "w_{21}^{[1]}", "0.00134", "0.00134"),
    # δ2·x1 = 0.0149961 · 0.05 = 0.00074980; δ2·x2 = 0.0014996
    ("Input-to-Hidden", "w_{12}^{[1]}", "0.00075", "0.00075"),
    ("Input-to-Hidden", "w_{22}^{[1]}", "0.00150", "0.00150"),
    # 0.40 − 0.5 · 0.0821670 = 0.3589165; 0.45 − 0.5 · 0.0826676 = 0.4086662
    ("Parameter Updates", "w_{11}^{[2]}", "0.3589", "0.3589"),
    ("Parameter Updates", "w_{21}^{[2]}", "0.4087", "0.4087"),
    # 0.15 − 0.5 · 0.00066840 = 0.1496658; 0.30 − 0.5 · 0.0014996 = 0.2992502
    ("Parameter Updates", "w_{11}^{[1]}", "0.1497", "0.1497"),
    ("Parameter Updates", "w_{22}^{[1]}", "0.2993", "0.2993"),
    # Exercise 1: σ(0.406) = 0.6001284, σ(0.424) = 0.6044400; 0.6001·0.40 = 0.24004;
    # 0.6044·0.45 = 0.27198
    ("Exercise 1", "0.22", "0.6001", "0.6001"),
    ("Exercise 1", "0.28", "0.6044", "0.6044"),
    ("Exercise 1", r"0.6001 \cdot 0.40", "0.2400", "0.2400"),
    ("Exercise 1", r"0.6044 \cdot 0.45", "0.2720", "0.2720"),
])
def test_numbers_the_slides_print_right_are_marked_correct(slide, claim, printed, correct):
    r = row(slide, claim)
    assert (r.printed, r.correct, r.verdict) == (printed, correct, "correct")


@pytest.mark.parametrize("slide, claim, printed, correct", [
    # σ(1.1059060) = 0.75136507 → 0.75137; the slide cut it to 0.75136
    ("Output Layer", r"\sigma(1.1059)", "0.75136", "0.75137"),
    # ŷ − y = 0.74136507 → 0.74137
    ("Output Layer Gradients", r"\hat{y} - y", "0.74136", "0.74137"),
    # ŷ(1 − ŷ) = 0.75136507 · 0.24863493 = 0.18681560 → 0.18682
    ("Output Layer Gradients", r"\hat{y}(1 - \hat{y})", "0.18681", "0.18682"),
    # δ_out·a2 = 0.13849856 · 0.59688438 = 0.08266763 → 0.0827, printed 0.0826
    ("Gradient Calculation", "w_{21}^{[2]} = 0.1385", "0.0826", "0.0827"),
])
def test_numbers_the_slides_cut_not_round_are_marked_truncated(slide, claim, printed, correct):
    r = row(slide, claim)
    assert (r.printed, r.correct, r.verdict) == (printed, correct, "truncated")


def test_forward_sums_print_the_right_result_with_a_wrong_written_weight():
    # glassnet's weights (rows = inputs): w11 = 0.15, w21 = 0.20, w12 = 0.25, w22 = 0.30.
    # 0.05·0.15 + 0.10·0.20 + 0.35 = 0.0075 + 0.02 + 0.35 = 0.3775 = the printed result;
    # the written 0.10·0.25 would give 0.3825, so the slip is the written weight, not the sum
    r = row("Hidden Layer", r"0.05 \cdot 0.15 + 0.10 \cdot 0.25")
    assert (r.printed, r.correct, r.verdict) == (r"$0.10 \cdot 0.25$", r"$0.10 \cdot 0.20$",
                                                 "erratum")
    assert "0.05·0.15 + 0.10·0.20 + 0.35 = 0.3775" in r.explanation
    assert "0.3825" in r.explanation and "written sum is what is wrong" in r.explanation
    # 0.05·0.25 + 0.10·0.30 + 0.35 = 0.0125 + 0.03 + 0.35 = 0.3925 = the printed result;
    # the written 0.05·0.20 would give 0.39
    r = row("Hidden Layer", r"0.05 \cdot 0.20 + 0.10 \cdot 0.30")
    assert (r.printed, r.correct, r.verdict) == (r"$0.05 \cdot 0.20$", r"$0.05 \cdot 0.25$",
                                                 "erratum")
    assert "0.05·0.25 + 0.10·0.30 + 0.35 = 0.3925" in r.explanation and "0.39)" in r.explanation
    # no row calls 0.3825 or 0.39 correct: glassnet's own key has 0.3775 and 0.3925
    assert not [r for r in TABLE if r.correct in ("0.3825", "0.39")]


def test_input_to_hidden_correct_matrix_is_the_one_glassnet_uses():
    W1 = gn.course.worked_example().net.layers[0].W.value      # (n_in, n_out) = (2, 2)
    used = "[" + ", ".join("[" + ", ".join(f"{w:.2f}" for w in line) + "]" for line in W1) + "]"
    assert row("Input to Hidden Layer", "0.12").correct == used == "[[0.15, 0.25], [0.20, 0.30]]"


def test_truncated_rows_say_the_error_exceeds_half_a_unit():
    # ŷ = 0.75136507; printed 0.75136: 0.75136507 − 0.75136 = 5.07e-6 > 0.5e-5
    r = row("Output Layer", r"\sigma(1.1059)")
    assert "below the printed precision" not in r.explanation
    assert "5.07e-06" in r.explanation and "more than half a unit" in r.explanation
    assert "(5e-06)" in r.explanation
    assert not [r for r in TABLE if "below the printed precision" in r.explanation]


def test_updates_start_from_the_wrong_reading_of_the_matrix():
    # With w21[1] = 0.20 (input 2 → neuron 1): 0.20 − 0.5 · 0.0013368 = 0.1993316
    r = row("Parameter Updates", "w_{21}^{[1]} = 0.25")
    assert (r.printed, r.correct, r.verdict) == ("0.2493", "0.1993", "erratum")
    # With w12[1] = 0.25 (input 1 → neuron 2): 0.25 − 0.5 · 0.00074980 = 0.2496251
    r = row("Parameter Updates", "w_{12}^{[1]} = 0.20")
    assert (r.printed, r.correct, r.verdict) == ("0.1996", "0.2496", "erratum")


def test_mislabelled_matrices_and_self_contradicting_slides_are_flagged():
    assert row("Initial Values", "labelled").verdict == "erratum"
    assert row("Initial Values", "labelled").correct == "$W^{[1]}$"
    assert row("Input to Hidden Layer", "0.12").verdict == "inconsistent"
    assert row("Initial Values", "read as").verdict == "inconsistent"
    assert row("Gradient Calculation", "labelled").verdict == "erratum"
    assert row("Exercise 3", "task 2").verdict == "erratum"
    assert row("Exercise 3", "x_1, x_2").verdict == "missing data"
    for claim in (r"\mathbb{R}^{1 \times 2}", "Final Update Rule", "w_1^{[2]}, w_2^{[2]}"):
        assert [r for r in TABLE if claim in r.claim][0].verdict == "notation"


def test_style_remarks_are_style_not_errata():
    # L is symmetric: ½(y − ŷ)² = ½(ŷ − y)², so the argument order changes no number
    assert row("Loss slides", r"\mathcal{L}(y, \hat{y})").verdict == "style"
    # an exercise leaving its answer to the student is not a slip
    assert row("Exercise 1", r"\hat{y}$ is asked for").verdict == "style"
    from glassnet.course.errata import VERDICTS
    assert "style" in VERDICTS
    assert not [r for r in TABLE.problems() if r.verdict == "style"]


def test_column_vectors_and_the_placeholder_link_are_listed():
    # z = x·W[1] + b[1]: (1×2)·(2×2) = 1×2, so b[1] and a[1] = σ(z[1]) are 1×2 rows
    for claim in (r"$b^{[1]} = [", r"$a^{[1]} = ["):
        r = [r for r in TABLE if r.claim.startswith(claim)][0]
        assert (r.printed, r.correct, r.verdict) == ("2×1 column", "1×2 row", "notation")
    r = row("Numerical Example", "companion notebook")
    assert (r.printed, r.verdict) == ("link target #", "erratum")
    assert r.correct == "notebooks/ann_intro_companion.ipynb"


def test_bias_gradients_and_updates_the_slides_omit_are_supplied():
    # ∂L/∂b = δ: 0.01336792, 0.01499608 (hidden), 0.13849856 (output)
    r = row("Gradient Vector", "b_1^{[1]}")
    assert r.verdict == "omitted"
    assert r.correct == "0.01336792, 0.014996075, 0.13849856"
    # 0.35 − 0.5·0.01336792 = 0.34331604; 0.35 − 0.5·0.01499608 = 0.34250196;
    # 0.60 − 0.5·0.13849856 = 0.53075072
    assert row("Parameter Updates", "updated biases").correct == "0.34331604, 0.34250196, 0.53075072"


def test_backprop_formula_agrees_with_finite_differences():
    assert row("Backpropagation Equations", "x_j").verdict == "correct"


def test_verdict_counts_and_every_rendering_list_the_rows():
    counts = TABLE.counts()
    assert counts == {"correct": 21, "truncated": 4, "erratum": 8, "inconsistent": 2,
                      "omitted": 2, "missing data": 1, "notation": 5, "style": 2}
    assert len(TABLE.problems()) == len(TABLE) - 21 - 2 == 22
    assert TABLE.to_latex().isascii()
    md = TABLE.to_markdown()
    assert md.count("\n") == len(TABLE) + 2 and "| erratum |" in md
    assert "[erratum] Initial Values" in TABLE.to_text()
