"""Step 2 of the derivation: the loss (slides "Step 2: Loss Computation").

Each pair (output activation, loss) is written as the engine defines it
(:mod:`glassnet.losses`), for one sample; a batch averages, ``L = (1/N) Σ_n ℓ_n``::

    L = ½(y − ŷ)² = ½(0.01 − 0.75137)² ≈ 0.27481
"""

from __future__ import annotations

import math

from .lines import Context, Eq, Section

__all__ = ["loss_section"]


def loss_section(ctx: Context) -> Section:
    trace, n = ctx.trace, ctx.trace.n_samples
    section = Section("loss", "Step 2: loss")
    y_hat, y = trace.y_hat[ctx.sample], trace.targets_one_hot()[ctx.sample]
    k = len(y_hat)
    formula, plugged = _loss_formula(ctx, trace.loss_name, y_hat, y, trace.losses[ctx.sample])
    row = str(ctx.sample + 1) if ctx.sample < 9 else f"{{{ctx.sample + 1}}}"
    lhs = "\\mathcal{L}" if n == 1 else f"\\ell_{row}"
    parts = [("=", formula)] + ([("=", plugged)] if plugged else [])
    section.lines.append(Eq(lhs, parts + [ctx.result(trace.losses[ctx.sample])]))
    if n > 1:
        num = ctx.operands(trace.losses, lambda *v: sum(v) / n, trace.loss)
        terms = " + ".join(num(v) for v in trace.losses) if n <= 6 else None
        mean = [("=", f"\\frac{{1}}{{{n}}} \\sum_{{n=1}}^{{{n}}} \\ell_n")]
        mean += [("=", f"\\frac{{1}}{{{n}}}({terms})")] if terms else []
        section.lines.append(Eq("\\mathcal{L}", mean + [ctx.result(trace.loss)]))
        section.notes.append(f"The loss of the batch is the mean of the {n} per-sample losses.")
    if k > 1 and trace.loss_name in ("squared_error", "mse"):
        section.notes.append(f"Summed over the {k} outputs k.")
    return section


def _loss_formula(ctx: Context, name: str, y_hat, y, loss) -> tuple[str, str | None]:
    """The formula and its numbers, printed so that they give ``loss`` as printed."""
    k = len(y_hat)
    if name in ("squared_error", "mse"):
        scale = "\\frac{1}{2}" if name == "squared_error" else ("" if k == 1 else f"\\frac{{1}}{{{k}}}")
        factor = 0.5 if name == "squared_error" else 1 / k
        num = ctx.operands([*y, *y_hat], lambda *v: factor * sum(
            (v[i] - v[k + i]) ** 2 for i in range(k)), loss)
        if k == 1:
            return (f"{scale}(y - \\hat{{y}})^2",
                    f"{scale}({num(y[0])} - {num(y_hat[0], True)})^2")
        squares = " + ".join(f"({num(y[i])} - {num(y_hat[i], True)})^2" for i in range(k))
        return (f"{scale}\\sum_k (y_k - \\hat{{y}}_k)^2", f"{scale}({squares})" if k <= 4 else None)
    if name == "binary_cross_entropy":
        if k == 1:
            num = ctx.operands([y[0], y_hat[0]], lambda t, p: -(t * math.log(p) + (1 - t)
                                                                * math.log(1 - p)), loss)
            plugged = (f"-[{num(y[0])} \\log {num(y_hat[0])} + (1 - {num(y[0])}) "
                       f"\\log(1 - {num(y_hat[0])})]")
            return ("-[y \\log \\hat{y} + (1 - y) \\log(1 - \\hat{y})]", plugged)
        return (f"-\\frac{{1}}{{{k}}} \\sum_k [y_k \\log \\hat{{y}}_k + (1 - y_k) "
                "\\log(1 - \\hat{y}_k)]", None)
    # cross_entropy: with a one-hot target only the true class's term is left
    hot = [i for i in range(k) if y[i] != 0]
    num = ctx.operands([*y, *y_hat], lambda *v: -sum(
        v[i] * math.log(v[k + i]) for i in range(k) if v[i] != 0), loss)
    if len(hot) == 1 and y[hot[0]] == 1:
        c = hot[0]
        return ("-\\sum_k y_k \\log \\hat{y}_k", f"-\\log \\hat{{y}}_{{{c + 1}}} = -\\log {num(y_hat[c])}")
    terms = " + ".join(f"{num(y[i])} \\log {num(y_hat[i])}" for i in range(k)) if k <= 4 else None
    return ("-\\sum_k y_k \\log \\hat{y}_k", f"-({terms})" if terms else None)
