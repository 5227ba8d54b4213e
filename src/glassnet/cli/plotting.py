"""``glassnet plot``: pictures of a training run, drawn with matplotlib's Agg backend.

=================  =================================================================
file               what it shows
=================  =================================================================
``loss``           loss per epoch on the training, validation and held-out (test) rows
``accuracy``       the same for accuracy (classification)
``confusion``      the confusion matrix on the held-out rows (classification)
``boundary``       for 2-D inputs: the predicted class (or value) over the plane of the two
                   features, training rows filled, held-out rows hollow
``weights``        a histogram of each layer's weights ``W[l]``
=================  =================================================================

Every figure is 640 × 480 pixels (6.4 × 4.8 inches at 100 dpi), PNG or SVG, written
atomically. No display is needed: figures are made with :class:`matplotlib.figure.Figure`
directly, never through pyplot's global state.
"""

from __future__ import annotations

import io
from pathlib import Path

import click
import numpy as np

from .common import ensure_folder
from .errors import UserError
from .runs import load_model, output_kind, predict, read_run

__all__ = ["draw_run", "figures_for_run", "SIZE_INCHES", "DPI"]

SIZE_INCHES, DPI = (6.4, 4.8), 100
_GRID = 200  # decision boundary: the network is evaluated on a 200 × 200 grid in one batch


def _figure():
    from matplotlib.figure import Figure

    return Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")


def _save(fig, path: Path, fmt: str) -> Path:
    from .._files import atomic_write

    buffer = io.BytesIO()
    # a fixed size (no bbox_inches="tight") so every picture is exactly 640 × 480 pixels
    fig.savefig(buffer, format=fmt, dpi=DPI, metadata={"Software": "glassnet"}
                if fmt == "png" else {"Creator": "glassnet"})
    atomic_write(path, buffer.getvalue())
    return path


_CURVES = (("", "training"), ("val_", "validation"), ("test_", "held-out (test)"))


def _curves(history: dict, metric: str, title: str):
    """``metric`` per epoch on the training rows, the validation rows (with
    ``--validation-split``) and the held-out test rows; whole epochs on the x axis."""
    from matplotlib.ticker import MaxNLocator

    fig = _figure()
    ax = fig.add_subplot()
    for prefix, label in _CURVES:
        values = history.get(prefix + metric)
        if values:
            ax.plot(np.arange(1, len(values) + 1), values, marker="." if len(values) < 40
                    else None, label=label)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="epoch", ylabel=metric, title=title)
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def _confusion(matrix: list[list[int]], names: list[str]):
    matrix = np.asarray(matrix)
    fig = _figure()
    ax = fig.add_subplot()
    image = ax.imshow(matrix, cmap="Blues")
    fig.colorbar(image, ax=ax, label="number of rows")
    ticks = np.arange(len(names))
    ax.set_xticks(ticks, names, rotation=45 if max(map(len, names)) > 3 else 0)
    ax.set_yticks(ticks, names)
    if len(names) <= 12:  # counts in the cells while they still fit
        for (i, j), count in np.ndenumerate(matrix):
            ax.text(j, i, str(count), ha="center", va="center", fontsize=8,
                    color="white" if count > matrix.max() / 2 else "black")
    ax.set(xlabel="predicted", ylabel="true", title="Confusion matrix (held-out rows)")
    return fig


def _scatter(ax, X, colours, test) -> None:
    """Training rows as filled dots, held-out rows as hollow rings of the same colour."""
    train = ~test
    ax.scatter(X[train, 0], X[train, 1], c=colours[train], edgecolors="k", linewidths=0.5,
               s=16)
    ax.scatter(X[test, 0], X[test, 1], facecolors="none", edgecolors=colours[test],
               linewidths=1.2, s=20)


def _row_kinds(test) -> list:
    from matplotlib.lines import Line2D

    dot = dict(marker="o", linestyle="none", markersize=5)
    handles = [Line2D([], [], markerfacecolor="0.6", markeredgecolor="k",
                      label="training rows", **dot)]
    if test.any():
        handles.append(Line2D([], [], markerfacecolor="none", markeredgecolor="0.3",
                              label="test rows", **dot))
    return handles


def _boundary(net, kind: str, points: dict, data: dict):
    """The network's answer over the plane of the two features, with the data on it."""
    import matplotlib
    from matplotlib.colors import Normalize
    from matplotlib.patches import Patch

    X, y = np.asarray(points["X"]), np.asarray(points["y"])
    test = np.asarray(points.get("test", np.zeros(len(X))), dtype=bool)  # older records
    low, high = X.min(axis=0), X.max(axis=0)
    pad = 0.1 * (high - low) + 1e-9
    g1, g2 = np.meshgrid(np.linspace(low[0] - pad[0], high[0] + pad[0], _GRID),
                         np.linspace(low[1] - pad[1], high[1] + pad[1], _GRID))
    grid = np.column_stack([g1.ravel(), g2.ravel()])        # (GRID², 2)
    answer = predict(net, grid, kind)[0]                     # (GRID²,) or (GRID², K)
    fig = _figure()
    ax = fig.add_subplot()
    if kind == "values":  # regression: the first output, if there are several
        surface = (answer if answer.ndim == 1 else answer[:, 0]).reshape(g1.shape)
        y = y if y.ndim == 1 else y[:, 0]
        target = (data.get("class_names") or [data.get("target") or "target"])[0]
        norm = Normalize(min(surface.min(), y.min()), max(surface.max(), y.max()))
        cmap = matplotlib.colormaps["viridis"]
        image = ax.contourf(g1, g2, surface, levels=20, cmap=cmap, norm=norm, alpha=0.7)
        fig.colorbar(image, ax=ax, label=f"{target} (shading: predicted, dots: true)")
        _scatter(ax, X, cmap(norm(y)), test)
        handles, title = _row_kinds(test), f"Predicted {target} over the two features"
    else:
        names = data.get("class_names") or []
        n = max(len(names), int(max(answer.max(), y.max())) + 1)
        cmap = matplotlib.colormaps["tab10"]
        ax.contourf(g1, g2, answer.reshape(g1.shape), levels=np.arange(n + 1) - 0.5,
                    cmap=cmap, vmin=0, vmax=9, alpha=0.3)
        _scatter(ax, X, cmap(np.minimum(y.astype(int), 9)), test)
        classes = [Patch(facecolor=cmap(min(k, 9)), edgecolor="k", linewidth=0.5,
                         label=names[k] if k < len(names) else str(k)) for k in range(n)]
        handles, title = classes + _row_kinds(test), "Decision boundary (shading: predicted class)"
    ax.legend(handles=handles, fontsize=8, framealpha=0.85, loc="best")
    features = data.get("feature_names") or ["x1", "x2"]
    ax.set(xlabel=features[0], ylabel=features[1], title=title)
    return fig


def _weights(net, scale=None):
    """Histograms of each ``W[l]``; with the run's σ, ``W[1]`` as training saw it (on
    standardised inputs) rather than folded into raw units, where a pixel that barely
    varies gets a huge weight."""
    fig = _figure()
    layers = net.layers
    axes = fig.subplots(1, len(layers), squeeze=False)[0]
    for ax, layer in zip(axes, layers):
        W, note = layer.W.value, ""
        if layer.index == 1 and scale is not None:
            W, note = W * np.asarray(scale)[:, None], ", standardised x"
        ax.hist(W.ravel(), bins=30, color="tab:blue")
        ax.set_title(f"W[{layer.index}] ({layer.n_in} → {layer.n_out}{note})", fontsize=9)
        ax.set_xlabel("weight value", fontsize=8)
        ax.tick_params(labelsize=7)
    axes[0].set_ylabel("number of weights", fontsize=8)
    fig.suptitle("Weights by layer")
    return fig


def figures_for_run(model: Path) -> dict:
    """The :class:`~matplotlib.figure.Figure` of every plot that fits the run of ``model``,
    by file name (``loss``, ``accuracy``, …); :func:`draw_run` saves them."""
    record = read_run(Path(model))
    net, _ = load_model(Path(model))
    history = record["history"].get("history", {})
    figures = {"loss": _curves(history, "loss", "Loss")}
    if any(history.get(prefix + "accuracy") for prefix, _ in _CURVES):
        figures["accuracy"] = _curves(history, "accuracy", "Accuracy")
    matrix = record.get("test", {}).get("confusion_matrix")
    if matrix:
        figures["confusion"] = _confusion(matrix, record["data"]["class_names"])
    if record.get("points"):
        kind = record["settings"].get("output") or output_kind(net, record["data"]["task"])
        figures["boundary"] = _boundary(net, kind, record["points"], record["data"])
    figures["weights"] = _weights(net, (record.get("standardizer") or {}).get("scale"))
    return figures


def draw_run(model: Path, folder: Path, fmt: str = "png") -> list[Path]:
    """Draw every plot that fits the run of ``model`` into ``folder``; returns the files."""
    figures = figures_for_run(model)
    folder = ensure_folder(folder, "--out")
    return [_save(fig, folder / f"{name}.{fmt}", fmt) for name, fig in figures.items()]


@click.command(epilog="""\b
RUN is the model file of a `glassnet train` run (or its .history.json).
Examples:
  glassnet plot digits.safetensors                  into digits-plots/
  glassnet plot moons.safetensors --out figs/ --format svg
""")
@click.argument("run", type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the pictures [default: MODEL-plots/ beside the model].")
@click.option("--format", "fmt", type=click.Choice(["png", "svg"]), default="png",
              show_default=True)
def plot(run: Path, out: Path | None, fmt: str) -> None:
    """Loss curves, accuracy, confusion matrix, decision boundary (2-D data) and weight
    histograms of a training run, as 640 × 480 PNG or SVG files."""
    if not run.exists():
        raise UserError(f"no such file {str(run)!r}; expected the model file of a "
                        "`glassnet train` run")
    stem = run.name.removesuffix(".history.json") if run.suffix == ".json" else run.stem
    folder = out or run.with_name(f"{stem}-plots")
    for path in draw_run(run, folder, fmt):
        click.echo(str(path))


COMMANDS = [plot]
