"""The lecture's names for the numbers of a network, written once for every part of glassnet.

The slides name each number by a letter, 1-based subscripts and the layer in brackets:

==================  ====================  ====================  ==============================
quantity            name (a key)          plain text            LaTeX
==================  ====================  ====================  ==============================
input               ``x1``                ``x1``                ``x_1``
target              ``y``, ``y2``         ``y``, ``y2``         ``y``, ``y_2``
weight              ``w11[1]``            ``w11[1]``            ``w_{11}^{[1]}``
weight, wide layer  ``w3,12[1]``          ``w3,12[1]``          ``w_{3,12}^{[1]}``
bias                ``b1[1]``             ``b1[1]``             ``b_1^{[1]}``
pre-activation      ``z1[1]``             ``z1[1]``             ``z_1^{[1]}``
activation          ``a1[1]``             ``a1[1]``             ``a_1^{[1]}``
output              ``y_hat``             ``ŷ``, ``ŷ2``         ``\\hat{y}``, ``\\hat{y}_2``
error signal        ``delta1[2]``         ``δ1[2]``             ``\\delta_1^{[2]}``
==================  ====================  ====================  ==============================

``W[1][j-1, i-1]`` is ``w_{ji}^{[1]}``, from input ``j`` to neuron ``i``; ``z = a_prev @ W + b``,
``a = φ(z)``, ``δ = ∂L/∂z``. A name is what the code looks a number up by; the plain text is
what a reader sees (``δ`` for ``delta``, ``ŷ`` for ``y_hat``); LaTeX braces a subscript only
when it has more than one character, as the slides write ``a_1^{[1]}`` and ``w_{11}^{[1]}``.

The rule for a weight's two indices: written side by side (``w12``) while the layer has at
most 9 inputs and 9 neurons, separated by a comma (``w3,12``) beside a wider layer, where
``w112`` could be read two ways. :func:`wide` decides it from the layer's own sizes, so the
names of a layer do not change when another layer of the network grows.

Gradients take a ``d`` before the name they belong to (``dw11[2]`` is ``∂L/∂w_{11}^{[2]}``),
as the code names ``dW`` after ``W``.
"""

from __future__ import annotations

__all__ = ["wide", "pair", "name", "symbol", "symbol_latex", "neuron", "weight", "bias",
           "weight_latex", "bias_latex", "derivative", "derivative_latex", "parameter_names",
           "layer_names"]

_PLAIN = {"delta": "δ", "y_hat": "ŷ", "alpha": "α"}
_LATEX = {"delta": "\\delta", "y_hat": "\\hat{y}", "alpha": "\\alpha"}


def wide(n_in: int, n_out: int) -> bool:
    """Whether a layer of ``n_in`` inputs and ``n_out`` neurons writes ``w3,12``, not ``w312``."""
    return max(n_in, n_out) > 9


def pair(j: int, i: int, is_wide: bool) -> str:
    """The subscript of ``w_{ji}``, 1-based: ``"12"``, or ``"3,12"`` beside a wide layer."""
    return _subscript((j, i), is_wide)


def _subscript(indices, is_wide: bool) -> str:
    return ("," if is_wide else "").join(str(k) for k in indices)


def name(letter: str, *indices: int, layer: int | None = None, is_wide: bool = False) -> str:
    """The key of a number: ``name("w", 3, 12, layer=1, is_wide=True)`` is ``"w3,12[1]"``.

    ``letter`` is written as given (``"delta"``, ``"dw"``, ``"x"``); ``indices`` are 1-based;
    ``layer`` adds ``[layer]``, and inputs and targets have none.
    """
    text = f"{letter}{_subscript(indices, is_wide)}"
    return text if layer is None else f"{text}[{layer}]"


def symbol(letter: str, *indices: int, layer: int | None = None, is_wide: bool = False) -> str:
    """The plain-text name a reader sees: ``symbol("delta", 1, layer=2)`` is ``"δ1[2]"``."""
    return name(_PLAIN.get(letter, letter), *indices, layer=layer, is_wide=is_wide)


def symbol_latex(letter: str, *indices: int, layer: int | None = None,
                 is_wide: bool = False) -> str:
    """The name as the slides typeset it: ``symbol_latex("delta", 1, layer=2)`` is
    ``"\\delta_1^{[2]}"``, ``symbol_latex("w", 3, 12, layer=1, is_wide=True)`` is
    ``"w_{3,12}^{[1]}"``."""
    text = _LATEX.get(letter, letter)
    sub = _subscript(indices, is_wide)
    if sub:
        text += f"_{sub}" if len(sub) == 1 else f"_{{{sub}}}"
    return text if layer is None else f"{text}^{{[{layer}]}}"


def neuron(letter: str, layer: int, i: int) -> str:
    """The key of a number of neuron ``i`` of ``layer``: ``neuron("delta", 2, 1)`` is
    ``"delta1[2]"``."""
    return name(letter, i, layer=layer)


def weight(layer: int, j: int, i: int, is_wide: bool) -> str:
    """``w{j}{i}[{layer}]``: the weight from input ``j`` to neuron ``i`` of ``layer`` (1-based)."""
    return name("w", j, i, layer=layer, is_wide=is_wide)


def bias(layer: int, i: int) -> str:
    """``b{i}[{layer}]``: the bias of neuron ``i`` of ``layer`` (1-based)."""
    return name("b", i, layer=layer)


def weight_latex(layer: int, j: int, i: int, is_wide: bool) -> str:
    """``w_{ji}^{[layer]}`` as the slides typeset it."""
    return symbol_latex("w", j, i, layer=layer, is_wide=is_wide)


def bias_latex(layer: int, i: int) -> str:
    """``b_i^{[layer]}`` as the slides typeset it."""
    return symbol_latex("b", i, layer=layer)


def derivative(top: str, bottom: str) -> str:
    """``∂top/∂bottom`` in plain text: ``derivative("L", "w11[2]")`` is ``"∂L/∂w11[2]"``."""
    return f"∂{top}/∂{bottom}"


def derivative_latex(top: str, bottom: str) -> str:
    """``\\frac{\\partial top}{\\partial bottom}``, the slides' partial derivative."""
    return f"\\frac{{\\partial {top}}}{{\\partial {bottom}}}"


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
