"""``glassnet train``: a network on a bundled data set or a CSV file, from one command.

The steps: read DATA; hold out a test split; standardise the features (μ, σ of the training
rows only), and a regression target too; build ``Dense`` layers of ``--hidden`` widths and
an output layer that fits the loss; ``net.fit``; fold the standardisation into the first layer
and the target's back into the last, so the saved model takes and gives raw units; save the
model, the run record (:mod:`.runs`) and, with ``--plots``, the pictures (:mod:`.plotting`).
"""

from __future__ import annotations

from pathlib import Path

import click

from .._files import not_regular
from .common import ensure_folder, parse_sizes, progress_wanted, say
from .data import TASKS, load_data, split_data, targets_for
from .defaults import DEFAULT_LR, EPOCHS_HELP, LR_HELP, default_epochs
from .errors import UserError, user_input
from .notes import LossWatch, loss_grew, near_chance
from .runs import metrics_line, output_kind, points_for_plot, predict, scores, write_run

ACTIVATIONS = ["relu", "leaky_relu", "tanh", "sigmoid", "identity"]
LOSSES = ["cross_entropy", "binary_cross_entropy", "squared_error", "mse"]
OPTIMIZERS = ["adam", "sgd"]


def build_network(n_in: int, data, hidden, activation: str, loss: str | None, seed: int):
    """The layers for ``data``: ``hidden`` widths of ``activation``, then an output fit for
    the loss (softmax for cross-entropy, sigmoid for binary cross-entropy and for classes
    under a squared loss, identity for regression)."""
    import glassnet as gn

    classes = data.task == "classification"
    n_classes = len(data.target_names) if classes else None
    if loss is None:
        loss = "cross_entropy" if classes else "mse"
    if not classes and loss.endswith("cross_entropy"):
        raise UserError(f"--loss {loss} needs class labels, but the target is numeric "
                        "(regression); use --loss mse or squared_error, or --task classification")
    if loss == "binary_cross_entropy" and n_classes != 2:
        raise UserError(f"--loss binary_cross_entropy needs 2 classes, the data have "
                        f"{n_classes}; use --loss cross_entropy")
    if loss == "cross_entropy":
        output, n_out = "softmax", n_classes
    elif classes:
        output, n_out = "sigmoid", 1 if n_classes == 2 else n_classes
    else:
        output, n_out = "identity", 1 if data.y.ndim == 1 else data.y.shape[1]
    widths = [n_in, *hidden, n_out]
    acts = [activation] * len(hidden) + [output]
    with user_input("--hidden"):  # a width too large for this machine's memory
        layers = [gn.Dense(a, b, activation=f) for a, b, f in zip(widths, widths[1:], acts)]
    with user_input():
        return gn.Network(layers, loss=loss, seed=seed)


def make_optimizer(net, name: str, lr: float):
    import glassnet as gn

    with user_input("--lr"):
        return gn.Adam(net.parameters(), lr=lr) if name == "adam" else \
            gn.SGD(net.parameters(), lr=lr)


def _epoch_printer(ctx, epochs: int):
    """Without a terminal: one plain line every tenth of the run, no redraws."""
    every = max(1, epochs // 10)

    def report(epoch: int, logs: dict) -> None:
        if epoch % every == 0 or epoch == epochs:
            say(ctx, f"epoch {epoch:>4}/{epochs}  " + "  ".join(
                f"{k} {v:.4f}" for k, v in logs.items()))
    return report


@click.command(epilog="""\b
DATA is a bundled data set (xor, moons, circles, spiral, gaussians, loan, digits,
breast_cancer, iris, wine, mnist1d) or a CSV file and --target. The CSV's header row is
optional: a first row whose features are all numbers is data, and --target then gives the
column's position (0 the first, -1 the last) rather than its name.
Examples:
  glassnet train digits --plots plots/
  glassnet train moons --hidden 16,16 --activation tanh --epochs 200 --out moons.safetensors
  glassnet train houses.csv --target price --loss mse --epochs 50
  glassnet train digits --checkpoint run.ckpt        ... Ctrl-C, then the same command with
  glassnet train digits --resume run.ckpt            to carry on where it stopped
""")
@click.argument("data")
@click.option("--hidden", default="64,32", show_default=True,
              help="Hidden layer widths, comma-separated; 'none' or '' for no hidden layer "
                   "(a linear or logistic model).")
@click.option("--activation", type=click.Choice(ACTIVATIONS), default="relu", show_default=True,
              help="Activation of the hidden layers.")
@click.option("--loss", type=click.Choice(LOSSES), default=None,
              help="Default: cross_entropy for classes, mse for numbers.")
@click.option("--optimizer", type=click.Choice(OPTIMIZERS), default="adam", show_default=True)
@click.option("--lr", type=float, default=None, help=LR_HELP)
@click.option("--epochs", type=click.IntRange(min=1), default=None, help=EPOCHS_HELP)
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True)
@click.option("--validation-split", type=click.FloatRange(0, 1, max_open=True), default=0.0,
              show_default=True, help="Share of the training rows kept for validation loss.")
@click.option("--early-stopping", type=click.IntRange(min=1), default=None, metavar="N",
              help="Stop after N epochs without a better validation loss; keep the best "
                   "weights (needs --validation-split).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Drives the initial weights, shuffling, the splits and synthetic data.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The model file [default: DATA.safetensors]; the run record goes beside it.")
@click.option("--checkpoint", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Save a checkpoint every epoch (and on Ctrl-C) to resume from.")
@click.option("--resume", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Resume from a checkpoint (give the same options as the first run).")
@click.option("--target", default=None, metavar="COLUMN",
              help="The CSV column to predict, by its header name or its position (0 the "
                   "first, -1 the last).")
@click.option("--task", type=click.Choice(TASKS), default="auto", show_default=True,
              help="auto: text or small-integer targets are classes, other numbers regression.")
@click.option("--test-split", type=click.FloatRange(0, 1, max_open=True), default=0.2,
              show_default=True, help="Share of rows held out for the final test metrics.")
@click.option("--standardize/--no-standardize", default=True, show_default=True,
              help="Scale features, and a regression target, to mean 0, std 1 for training "
                   "(folded into the saved model, which takes and predicts raw units).")
@click.option("--plots", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="DIR", help="Also draw the run's plots into DIR (see `glassnet plot`).")
@click.option("--plot-format", type=click.Choice(["png", "svg"]), default="png",
              show_default=True)
@click.pass_context
def train(ctx, data, hidden, activation, loss, optimizer, lr, epochs, batch_size,
          validation_split, early_stopping, seed, out, checkpoint, resume, target, task,
          test_split, standardize, plots, plot_format) -> None:
    """Train a network on DATA and save it; print the test metrics."""
    if checkpoint is not None and resume is not None:
        raise UserError("--checkpoint and --resume cannot be used together: --resume keeps "
                        "writing to the checkpoint it resumes from")
    if resume is not None and not resume.exists():
        raise UserError(f"--resume: no checkpoint {str(resume)!r}")
    if resume is not None and not_regular(resume):
        raise UserError(f"--resume {str(resume)!r} is {not_regular(resume)}, not a regular "
                        "file; expected a checkpoint written by --checkpoint")
    if early_stopping is not None and validation_split == 0:
        raise UserError("--early-stopping watches the validation loss; give "
                        "--validation-split too (e.g. 0.1)")
    sizes = parse_sizes(hidden, "--hidden", allow_empty=True)
    lr = lr if lr is not None else DEFAULT_LR[optimizer]
    out = out or Path(f"{Path(data).stem if Path(data).suffix else data}.safetensors")
    _check_writable(out, "--out")  # before training, not after minutes of it
    if checkpoint is not None:
        _check_writable(checkpoint, "--checkpoint")
    dataset = load_data(data, target, task, seed)
    split = split_data(dataset, test_split, seed)
    from ..datasets import Standardizer

    scaler = Standardizer().fit(split.X_train) if standardize else None
    X_train = scaler.transform(split.X_train) if scaler else split.X_train
    if epochs is None:
        epochs = default_epochs(len(X_train), batch_size, validation_split)
    net = build_network(X_train.shape[1], dataset, sizes, activation, loss, seed)
    kind = output_kind(net, dataset.task)
    y_train = targets_for(kind, split.y_train, net.n_out)
    # a target in raw units (prices near 1e5, say) would need its own learning rate; scaled
    # like the features it trains with the defaults, and the identity output unfolds it exactly
    target_scaler = Standardizer().fit(y_train) if standardize and kind == "values" else None
    say(ctx, f"{net}\n{dataset.description}")
    if target_scaler is not None:
        y_train = target_scaler.transform(y_train)
        say(ctx, "the training loss is on the standardised target (mean 0, standard deviation "
                 "1); the metrics below, evaluate and predict are in the target's own units")
    held_out = None
    if split.held_out:  # the test curve, on the rows as the network sees them in training
        y_test = targets_for(kind, split.y_test, net.n_out)
        held_out = (scaler.transform(split.X_test) if scaler else split.X_test,
                    target_scaler.transform(y_test) if target_scaler else y_test)
    watch = LossWatch()
    history = _fit(ctx, net, X_train, y_train, kind,
                   held_out, optimizer=make_optimizer(net, optimizer, lr), epochs=epochs,
                   batch_size=batch_size, validation_split=validation_split,
                   early_stopping=early_stopping, seed=seed, checkpoint=checkpoint,
                   resume=resume, watch=watch)
    initial_loss, final_loss = watch.initial, watch.now()
    if scaler is not None:
        scaler.fold_into(net)
    if target_scaler is not None:
        target_scaler.unfold_from_output(net)
    n_classes = len(dataset.target_names) if dataset.task == "classification" else None
    train_scores = scores(split.y_train, predict(net, split.X_train, kind)[0], kind, n_classes)
    test_scores = scores(split.y_test, predict(net, split.X_test, kind)[0], kind, n_classes)
    with user_input("--out"):
        net.save(out)
    record = _run_record(data, target, dataset, split, net, kind, scaler, target_scaler,
                         history, {
        "hidden": list(sizes), "activation": activation, "loss": net.loss_fn.name,
        "optimizer": optimizer, "lr": lr, "epochs": epochs, "batch_size": batch_size,
        "validation_split": validation_split, "early_stopping": early_stopping, "seed": seed,
        "test_split": test_split, "standardize": standardize, "output": kind})
    record["train"], record["test"] = train_scores, test_scores
    record_path = write_run(out, record)
    written = []
    if plots is not None:  # every file is written before anything is printed
        from .plotting import draw_run

        written = draw_run(out, plots, plot_format)
    click.echo(f"{history.epochs} epochs ({history.message or history.stopped_reason})")
    click.echo(f"train  {metrics_line(train_scores)}")
    click.echo(f"test   {metrics_line(test_scores)}   on {split.note}")
    click.echo(f"model  {out}   run record {record_path}")
    if written:
        click.echo(f"plots  {plots}/ ({', '.join(p.name for p in written)})")
    for note in _notes(initial_loss, final_loss, lr, DEFAULT_LR[optimizer], test_scores, split):
        click.echo(f"note   {note}")


def _notes(initial_loss, final_loss, lr, default_lr, test_scores, split) -> list[str]:
    """What went wrong, said after the results: the loss grew, or nothing was learned (a
    grown loss already says why, and "try a larger --lr" would contradict it)."""
    grew = loss_grew(initial_loss, final_loss, lr, default_lr)
    if grew is not None or "accuracy" not in test_scores:
        return [grew] if grew else []
    chance = near_chance(test_scores["accuracy"], split.y_train, split.y_test)
    return [chance] if chance else []


def _run_record(data, target, dataset, split, net, kind, scaler, target_scaler, history,
                settings) -> dict:
    """What ``plot``, ``predict`` and ``evaluate`` read back (see :mod:`.runs`)."""
    return {
        "data": {"source": data, "target": target, "task": dataset.task,
                 # a CSV's absolute path, so evaluate can find its held-out rows from anywhere
                 "path": str(Path(data).resolve()) if Path(data).is_file() else None,
                 "feature_names": dataset.feature_names, "class_names": dataset.target_names,
                 "n_train": len(split.X_train), "n_test": len(split.X_test),
                 "test": split.note, "held_out": split.held_out},
        "settings": settings,
        "history": history.to_dict(),
        "points": points_for_plot(split, settings["seed"]),
        # μ and σ folded into W[1], b[1]: W[1] · σ gives back the weights training learned
        "standardizer": None if scaler is None else {"mean": scaler.mean_.tolist(),
                                                      "scale": scaler.scale_.tolist()},
        # μ and σ of the target, unfolded into W[L], b[L]; the loss history is in these units
        "target_standardizer": None if target_scaler is None else {
            "mean": target_scaler.mean_.tolist(), "scale": target_scaler.scale_.tolist()},
    }


def _check_writable(out: Path, option: str) -> None:
    kind = not_regular(out)
    if kind == "a folder":
        raise UserError(f"{option} {str(out)!r} is a folder; expected the model's file name, "
                        "e.g. digits.safetensors")
    if kind is not None:
        raise UserError(f"{option} {str(out)!r} is {kind}, not a regular file; expected a "
                        "file name to create or replace, e.g. digits.safetensors")
    ensure_folder(out.parent, option)


def _fit(ctx, net, X, y, kind, held_out, *, optimizer, epochs, batch_size, validation_split,
         early_stopping, seed, checkpoint, resume, watch):
    """``net.fit`` with the command's options; a diverging or unfit run is a user mistake.
    ``held_out``: the test rows ``(X, y)`` whose loss is recorded each epoch, or None;
    ``watch`` records the loss before the first update and at the end."""
    from ..training import TrainingDiverged
    from .heldout import HeldOutScores

    bar = progress_wanted(ctx)
    callbacks = [watch] if held_out is None else [watch, HeldOutScores(*held_out)]
    if not bar:
        callbacks.append(_epoch_printer(ctx, epochs))
    # fit's accuracy reads one label per sample: softmax, or one sigmoid unit
    metrics = ["accuracy"] if kind in ("labels", "binary") else []
    options = dict(epochs=epochs, batch_size=batch_size, optimizer=optimizer, seed=seed,
                   validation_split=validation_split, callbacks=callbacks, progress=bar,
                   metrics=metrics, early_stopping=early_stopping)
    if checkpoint is not None or resume is not None:
        options["checkpoint"] = checkpoint or resume
    if resume is not None:
        options["resume"] = resume
    with user_input(also=(TrainingDiverged,)):
        history = net.fit(X, y, **options)
    if history.stopped_reason == "interrupted":
        # a half-trained model is not written as if it were done; say how to carry on
        kept = checkpoint or resume
        click.echo(f"glassnet: to resume, run the same command with --resume {kept}"
                   if kept else "glassnet: no checkpoint was kept; with --checkpoint PATH a "
                   "run can be resumed", err=True)
        raise click.exceptions.Exit(130)
    return history


COMMANDS = [train]
