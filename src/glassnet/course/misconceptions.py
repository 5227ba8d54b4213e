"""The lecture's common mistakes, recognised in a wrong answer and named.

For a wrong answer the checker recomputes the line under each mistake below, from the
student's *own* numbers (their answers, and lines they left out recomputed from those); when
one of them gives the student's number, the mark names it (``Mark.misconception``) and says
in a sentence what went wrong. A line the student left out is tried too, one step back: a
δ written without ∂L/∂ŷ, but from y − ŷ, is still a sign flip.

=============================  ==============================================================
name                           the mistake
=============================  ==============================================================
``sign_flip``                  ∂L/∂ŷ = y − ŷ, or an update θ + α ∂L/∂θ that climbs the gradient
``swapped_weights``            w12 and w21 swapped: W read with rows as neurons
``sigma_prime_left_out``       δ = ∂L/∂a without the factor σ′ = a(1 − a)
``z_for_a``                    the weighted sum z used where the activation a belongs
``half_dropped``               the ½ of the squared error dropped: L twice, ∂L/∂ŷ = 2(ŷ − y)
``half_doubled``               the ½ applied twice: L halved, ∂L/∂ŷ = ½(ŷ − y)
``updated_weights_backward``   ∂L/∂a sent back through the already updated weights
``learning_rate_left_out``     θ − ∂L/∂θ, without α
``learning_rate_twice``        θ − α·α·∂L/∂θ, α applied twice
=============================  ==============================================================
"""

from __future__ import annotations

import re

from .steps import Step

__all__ = ["MISCONCEPTIONS", "candidates", "said_of"]

MISCONCEPTIONS = {
    "sign_flip": "The sign is flipped: ∂L/∂ŷ = ŷ − y (not y − ŷ), and an update subtracts "
                 "α·∂L/∂θ, stepping down the gradient, not up it.",
    "swapped_weights": "w12 and w21 are swapped: in W, row j is input j and column i is "
                       "neuron i, so w_ji connects input j to neuron i.",
    "sigma_prime_left_out": "σ′ is left out: δ = ∂L/∂a · a(1 − a), the slope of the sigmoid "
                            "times what comes back from above.",
    "z_for_a": "z is used where a belongs: the next layer, the weight gradient and σ′ = "
               "a(1 − a) all use the activation a = σ(z), not the weighted sum z.",
    "half_dropped": "The ½ of the squared error is dropped: L = ½(y − ŷ)², whose "
                    "derivative is ŷ − y, not 2(ŷ − y).",
    "half_doubled": "The ½ of the squared error is applied twice: L = ½(y − ŷ)², whose "
                    "derivative is ŷ − y, not ½(ŷ − y).",
    "updated_weights_backward": "The backward pass uses the updated weights: ∂L/∂a is sent "
                                "back through the weights as they were in the forward pass; "
                                "all updates come after the backward pass.",
    "learning_rate_left_out": "The learning rate is left out: the update is θ − α·∂L/∂θ.",
    "learning_rate_twice": "The learning rate is applied twice: the gradient is ∂L/∂θ "
                           "without α, and the update multiplies by α once: θ − α·∂L/∂θ.",
}

#: Where a mistake reads differently on the loss L, on a gradient (∂L/∂ŷ and what follows it)
#: and on an updated parameter (``…_new``), the sentence for each: a mark names only the
#: mistake that applies to the number it marks. The others say one thing wherever they occur.
_SAID_OF = {
    ("sign_flip", "gradient"): "The sign is flipped: ∂L/∂ŷ = ŷ − y, not y − ŷ, and every δ "
                               "and gradient below it carries that sign.",
    ("sign_flip", "update"): "The sign is flipped: an update subtracts α·∂L/∂θ, stepping down "
                             "the gradient, not up it.",
    ("half_dropped", "loss"): "The ½ of the squared error is dropped: L = ½(y − ŷ)², not "
                              "(y − ŷ)².",
    ("half_doubled", "loss"): "The ½ of the squared error is applied twice: L = ½(y − ŷ)², "
                              "not ¼(y − ŷ)².",
}


def said_of(mistake: str, name: str) -> str:
    """``mistake`` in a sentence about the number ``name`` ("L", "delta1[2]", "w11[2]_new")."""
    kind = "update" if name.endswith("_new") else "loss" if name == "L" else "gradient"
    return _SAID_OF.get((mistake, kind), MISCONCEPTIONS.get(mistake, ""))


_WEIGHT = re.compile(r"w(\d+)(,?)(\d+)\[(\d+)\]")
_ACTIVATION = re.compile(r"a(\d+)\[(\d+)\]")


def _swapped(name: str) -> str | None:
    m = _WEIGHT.fullmatch(name)
    return f"w{m[3]}{m[2]}{m[1]}[{m[4]}]" if m else None


def candidates(step: Step, own: dict) -> list[tuple[str, float]]:
    """``(name, value)`` of ``step`` recomputed under each mistake that applies to it, from the
    numbers in ``own`` (name → value); mistakes whose numbers are not all there are left out."""
    v = [own.get(d) for d in step.deps]
    if any(x is None for x in v):
        return []
    out: list[tuple[str, float]] = []

    def redo(name, swap):
        """The step with some of its inputs replaced (dep → other name in ``own``)."""
        if any(s not in own for s in swap.values()) or not swap:
            return
        out.append((name, step.compute([own[swap.get(d, d)] for d in step.deps])))

    if step.op == "sub":                                   # ∂L/∂ŷ = ŷ − y
        out += [("sign_flip", v[1] - v[0]), ("half_dropped", 2 * (v[0] - v[1])),
                ("half_doubled", 0.5 * (v[0] - v[1]))]
    if step.op == "half_sq":
        out += [("half_dropped", 2 * step.compute(v)), ("half_doubled", 0.5 * step.compute(v))]
    if step.op == "update":                                # θ − α g
        theta, alpha, g = v
        out += [("sign_flip", theta + alpha * g), ("learning_rate_left_out", theta - g),
                ("learning_rate_twice", theta - alpha * alpha * g)]
    if step.op in ("affine", "dot"):
        redo("swapped_weights", {d: s for d in step.deps if (s := _swapped(d)) and s != d})
    if step.op == "mul" and step.name.startswith("delta"):
        out.append(("sigma_prime_left_out", v[0]))
    if step.op != "sigmoid":
        redo("z_for_a", {d: f"z{m[1]}[{m[2]}]" for d in step.deps
                         if (m := _ACTIVATION.fullmatch(d))})
    if step.op == "dot" and "alpha" in own:                # the weights after their update
        new = {}
        for d in step.deps:
            if _WEIGHT.fullmatch(d) and f"d{d}" in own:
                new[d] = f"{d}_after"
                own = {**own, f"{d}_after": own[d] - own["alpha"] * own[f"d{d}"]}
        redo("updated_weights_backward", new)
    return out
