"""The rows of the errata table, slide by slide (see :mod:`glassnet.course.errata`).

Every number below is either copied from the slides (the ``printed`` strings, quoted as the
slide prints them) or computed: ``v`` holds the engine's values for the lecture network's
training step, ``ex1`` the engine's forward pass for Exercise 1.
"""

from __future__ import annotations

from ._format import num
from .engine_values import engine_values
from .erratum import Erratum as E
from .erratum import checked_number as number
from .lecture import LECTURE_GIVENS, LECTURE_X, LECTURE_Y, lecture_network, lecture_values

_IV = "Initial Values"
_FH = "Step 1: Forward Pass – Hidden Layer"
_FO = "Step 1: Forward Pass – Output Layer"
_G = "Step 3: Backprop – Gradient Calculation"
_U = "Step 4: Parameter Updates"

EXERCISE1_GIVENS = {"x1": 0.10, "x2": 0.20, "w11[1]": 0.12, "w12[1]": 0.18, "w21[1]": 0.22,
                    "w22[1]": 0.28, "b1[1]": 0.35, "b2[1]": 0.35, "w11[2]": 0.40,
                    "w21[2]": 0.45, "b1[2]": 0.60}


def finite_difference_agrees() -> bool:
    """The slides' chain-rule formula for ∂L/∂w_{ji}^{[1]} against centred differences."""
    v = lecture_values()
    eps, worst = 1e-6, 0.0
    for j in (1, 2):
        for i in (1, 2):
            chain = (v["dy_hat"] * v["dsig1[2]"] * LECTURE_GIVENS[f"w{i}1[2]"]
                     * v[f"dsig{i}[1]"] * LECTURE_GIVENS[f"x{j}"])
            losses = []
            for sign in (1, -1):
                net = lecture_network()
                net.layers[0].W.value[j - 1, i - 1] += sign * eps
                losses.append(net.loss_fn(net.forward(LECTURE_X), LECTURE_Y))
            fd = (losses[0] - losses[1]) / (2 * eps)
            worst = max(worst, abs(fd - chain) / abs(chain))
    return worst < 1e-6


def _written_sum(i: int, x: str, slide_w: str) -> E:
    """The sum the slide writes for z_i^{[1]}: the printed result is right, one weight is not.

    The printed 0.3775 and 0.3925 are what glassnet's weights give (rows = inputs:
    w11 = 0.15, w21 = 0.20, w12 = 0.25, w22 = 0.30); the slide wrote the matrix's other
    reading into the sum, so the written term ``x · slide_w`` is the slip.
    """
    g = LECTURE_GIVENS
    x1, x2, b = g["x1"], g["x2"], g[f"b{i}[1]"]
    w1, w2 = g[f"w1{i}[1]"], g[f"w2{i}[1]"]
    z = x1 * w1 + x2 * w2 + b                                   # what the slide printed
    wrong = dict(x_1=(float(slide_w), w2), x_2=(w1, float(slide_w)))[x]
    z_written = x1 * wrong[0] + x2 * wrong[1] + b                # what the written sum gives
    j = x[-1]
    w = g[f"w{j}{i}[1]"]
    xv = g[f"x{j}"]
    return E(_FH, rf"$0.05 \cdot {wrong[0]:.2f} + 0.10 \cdot {wrong[1]:.2f} + 0.35 = {z:.4f}$",
             rf"${xv:.2f} \cdot {slide_w}$", rf"${xv:.2f} \cdot {w:.2f}$", "erratum",
             f"The printed result {z:.4f} is right for the weights glassnet uses: "
             f"{x1:.2f}·{w1:.2f} + {x2:.2f}·{w2:.2f} + {b:.2f} = {z:.4f}; the written sum is "
             f"what is wrong (it gives {num(z_written)}): the slide wrote {slide_w} where it "
             f"computed with $w_{{{j}{i}}}^{{[1]}} = {w:.2f}$.")


def rows(v: dict) -> list[E]:
    """Every row of the table, in slide order; ``v`` holds the lecture step's engine values."""
    ex1 = engine_values((2, 2, 1), EXERCISE1_GIVENS)
    fd_agrees = finite_difference_agrees()
    out = [
        E("Numerical Example", "the companion notebook ann_intro_companion.ipynb is linked",
          "link target #",
          "notebooks/ann_intro_companion.ipynb", "erratum",
          "The link's target is the placeholder #, so it goes nowhere; glassnet ships the "
          "companion notebook at notebooks/ann_intro_companion.ipynb."),
        E("Input to Hidden Layer", "$W^{[1]}$ = [[0.12, 0.18], [0.22, 0.28]]",
          "[[0.12, 0.18], [0.22, 0.28]]", "[[0.15, 0.25], [0.20, 0.30]]", "inconsistent",
          "The worked example computes with 0.15, 0.20, 0.25, 0.30 (Initial Values), which "
          "as $w_{ji}$ (row $j$ = input, as this slide reads it) is the matrix glassnet uses; "
          "0.12 … 0.28 are Exercise 1's weights, most likely pasted here from the exercise."),
        E("Input to Hidden Layer", r"$b^{[1]} = [b_1^{[1]}; b_2^{[1]}]$, a column",
          "2×1 column", "1×2 row", "notation",
          "In the slides' own $z^{[1]} = x \\cdot W^{[1]} + b^{[1]}$ the product of the 1×2 row "
          "$x$ and the 2×2 $W^{[1]}$ is a 1×2 row, so $b^{[1]}$ must be a row too (glassnet "
          "stores it with shape (2,), added to each row); Exercise 1 prints it as the row "
          "[0.35, 0.35]."),
        E("Hidden to Output Layer", r"$W^{[2]} \in \mathbb{R}^{1 \times 2}$", "1×2", "2×1",
          "notation", "With the slides' own $z^{[2]} = a^{[1]} \\cdot W^{[2]}$ and $a^{[1]}$ a "
          "1×2 row, $W^{[2]}$ must be 2×1 (glassnet stores it (n_in, n_out) = (2, 1)); the "
          "printed 1×2 is its transpose, $w^T$ style."),
        E(_IV, r"the input$\to$hidden matrix is labelled $W^{[2]}$", "$W^{[2]}$", "$W^{[1]}$",
          "erratum", "The 2×2 matrix multiplies $x$ in the forward pass, so it is layer 1's; "
          "$W^{[2]}$ is the 1×2 hidden$\\to$output vector on the next line."),
        E(_IV, r"[[0.15, 0.20], [0.25, 0.30]] read as $w_{ji}$ (row $j$ = input)", "$w_{21}^{[1]} = 0.25$, $w_{12}^{[1]} = 0.20$",
          "$w_{21}^{[1]} = 0.20$, $w_{12}^{[1]} = 0.25$", "inconsistent",
          "The printed forward values need neuron 1 to read (0.15, 0.20), i.e. rows = neurons "
          "here, while the Input to Hidden slide and Exercise 1 use rows = inputs; glassnet "
          "keeps rows = inputs, W[1] = [[0.15, 0.25], [0.20, 0.30]]."),
        _written_sum(1, "x_2", "0.25"),
        number(_FH, r"$a_1^{[1]} = \sigma(0.3775)$", "0.59327", v["a1[1]"]),
        _written_sum(2, "x_1", "0.20"),
        number(_FH, r"$a_2^{[1]} = \sigma(0.3925)$", "0.59688", v["a2[1]"]),
        E(_FH, r"$a^{[1]} = [a_1^{[1]}; a_2^{[1]}]$, a column", "2×1 column", "1×2 row",
          "notation", "$a^{[1]} = \\sigma(x \\cdot W^{[1]} + b^{[1]})$ is a 1×2 row, and the "
          "next slide's $z^{[2]} = a^{[1]} \\cdot W^{[2]}$ needs it as one; the column is its "
          "transpose."),
        number(_FO, r"$0.59327 \cdot 0.40 + 0.59688 \cdot 0.45 + 0.60$", "1.1059", v["z1[2]"]),
        number(_FO, r"$\hat{y} = \sigma(1.1059)$", "0.75136", v["a1[2]"]),
        number("Step 2: Loss Computation", r"$\tfrac{1}{2}(0.01 - 0.75136)^2$", "0.2748", v["L"]),
        number("Step 3.1: Output Layer Gradients", r"$\partial \mathcal{L}/\partial \hat{y} = "
               r"\hat{y} - y$", "0.74136", v["dy_hat"]),
        number("Step 3.1: Output Layer Gradients", r"$\hat{y}(1 - \hat{y})$", "0.18681",
               v["dsig1[2]"]),
        number("Step 3.1: Output Layer Gradients", r"$\delta_{out} = 0.74136 \cdot 0.18681$",
               "0.1385", v["delta1[2]"]),
        E(_G, r"hidden$\to$output gradients labelled $\partial \mathcal{L}/\partial w_{11}^{[1]}$, "
              r"$\partial \mathcal{L}/\partial w_{21}^{[1]}$", "$w^{[1]}$", "$w^{[2]}$", "erratum",
          "$\\delta_{out} \\cdot a_i^{[1]}$ is the gradient of the hidden$\\to$output weight "
          "$w_{i1}^{[2]}$; the $^{[1]}$ labels are reused two slides later for the real "
          "layer-1 gradients."),
        number(_G, r"$\partial \mathcal{L}/\partial w_{11}^{[2]} = 0.1385 \cdot 0.59327$", "0.0822",
               v["dw11[2]"]),
        number(_G, r"$\partial \mathcal{L}/\partial w_{21}^{[2]} = 0.1385 \cdot 0.59688$", "0.0826",
               v["dw21[2]"], f"{num(v['delta1[2]'])} · {num(v['a2[1]'])} = "
               f"{num(v['dw21[2]'])}, and the slide's own 0.1385 · 0.59688 = "
               f"{num(0.1385 * 0.59688)}: both round to 0.0827; the slide cut the digits, "
               f"though it rounds elsewhere (0.0134, 0.0150, 0.00075)."),
        number(_G, r"$\delta_1 = 0.1385 \cdot 0.40 \cdot 0.59327 \cdot (1 - 0.59327)$", "0.0134",
               v["delta1[1]"]),
        number(_G, r"$\delta_2 = 0.1385 \cdot 0.45 \cdot 0.59688 \cdot (1 - 0.59688)$", "0.0150",
               v["delta2[1]"]),
    ]
    for name, x, printed in (("dw11[1]", "x_1", "0.00067"), ("dw21[1]", "x_2", "0.00134"),
                             ("dw12[1]", "x_1", "0.00075"), ("dw22[1]", "x_2", "0.00150")):
        d = "\\delta_1" if name[3] == "1" else "\\delta_2"
        out.append(number("Step 3.4: Input-to-Hidden Gradients",
                          rf"$\partial \mathcal{{L}}/\partial w_{{{name[2:4]}}}^{{[1]}} = {d} "
                          rf"\cdot {x}$", printed, v[name]))
    out.append(E("Step 3: The Gradient Vector", r"$\partial \mathcal{L}/\partial b_1^{[1]}, "
                 r"\partial \mathcal{L}/\partial b_2^{[1]}, \partial \mathcal{L}/\partial b^{[2]}$",
                 "never computed", f"{num(v['db1[1]'])}, {num(v['db2[1]'])}, {num(v['db1[2]'])}",
                 "omitted", "The bias gradients are the deltas themselves, "
                 "$\\partial \\mathcal{L}/\\partial b_i = \\delta_i$; the slides list them in "
                 "the gradient vector but never evaluate or apply them."))
    out += [
        number(_U, r"$w_{11}^{[2]} = 0.40 - 0.5 \cdot 0.0822$", "0.3589", v["w11[2]_new"]),
        number(_U, r"$w_{21}^{[2]} = 0.45 - 0.5 \cdot 0.0826$", "0.4087", v["w21[2]_new"]),
        number(_U, r"$w_{11}^{[1]} = 0.15 - 0.5 \cdot 0.00067$", "0.1497", v["w11[1]_new"]),
        number(_U, r"$w_{21}^{[1]} = 0.25 - 0.5 \cdot 0.00134$", "0.2493", v["w21[1]_new"],
               f"The forward pass used $w_{{21}}^{{[1]}} = 0.20$ (input 2 → neuron 1), so the "
               f"update is 0.20 − 0.5 · {num(v['dw21[1]'])} = {num(v['w21[1]_new'])}; the slide "
               f"started from the matrix's other reading, 0.25."),
        number(_U, r"$w_{12}^{[1]} = 0.20 - 0.5 \cdot 0.00075$", "0.1996", v["w12[1]_new"],
               f"The forward pass used $w_{{12}}^{{[1]}} = 0.25$ (input 1 → neuron 2), so the "
               f"update is 0.25 − 0.5 · {num(v['dw12[1]'])} = {num(v['w12[1]_new'])}; the slide "
               f"started from 0.20."),
        number(_U, r"$w_{22}^{[1]} = 0.30 - 0.5 \cdot 0.00150$", "0.2993", v["w22[1]_new"]),
        E(_U, "updated biases", "never computed",
          f"{num(v['b1[1]_new'])}, {num(v['b2[1]_new'])}, {num(v['b1[2]_new'])}", "omitted",
          "$\\theta \\leftarrow \\theta - \\alpha \\nabla_\\theta \\mathcal{L}$ updates the "
          "biases too: 0.35 − 0.5·δ₁, 0.35 − 0.5·δ₂ and 0.60 − 0.5·δ_out."),
        E("Step 3: Backpropagation Equations", r"$\partial \mathcal{L}/\partial w_{ji}^{[1]} = "
          r"\partial \mathcal{L}/\partial a_i^{[1]} \cdot a_i^{[1]}(1 - a_i^{[1]}) \cdot x_j$",
          "chain rule", "agrees with finite differences" if fd_agrees else "disagrees",
          "correct" if fd_agrees else "erratum",
          "Checked against centred finite differences of the engine's loss for all four "
          "$w_{ji}^{[1]}$ (relative error below 1e-6)."),
        E("Step 3: Backpropagation Equations", "heading “Final Update Rule”", "update rule",
          "chain rule for $\\partial \\mathcal{L}/\\partial w_{ji}^{[1]}$", "notation",
          "The formula under the heading is a gradient, not an update; the update rule is "
          "$\\theta \\leftarrow \\theta - \\alpha \\nabla_\\theta \\mathcal{L}$ on the Step 4 slides."),
        E("Loss slides", r"$\mathcal{L}(y, \hat{y})$ and $\mathcal{L}(\hat{y}, y)$", "both orders",
          r"$\mathcal{L}(\hat{y}, y)$", "style",
          "Squared error is symmetric, so no number changes; glassnet writes "
          "$\\mathcal{L}(\\hat{y}, y)$, prediction first, as PyTorch's loss(input, target)."),
        E("Step 3: The Gradient Vector", r"$w_1^{[2]}, w_2^{[2]}, b^{[2]}$",
          r"$w_1^{[2]}$", r"$w_{11}^{[2]}$", "notation",
          "Elsewhere the same weights are $w_{11}^{[2]}, w_{21}^{[2]}$ and the bias "
          "$b_1^{[2]}$; glassnet names them w11[2], w21[2], b1[2]."),
        number("Exercise 1", r"$a_1^{[1]} = \sigma(0.10 \cdot 0.12 + 0.20 \cdot 0.22 + 0.35)$",
               "0.6001", ex1["a1[1]"]),
        number("Exercise 1", r"$a_2^{[1]} = \sigma(0.10 \cdot 0.18 + 0.20 \cdot 0.28 + 0.35)$",
               "0.6044", ex1["a2[1]"]),
        number("Exercise 1", r"$0.6001 \cdot 0.40$", "0.2400", 0.6001 * 0.40),
        number("Exercise 1", r"$0.6044 \cdot 0.45$", "0.2720", 0.6044 * 0.45),
        E("Exercise 1", r"$\hat{y}$ is asked for", "not printed", num(ex1["a1[2]"]), "style",
          f"An exercise leaves its answer to the student; $\\hat{{y}} = "
          f"\\sigma({num(ex1['z1[2]'])}) = {num(ex1['a1[2]'])}$, computed here."),
        E("Exercise 3", r"task 2 asks for $\partial \mathcal{L}/\partial w_{11}^{[2]}$, "
          r"$\partial \mathcal{L}/\partial w_{21}^{[2]}$", "$w^{[2]}$", "$w^{[1]}$", "erratum",
          "With the hidden error $\\delta_1$ the gradients are $\\delta_1 x_j$, those of the "
          "input$\\to$hidden weights $w_{11}^{[1]}, w_{21}^{[1]}$; $\\partial \\mathcal{L}/"
          "\\partial w_{11}^{[2]} = \\delta_{out} a_1^{[1]}$ needs no $\\delta_1$."),
        E("Exercise 3", "$x_1, x_2$ for $\\delta_1 x_j$", "not given", "assume x = (0.05, 0.10)",
          "missing data", "The exercise gives no inputs, yet the gradients and its discussion "
          "question depend on them; glassnet assumes the worked example's x = (0.05, 0.10)."),
    ]
    return out
