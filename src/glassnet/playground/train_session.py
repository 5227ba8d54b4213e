"""Train mode: a server-side session that trains a glassnet network a few steps per request.

A session holds a ``Network``, its optimizer and the data; ``/step`` runs mini-batch updates
through the engine's public API (forward → loss → backward → optimizer.step, one batch at a
time, vectorised over the batch) and answers with the losses, the accuracy and the maps the
page draws: the decision boundary and every hidden neuron's output over the plane.
"""

from __future__ import annotations

import secrets

import numpy as np

from ..layers import Dense
from ..network import Network
from ..optim import SGD, Adam
from .data import PlaygroundData
from .limits import Limits, RequestError, get_choice, get_float, get_int, short
from .maps import Grid, quantise
from .names import hidden_names

__all__ = ["TrainSession", "ACTIVATIONS", "LOSSES", "OPTIMIZERS"]

ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid", "identity")
LOSSES = ("cross_entropy", "squared_error", "mse")
OPTIMIZERS = ("sgd", "momentum", "adam")
_HISTORY = 1000  # points kept per curve; beyond it every other point is dropped


class TrainSession:
    """One network learning one data set, advanced by :meth:`train`.

    The output layer follows the data: one sigmoid neuron for two classes (``cross_entropy``
    then means binary cross-entropy), else a softmax neuron per class.
    """

    def __init__(self, spec: dict, data: PlaygroundData, limits: Limits):
        self.id = secrets.token_hex(8)
        self.data = data
        self.settings = _settings(spec, data, limits)
        s = self.settings
        k = data.n_classes
        sizes = [2] + s["hidden"]
        layers = [Dense(n_in, n_out, activation=s["activation"])
                  for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        layers.append(Dense(sizes[-1], 1 if k == 2 else k,
                            activation="sigmoid" if k == 2 else "softmax"))
        loss = "binary_cross_entropy" if s["loss"] == "cross_entropy" and k == 2 else s["loss"]
        self.net = Network(layers, loss=loss, seed=s["seed"])
        params = self.net.parameters()
        self.optimizer = {"sgd": lambda: SGD(params, lr=s["lr"]),
                          "momentum": lambda: SGD(params, lr=s["lr"], momentum=0.9),
                          "adam": lambda: Adam(params, lr=s["lr"])}[s["optimizer"]]()
        self.rng = np.random.default_rng(s["seed"])
        self.T_train = self._targets(data.y_train)
        self.T_test = self._targets(data.y_test)
        self.order, self.cursor = self.rng.permutation(len(data.X_train)), 0
        self.steps = 0
        self.grid = Grid.around(np.vstack([data.X_train, data.X_test]), limits.grid)
        self.history = {"step": [], "train_loss": [], "test_loss": [], "train_accuracy": [],
                        "test_accuracy": []}

    def _targets(self, labels: np.ndarray) -> np.ndarray:
        """What the loss compares ŷ with: (N, 1) for two classes, labels for softmax + CE,
        one-hot rows for a squared loss over K outputs."""
        if self.data.n_classes == 2:
            return labels.reshape(-1, 1).astype(np.float64)
        if self.net.loss_fn.name == "cross_entropy":
            return labels
        return np.eye(self.data.n_classes)[labels]

    def train(self, steps: int) -> None:
        """``steps`` mini-batch updates; the rows are reshuffled at each epoch's end."""
        X, T, size = self.data.X_train, self.T_train, self.settings["batch_size"]
        for _ in range(steps):
            if self.cursor >= len(self.order):
                self.order, self.cursor = self.rng.permutation(len(X)), 0
            rows = self.order[self.cursor:self.cursor + size]
            self.cursor += size
            y_hat = self.net.forward(X[rows])
            self.net.loss(y_hat, T[rows]).backward()
            self.optimizer.step()
        self.steps += steps

    def _score(self, X: np.ndarray, T: np.ndarray, labels: np.ndarray):
        if len(X) == 0:
            return None, None
        with np.errstate(all="ignore"):
            y_hat = self.net.forward(X)
            loss = self.net.loss_fn(y_hat, T)
        guess = (y_hat[:, 0] > 0.5).astype(int) if y_hat.shape[1] == 1 else y_hat.argmax(axis=1)
        return _finite(loss), float(np.mean(guess == labels))

    def report(self, full_history: bool = False) -> dict:
        """Losses, accuracies, the boundary and the hidden neurons' maps, as JSON data."""
        d = self.data
        train_loss, train_acc = self._score(d.X_train, self.T_train, d.y_train)
        test_loss, test_acc = self._score(d.X_test, self.T_test, d.y_test)
        point = {"step": self.steps, "train_loss": train_loss, "test_loss": test_loss,
                 "train_accuracy": train_acc, "test_accuracy": test_acc}
        if not self.history["step"] or self.history["step"][-1] != self.steps:
            self._remember(point)
        epoch = self.steps * self.settings["batch_size"] / len(d.X_train)
        out = {"id": self.id, **point, "epoch": epoch, **self._maps()}
        if full_history:
            out["history"] = self.history
        out["diverged"] = train_loss is None
        return out

    def _remember(self, point: dict) -> None:
        for key, value in point.items():
            self.history[key].append(value)
        if len(self.history["step"]) > _HISTORY:
            for key in self.history:
                self.history[key] = self.history[key][::2]

    def _maps(self) -> dict:
        with np.errstate(all="ignore"):
            y_hat = self.net.forward(self.grid.points)          # (G², K)
        if y_hat.shape[1] == 1:
            p1 = y_hat[:, 0]
            label, prob = (p1 > 0.5).astype(np.uint8), np.maximum(p1, 1 - p1)
        else:
            label, prob = y_hat.argmax(axis=1).astype(np.uint8), y_hat.max(axis=1)
        neurons = []
        for layer in self.net.layers[:-1]:
            maps = self.grid.coarse(layer.a)                     # (n_out, g², ) per neuron
            neurons.append([quantise(m) for m in maps])
        return {"boundary": {"label": quantise(label, 0, 255, raw=True),
                             "probability": quantise(prob, 0.0, 1.0)},
                "neurons": neurons}

    def model_for_download(self) -> Network:
        """A copy of the network that takes the data's own units.

        For an uploaded CSV the network learnt on standardised features ``x' = (x − μ)/σ``;
        the copy folds that into its first layer, ``x' @ W + b = x @ (W/σ) + (b − (μ/σ) @ W)``,
        as ``glassnet train`` does, so the file needs nothing else to predict.
        """
        from ..persistence import network_from_config

        copy = network_from_config("playground", self.net.config())
        copy.load_state_dict(self.net.state_dict())
        copy.training_config = dict(self.settings)
        if self.data.standardised is not None:
            from ..datasets import Standardizer

            mean, std = self.data.standardised
            Standardizer.from_statistics(mean, std).fold_into(copy)
            copy.training_config["standardised"] = {"mean": mean.tolist(), "std": std.tolist()}
        return copy

    def public(self) -> dict:
        """What the page needs once: the data, the set-up and the plotting window."""
        d = self.data
        return {"id": self.id, "settings": self.settings, "classes": d.classes,
                "description": d.description, "network": repr(self.net),
                "names": {"hidden": hidden_names(self.settings["hidden"])},
                "grid": self.grid.describe(),
                "train": {"X": d.X_train.round(4).tolist(), "y": d.y_train.tolist()},
                "test": {"X": d.X_test.round(4).tolist(), "y": d.y_test.tolist()}}


def _settings(spec: dict, data: PlaygroundData, limits: Limits) -> dict:
    hidden = spec.get("hidden", [8, 8])
    top, depth = limits.train_max_neurons, limits.train_max_hidden_layers
    if (not isinstance(hidden, list) or len(hidden) > depth
            or any(isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= top
                   for n in hidden)):
        raise RequestError(f"hidden must list 0 to {depth} hidden layer sizes, each from 1 to "
                           f"{top}, got {short(hidden)}")
    if len(data.X_train) < 2:
        raise RequestError(f"the training split has {len(data.X_train)} points; lower "
                           "test_fraction so that at least 2 remain")
    return {"hidden": hidden,
            "activation": get_choice(spec, "activation", "tanh", ACTIVATIONS),
            "loss": get_choice(spec, "loss", "cross_entropy", LOSSES),
            "optimizer": get_choice(spec, "optimizer", "adam", OPTIMIZERS),
            "lr": get_float(spec, "lr", 0.03, 0.0, 10.0, open_low=True),
            "batch_size": get_int(spec, "batch_size", 32, 1, limits.max_points),
            "seed": get_int(spec, "seed", 0, 0, 2**31 - 1)}


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
