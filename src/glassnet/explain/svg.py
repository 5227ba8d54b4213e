"""SVG diagrams of a network, drawn as on the slides: inputs left, output right, one edge per weight.

Views of a traced step (``Trace.to_svg``):

- ``forward``: ``x_j`` at the inputs, ``a`` in each neuron with ``z`` below, ``w_{ji}`` on edges;
- ``backward``: ``δ`` in each neuron with ``∂L/∂a`` below, ``∂L/∂w_{ji}`` on edges ("Visual
  Map of Gradient Terms"); for a batch, the batch means that are applied;
- ``update``: ``b`` old → new in each neuron, ``w`` old → new on edges.

Edge colour is the sign (blue positive, red negative), edge width the magnitude within a
layer. Up to 10 neurons per layer and 6 layers are drawn in full; beyond that a layer shows
its first neurons and a "+k more" marker, and middle layers fold into one "⋯" column. Edge
labels are written when a layer has at most 6 weights or one neuron; larger layers keep colour
and width (the numbers are in the text, Markdown and JSON renderings).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np

from .derivation.lines import checked_sample
from .numbers import fmt

__all__ = ["trace_svg", "network_svg", "VIEWS"]

VIEWS = ("forward", "backward", "update")
MAX_NEURONS, MAX_LAYERS, MAX_LABELLED_EDGES = 10, 6, 6
_COL, _ROW, _R, _TOP, _SIDE = 210, 88, 27, 110, 80
_POS, _NEG = "#2166ac", "#b2182b"
_HALO = ' stroke="white" stroke-width="3" paint-order="stroke"'  # keeps text readable over edges
_SUB = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉‚")


@dataclass
class _Column:
    """One column of nodes: the input (layer 0) or a layer, or a fold marker."""

    layer: int
    title: str
    size: int
    folded: int = 0   # for a fold marker: how many layers it stands for

    @property
    def shown(self) -> int:
        return min(self.size, MAX_NEURONS - 1) if self.size > MAX_NEURONS else self.size


def trace_svg(trace, view: str = "forward", digits: int = 3, sample: int = 0) -> str:
    """The diagram of ``trace`` in ``view``; per-sample values are those of row ``sample``."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}, got {view!r}")
    sample = checked_sample(trace, sample)
    kind = {"forward": _Forward, "backward": _Backward, "update": _Update}[view]
    drawing = kind(trace, trace.layers, digits, sample)
    sizes = [trace.layers[0].n_in] + [layer.n_out for layer in trace.layers]
    acts = [layer.activation_label for layer in trace.layers]
    return _draw(sizes, acts, drawing, trace.network)


def network_svg(net, digits: int = 3) -> str:
    """The structure of ``net`` with its current weights on the edges and biases in the neurons."""
    sizes = [net.n_in] + [layer.n_out for layer in net.layers]
    acts = [repr(layer.activation) for layer in net.layers]
    return _draw(sizes, acts, _Structure(None, net.layers, digits, 0), repr(net))


class _View:
    """What a view writes: in and below each neuron (layer ``l``, index ``i``), on each edge."""

    title = legend = ""

    def __init__(self, trace, layers, digits: int, sample: int):
        self.trace, self.layers, self.digits, self.sample = trace, layers, digits, sample

    def f(self, value) -> str:
        return fmt(value, self.digits)

    def node(self, l: int, i: int) -> tuple[str, str]:
        raise NotImplementedError

    def edge(self, l: int, j: int, i: int) -> float:
        raise NotImplementedError

    def label(self, l: int, j: int, i: int) -> str:
        return self.f(self.edge(l, j, i))


class _Forward(_View):
    legend = "in each neuron a = φ(z); on each edge w_ji"

    @property
    def title(self) -> str:
        n = self.trace.n_samples
        return "Forward pass" + ("" if n == 1 else f" (sample {self.sample + 1} of {n})")

    def node(self, l, i):
        if l == 0:
            return self.f(self.trace.x[self.sample, i]), ""
        layer = self.layers[l - 1]
        return self.f(layer.a[self.sample, i]), f"z = {self.f(layer.z[self.sample, i])}"

    def edge(self, l, j, i):
        return self.layers[l - 1].W.old[j, i]


class _Backward(_View):
    legend = "in each neuron δ = ∂L/∂z; on each edge ∂L/∂w_ji = δ_i · a_j"

    @property
    def title(self) -> str:
        n = self.trace.n_samples
        return "Backward pass" + ("" if n == 1 else f" (means over the batch of {n})")

    def node(self, l, i):
        n = self.trace.n_samples
        if l == 0:
            return (self.f(self.trace.x[0, i]) if n == 1 else ""), ""
        layer = self.layers[l - 1]
        if n > 1:
            return self.f(layer.delta[:, i].mean()), ""
        below = "" if layer.da is None else f"∂L/∂a = {self.f(layer.da[0, i])}"
        return self.f(layer.delta[0, i]), below

    def edge(self, l, j, i):
        grad = self.layers[l - 1].W.grad
        return 0.0 if grad is None else grad[j, i]


class _Update(_View):
    legend = "in each neuron the new bias; on each edge w old → new"

    @property
    def title(self) -> str:
        return f"Update by {self.trace.optimizer}"

    def node(self, l, i):
        if l == 0:
            return "", ""
        b = self.layers[l - 1].b
        return self.f(b.new[i]), f"b: {self.change(b.old[i], b.new[i])}"

    def edge(self, l, j, i):
        return self.layers[l - 1].W.new[j, i]

    def label(self, l, j, i):
        return self.change(self.layers[l - 1].W.old[j, i], self.edge(l, j, i))

    def change(self, old, new) -> str:
        """``old → new`` with enough digits that a real change shows (0.15 → 0.14967, not
        0.15 → 0.15), up to four more than asked for."""
        for digits in range(self.digits, self.digits + 5):
            before, after = fmt(old, digits), fmt(new, digits)
            if before != after or old == new:
                break
        return f"{before} → {after}"


class _Structure(_View):
    title, legend = "Network", "in each neuron b; on each edge w_ji"

    def node(self, l, i):
        return ("", "") if l == 0 else (self.f(self.layers[l - 1].b.value[i]), "bias")

    def edge(self, l, j, i):
        return self.layers[l - 1].W.value[j, i]


def _columns(sizes: list[int], acts: list[str]) -> list[_Column]:
    last = len(sizes) - 1
    cols = [_Column(0, "input", sizes[0])]
    for l in range(1, last + 1):
        kind = "output" if l == last else f"layer {l}"
        cols.append(_Column(l, f"{kind} · {acts[l - 1]}", sizes[l]))
    if len(cols) > MAX_LAYERS + 1:  # keep the first layers and the last two
        keep_head = MAX_LAYERS - 2
        folded = len(cols) - keep_head - 2
        cols = cols[:keep_head] + [_Column(-1, "⋯", 0, folded)] + cols[-2:]
    return cols


def _y(col: _Column, i: int, height: int) -> float:
    rows = col.shown + (1 if col.shown < col.size else 0)
    return _TOP + (height - rows * _ROW) / 2 + i * _ROW + _ROW / 2


def _symbol(l: int, i: int, last: int, size: int) -> str:
    sub = str(i + 1).translate(_SUB)
    if l == 0:
        return f"x{sub}"
    if l == last:
        return "ŷ" if size == 1 else f"ŷ{sub}"
    return f"a{sub}<tspan dy='-6' font-size='9'>[{l}]</tspan>"


def _draw(sizes, acts, view: _View, subtitle: str) -> str:
    cols = _columns(sizes, acts)
    last = len(sizes) - 1
    subtitle = subtitle if len(subtitle) <= 110 else subtitle[:109] + "…"
    title, legend = view.title, view.legend
    height = max(c.shown + (c.shown < c.size) for c in cols) * _ROW
    # wide enough for the caption too (about 7 px per character at 12 px)
    width = max(2 * _SIDE + (len(cols) - 1) * _COL, 24 + 7 * max(len(subtitle), len(legend)))
    total_h = _TOP + height + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_h}" '
           f'viewBox="0 0 {width} {total_h}" font-family="DejaVu Sans, Arial, sans-serif" '
           'font-size="12">',
           f'<rect width="{width}" height="{total_h}" fill="white"/>',
           f'<text x="12" y="22" font-size="14" font-weight="bold">{escape(title)}</text>',
           f'<text x="12" y="40" fill="#333">{escape(subtitle)}</text>',
           f'<text x="12" y="57" fill="#666">{escape(legend)}</text>']
    left = (width - (len(cols) - 1) * _COL) / 2
    xs = [left + k * _COL for k in range(len(cols))]
    for k in range(1, len(cols)):
        out += _edges(cols[k - 1], cols[k], xs[k - 1], xs[k], height, view)
    for col, x in zip(cols, xs):
        out.append(f'<text x="{x}" y="{_TOP - 22}" text-anchor="middle" font-weight="bold" '
                   f'fill="#333">{escape(col.title)}</text>')
        if col.layer < 0:
            out.append(f'<text x="{x}" y="{_TOP + height / 2}" text-anchor="middle" '
                       f'font-size="13">{col.folded} layers not drawn</text>')
            continue
        for i in range(col.shown):
            out += _node(col, i, x, _y(col, i, height), last, view)
        if col.shown < col.size:
            out.append(f'<text x="{x}" y="{_y(col, col.shown, height) + 4}" text-anchor="middle" '
                       f'fill="#555">⋮ +{col.size - col.shown} more</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _node(col: _Column, i: int, x: float, y: float, last: int, view: _View) -> list[str]:
    inside, below = view.node(col.layer, i)
    fill = "#f3f3f3" if col.layer == 0 else "#fff8e1"
    parts = [f'<circle cx="{x}" cy="{y:.1f}" r="{_R}" fill="{fill}" stroke="#333" '
             'stroke-width="1.5"/>',
             f'<text x="{x - _R - 4}" y="{y - _R + 4:.1f}" text-anchor="end" font-style="italic" '
             f'font-size="13"{_HALO}>{_symbol(col.layer, i, last, col.size)}</text>']
    if inside:
        size = 11.5 if len(inside) <= 6 else 10 if len(inside) <= 8 else 8.5  # stay inside
        parts.append(f'<text x="{x}" y="{y + 4:.1f}" text-anchor="middle" font-size="{size}">'
                     f'{escape(inside)}</text>')
    if below:
        parts.append(f'<text x="{x}" y="{y + _R + 14:.1f}" text-anchor="middle" font-size="10.5" '
                     f'fill="#444"{_HALO}>{escape(below)}</text>')
    return parts


def _edges(left: _Column, right: _Column, x0, x1, height, view: _View) -> list[str]:
    if left.layer < 0 or right.layer < 0:
        return [f'<line x1="{x0 + _R}" y1="{_TOP + height / 2}" x2="{x1 - _R}" '
                f'y2="{_TOP + height / 2}" stroke="#999" stroke-dasharray="4 4"/>']
    pairs = [(j, i) for j in range(left.shown) for i in range(right.shown)]
    values = np.array([view.edge(right.layer, j, i) for j, i in pairs], dtype=float)
    biggest = float(np.abs(values).max()) if values.size else 0.0
    # labels near the source stay apart when each input fans out to few neurons
    labelled = right.size == 1 or left.size * right.size <= MAX_LABELLED_EDGES
    lines, texts = [], []
    for (j, i), v in zip(pairs, values):
        y0, y1 = _y(left, j, height), _y(right, i, height)
        width = 0.8 + 3.2 * (abs(v) / biggest if biggest else 0.0)
        colour = _POS if v >= 0 else _NEG
        lines.append(f'<line x1="{x0 + _R}" y1="{y0:.1f}" x2="{x1 - _R}" y2="{y1:.1f}" '
                     f'stroke="{colour}" stroke-width="{width:.2f}" stroke-opacity="0.75"/>')
        if labelled:
            t = 0.3  # near the source, where edges to different targets have fanned apart
            lx, ly = x0 + _R + t * (x1 - x0 - 2 * _R), y0 + t * (y1 - y0)
            texts.append(f'<text x="{lx:.1f}" y="{ly - 3:.1f}" text-anchor="middle" '
                         f'font-size="10.5" fill="{colour}"{_HALO}>'
                         f'{escape(view.label(right.layer, j, i))}</text>')
    return lines + texts
