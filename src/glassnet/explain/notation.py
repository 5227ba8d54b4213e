"""The lecture's symbols for every quantity of a traced network, in LaTeX.

Symbols: ``x_j`` inputs, ``a_i^{[l]}`` and ``z_i^{[l]}`` of neuron i in layer l, ``\\hat{y}``
for the output (``\\hat{y}_k`` with several outputs), ``w_{ji}^{[l]}`` the weight from input j
to neuron i (``W[j, i]``), ``b_i^{[l]}``, ``\\delta_i^{[l]} = ∂L/∂z_i^{[l]}``. Every name is
written by :mod:`glassnet.notation`, the one rule for all of glassnet; :class:`Symbols` only
turns the renderers' 0-based indices into its 1-based ones. ``fmt``, ``tex_num`` and
``relation`` live in :mod:`glassnet.explain.numbers` and are importable from here too.
"""

from __future__ import annotations

from .. import notation
from .numbers import fmt, relation, tex_num

__all__ = ["fmt", "tex_num", "relation", "Symbols"]


class Symbols:
    """LaTeX names of every quantity of a network with layer sizes ``sizes`` (inputs first).

    Indices are 0-based, as the arrays are; the names are 1-based, as on the slides.
    """

    def __init__(self, sizes: list[int], loss_symbol: str = "\\mathcal{L}"):
        self.sizes = sizes
        self.n_layers = len(sizes) - 1
        self.L = loss_symbol

    def a(self, layer: int, i: int) -> str:
        """Activation of neuron i in ``layer``; layer 0 is the input x, the last layer's is ŷ."""
        if layer == 0:
            return notation.symbol_latex("x", i + 1)
        if layer == self.n_layers:
            return notation.symbol_latex("y_hat", *self._output(i))
        return notation.symbol_latex("a", i + 1, layer=layer)

    def y(self, k: int) -> str:
        return notation.symbol_latex("y", *self._output(k))

    def z(self, layer: int, i: int) -> str:
        return notation.symbol_latex("z", i + 1, layer=layer)

    def w(self, layer: int, j: int, i: int) -> str:
        is_wide = notation.wide(self.sizes[layer - 1], self.sizes[layer])
        return notation.weight_latex(layer, j + 1, i + 1, is_wide)

    def b(self, layer: int, i: int) -> str:
        return notation.bias_latex(layer, i + 1)

    def delta(self, layer: int, i: int) -> str:
        return notation.symbol_latex("delta", i + 1, layer=layer)

    def d(self, num: str, den: str) -> str:
        """The partial derivative ∂num/∂den."""
        return notation.derivative_latex(num, den)

    def dL(self, den: str) -> str:
        return self.d(self.L, den)

    def _output(self, k: int) -> tuple[int, ...]:
        """No index on ``y`` and ``ŷ`` for one output, ``k + 1`` for several."""
        return () if self.sizes[-1] == 1 else (k + 1,)
