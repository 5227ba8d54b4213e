"""Step 1 of the derivation: the forward pass, neuron by neuron (slides "Step 1: Forward Pass").

For neuron i of layer l::

    z_i^{[l]} = Σ_j a_j^{[l-1]} w_{ji}^{[l]} + b_i^{[l]},   a_i^{[l]} = φ(z_i^{[l]})
    a_1^{[1]} = σ(0.05 · 0.15 + 0.10 · 0.20 + 0.35) = σ(0.3775) ≈ 0.59327
"""

from __future__ import annotations

import math

from .lines import MAX_NEURONS, Context, Eq, Section

__all__ = ["forward_section", "PHI"]

# The name of φ in LaTeX; identity has none (a = z).
PHI = {"sigmoid": "\\sigma", "tanh": "\\tanh", "relu": "\\operatorname{ReLU}",
       "leaky_relu": "\\operatorname{LeakyReLU}", "identity": "", "softmax": "\\operatorname{softmax}"}

_EXPLICIT_TERMS = 4  # up to this many inputs the sum is written out term by term
_PLUGGED_TERMS = 6   # up to this many inputs the numbers are plugged in


def forward_section(ctx: Context) -> Section:
    trace, n = ctx.trace, ctx.trace.n_samples
    where = "" if n == 1 else f" (sample {ctx.sample + 1} of {n})"
    forward = Section("forward", f"Step 1: forward pass{where}")
    only = trace.layers[0]
    if len(trace.layers) == 1 and only.n_out == 1 and only.activation == "sigmoid":
        forward.notes.append("One neuron with a sigmoid is logistic regression: "
                             "ŷ = σ(wᵀx + b), the lecture's simplest neural network.")
    for layer in trace.layers:
        forward.lines += _layer_lines(ctx, layer)
    return forward


def _sum_formula(ctx: Context, layer, i: int) -> str:
    s, l = ctx.sym, layer.index
    if layer.n_in <= _EXPLICIT_TERMS:
        terms = [f"{s.a(l - 1, j)} {s.w(l, j, i)}" for j in range(layer.n_in)]
        return " + ".join(terms + [s.b(l, i)])
    prev = "x_j" if l == 1 else f"a_j^{{[{l - 1}]}}"
    return f"\\sum_{{j=1}}^{{{layer.n_in}}} {prev} w_{{j{i + 1}}}^{{[{l}]}} + {s.b(l, i)}"


def _phi(layer):
    """φ of an elementwise activation as a function of one number (None for softmax)."""
    slope = getattr(layer, "slope", 0.0)
    return {"sigmoid": lambda z: 1 / (1 + math.exp(-z)), "tanh": math.tanh,
            "relu": lambda z: max(z, 0.0), "leaky_relu": lambda z: z if z > 0 else slope * z,
            "identity": lambda z: z}.get(layer.activation)


def _sum_numbers(ctx: Context, layer, i: int, z_digits: int) -> str | None:
    """The sum with its numbers, printed so that it gives z as printed (to ``z_digits``)."""
    if layer.n_in > _PLUGGED_TERMS:
        return None
    a_prev, W, b = layer.a_prev[ctx.sample], layer.W.old, layer.b.old[i]
    n_in = layer.n_in
    values = [*a_prev, *W[:, i], b]
    num = ctx.operands(values, lambda *v: sum(v[j] * v[n_in + j] for j in range(n_in)) + v[-1],
                       layer.z[ctx.sample, i], z_digits)
    terms = [f"{num(a_prev[j], True)} \\cdot {num(W[j, i], True)}" for j in range(n_in)]
    return " + ".join(terms + [num(b, True)])


def _layer_lines(ctx: Context, layer) -> list[Eq]:
    s, l, phi = ctx.sym, layer.index, PHI[layer.activation]
    shown, left = ctx.cut(layer.n_out, MAX_NEURONS)
    lines = []
    for i in shown:
        z, a = layer.z[ctx.sample, i], layer.a[ctx.sample, i]
        f = _phi(layer)
        # z printed so that φ(z as printed) gives a as printed; the sum so that it gives z
        z_num = ctx.operands([z], f, a) if f else ctx.operands([z], lambda v: v, z)
        plugged = _sum_numbers(ctx, layer, i, z_num.digits)
        if layer.activation == "softmax" or not phi:
            # z first, then (softmax) the normalisation across the layer
            parts = [("=", _sum_formula(ctx, layer, i))]
            parts += [("=", plugged)] if plugged else []
            lines.append(Eq(s.z(l, i), parts + [ctx.result(z)]))
            if not phi:
                lines.append(Eq(s.a(l, i), [("=", s.z(l, i)), ctx.result(a)]))
            continue
        parts = [("=", f"{phi}({plugged})")] if plugged else [
            ("=", f"{phi}({s.z(l, i)})"), ("=", f"{phi}({_sum_formula(ctx, layer, i)})")]
        parts += [("=", f"{phi}({z_num(z)})"), ctx.result(a)]
        lines.append(Eq(s.a(l, i), parts))
    if layer.activation == "softmax":
        lines += _softmax_lines(ctx, layer, shown)
    if left:
        lines.append(Eq(f"\\text{{… {left} more neurons of layer {l}}}", []))
    return lines


def _softmax_lines(ctx: Context, layer, shown) -> list[Eq]:
    s, l, row = ctx.sym, layer.index, layer.z[ctx.sample]
    lines = []
    for i in shown:
        # the z's printed so that e^{z_i} / Σ e^{z_c}, as printed, gives a_i as printed
        num = ctx.operands(row, lambda *z, i=i: math.exp(z[i]) / sum(map(math.exp, z)),
                           layer.a[ctx.sample, i]) if len(row) <= 4 else ctx.num
        denominator = " + ".join(f"e^{{{num(v)}}}" for v in row) if len(row) <= 4 else (
            f"\\sum_{{c=1}}^{{{len(row)}}} e^{{z_c^{{[{l}]}}}}")
        frac = f"\\frac{{e^{{{num(row[i])}}}}}{{{denominator}}}"
        formula = f"\\frac{{e^{{{s.z(l, i)}}}}}{{\\sum_c e^{{z_c^{{[{l}]}}}}}}"
        lines.append(Eq(s.a(l, i), [("=", formula), ("=", frac),
                                    ctx.result(layer.a[ctx.sample, i])]))
    return lines
