"""Step 3's gradients (slides "Step 3.2" and "Step 3.4"): ∂L/∂w and ∂L/∂b from δ.

    ∂L/∂w_{ji}^{[l]} = δ_i^{[l]} · a_j^{[l-1]},   ∂L/∂b_i^{[l]} = δ_i^{[l]}

With a batch, each is the mean over the samples, ``(1/N) Σ_n (δ_i a_j)_n``: the gradient the
optimizer applies.
"""

from __future__ import annotations

from .lines import MAX_NEURONS, Context, Eq, Section, first_weights, more

__all__ = ["gradient_section"]


def gradient_section(ctx: Context) -> Section:
    trace, n = ctx.trace, ctx.trace.n_samples
    s = ctx.batch_symbols
    section = Section("gradients", "Step 3: gradients")
    if n > 1:
        section.notes.append(f"Each gradient is the mean over the {n} samples of the batch: "
                             "this is the gradient the optimizer applies.")
    for layer in reversed(trace.layers):
        l = layer.index
        weights = first_weights(layer) if layer.W.trainable else []
        for j, i in weights:
            term = (layer.delta[:, i], layer.a_prev[:, j])
            section.lines.append(_mean_line(ctx, s.dL(s.w(l, j, i)), s.delta(l, i),
                                            s.a(l - 1, j), term, layer.W.grad[j, i]))
        if weights and layer.W.old.size > len(weights):
            section.lines.append(more(layer.W.old.size - len(weights), "weights", l))
        shown, left = ctx.cut(layer.n_out, MAX_NEURONS if layer.b.trainable else 0)
        for i in shown:
            section.lines.append(_mean_line(ctx, s.dL(s.b(l, i)), s.delta(l, i), None,
                                            (layer.delta[:, i], None), layer.b.grad[i]))
        if left and layer.b.trainable:
            section.lines.append(more(left, "biases", l))
        for p in (layer.W, layer.b):
            if not p.trainable:
                section.notes.append(f"{p.name} is frozen: it has no gradient and is not updated.")
    return section


def _mean_line(ctx: Context, lhs: str, delta_sym: str, a_sym: str | None, terms, grad) -> Eq:
    n, (deltas, acts) = ctx.trace.n_samples, terms
    product = delta_sym if a_sym is None else f"{delta_sym} \\cdot {a_sym}"

    # the numbers printed so that their mean product, as printed, gives the gradient as printed
    if acts is None:
        num = ctx.operands(deltas, lambda *d: sum(d) / n, grad)
    else:
        num = ctx.operands([*deltas, *acts], lambda *v: sum(
            v[r] * v[n + r] for r in range(n)) / n, grad)

    def one(r: int) -> str:
        d = num(deltas[r], True)
        return d if acts is None else f"{d} \\cdot {num(acts[r], True)}"

    if n == 1:
        plugged = [("=", one(0))] if acts is not None else []
        return Eq(lhs, [("=", product)] + plugged + [ctx.result(grad)])
    parts = [("=", f"\\frac{{1}}{{{n}}} \\sum_{{n=1}}^{{{n}}} ({product})_n")]
    if n <= 4:
        parts.append(("=", f"\\frac{{1}}{{{n}}}(" + " + ".join(one(r) for r in range(n)) + ")"))
    return Eq(lhs, parts + [ctx.result(grad)])
