"""Click a neuron: one neuron's exact numbers for one data point, as the step-through derives them.

For a paused Train session, the chosen point goes once through a copy of the network with
:func:`glassnet.explain.step` (forward, loss, backward, read from the engine's caches); the
session itself is not touched. The answer holds the neuron's z, a and δ, the gradients of its
weights and bias for this point alone, and the lines of the derivation that compute them,
as MathML, exactly as Step through shows them. The gradients are the data loss's: an L1 or
L2 penalty adds λ sign(w) or λ w to a weight's gradient in training, the same for every point.
"""

from __future__ import annotations

import copy

from ..explain import step
from ..explain.notation import Symbols
from .features import LABELS
from .limits import Limits, RequestError, get_choice, get_int
from .mathml import to_mathml
from .names import step_names

__all__ = ["neuron_numbers"]

_SECTIONS = ("forward", "loss", "backward", "gradients")  # the update is the optimizer's


def neuron_numbers(session, body, limits: Limits) -> dict:
    """``POST /api/train/{id}/inspect`` with ``{"layer", "neuron", "point", "part"}``.

    ``layer`` counts from 1 as the lecture does (the last is the output layer), ``neuron``
    from 1 within it, ``point`` from 0 within the ``part`` ("train" or "test") of the data.
    """
    if not isinstance(body, dict):
        raise RequestError('expected a JSON object such as {"layer": 1, "neuron": 2, '
                           '"point": 0, "part": "train"}')
    net = session.net
    layer = get_int(body, "layer", None, 1, len(net.layers))
    neuron = get_int(body, "neuron", None, 1, net.layers[layer - 1].n_out)
    part = get_choice(body, "part", "train", ("train", "test"))
    X, T, labels = _points(session, part)
    if len(X) == 0:
        raise RequestError(f"the {part} split has no points; choose a point of the other one")
    index = get_int(body, "point", None, 0, len(X) - 1)
    # explain.step updates the network it is given: a copy keeps the session as it was.
    trace = step(copy.deepcopy(net), X[index:index + 1], T[index:index + 1],
                 lr=session.settings["lr"])
    traced = trace.layers[layer - 1]
    i = neuron - 1
    lines = _lines(trace, layer, i)
    sizes = [net.n_in] + [dense.n_out for dense in net.layers]
    return {"layer": layer, "neuron": neuron, "part": part, "point": index,
            "sizes": sizes, "names": step_names(sizes),
            "x": session_point(session, part, index),
            "inputs": [LABELS[f] for f in session.settings["features"]],
            "target": (float(labels[index]) if session.data.problem == "regression"
                       else session.data.classes[int(labels[index])]),
            "penalty": session.settings["penalty"],
            "values": {"z": float(traced.z[0, i]), "a": float(traced.a[0, i]),
                       "delta": float(traced.delta[0, i]),
                       "dW": traced.dW_per_sample()[0, :, i].tolist(),
                       "db": float(traced.delta[0, i])},
            "loss": float(trace.loss), "lines": lines}


def _points(session, part: str):
    """The network's inputs (the chosen features of each point), the loss's targets and the
    labels (regression: the targets) of one split."""
    d = session.data
    if part == "train":
        return session.I_train, session.T_train, d.y_train
    return session.I_test, session.T_test, d.y_test


def session_point(session, part: str, index: int) -> list[float]:
    X = session.data.X_train if part == "train" else session.data.X_test
    return [float(v) for v in X[index]]


def _lines(trace, layer: int, i: int) -> list[dict]:
    """The derivation's lines that compute neuron ``i`` of ``layer``, in the page's order."""
    sizes = [trace.layers[0].n_in] + [t.n_out for t in trace.layers]
    sym = Symbols(sizes)
    a = sym.a(layer, i)
    wanted = {a, sym.dL(a), sym.d(a, sym.z(layer, i)), sym.delta(layer, i),
              sym.dL(sym.b(layer, i)), sym.L}
    wanted |= {sym.dL(sym.w(layer, j, i)) for j in range(sizes[layer - 1])}
    document = trace.to_dict(digits=5)
    out = []
    for section in document["derivation"]:
        if section["key"] not in _SECTIONS:
            continue
        for line in section["lines"]:
            if line["lhs"] in wanted:
                out.append({"section": section["key"], "title": section["title"],
                            "latex": line["latex"], "pieces": _pieces(line["lhs"], line["parts"])})
    return out


def _pieces(lhs: str, parts) -> list[str]:
    """A line as ``<math>`` pieces where a narrow panel may wrap it: the left-hand side, each
    ``= …`` or ``≈ …``, and within those each ``+`` term of a sum (a neuron with many inputs
    has a long one), so that every piece stays readable instead of shrinking."""
    pieces = [to_mathml(lhs)]
    for relation, expression in parts:
        first, *rest = _terms(expression)
        pieces += [to_mathml(f"{relation} {first}")] + [to_mathml(f"+ {term}") for term in rest]
    return pieces


def _terms(latex: str) -> list[str]:
    """``latex`` cut before each `` + `` outside braces: ``\\tanh(a + b + c)`` gives
    ``\\tanh(a``, ``b``, ``c)``. A bracket left open on one piece is only a symbol in MathML."""
    terms, depth, start = [], 0, 0
    for k, char in enumerate(latex):
        depth += {"{": 1, "}": -1}.get(char, 0)
        for command, step in (("\\left", 1), ("\\right", -1)):  # \left( … \right) stays whole
            after = latex[k + len(command):k + len(command) + 1]
            if latex.startswith(command, k) and not after.isalpha():
                depth += step
        if depth == 0 and latex.startswith(" + ", k):
            terms.append(latex[start:k])
            start = k + 3
    return terms + [latex[start:]]
