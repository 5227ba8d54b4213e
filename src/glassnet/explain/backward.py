"""Steps 3 and 4 of the derivation: δ by the chain rule, the gradients, and the update.

Output layer (slides "Step 3.1"), then each hidden layer from last to first ("Step 3.3")::

    ∂L/∂ŷ = ŷ − y,   ∂ŷ/∂z = ŷ(1 − ŷ),   δ^{[L]} = ∂L/∂ŷ · ∂ŷ/∂z
    ∂L/∂a_i^{[l]} = Σ_k δ_k^{[l+1]} w_{ik}^{[l+1]},   δ_i^{[l]} = ∂L/∂a_i^{[l]} · ∂a_i^{[l]}/∂z_i^{[l]}

With a fused output (sigmoid + binary cross-entropy, softmax + cross-entropy) the product
collapses to ``δ = ŷ − y``. Gradients ("Step 3.2/3.4") are ``∂L/∂w_{ji} = δ_i · a_j`` and
``∂L/∂b_i = δ_i``, averaged over a batch; the update ("Step 4") is ``θ ← θ − α ∂L/∂θ``.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import islice

import numpy as np

from .lines import MAX_NEURONS, MAX_WEIGHTS, Context, Eq, Section

__all__ = ["backward_sections"]


def backward_sections(ctx: Context) -> list[Section]:
    n = ctx.trace.n_samples
    where = "" if n == 1 else f" (sample {ctx.sample + 1} of {n})"
    backward = Section("backward", f"Step 3: backward pass{where}")
    last = ctx.trace.layers[-1]
    backward.lines += _output_lines(ctx, last, backward.notes)
    for layer in reversed(ctx.trace.layers[:-1]):
        backward.lines += _hidden_lines(ctx, layer)
    return [backward, _gradient_section(ctx), _update_section(ctx)]


def _derivative(ctx: Context, layer, i: int) -> tuple[str, str | None]:
    """∂a/∂z of an elementwise φ: the formula and the numbers plugged in."""
    s, l, r = ctx.sym, layer.index, ctx.sample
    a_sym, a, z = s.a(l, i), layer.a[r, i], layer.z[r, i]
    if layer.activation == "sigmoid":
        return f"{a_sym}(1 - {a_sym})", f"{ctx.num(a)} \\cdot (1 - {ctx.num(a)})"
    if layer.activation == "tanh":
        return f"1 - ({a_sym})^2", f"1 - {ctx.num(a, True)}^2"
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
    product = f"{ctx.num(layer.da[r, i], True)} \\cdot {ctx.num(dadz, True)}"
    lines.append(Eq(s.delta(l, i), [("=", f"{da_sym} \\cdot {s.d(a_sym, s.z(l, i))}"),
                                    ("=", product), ctx.result(delta)]))


def _output_lines(ctx: Context, layer, notes: list[str]) -> list[Eq]:
    trace, s, l, r = ctx.trace, ctx.sym, layer.index, ctx.sample
    y = trace.targets_one_hot()[r]
    shown, left = ctx.cut(layer.n_out, MAX_NEURONS)
    lines = []
    for k in shown:
        y_hat_sym, delta = s.a(l, k), layer.delta[r, k]
        diff = f"{ctx.num(layer.a[r, k])} - {ctx.num(y[k], True)}"
        if trace.fused:
            scale = f"\\frac{{1}}{{{layer.n_out}}}" if trace.loss_name == "binary_cross_entropy" \
                and layer.n_out > 1 else ""
            formula, plugged = f"{y_hat_sym} - {s.y(k)}", diff
            if scale:
                formula, plugged = f"{scale}({formula})", f"{scale}({plugged})"
            parts = [("=", s.dL(s.z(l, k))), ("=", formula), ("=", plugged), ctx.result(delta)]
            lines.append(Eq(s.delta(l, k), parts))
            continue
        scale = "" if trace.loss_name == "squared_error" else _fraction(2, layer.n_out)
        dy = trace.dy_hat[r, k]
        formula, plugged = f"{y_hat_sym} - {s.y(k)}", diff
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


def _first_weights(layer) -> list[tuple[int, int]]:
    """``(j, i)`` of the weights written out: row by row, at most ``MAX_WEIGHTS``."""
    return list(islice(np.ndindex(layer.n_in, layer.n_out), MAX_WEIGHTS))


def _more(count: int, what: str, layer: int) -> Eq:
    return Eq(f"\\text{{… {count} more {what} of layer {layer}}}", [])


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
            parts.append(("=", " + ".join(
                f"{ctx.num(after.delta[r, k], True)} \\cdot {ctx.num(after.W.old[i, k], True)}"
                for k in range(after.n_out))))
        lines.append(Eq(da_sym, parts + [ctx.result(layer.da[r, i])]))
        _chain(ctx, layer, i, da_sym, lines)
    if left:
        lines.append(Eq(f"\\text{{… {left} more neurons of layer {l}}}", []))
    return lines


def _gradient_section(ctx: Context) -> Section:
    trace, n = ctx.trace, ctx.trace.n_samples
    s = ctx.batch_symbols
    section = Section("gradients", "Step 3: gradients")
    if n > 1:
        section.notes.append(f"Each gradient is the mean over the {n} samples of the batch: "
                             "this is the gradient the optimizer applies.")
    for layer in reversed(trace.layers):
        l = layer.index
        weights = _first_weights(layer) if layer.W.trainable else []
        for j, i in weights:
            term = (layer.delta[:, i], layer.a_prev[:, j])
            section.lines.append(_mean_line(ctx, s.dL(s.w(l, j, i)), s.delta(l, i),
                                            s.a(l - 1, j), term, layer.W.grad[j, i]))
        if weights and layer.W.old.size > len(weights):
            section.lines.append(_more(layer.W.old.size - len(weights), "weights", l))
        shown, left = ctx.cut(layer.n_out, MAX_NEURONS if layer.b.trainable else 0)
        for i in shown:
            section.lines.append(_mean_line(ctx, s.dL(s.b(l, i)), s.delta(l, i), None,
                                            (layer.delta[:, i], None), layer.b.grad[i]))
        if left and layer.b.trainable:
            section.lines.append(_more(left, "biases", l))
        for p in (layer.W, layer.b):
            if not p.trainable:
                section.notes.append(f"{p.name} is frozen: it has no gradient and is not updated.")
    return section


def _mean_line(ctx: Context, lhs: str, delta_sym: str, a_sym: str | None, terms, grad) -> Eq:
    n, (deltas, acts) = ctx.trace.n_samples, terms
    product = delta_sym if a_sym is None else f"{delta_sym} \\cdot {a_sym}"

    def one(r: int) -> str:
        d = ctx.num(deltas[r], True)
        return d if acts is None else f"{d} \\cdot {ctx.num(acts[r], True)}"

    if n == 1:
        plugged = [("=", one(0))] if acts is not None else []
        return Eq(lhs, [("=", product)] + plugged + [ctx.result(grad)])
    parts = [("=", f"\\frac{{1}}{{{n}}} \\sum_{{n=1}}^{{{n}}} ({product})_n")]
    if n <= 4:
        parts.append(("=", f"\\frac{{1}}{{{n}}}(" + " + ".join(one(r) for r in range(n)) + ")"))
    return Eq(lhs, parts + [ctx.result(grad)])


def _update_section(ctx: Context) -> Section:
    trace, s = ctx.trace, ctx.batch_symbols
    alpha = ctx.num(trace.lr)
    section = Section("update", "Step 4: update")
    if trace.plain_sgd:
        section.notes.append(f"Gradient descent θ ← θ − α ∂L/∂θ with α = {alpha}.")
    else:
        section.notes.append(f"{trace.optimizer_label} chose each step Δθ; "
                             "the new value is θ + Δθ.")
    for layer in reversed(trace.layers):
        l = layer.index
        entries = [(s.w(l, j, i), layer.W, (j, i)) for j, i in _first_weights(layer)]
        entries += [(s.b(l, i), layer.b, (i,)) for i in range(min(layer.n_out, MAX_NEURONS))]
        left = layer.W.old.size + layer.b.old.size - len(entries)
        for name, p, at in entries:
            if not p.trainable:
                continue
            old, new = ctx.num(p.old[at]), p.new[at]
            if trace.plain_sgd:
                parts = [("\\leftarrow", f"{name} - \\alpha {s.dL(name)}"),
                         ("=", f"{old} - {alpha} \\cdot {ctx.num(p.grad[at], True)}")]
            else:
                parts = [("\\leftarrow", f"{name} + \\Delta {name}"),
                         ("=", f"{old} + {ctx.num(p.step[at], True)}")]
            section.lines.append(Eq(name, parts + [ctx.result(new)]))
        if left and (layer.W.trainable or layer.b.trainable):
            section.lines.append(_more(left, "parameters", l))
    return section
