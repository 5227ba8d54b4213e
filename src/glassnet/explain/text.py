"""Plain-text tables of a traced step, for a terminal: at most ``width`` columns, no colours.

Forward and backward quantities are rows (``z_1``, ``a_1``, ``δ_1``, …) and samples are
columns, followed by the batch mean when there is more than one sample; as many samples are
shown as fit the width. The update is a table of every parameter entry: old value, applied
gradient ∂L/∂θ, step and new value. Large layers are cut after ``max_rows`` rows.
"""

from __future__ import annotations

import numpy as np

from .. import notation
from .numbers import fmt

__all__ = ["render_text"]

_LABEL = 14  # width of the row-label column
_CELL = 12   # width of each number column


def render_text(trace, digits: int = 5, width: int = 100, max_rows: int = 12) -> str:
    """The four steps of ``trace`` as aligned plain-text tables."""
    if isinstance(width, bool) or not isinstance(width, int) or width < 60:
        raise ValueError(f"width must be an integer of at least 60 columns, got {width!r}")
    table = _Table(trace, digits, width, max_rows)
    n = trace.n_samples
    out = [_clip(f"One training step of {trace.network}", width),
           f"  {n} sample{'s' if n > 1 else ''}, loss {trace.loss_name}, "
           f"optimizer {trace.optimizer_label}", ""]
    out += ["Step 1: forward pass   z = a_prev @ W + b,  a = φ(z)"]
    out += table.header()
    out += table.rows("x", trace.x.T)
    for layer in trace.layers:
        out += [f"  layer {layer.index} ({layer.n_in} → {layer.n_out}, {layer.activation_label})"]
        a_name = "ŷ" if layer is trace.layers[-1] else "a"
        out += table.rows("z", layer.z.T) + table.rows(a_name, layer.a.T)
    out += ["", "Step 2: loss"]
    out += table.header() + table.rows("ℓ", trace.losses[None, :], numbered=False)
    out += [f"  L = mean over the batch = {fmt(trace.loss, digits)}", ""]
    out += ["Step 3: backward pass   δ = ∂L/∂z = ∂L/∂a · ∂a/∂z"
            + ("   (fused output: δ = ŷ − y)" if trace.fused else "")]
    out += table.header()
    for layer in reversed(trace.layers):
        out += [f"  layer {layer.index} ({layer.activation_label})"]
        if layer.da is not None:
            out += table.rows("∂L/∂a", layer.da.T)
        if layer.dadz is not None:
            out += table.rows("∂a/∂z", layer.dadz.T)
        out += table.rows("δ", layer.delta.T)
    out += ["", f"Step 4: update   θ ← θ − α ∂L/∂θ   (α = {fmt(trace.lr, digits)})"
            if trace.plain_sgd else f"Step 4: update by {trace.optimizer}   θ ← θ + Δθ"]
    out += table.update()
    return "\n".join(_clip(line, width) for line in out) + "\n"


def _clip(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


class _Table:
    """Rows of numbers: one column per sample that fits, then the batch mean."""

    def __init__(self, trace, digits: int, width: int, max_rows: int):
        self.digits, self.max_rows, self.n = digits, max_rows, trace.n_samples
        self.trace = trace
        fit = (width - _LABEL - 4) // _CELL
        self.shown = self.n if self.n == 1 else min(self.n, fit - 1)

    def _cell(self, value) -> str:
        """The value right-aligned after at least one space; in scientific notation where its
        decimal form would not fit (never cut: a cut number would be another number)."""
        text = fmt(value, self.digits)
        if len(text) >= _CELL:
            text = f"{float(value):.{max(self.digits - 1, 0)}e}"
        return text.rjust(_CELL)

    def header(self) -> list[str]:
        if self.n == 1:
            return [" " * (_LABEL + 4) + "value".rjust(_CELL)]
        cols = [f"n={r + 1}".rjust(_CELL) for r in range(self.shown)]
        more = f"  (+{self.n - self.shown} samples)" if self.shown < self.n else ""
        return [" " * (_LABEL + 4) + "".join(cols) + "batch mean".rjust(_CELL) + more]

    def rows(self, name: str, values: np.ndarray, numbered: bool = True) -> list[str]:
        """``values`` is (rows, N): one row per neuron, one column per sample."""
        lines = []
        for i, row in enumerate(values[: self.max_rows]):
            label = f"{name}_{i + 1}" if numbered else name
            cells = "".join(self._cell(v) for v in row[: self.shown])
            mean = self._cell(np.mean(row)) if self.n > 1 else ""
            lines.append(f"    {label:<{_LABEL}}{cells}{mean}")
        if len(values) > self.max_rows:
            lines.append(f"    … {len(values) - self.max_rows} more rows")
        return lines

    def update(self) -> list[str]:
        heads = ["old", "∂L/∂θ", "step", "new"]
        lines = ["    " + "parameter".ljust(_LABEL) + "".join(h.rjust(_CELL) for h in heads)]
        for layer in reversed(self.trace.layers):
            for p in (layer.W, layer.b):
                lines += self._param_rows(layer, p)
        return lines

    def _param_rows(self, layer, p) -> list[str]:
        if not p.trainable:
            return [f"    {p.name:<{_LABEL}}frozen (not updated)"]
        lines = []
        for count, at in enumerate(np.ndindex(p.old.shape)):
            if count == self.max_rows:
                lines.append(f"    … {p.old.size - count} more entries of {p.name}")
                break
            label = _entry_name(layer, p, at)
            cells = (p.old[at], p.grad[at], p.step[at], p.new[at])
            lines.append(f"    {label:<{_LABEL}}" + "".join(self._cell(v) for v in cells))
        return lines


def _entry_name(layer, p, at: tuple) -> str:
    """``W[1]``, (0, 1) → ``w12[1]`` as in ``Network.gradient_vector``."""
    if p is layer.b:
        return notation.bias(layer.index, at[0] + 1)
    is_wide = notation.wide(layer.n_in, layer.n_out)
    return notation.weight(layer.index, at[0] + 1, at[1] + 1, is_wide)
