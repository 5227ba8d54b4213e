"""Step 3 of the derivation, the backward pass: δ of every neuron by the chain rule.

Output layer (slides "Step 3.1"), then each hidden layer from last to first ("Step 3.3")::

    ∂L/∂ŷ = ŷ − y,   ∂ŷ/∂z = ŷ(1 − ŷ),   δ^{[L]} = ∂L/∂ŷ · ∂ŷ/∂z
    ∂L/∂a_i^{[l]} = Σ_k δ_k^{[l+1]} w_{ik}^{[l+1]},   δ_i^{[l]} = ∂L/∂a_i^{[l]} · ∂a_i^{[l]}/∂z_i^{[l]}

With a fused output (sigmoid + binary cross-entropy, softmax + cross-entropy) the product
collapses to ``δ = ŷ − y``. The gradients that follow from δ are in ``gradient_lines.py``.
"""

from __future__ import annotations

from fractions import Fraction

from .lines import MAX_NEURONS, Context, Eq, Section

__all__ = ["backward_section"]


def backward_section(ctx: Context) -> Section:
    n = ctx.trace.n_samples
    where = "" if n == 1 else f" (sample {ctx.sample + 1} of {n})"
    backward = Section("backward", f"Step 3: backward pass{where}")
    last = ctx.trace.layers[-1]
    backward.lines += _output_lines(ctx, last, backward.notes)
    for layer in reversed(ctx.trace.layers[:-1]):
        backward.lines += _hidden_lines(ctx, layer)
    return backward


def _derivative(ctx: Context, layer, i: int) -> tuple[str, str | None]:
    """∂a/∂z of an elementwise φ: the formula and the numbers plugged in (printed so that
    they give ∂a/∂z as printed)."""
    s, l, r = ctx.sym, layer.index, ctx.sample
    a_sym, a, z = s.a(l, i), layer.a[r, i], layer.z[r, i]
    if layer.activation == "sigmoid":
        num = ctx.operands([a], lambda v: v * (1 - v), layer.dadz[r, i])
        return f"{a_sym}(1 - {a_sym})", f"{num(a)} \\cdot (1 - {num(a)})"
    if layer.activation == "tanh":
        num = ctx.operands([a], lambda v: 1 - v * v, layer.dadz[r, i])
        return f"1 - ({a_sym})^2", f"1 - {num(a, True)}^2"
    if layer.activation in ("relu", "leaky_relu"):
        low = "0" if layer.activation == "relu" else ctx.num(layer.slope)
        side = ">" if z > 0 else "\\le"
        return (f"1 \\text{{ if }} {s.z(l, i)} > 0 \\text{{ else }} {low}",
                f"{'1' if z > 0 else low} \\quad ({s.z(l, i)} = {ctx.num(z)} {side} 0)")
    return "1", None  # identity


def _chain(ctx: Context, layer, i: int, da_sym: str, lines: list[Eq]) -> None:
    """∂a/∂z and δ = ∂L/∂a · ∂a/∂z for neuron i, or δ by softmax's Jacobian."""
    s, l, r = ctx.sym, layer.index, ctx.sample
    a_sym, delta = s.a(l, i), layer.delta[r, i]
    if layer.dadz is None:  # softmax: δ_i = a_i (∂L/∂a_i − Σ_c ∂L/∂a_c a_c)
        a_c = "\\hat{y}_c" if l == len(ctx.trace.layers) else f"a_c^{{[{l}]}}"
        formula = f"{a_sym} \\left({da_sym} - \\sum_c {s.dL(a_c)} {a_c}\\right)"
        lines.append(Eq(s.delta(l, i), [("=", formula), ctx.result(delta)]))
        return
    formula, plugged = _derivative(ctx, layer, i)
    dadz = layer.dadz[r, i]
    dadz_parts = [("=", formula)] + ([("=", plugged)] if plugged else [])
    if plugged is None and formula != ctx.num(dadz) or plugged and "quad" not in plugged:
        dadz_parts.append(ctx.result(dadz))  # (identity's "= 1" and relu's case need no result)
    lines.append(Eq(s.d(a_sym, s.z(l, i)), dadz_parts))
    num = ctx.operands([layer.da[r, i], dadz], lambda u, v: u * v, delta)
    product = f"{num(layer.da[r, i], True)} \\cdot {num(dadz, True)}"
    lines.append(Eq(s.delta(l, i), [("=", f"{da_sym} \\cdot {s.d(a_sym, s.z(l, i))}"),
                                    ("=", product), ctx.result(delta)]))


def _output_lines(ctx: Context, layer, notes: list[str]) -> list[Eq]:
    trace, s, l, r = ctx.trace, ctx.sym, layer.index, ctx.sample
    y = trace.targets_one_hot()[r]
    shown, left = ctx.cut(layer.n_out, MAX_NEURONS)
    lines = []
    for k in shown:
        y_hat_sym, delta = s.a(l, k), layer.delta[r, k]

        def diff(factor: float, result: float, k=k) -> str:
            """ŷ − y, printed so that factor · (ŷ − y) gives ``result`` as printed."""
            num = ctx.operands([layer.a[r, k], y[k]], lambda p, t: factor * (p - t), result)
            return f"{num(layer.a[r, k])} - {num(y[k], True)}"

        if trace.fused:
            bce_scaled = trace.loss_name == "binary_cross_entropy" and layer.n_out > 1
            scale = f"\\frac{{1}}{{{layer.n_out}}}" if bce_scaled else ""
            diff = diff(1 / layer.n_out if bce_scaled else 1.0, delta)
            formula, plugged = f"{y_hat_sym} - {s.y(k)}", diff
            if scale:
                formula, plugged = f"{scale}({formula})", f"{scale}({plugged})"
            parts = [("=", s.dL(s.z(l, k))), ("=", formula), ("=", plugged), ctx.result(delta)]
            lines.append(Eq(s.delta(l, k), parts))
            continue
        scale = "" if trace.loss_name == "squared_error" else _fraction(2, layer.n_out)
        dy = trace.dy_hat[r, k]
        factor = 1.0 if trace.loss_name == "squared_error" else 2 / layer.n_out
        formula, plugged = f"{y_hat_sym} - {s.y(k)}", diff(factor, dy)
        if scale:
            formula, plugged = f"{scale}({formula})", f"{scale}({plugged})"
        lines.append(Eq(s.dL(y_hat_sym), [("=", formula), ("=", plugged), ctx.result(dy)]))
        _chain(ctx, layer, k, s.dL(y_hat_sym), lines)
    if trace.fused:
        pair = "sigmoid with binary cross-entropy" if trace.loss_name == "binary_cross_entropy" \
            else "softmax with cross-entropy"
        notes.append(f"For {pair}, ∂L/∂ŷ · ∂ŷ/∂z simplifies to ŷ − y: the engine applies it "
                     "directly (it never divides by ŷ).")
    if left:
        lines.append(Eq(f"\\text{{… {left} more output neurons}}", []))
    return lines


def _fraction(top: int, bottom: int) -> str:
    """``top/bottom`` in lowest terms as LaTeX: ``2``, ``\\frac{1}{2}``, or nothing for 1."""
    q = Fraction(top, bottom)
    if q.denominator == 1:
        return "" if q == 1 else str(q.numerator)
    return f"\\frac{{{q.numerator}}}{{{q.denominator}}}"


def _hidden_lines(ctx: Context, layer) -> list[Eq]:
    s, l, r = ctx.sym, layer.index, ctx.sample
    after = ctx.trace.layers[l]  # layer l + 1 (layers are numbered from 1)
    shown, left = ctx.cut(layer.n_out, MAX_NEURONS)
    lines = []
    for i in shown:
        da_sym = s.dL(s.a(l, i))
        formula = " + ".join(f"{s.delta(l + 1, k)} {s.w(l + 1, i, k)}" for k in range(after.n_out)) \
            if after.n_out <= 4 else f"\\sum_k \\delta_k^{{[{l + 1}]}} w_{{{i + 1}k}}^{{[{l + 1}]}}"
        parts = [("=", formula)]
        if after.n_out <= 6:
            m = after.n_out
            num = ctx.operands([*after.delta[r], *after.W.old[i]], lambda *v, m=m: sum(
                v[k] * v[m + k] for k in range(m)), layer.da[r, i])
            parts.append(("=", " + ".join(
                f"{num(after.delta[r, k], True)} \\cdot {num(after.W.old[i, k], True)}"
                for k in range(m))))
        lines.append(Eq(da_sym, parts + [ctx.result(layer.da[r, i])]))
        _chain(ctx, layer, i, da_sym, lines)
    if left:
        lines.append(Eq(f"\\text{{… {left} more neurons of layer {l}}}", []))
    return lines
