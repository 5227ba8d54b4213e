"""Step-through mode: one training step of a small network, every number and its derivation.

The page holds the network as plain numbers (``W[j][i]`` is ``w_{ji}``, input j → neuron i)
and sends them with each request; the server builds a glassnet ``Network`` from them, runs
``glassnet.explain.step`` (forward, loss, backward, update, read from the engine's caches)
and answers with the trace's numbers and the explain package's derivation as MathML.
Nothing is kept between requests, so a step can never act on a stale network.
"""

from __future__ import annotations

import numpy as np

from ..layers import Dense
from ..network import Network
from .limits import Limits, RequestError, get_choice, get_float, get_int, get_number_list, short
from .mathml import line_mathml, line_pieces
from .names import step_names

__all__ = ["LECTURE_EXAMPLE", "example", "run_step", "new_network", "parse_setup", "shared_setup"]

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax")
LOSSES = ("squared_error", "mse", "binary_cross_entropy", "cross_entropy")

#: The lecture's "Numerical Example": a 2-2-1 sigmoid network, L = ½(y − ŷ)², α = 0.5.
LECTURE_EXAMPLE = {
    "layers": [
        {"activation": "sigmoid", "W": [[0.15, 0.25], [0.20, 0.30]], "b": [0.35, 0.35]},
        {"activation": "sigmoid", "W": [[0.40], [0.45]], "b": [0.60]},
    ],
    "loss": "squared_error",
    "x": [0.05, 0.10],
    "y": [0.01],
    "lr": 0.5,
}


def example() -> dict:
    """The lecture's set-up and the names of its numbers: ``GET /api/step/example``."""
    return _named(LECTURE_EXAMPLE)


def shared_setup(data, limits: Limits) -> dict:
    """A set-up from a share link, checked as a step request is, with its names:
    ``POST /api/step/setup``. Only the set-up's own fields come back."""
    net, x, y, lr = parse_setup(data, limits)
    return _named({"layers": [{"activation": layer.activation.name, "W": layer.W.value.tolist(),
                               "b": layer.b.value.tolist()} for layer in net.layers],
                   "loss": net.loss_fn.name, "x": x[0].tolist(),
                   "y": y[0].tolist(), "lr": lr})


def _named(setup: dict) -> dict:
    """``setup`` and the lecture's name of every number in it, for the page to show."""
    sizes = [len(setup["layers"][0]["W"])] + [len(layer["b"]) for layer in setup["layers"]]
    return {**setup, "names": step_names(sizes)}


def parse_setup(data, limits: Limits) -> tuple[Network, np.ndarray, np.ndarray, float]:
    """The network, ``x`` (1, n_in), ``y`` (1, n_out) and ``lr`` a step request describes."""
    if not isinstance(data, dict):
        raise RequestError("expected a JSON object with layers, loss, x, y and lr")
    layers = data.get("layers")
    if not isinstance(layers, list) or not 1 <= len(layers) <= limits.step_max_layers:
        raise RequestError(f"layers must be a list of 1 to {limits.step_max_layers} layers, "
                           f"got {_count(layers)}")
    dense = [_layer(i, spec, limits) for i, spec in enumerate(layers, start=1)]
    for i in range(1, len(dense)):
        if dense[i].n_in != dense[i - 1].n_out:
            raise RequestError(f"layer {i + 1} has {dense[i].n_in} inputs but layer {i} has "
                               f"{dense[i - 1].n_out} neurons; they must be equal")
    loss = get_choice(data, "loss", "squared_error", LOSSES)
    net = Network(dense, loss=loss)  # its ValueError is a 400 with glassnet's own sentence
    x = get_number_list(data.get("x"), "x", net.n_in)
    y = get_number_list(data.get("y"), "y", net.n_out)
    lr = get_float(data, "lr", None, 0.0, 100.0, open_low=True)
    return net, np.array([x]), np.array([y]), lr


def _layer(index: int, spec, limits: Limits) -> Dense:
    where = f"layer {index}"
    if not isinstance(spec, dict):
        raise RequestError(f"{where} must be an object with activation, W and b")
    activation = get_choice(spec, "activation", None, ACTIVATIONS)
    W = spec.get("W")
    if not isinstance(W, list) or not W or not all(isinstance(row, list) for row in W):
        raise RequestError(f"{where}: W must be a list of rows, one per input (W[j][i] is "
                           "the weight from input j to neuron i)")
    n_in, n_out = len(W), len(W[0])
    top = limits.step_max_neurons
    if not 1 <= n_in <= top or not 1 <= n_out <= top:
        raise RequestError(f"{where}: W must be at most {top} × {top}, got {n_in} × {n_out}")
    rows = [get_number_list(row, f"{where} W row {j + 1}", n_out) for j, row in enumerate(W)]
    b = get_number_list(spec.get("b"), f"{where} b", n_out)
    return Dense(n_in, n_out, activation=activation, init={"W": np.array(rows), "b": np.array(b)})


def _count(value) -> str:
    return f"{len(value)}" if isinstance(value, list) else short(value)


def run_step(data, limits: Limits) -> dict:
    """One explained training step: explain's trace document, its lines also as MathML.

    The answer is the ``glassnet.trace/1`` document (``docs/trace-schema.md``) of
    ``glassnet.explain.step`` at full precision; each derivation line gains a ``mathml``
    entry next to its ``latex``, and ``mathml_pieces``, the same line cut where the page may
    wrap it (before each ``=`` or ``≈``).
    """
    from ..explain import step

    net, x, y, lr = parse_setup(data, limits)
    document = step(net, x, y, lr=lr).to_dict(digits=5)
    for section in document["derivation"]:
        for line in section["lines"]:
            line["mathml"] = line_mathml(line["lhs"], line["parts"])
            line["mathml_pieces"] = line_pieces(line["lhs"], line["parts"])
    return document


def new_network(data, limits: Limits) -> dict:
    """A fresh set-up of the requested sizes, initialised by glassnet from ``seed``, with its names.

    Values are rounded to two decimals, as the lecture writes its weights, so that a student
    can read and retype them; the rounded values are the network from then on.
    """
    if not isinstance(data, dict):
        raise RequestError("expected a JSON object with sizes, activations, loss and seed")
    sizes = data.get("sizes")
    top, depth = limits.step_max_neurons, limits.step_max_layers
    if (not isinstance(sizes, list) or not 2 <= len(sizes) <= depth + 1
            or any(isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= top
                   for n in sizes)):
        raise RequestError(f"sizes must list 2 to {depth + 1} layer sizes (inputs first), each "
                           f"from 1 to {top}, got {short(sizes)}")
    activations = data.get("activations")
    if not isinstance(activations, list) or len(activations) != len(sizes) - 1:
        raise RequestError(f"activations must list one activation per layer "
                           f"({len(sizes) - 1}), got {short(activations)}")
    for i, name in enumerate(activations, start=1):
        get_choice({"activation": name}, "activation", None, ACTIVATIONS)
        if name == "softmax" and i < len(activations):
            raise RequestError(f"softmax is for the output layer only, not layer {i}")
    loss = get_choice(data, "loss", "squared_error", LOSSES)
    seed = get_int(data, "seed", 0, 0, 2**31 - 1)
    net = Network([Dense(n_in, n_out, activation=act) for n_in, n_out, act
                   in zip(sizes[:-1], sizes[1:], activations)], loss=loss, seed=seed)
    rng = np.random.default_rng(seed)
    y = np.zeros(sizes[-1])
    y[0] = 1.0 if loss == "cross_entropy" or sizes[-1] == 1 else 0.0
    return _named({"layers": [{"activation": layer.activation.name,
                               "W": np.round(layer.W.value, 2).tolist(),
                               "b": np.round(layer.b.value, 2).tolist()} for layer in net.layers],
                   "loss": loss, "x": np.round(rng.uniform(0, 1, sizes[0]), 2).tolist(),
                   "y": y.tolist(), "lr": 0.5})
