"""The lecture's symbols and number formatting, shared by every renderer.

Symbols: ``x_j`` inputs, ``a_i^{[l]}`` and ``z_i^{[l]}`` of neuron i in layer l, ``\\hat{y}``
for the output (``\\hat{y}_k`` with several outputs), ``w_{ji}^{[l]}`` the weight from input j
to neuron i (``W[j, i]``), ``b_i^{[l]}``, ``\\delta_i^{[l]} = ∂L/∂z_i^{[l]}``. Indices are
1-based as on the slides; with more than 9 inputs or neurons a comma separates them
(``w_{3,12}^{[1]}``).
"""

from __future__ import annotations

import math

__all__ = ["fmt", "tex_num", "relation", "Symbols"]


def fmt(value: float, digits: int = 5) -> str:
    """``value`` rounded for reading: ``digits`` decimals, or ``digits`` significant figures below 0.1.

    Trailing zeros are dropped down to two decimals, as the slides write 0.10 and 0.3775;
    whole numbers print without decimals. Beyond 1e6 or below 1e-6, scientific notation.
    """
    v = float(value)
    if not math.isfinite(v):
        return str(v)
    if v == 0:
        return "0"
    if v == round(v) and abs(v) < 1e15:
        return str(int(v))
    magnitude = math.floor(math.log10(abs(v)))
    if magnitude >= 6 or magnitude < -6:
        return f"{v:.{max(digits - 1, 1)}e}"
    decimals = max(digits, digits - 1 - magnitude)
    text = f"{v:.{decimals}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    frac = frac + "0" * (2 - len(frac)) if len(frac) < 2 else frac
    if frac.strip("0") == "" and whole.lstrip("-") == "0":
        return text  # rounded to zero: keep the digits that say so
    return f"{whole}.{frac}"


def tex_num(value: float, digits: int = 5, paren: bool = False) -> str:
    """:func:`fmt` as LaTeX: ``1.2 \\times 10^{-7}`` for scientific, ``(-0.3)`` if ``paren``."""
    text = fmt(value, digits)
    if "e" in text and "inf" not in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa} \\times 10^{{{int(exponent)}}}"
    return f"({text})" if paren and text.startswith("-") else text


def relation(value: float, digits: int) -> str:
    """``=`` when the rounded text is the exact value, else ``\\approx``."""
    try:
        exact = float(fmt(value, digits)) == float(value)
    except ValueError:
        exact = False
    return "=" if exact else "\\approx"


class Symbols:
    """LaTeX names of every quantity of a network with layer sizes ``sizes`` (inputs first)."""

    def __init__(self, sizes: list[int], loss_symbol: str = "\\mathcal{L}"):
        self.sizes = sizes
        self.n_layers = len(sizes) - 1
        self.L = loss_symbol

    def _ix(self, *indices: int) -> str:
        """``1`` or ``{12}`` or ``{3,12}``: a subscript, braced only when it needs to be."""
        sep = "," if max(self.sizes) > 9 else ""
        text = sep.join(str(i + 1) for i in indices)
        return text if len(text) == 1 else f"{{{text}}}"

    def a(self, layer: int, i: int) -> str:
        """Activation of neuron i (0-based) in ``layer``; layer 0 is the input x."""
        if layer == 0:
            return f"x_{self._ix(i)}"
        if layer == self.n_layers:
            return "\\hat{y}" if self.sizes[-1] == 1 else f"\\hat{{y}}_{self._ix(i)}"
        return f"a_{self._ix(i)}^{{[{layer}]}}"

    def y(self, k: int) -> str:
        return "y" if self.sizes[-1] == 1 else f"y_{self._ix(k)}"

    def z(self, layer: int, i: int) -> str:
        return f"z_{self._ix(i)}^{{[{layer}]}}"

    def w(self, layer: int, j: int, i: int) -> str:
        return f"w_{self._ix(j, i)}^{{[{layer}]}}"

    def b(self, layer: int, i: int) -> str:
        return f"b_{self._ix(i)}^{{[{layer}]}}"

    def delta(self, layer: int, i: int) -> str:
        return f"\\delta_{self._ix(i)}^{{[{layer}]}}"

    def d(self, num: str, den: str) -> str:
        """The partial derivative ∂num/∂den."""
        return f"\\frac{{\\partial {num}}}{{\\partial {den}}}"

    def dL(self, den: str) -> str:
        return self.d(self.L, den)
