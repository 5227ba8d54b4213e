"""The lecture's names of the numbers the page shows, sent as parts the page sets in type.

A name is ``{"text": "w12[1]", "base": "w", "sub": "12", "layer": 1}``: ``text`` is the plain
name of :mod:`glassnet.notation`; the page writes the base letter, the indices as a subscript
and ``[layer]`` as a superscript (``layer`` is ``null`` for ``x``, ``y`` and ``ŷ``), and reads
the same parts aloud as ``w₁₂[1]``. Which indices a name has, whether a comma separates them
and when the output is ``ŷ`` are decided here, so that the page repeats no rule of the notation.
"""

from __future__ import annotations

from .. import notation

__all__ = ["step_names", "hidden_names"]


def _name(text: str, base: str, sub: str = "", layer: int | None = None) -> dict:
    return {"text": text, "base": base, "sub": sub, "layer": layer}


def _neuron(letter: str, base: str, layer: int, i: int) -> dict:
    """``z``, ``a`` or ``δ`` of neuron ``i`` (1-based) of ``layer``, written like ``b1[1]``."""
    return _name(notation.neuron(letter, layer, i), base, str(i), layer)


def _outputs(letter: str, base: str, K: int) -> list[dict]:
    """``ŷ`` or ``y`` alone for one output, ``ŷ1 … ŷK`` for several, as the slides write them."""
    if K == 1:
        return [_name(letter, base)]
    return [_name(notation.name(letter, k), base, str(k)) for k in range(1, K + 1)]


def _layer(layer: int, n_in: int, n_out: int, is_output: bool) -> dict:
    is_wide = notation.wide(n_in, n_out)
    W = [[_name(notation.weight(layer, j, i, is_wide), "w", notation.pair(j, i, is_wide), layer)
          for i in range(1, n_out + 1)] for j in range(1, n_in + 1)]
    b = [_name(notation.bias(layer, i), "b", str(i), layer) for i in range(1, n_out + 1)]
    a = (_outputs("y_hat", "ŷ", n_out) if is_output
         else [_neuron("a", "a", layer, i) for i in range(1, n_out + 1)])
    return {"W": W, "b": b, "z": [_neuron("z", "z", layer, i) for i in range(1, n_out + 1)],
            "a": a, "delta": [_neuron("delta", "δ", layer, i) for i in range(1, n_out + 1)]}


def step_names(sizes: list[int]) -> dict:
    """Every name the step-through page shows, for layer widths ``sizes`` (inputs first).

    ``x`` and ``y`` hold one name per input and per target; ``layers[l - 1]`` holds ``W`` row
    by row as the set-up stores it (``W[j - 1][i - 1]`` is ``w_{ji}^{[l]}``), then ``b``, ``z``,
    ``a`` and ``delta`` per neuron; the output layer's ``a`` is ``ŷ``.
    """
    depth = len(sizes) - 1
    return {"x": [_name(notation.name("x", j), "x", str(j)) for j in range(1, sizes[0] + 1)],
            "y": _outputs("y", "y", sizes[-1]),
            "layers": [_layer(layer, n_in, n_out, layer == depth) for layer, (n_in, n_out)
                       in enumerate(zip(sizes[:-1], sizes[1:]), start=1)]}


def hidden_names(hidden: list[int]) -> list[list[dict]]:
    """``a_i^{[l]}`` of every hidden neuron, layer by layer, for the hidden widths ``hidden``."""
    return [[_neuron("a", "a", layer, i) for i in range(1, n + 1)]
            for layer, n in enumerate(hidden, start=1)]
