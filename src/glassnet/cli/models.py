"""Commands on a saved model: ``predict``, ``explain``, ``export``, ``playground``.

MODEL is a file written by ``glassnet train`` or ``net.save``. When its run record
(``MODEL.history.json``) is beside it, class names and the CSV target column come from
there; without one, a cross-entropy model is read as a classifier with classes 0, 1, ….
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click
import numpy as np

from .._files import read_regular_text
from .common import ensure_folder, parse_numbers, say, write_text
from .data import load_data
from .errors import UserError, user_input
from .lecture import FORMATS, VIEWS, render_trace
from .runs import load_model, output_kind, predict, read_run

MODEL_ARG = click.argument("model", type=click.Path(dir_okay=False, path_type=Path))


def _open(model: Path):
    """The network, its run record (or ``None``) and how its output reads."""
    if not model.exists():
        raise UserError(f"no such model file {str(model)!r}")
    net, model = load_model(model)
    record = read_run(model, required=False)
    task = record["data"]["task"] if record else None
    return net, record, output_kind(net, task)


def _class_names(record, net, kind, dataset=None) -> list[str] | None:
    """The model's classes by name: from its run record, else the data set's names where
    their number fits, else 0, 1, …."""
    if kind == "values":
        return None
    if record and record["data"].get("class_names"):
        return list(record["data"]["class_names"])
    n_classes = max(2, net.n_out)
    if dataset is not None and len(dataset.target_names or []) == n_classes:
        return [str(name) for name in dataset.target_names]
    return [str(k) for k in range(n_classes)]


def _check_width(net, X: np.ndarray, source: str) -> None:
    if X.shape[1] != net.n_in:
        raise UserError(f"the model expects {net.n_in} features per row, but {source} has "
                        f"{X.shape[1]}")


def _as_model_labels(y, names: list[str], model_names: list[str], data: str) -> np.ndarray:
    """Labels renumbered into the model's classes: a CSV that lacks a class (or lists them
    in another order) must not shift the others."""
    unknown = sorted(set(names) - set(model_names))
    if unknown:
        raise UserError(f"{data} has classes {unknown} the model does not know; it knows "
                        f"{model_names}")
    index = np.array([model_names.index(name) for name in names])
    return index[np.asarray(y, dtype=np.int64)]


def _features(data: str, net, record) -> np.ndarray:
    """Rows to predict: a bundled data set's features, or every feature column of a CSV
    (the training target column is dropped when its header names it). A first row of
    numbers is data, not a header, as everywhere in glassnet."""
    from ..datasets.tabular import is_data_row

    path = Path(data)
    if not path.is_file():
        return load_data(data, None, "auto").X
    drop = record["data"].get("target") if record else None
    with user_input():
        text = read_regular_text(path, "a CSV file of rows to predict")
    try:
        rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    except csv.Error as error:
        raise UserError(f"{data} is not readable CSV text ({error})") from None
    has_header = bool(rows) and not is_data_row(rows[0])
    body = rows[1:] if has_header else rows
    if not body:
        raise UserError(f"{data} has no data rows; expected rows of numbers, under an "
                        "optional header row")
    header = [name.strip() for name in rows[0]] if has_header else \
        [str(j) for j in range(len(rows[0]))]
    keep = [j for j, name in enumerate(header) if not (has_header and name == drop)]
    X = np.empty((len(body), len(keep)))
    for i, row in enumerate(body):
        line = i + 1 + has_header
        if len(row) != len(header):
            raise UserError(f"{data}, line {line} has {len(row)} columns, expected "
                            f"{len(header)} as in {'the header' if has_header else 'line 1'}")
        for column, j in enumerate(keep):
            try:
                X[i, column] = float(row[j])
            except ValueError:
                raise UserError(f"{data}, line {line}, column {header[j]!r}: {row[j]!r} is "
                                "not a number") from None
    if not np.isfinite(X).all():
        raise UserError(f"{data} contains NaN or infinite values; expected finite numbers")
    return X


@click.command("predict", epilog="""\b
A CSV's header row is optional: a first row of numbers is data. With a header, the column
the model was trained to predict is dropped if it is there.
Examples:
  glassnet predict digits.safetensors digits --out predictions.csv
  glassnet predict moons.safetensors points.csv          (CSV on stdout)
""")
@MODEL_ARG
@click.argument("data")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the CSV here (atomically) instead of printing it.")
@click.pass_context
def predict_cmd(ctx, model: Path, data: str, out: Path | None) -> None:
    """MODEL's prediction for every row of DATA, as CSV: the prediction, then each class's
    probability (classifiers) or each output (regression)."""
    net, record, kind = _open(model)
    X = _features(data, net, record)
    _check_width(net, X, data)
    with user_input(data):
        labels, output = predict(net, X, kind)
    names = _class_names(record, net, kind)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if kind == "values":
        writer.writerow(["row", *[f"prediction_{k}" if output.shape[1] > 1 else "prediction"
                                  for k in range(output.shape[1])]])
        writer.writerows([i, *map(_num, row)] for i, row in enumerate(output))
    else:
        probs = np.column_stack([1 - output[:, 0], output[:, 0]]) if kind == "binary" \
            else output
        writer.writerow(["row", "prediction", *[f"p_{name}" for name in names]])
        writer.writerows([i, names[label], *map(_num, p)]
                         for i, (label, p) in enumerate(zip(labels, probs)))
    if out is None:
        click.echo(buffer.getvalue(), nl=False)
    else:
        ensure_folder(out.parent, "--out")  # as train and plot do, not the temporary file's name
        with user_input("--out"):
            write_text(out, buffer.getvalue())
        say(ctx, f"wrote {len(X)} predictions to {out}")


def _num(value: float) -> str:
    return f"{value:.6g}"


@click.command(epilog="""\b
Examples:
  glassnet explain lecture.safetensors --input "0.05,0.10" --target "0.01" --lr 0.5
  glassnet explain iris.safetensors --input "5.1,3.5,1.4,0.2" --target 0 --format markdown
  glassnet explain lecture.safetensors --input "0.05,0.10" --target "0.01" --format svg --view update
""")
@MODEL_ARG
@click.option("--input", "input_", required=True, metavar="X",
              help="One sample's features, comma-separated.")
@click.option("--target", required=True, metavar="Y",
              help="Its target: a class number, or one value per output.")
@click.option("--lr", type=float, default=0.5, show_default=True, help="Learning rate α.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--digits", type=click.IntRange(1, 15), default=5, show_default=True)
@click.option("--view", type=click.Choice(VIEWS), default="forward", show_default=True,
              help="Which diagram --format svg draws.")
def explain(model: Path, input_: str, target: str, lr: float, fmt: str, digits: int,
            view: str) -> None:
    """One training step of MODEL on one sample, every number shown (the file is not
    changed)."""
    from .. import explain as gn_explain

    net, _, kind = _open(model)
    x = parse_numbers(input_, "--input", count=net.n_in)
    y = parse_numbers(target, "--target")
    if kind in ("labels", "one_hot") and len(y) == 1:
        if y[0] != int(y[0]) or not 0 <= y[0] < net.n_out:
            raise UserError(f"--target expected a class number from 0 to {net.n_out - 1} "
                            f"(or {net.n_out} values), got {target!r}")
        # softmax + cross-entropy takes the label; sigmoid units under a squared loss, a row
        y = [int(y[0])] if kind == "labels" else np.eye(net.n_out)[int(y[0])].tolist()
    elif len(y) != net.n_out:
        raise UserError(f"--target expected {net.n_out} value{'s' * (net.n_out != 1)} for "
                        f"the model's {net.n_out} output{'s' * (net.n_out != 1)}, got "
                        f"{len(y)} in {target!r}")
    with user_input():
        trace = gn_explain.step(net, x, y, lr=lr)
    click.echo(render_trace(trace, fmt, digits, view).rstrip("\n"))


@click.command(epilog="""\b
Examples:
  glassnet export digits.safetensors --to onnx digits.onnx
  glassnet export digits.safetensors --to torch digits.pt2
\b
Load them with onnxruntime.InferenceSession("digits.onnx") and
torch.export.load("digits.pt2").module().
""")
@MODEL_ARG
@click.option("--to", "to", type=click.Choice(["torch", "onnx"]), required=True)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def export(ctx, model: Path, to: str, out: Path) -> None:
    """Write MODEL as an ONNX model or a PyTorch ExportedProgram (torch.export) to OUT."""
    net, _, _ = _open(model)
    if to == "onnx":
        from ..interop import to_onnx

        with user_input("--to onnx"):
            to_onnx(net, out)
    else:
        _export_torch(net, out)
    say(ctx, f"wrote {out}")


def _export_torch(net, out: Path) -> None:
    from ..interop import to_torch
    from .._files import atomic_write

    try:
        import torch
    except ImportError:
        raise UserError("--to torch needs PyTorch; install it with `pip install torch`") \
            from None
    module = to_torch(net)
    dtype = torch.float64 if net.dtype == np.float64 else torch.float32
    example = torch.zeros(2, net.n_in, dtype=dtype)
    batch = torch.export.Dim("N")  # any batch size, not just the example's
    program = torch.export.export(module, (example,), dynamic_shapes=({0: batch},))
    buffer = io.BytesIO()
    torch.export.save(program, buffer)
    with user_input("OUT"):
        atomic_write(out, buffer.getvalue())


@click.command(epilog="""\b
Examples:
  glassnet playground                      opens http://127.0.0.1:8000/ in the browser
  glassnet playground --port 8765 --no-browser
""")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="TCP port on 127.0.0.1 (0: any free port).")
@click.option("--no-browser", is_flag=True, help="Do not open a web browser.")
def playground(port: int, no_browser: bool) -> None:
    """The playground web app: step through backpropagation, watch a network learn."""
    from .. import playground as pg

    with user_input():
        pg.serve(port=port, open_browser=not no_browser)


COMMANDS = [predict_cmd, explain, export, playground]
