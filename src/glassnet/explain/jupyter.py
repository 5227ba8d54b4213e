"""Rich display in Jupyter for :class:`~glassnet.explain.trace.Trace` and ``Network``.

The HTML shows the three diagrams side by side (forward, backward, update) and the terminal
tables folded underneath; the Markdown carries the derivation with LaTeX maths, which
Jupyter typesets. ``Network`` shows its structure with the current weights.
"""

from __future__ import annotations

from html import escape

from .svg import VIEWS, network_svg

__all__ = ["trace_html", "network_html", "network_markdown", "network_svg"]


def trace_html(trace) -> str:
    """The diagrams of every view, then the text tables in a collapsible block."""
    diagrams = "".join(
        f'<div style="flex:0 0 auto">{trace.to_svg(view)}</div>'
        for view in VIEWS)
    return (f"<div><p><b>One training step</b>: <code>{escape(trace.network)}</code>, "
            f"loss {escape(trace.loss_name)} = {trace.loss:.6g}</p>"
            f'<div style="display:flex;flex-wrap:wrap;gap:12px">{diagrams}</div>'
            f"<details><summary>every number (text)</summary><pre>{escape(trace.to_text())}"
            "</pre></details></div>")


def network_html(net) -> str:
    return f"<div><p><code>{escape(repr(net))}</code></p>{network_svg(net)}</div>"


def network_markdown(net) -> str:
    """A table of the layers: sizes, activation, number of parameters."""
    rows = ["| layer | inputs → neurons | activation | parameters |", "|---|---|---|---|"]
    for layer in net.layers:
        rows.append(f"| {layer.index} | {layer.n_in} → {layer.n_out} | {layer.activation!r} | "
                    f"{layer.W.size + layer.b.size} |")
    total = sum(p.size for p in net.parameters())
    return "\n".join([f"`{net!r}`", ""] + rows + ["", f"{total} parameters in all."])
