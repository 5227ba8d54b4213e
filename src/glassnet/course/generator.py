"""Fresh exercises in the lecture's style: nice two-decimal numbers, answers from the engine.

``generate(kind, seed=7)`` draws the givens of an exercise from ``numpy.random.default_rng(7)``
(the same seed gives the same sheet), keeps drawing until the answers are well-conditioned,
and returns a :class:`~glassnet.course.sheet.Sheet` with the student's page and the answer key.

=====================  ==================================================  ================
kind                   given                                              the student computes
=====================  ==================================================  ================
``forward``            x, W, b of every layer                             z and a, layer by layer
``output_gradients``   ŷ, y and the last hidden layer's a                 ∂L/∂ŷ, ŷ(1−ŷ), δ, ∂L/∂W, ∂L/∂b
``hidden_gradients``   δ of the output, W of the output layer, a, x        ∂L/∂a, a(1−a), δ, ∂L/∂W, ∂L/∂b
``weight_update``      θ, ∂L/∂θ and α                                     θ − α ∂L/∂θ for every parameter
``training_step``      x, y, W, b, α                                      all of the above, in order
=====================  ==================================================  ================

"Well-conditioned" means: no neuron saturated (every activation in [0.05, 0.95]), an output
at least 0.1 away from its target, no answer smaller than 1e-4 in magnitude (10^-decimals
where more decimals are asked), and every update θ − α ∂L/∂θ at least twice the asked
precision away from θ, so that "no update" or a step the wrong way never passes. Values
below 0.01 are asked to ``decimals − 1`` significant figures, so a slip shows in them too.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .. import notation
from ..optim import SGD
from ..parameter import Parameter
from .engine_values import engine_values
from .sheet import Sheet, asked_tolerance
from .steps import build_chain

__all__ = ["KINDS", "generate", "build_sheet", "engine_values"]

KINDS = {
    "forward": "Forward pass",
    "output_gradients": "Output-layer gradients",
    "hidden_gradients": "Hidden-layer gradients",
    "weight_update": "Weight update",
    "training_step": "A full training step",
}
_ALIASES = {"forward_pass": "forward", "output": "output_gradients", "hidden": "hidden_gradients",
            "update": "weight_update", "step": "training_step", "full": "training_step",
            "full_training_step": "training_step", "output_layer_gradients": "output_gradients",
            "hidden_layer_gradients": "hidden_gradients"}
_MAX_TRIES = 10_000


def _kind(kind) -> str:
    if not isinstance(kind, str):
        raise TypeError(f"kind must be a string such as 'forward', got {type(kind).__name__}")
    key = kind.strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    if key not in KINDS:
        raise ValueError(f"unknown exercise kind {kind!r}; expected one of: {', '.join(KINDS)}")
    return key


def _shape(shape, kind: str) -> tuple[int, ...]:
    try:
        dims = tuple(int(n) for n in shape)
        ok = all(int(n) == n and n >= 1 for n in shape) and len(dims) >= 2
    except (TypeError, ValueError):
        ok = False
    if not ok or any(n > 6 for n in dims) or len(dims) > 5:
        raise ValueError(
            f"shape expected 2 to 5 layer widths from 1 to 6 (a sheet a student can work by "
            f"hand), such as (2, 2, 1); got {shape!r}")
    if kind == "hidden_gradients" and len(dims) < 3:
        raise ValueError(f"hidden_gradients needs a hidden layer, so a shape of 3 or more "
                         f"widths such as (2, 2, 1); got {shape!r}")
    return dims


def _selects(kind: str, shape: tuple[int, ...]):
    """Which steps of the chain a kind asks for."""
    depth = len(shape) - 1
    hidden = f"[{depth - 1}]"
    out = f"[{depth}]"
    return {
        "forward": lambda s: s.name[0] in "za",
        "output_gradients": lambda s: s.name.startswith("dy_hat") or (
            s.name.endswith(out) and s.name[:2] in ("ds", "de", "dw", "db")),
        "hidden_gradients": lambda s: s.name.endswith(hidden) and s.name[:2] in (
            "da", "ds", "de", "dw", "db"),
        "weight_update": lambda s: s.name.endswith("_new"),
        "training_step": lambda s: True,
    }[kind]


def build_sheet(kind: str, givens: dict, shape=(2, 2, 1), *, steps=None, seed=None,
                title: str | None = None, notes=(), decimals: int = 4, required=None,
                also_accepted=None, aliases=None) -> Sheet:
    """A sheet from given numbers (the lecture's own exercises, or a teacher's).

    ``steps`` narrows the kind to the named steps (e.g. ``["delta1[1]", "dw11[1]"]``);
    every number those steps read must be in ``givens``. ``required`` names the answers the
    exercise asks for; the other lines become optional (worth writing, never a lost mark).
    ``also_accepted`` and ``aliases`` are kept on the sheet (see :class:`Sheet`).
    """
    kind = _kind(kind)
    shape = _shape(shape, kind)
    quantities, chain = build_chain(shape)
    chosen = [s for s in chain if _selects(kind, shape)(s)]
    if steps is not None:
        unknown = sorted(set(steps) - {s.name for s in chosen})
        if unknown:
            raise ValueError(f"steps {unknown} are not part of a {kind} sheet for shape {shape}")
        chosen = [s for s in chosen if s.name in set(steps)]
    asked = {s.name for s in chosen}
    needed = list(dict.fromkeys(d for s in chosen for d in s.deps if d not in asked))
    missing = [n for n in needed if n not in givens]
    if missing:
        raise ValueError(f"a {kind} sheet for shape {shape} needs givens {missing}, "
                         f"which were not provided")
    given = {n: float(givens[n]) for n in needed}
    key = _key(kind, shape, given, chain, asked)
    if required is not None:
        unknown = sorted(set(required) - asked)
        if unknown:
            raise ValueError(f"required answers {unknown} are not steps of this sheet")
        chosen = [replace(s, optional=s.name not in set(required)) for s in chosen]
    return Sheet(kind=kind, shape=shape, seed=seed, givens=given, steps=chosen, key=key,
                 quantities={n: quantities[n] for n in [*given, *asked]},
                 title=title or KINDS[kind], notes=tuple(notes), decimals=decimals,
                 also_accepted={n: tuple((float(v), str(t)) for v, t in alts)
                                for n, alts in (also_accepted or {}).items()},
                 aliases=dict(aliases or {}))


def _key(kind, shape, given, chain, asked) -> dict[str, float]:
    """Answers from the engine where the sheet describes a whole network, else the chain."""
    if kind in ("forward", "training_step"):
        values = engine_values(shape, given)
    elif kind == "weight_update":
        values = _engine_update(given, [s for s in chain if s.name in asked])
    else:
        values = dict(given)
        for s in chain:
            if s.name in asked:
                values[s.name] = s.compute([values[d] for d in s.deps])
    return {s.name: float(values[s.name]) for s in chain if s.name in asked}


def _engine_update(given, steps) -> dict[str, float]:
    """θ − α ∂L/∂θ by the engine's own SGD, one scalar parameter per asked update."""
    params = []
    for s in steps:
        p = Parameter(np.array([given[s.deps[0]]]), s.deps[0])
        p.grad = np.array([given[s.deps[2]]])
        params.append(p)
    SGD(params, lr=given["alpha"]).step()
    return {**given, **{s.name: p.value[0] for s, p in zip(steps, params)}}


# ---- drawing nice numbers -----------------------------------------------------------------

def _nice(rng, low, high, n=None, signed=False):
    """Two-decimal numbers in [low, high] (and their negatives when ``signed``)."""
    v = rng.integers(round(low * 100), round(high * 100) + 1, size=n) / 100
    if signed:
        v = v * rng.choice([-1.0, 1.0], size=n)
    return v


def _activation(l: int, i: int) -> str:
    """a_i^{[l]} by name; a^{[0]} is the input x."""
    return notation.neuron("a", l, i) if l else notation.name("x", i)


def _draw(kind, shape, rng) -> dict[str, float]:
    quantities, _ = build_chain(shape)
    g: dict[str, float] = {}
    depth = len(shape) - 1
    for name in quantities:
        if name.startswith("x"):
            g[name] = _nice(rng, 0.05, 0.95)
        elif name.startswith("y"):
            g[name] = _nice(rng, 0.01, 0.99)
        elif name.startswith("w"):
            g[name] = _nice(rng, 0.05, 0.95, signed=True)
        elif name.startswith("b"):
            g[name] = _nice(rng, -0.5, 0.5)
    g["alpha"] = float(rng.choice([0.1, 0.2, 0.25, 0.5, 1.0]))
    if kind == "output_gradients":
        for i in range(1, shape[-2] + 1):
            g[_activation(depth - 1, i)] = _nice(rng, 0.05, 0.95)
        for k in range(1, shape[-1] + 1):
            g[_activation(depth, k)] = _nice(rng, 0.05, 0.95)
    elif kind == "hidden_gradients":
        for l in (depth - 1, depth - 2):
            for i in range(1, shape[l] + 1):
                g[_activation(l, i)] = _nice(rng, 0.05, 0.95)
        for k in range(1, shape[-1] + 1):
            g[notation.neuron("delta", depth, k)] = _nice(rng, 0.02, 0.30, signed=True)
    elif kind == "weight_update":
        for name in quantities:
            if name[0] in "wb" and "[" in name:
                g[f"d{name}"] = float(rng.integers(11, 100) * 10.0 ** -rng.integers(2, 5)
                                      * rng.choice([-1, 1]))
    return {k: float(v) for k, v in g.items()}


def _well_conditioned(sheet: Sheet, shape) -> bool:
    values = {**sheet.givens, **sheet.key}
    acts = [v for n, v in values.items() if n.startswith("a") and "[" in n]  # not alpha
    if any(not 0.05 <= a <= 0.95 for a in acts):
        return False
    depth = len(shape) - 1
    single = shape[-1] == 1
    for k in range(1, shape[-1] + 1):
        y_hat = values.get(_activation(depth, k))
        y = values.get("y" if single else f"y{k}")
        if y_hat is not None and y is not None and abs(y_hat - y) < 0.1:
            return False
    # Every answer at least one unit of the asked decimals (1e-4 for 4), and every update
    # visible at the asked precision: "no update" and the update the wrong way must both
    # be further off than a rounding of the right one.
    if not all(abs(v) >= min(1e-4, 10.0 ** -sheet.decimals) for v in sheet.key.values()):
        return False
    return all(abs(values[s.deps[0]] - sheet.key[s.name])
               >= 2 * asked_tolerance(sheet.decimals, sheet.key[s.name])
               for s in sheet.steps if s.op == "update")


def generate(kind: str, seed: int | None = None, shape=(2, 2, 1), *, decimals: int = 4,
             decimal_comma: bool = False) -> Sheet:
    """A new exercise of ``kind`` with its answer key.

    Parameters
    ----------
    kind : str
        ``forward``, ``output_gradients``, ``hidden_gradients``, ``weight_update`` or
        ``training_step``.
    seed : int, optional
        The same seed gives the same sheet; without one a seed is drawn and recorded on
        the sheet (``sheet.seed``) so the sheet can be made again.
    shape : tuple of int
        Layer widths, input first: ``(2, 2, 1)`` is the lecture's network.
    decimals : int
        Decimal places the student page asks for (the checker accepts any correct rounding).
    decimal_comma : bool
        Write numbers on the sheet and key with a decimal comma (0,5933).

    Examples
    --------
    >>> sheet = generate("forward", seed=7)
    >>> print(sheet.to_markdown())          # doctest: +SKIP
    >>> report = check(sheet, sheet.key)    # the key checks as all correct
    """
    kind = _kind(kind)
    shape = _shape(shape, kind)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 1 <= decimals <= 12:
        raise ValueError(f"decimals expected an integer from 1 to 12, got {decimals!r}")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**32)
    elif isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"seed must be a non-negative int, got {seed!r}")
    rng = np.random.default_rng(int(seed))
    for _ in range(_MAX_TRIES):
        sheet = build_sheet(kind, _draw(kind, shape, rng), shape, seed=int(seed),
                            decimals=decimals)
        if _well_conditioned(sheet, shape):
            sheet.decimal_comma = bool(decimal_comma)
            return sheet
    raise RuntimeError(f"no well-conditioned {kind} sheet for shape {shape} after "
                       f"{_MAX_TRIES} draws; try a smaller shape, or more decimals (at "
                       f"{decimals} decimals some update is always too small to show)")
