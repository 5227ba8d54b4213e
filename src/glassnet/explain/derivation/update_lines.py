"""Step 4 of the derivation: the update (slides "Step 4: Parameter Updates").

    θ ← θ − α ∂L/∂θ                 plain gradient descent, the lecture's rule
    θ ← θ + Δθ                      any other optimizer, with the step Δθ it chose
"""

from __future__ import annotations

from .lines import MAX_NEURONS, Context, Eq, Section, first_weights, more

__all__ = ["update_section"]


def update_section(ctx: Context) -> Section:
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
        entries = [(s.w(l, j, i), layer.W, (j, i)) for j, i in first_weights(layer)]
        entries += [(s.b(l, i), layer.b, (i,)) for i in range(min(layer.n_out, MAX_NEURONS))]
        left = layer.W.old.size + layer.b.old.size - len(entries)
        for name, p, at in entries:
            if not p.trainable:
                continue
            new = p.new[at]
            # the numbers printed so that the arithmetic, as printed, gives the new value
            if trace.plain_sgd:
                num = ctx.operands([p.old[at], trace.lr, p.grad[at]], lambda w, lr, g: w - lr * g,
                                   new)
                parts = [("\\leftarrow", f"{name} - \\alpha {s.dL(name)}"),
                         ("=", f"{num(p.old[at])} - {num(trace.lr)} \\cdot "
                               f"{num(p.grad[at], True)}")]
            else:
                num = ctx.operands([p.old[at], p.step[at]], lambda w, dw: w + dw, new)
                parts = [("\\leftarrow", f"{name} + \\Delta {name}"),
                         ("=", f"{num(p.old[at])} + {num(p.step[at], True)}")]
            section.lines.append(Eq(name, parts + [ctx.result(new)]))
        if left and (layer.W.trainable or layer.b.trainable):
            section.lines.append(more(left, "parameters", l))
    return section
