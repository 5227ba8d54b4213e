"""The lecture's names for the numbers of a network, written once for every part of glassnet.

The slides name each number by a letter, 1-based subscripts and the layer in brackets:

==================  ====================  ==============================  ====================
quantity            plain name            LaTeX                           meaning
==================  ====================  ==============================  ====================
input               ``x1``                ``x_{1}``                       ``X[:, 0]``
weight              ``w11[1]``            ``w_{11}^{[1]}``                ``W[1][j-1, i-1]``
weight, wide layer  ``w3,12[1]``          ``w_{3,12}^{[1]}``              from input 3 to neuron 12
bias                ``b1[1]``             ``b_{1}^{[1]}``                 ``b[1][i-1]``
pre-activation      ``z1[1]``             ``z_{1}^{[1]}``                 ``z = a_prev @ W + b``
activation          ``a1[1]``             ``a_{1}^{[1]}``                 ``a = φ(z)``
error signal        ``delta1[2]``         ``\\delta_{1}^{[2]}``            ``δ = ∂L/∂z``, shown δ1[2]
==================  ====================  ==============================  ====================

The rule for a weight's two indices: written side by side (``w12``) while the layer has at
most 9 inputs and 9 neurons, separated by a comma (``w3,12``) beside a wider layer, where
``w112`` could be read two ways. :func:`wide` decides it from the layer's own sizes, so the
names of a layer do not change when another layer of the network grows.

Gradients take a ``d`` before the name they belong to (``dw11[2]`` is ``∂L/∂w_{11}^{[2]}``),
as the code names ``dW`` after ``W``.
"""

from __future__ import annotations

__all__ = ["wide", "pair", "weight", "bias", "weight_latex", "bias_latex", "parameter_names",
           "layer_names"]


def wide(n_in: int, n_out: int) -> bool:
    """Whether a layer of ``n_in`` inputs and ``n_out`` neurons separates weight indices by a comma."""
    return max(n_in, n_out) > 9


def pair(j: int, i: int, is_wide: bool) -> str:
    """The subscript of ``w_{ji}``, 1-based: ``"12"``, or ``"3,12"`` beside a wide layer."""
    return f"{j},{i}" if is_wide else f"{j}{i}"


def weight(layer: int, j: int, i: int, is_wide: bool) -> str:
    """``w{j}{i}[{layer}]``: the weight from input ``j`` to neuron ``i`` of ``layer`` (1-based)."""
    return f"w{pair(j, i, is_wide)}[{layer}]"


def bias(layer: int, i: int) -> str:
    """``b{i}[{layer}]``: the bias of neuron ``i`` of ``layer`` (1-based)."""
    return f"b{i}[{layer}]"


def weight_latex(layer: int, j: int, i: int, is_wide: bool) -> str:
    """``w_{ji}^{[layer]}`` as the slides typeset it."""
    return f"w_{{{pair(j, i, is_wide)}}}^{{[{layer}]}}"


def bias_latex(layer: int, i: int) -> str:
    """``b_{i}^{[layer]}`` as the slides typeset it."""
    return f"b_{{{i}}}^{{[{layer}]}}"


def layer_names(layer: int, n_in: int, n_out: int) -> tuple[list[str], list[str]]:
    """The names of one layer's weights, row by row as ``W`` is stored, and of its biases."""
    is_wide = wide(n_in, n_out)
    weights = [weight(layer, j, i, is_wide) for j in range(1, n_in + 1)
               for i in range(1, n_out + 1)]
    return weights, [bias(layer, i) for i in range(1, n_out + 1)]


def parameter_names(sizes) -> list[str]:
    """Every parameter's name in the order of the lecture's gradient vector ∇θL.

    ``sizes`` lists the layer widths, inputs first: for the 2-2-1 network ``w11[1], w12[1],
    w21[1], w22[1], b1[1], b2[1], w11[2], w21[2], b1[2]``.
    """
    sizes = list(sizes)
    names: list[str] = []
    for layer, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        weights, biases = layer_names(layer, n_in, n_out)
        names += weights + biases
    return names
