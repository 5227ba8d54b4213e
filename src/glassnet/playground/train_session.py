"""Train mode: a server-side session that trains a glassnet network a few steps per request.

A session holds a ``Network``, its optimizer and the data; ``/step`` runs mini-batch updates
through the engine's public API (forward → loss → backward → [+ ∂R/∂W of an L1 or L2
penalty] → optimizer.step, one batch at a time, vectorised over the batch) and answers with
the losses, the accuracy and the maps the page draws: the output over the plane (decision
boundary, or ŷ for regression) and every neuron's map for the network diagram, inputs and
output included, with the weights on its edges.
"""

from __future__ import annotations

import secrets

import numpy as np

from ..activations import get_activation
from ..layers import Dense
from ..network import Network
from ..optim import SGD, Adam
from ..regularization import L1, L2
from .data import PlaygroundData, make_data
from .features import LABELS, check_features, expand
from .limits import Limits, RequestError, get_choice, get_float, get_int, short
from .maps import Grid, diagram_maps, quantise
from .names import hidden_names

__all__ = ["TrainSession", "ACTIVATIONS", "LOSSES", "OPTIMIZERS", "PENALTIES", "LIVE"]

ACTIVATIONS = ("tanh", "relu", "leaky_relu", "sigmoid", "identity")
LOSSES = ("cross_entropy", "squared_error", "mse")
REGRESSION_LOSSES = ("mse", "squared_error")
OPTIMIZERS = ("sgd", "momentum", "adam")
PENALTIES = ("none", "l1", "l2")
# what may change while training runs, without a reset
LIVE = ("noise", "test_fraction", "batch_size", "lr", "activation", "penalty", "penalty_rate")
_HISTORY = 1000  # points kept per curve; beyond it every other point is dropped


class TrainSession:
    """One network learning one data set, advanced by :meth:`train`.

    The output layer follows the problem: one sigmoid neuron for two classes (``cross_entropy``
    then means binary cross-entropy), else a softmax neuron per class; for regression one
    identity neuron trained on the mean squared error. The first layer reads the chosen
    input features (:mod:`.features`). Noise, the test split, the batch size, the learning
    rate, the activation and the penalty can change while it trains (:meth:`change`).
    """

    def __init__(self, spec: dict, data: PlaygroundData, limits: Limits):
        self.id = secrets.token_hex(8)
        self.spec, self.limits, self.data = dict(spec), limits, data
        self.settings = _settings(spec, data, limits)
        s = self.settings
        k, regression = data.n_classes, data.problem == "regression"
        sizes = [len(s["features"])] + s["hidden"]
        layers = [Dense(n_in, n_out, activation=s["activation"])
                  for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        out, last = (1, "identity") if regression else (1, "sigmoid") if k == 2 else (k, "softmax")
        layers.append(Dense(sizes[-1], out, activation=last))
        loss = "binary_cross_entropy" if s["loss"] == "cross_entropy" and k == 2 else s["loss"]
        self.net = Network(layers, loss=loss, seed=s["seed"])
        params = self.net.parameters()
        self.optimizer = {"sgd": lambda: SGD(params, lr=s["lr"]),
                          "momentum": lambda: SGD(params, lr=s["lr"], momentum=0.9),
                          "adam": lambda: Adam(params, lr=s["lr"])}[s["optimizer"]]()
        self.penalty = _penalty(s)
        self.rng = np.random.default_rng(s["seed"])
        self.added = (np.zeros((0, 2)), np.zeros(0, dtype=data.y_train.dtype))  # clicked points
        self.steps, self._epochs_before, self._rows = 0, 0.0, 0
        self.changes: list[tuple[int, dict]] = []  # h-extras hook: (step, {name: (old, new)})
        self._data_changed()
        self.history = {"step": [], "train_loss": [], "test_loss": [], "train_accuracy": [],
                        "test_accuracy": []}

    def _data_changed(self, regrid: bool = True) -> None:
        """After new data: targets, the network's inputs, a fresh order and the plotting grid."""
        d, features = self.data, self.settings["features"]
        if self._rows:  # the epochs so far count against the data they ran on
            self._epochs_before += self._rows / self._n_rows
        self._rows, self._n_rows = 0, len(d.X_train)
        self.T_train, self.T_test = self._targets(d.y_train), self._targets(d.y_test)
        self.I_train, self.I_test = expand(d.X_train, features), expand(d.X_test, features)
        self.order, self.cursor = self.rng.permutation(len(d.X_train)), 0
        if regrid:  # a clicked point keeps the window, so that the picture does not jump
            self.grid = Grid.around(np.vstack([d.X_train, d.X_test]), self.limits.grid)
            self.grid_inputs = expand(self.grid.points, features)           # (G², n_in)
            self.coarse_inputs = self.grid.coarse(self.grid_inputs)         # (n_in, g²)

    def _targets(self, labels: np.ndarray) -> np.ndarray:
        """What the loss compares ŷ with: (N, 1) for two classes or regression, labels for
        softmax + CE, one-hot rows for a squared loss over K outputs."""
        if self.data.problem == "regression" or self.data.n_classes == 2:
            return labels.reshape(-1, 1).astype(np.float64)
        if self.net.loss_fn.name == "cross_entropy":
            return labels
        return np.eye(self.data.n_classes)[labels]

    def train(self, steps: int) -> None:
        """``steps`` mini-batch updates; the rows are reshuffled at each epoch's end.

        The epoch counter is the rows seen over ``N_train`` (:attr:`epochs`), right for any
        data size: four XOR points in a batch of 32 are one epoch, not eight.
        """
        X, T, size = self.I_train, self.T_train, self.settings["batch_size"]
        for _ in range(steps):
            if self.cursor >= len(self.order):
                self.order, self.cursor = self.rng.permutation(len(X)), 0
            rows = self.order[self.cursor:self.cursor + size]
            self.cursor += size
            y_hat = self.net.forward(X[rows])
            self.net.loss(y_hat, T[rows]).backward()
            if self.penalty is not None:
                self.penalty.add_grads(self.net)    # ∂R/∂W, as fit(..., penalty=) does
            self.optimizer.step()
            self._rows += len(rows)
        self.steps += steps

    @property
    def epochs(self) -> float:
        """Passes over the training rows so far: rows seen / N_train, summed over data changes."""
        return self._epochs_before + self._rows / self._n_rows

    def _score(self, X: np.ndarray, T: np.ndarray, labels: np.ndarray):
        if len(X) == 0:
            return None, None
        with np.errstate(all="ignore"):
            y_hat = self.net.forward(X)
            loss = self.net.loss_fn(y_hat, T)
        if self.data.problem == "regression":
            return _finite(loss), None
        guess = (y_hat[:, 0] > 0.5).astype(int) if y_hat.shape[1] == 1 else y_hat.argmax(axis=1)
        return _finite(loss), float(np.mean(guess == labels))

    def report(self, full_history: bool = False) -> dict:
        """Losses, accuracies, the output over the plane and every neuron's map, as JSON."""
        d = self.data
        train_loss, train_acc = self._score(self.I_train, self.T_train, d.y_train)
        test_loss, test_acc = self._score(self.I_test, self.T_test, d.y_test)
        point = {"step": self.steps, "train_loss": train_loss, "test_loss": test_loss,
                 "train_accuracy": train_acc, "test_accuracy": test_acc}
        if not self.history["step"] or self.history["step"][-1] != self.steps:
            self._remember(point)
        penalty = None if self.penalty is None else _finite(self.penalty.value(self.net))
        out = {"id": self.id, **point, "epoch": self.epochs, "penalty": penalty, **self._maps()}
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
        maps, y_hat = diagram_maps(self.net, self.grid, self.grid_inputs, self.coarse_inputs)
        if self.data.problem == "regression":
            return {**maps, "field": quantise(y_hat[:, 0])}
        if y_hat.shape[1] == 1:
            p1 = y_hat[:, 0]
            label, prob = (p1 > 0.5).astype(np.uint8), np.maximum(p1, 1 - p1)
        else:
            label, prob = y_hat.argmax(axis=1).astype(np.uint8), y_hat.max(axis=1)
        return {**maps, "boundary": {"label": quantise(label, 0, 255, raw=True),
                                     "probability": quantise(prob, 0.0, 1.0)}}

    def change(self, body: dict, uploads: dict) -> bool:
        """Apply the settings that may change while training runs; True if the data changed.

        ``lr``, ``batch_size``, ``activation`` (every hidden layer's, weights kept),
        ``penalty`` and ``penalty_rate`` take effect at the next step; ``noise`` and
        ``test_fraction`` draw the data again from the same seed (clicked points are kept),
        while the network keeps its weights.
        """
        unknown = sorted(set(body) - set(LIVE))
        if unknown:
            raise RequestError(f"{short(unknown[0])} cannot change while training; expected "
                               f"some of {', '.join(LIVE)} (anything else needs Reset)")
        s = _settings({**self.spec, **self.settings, **body}, self.data, self.limits)
        redraw = bool({"noise", "test_fraction"} & set(body))
        if redraw:  # checked in full before anything changes
            spec = {**self.spec, **{k: body[k] for k in ("noise", "test_fraction") if k in body}}
            data = make_data(spec, uploads, self.limits)
            if len(data.X_train) + len(self.added[0]) < 2:
                raise RequestError("the training split would keep fewer than 2 points; lower "
                                   "test_fraction")
        self.changes.append((self.steps, {k: (self.settings.get(k), s.get(k, body[k]))
                                          for k in body}))  # h-extras hook (code.py)
        for layer in self.net.layers[:-1]:
            layer.activation = get_activation(s["activation"])
        self.optimizer.lr = s["lr"]
        self.penalty = _penalty(s)
        self.settings = s
        if redraw:
            self.spec, self.data = spec, data
            self._append(*self.added)
            self._data_changed()
        return redraw

    def add_point(self, body: dict) -> None:
        """Add a training point ``{"x1", "x2", "label"}`` (regression: ``"label"`` is y)."""
        x1 = get_float(body, "x1", None, -1e4, 1e4)
        x2 = get_float(body, "x2", None, -1e4, 1e4)
        if self.data.problem == "regression":
            label = get_float(body, "label", None, -10.0, 10.0)
        else:
            label = get_int(body, "label", None, 0, self.data.n_classes - 1)
        total = len(self.data.X_train) + len(self.data.X_test)
        if total >= self.limits.max_points:
            raise RequestError(f"the data set already has {total} points, the most the "
                               f"playground keeps ({self.limits.max_points})")
        point, target = np.array([[x1, x2]]), np.array([label], dtype=self.data.y_train.dtype)
        self.changes.append((self.steps, {"point": (None, [x1, x2, label])}))  # h-extras hook
        self.added = (np.vstack([self.added[0], point]), np.concatenate([self.added[1], target]))
        self._append(point, target)
        self._data_changed(regrid=False)

    def _append(self, X: np.ndarray, y: np.ndarray) -> None:
        self.data.X_train = np.vstack([self.data.X_train, X])
        self.data.y_train = np.concatenate([self.data.y_train, y])

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
        if self.data.standardised is not None and self.settings["features"] != ["x1", "x2"]:
            mean, std = self.data.standardised  # x1² of standardised x1 cannot be folded
            copy.training_config["standardised"] = {
                "mean": mean.tolist(), "std": std.tolist(),
                "note": "standardise x1, x2 with these, then compute the features"}
        elif self.data.standardised is not None:
            from ..datasets import Standardizer

            mean, std = self.data.standardised
            Standardizer.from_statistics(mean, std).fold_into(copy)
            copy.training_config["standardised"] = {"mean": mean.tolist(), "std": std.tolist()}
        return copy

    def public(self) -> dict:
        """What the page needs once: the data, the set-up and the plotting window."""
        d = self.data
        return {"id": self.id, "settings": self.settings, "classes": d.classes,
                "problem": d.problem, "description": d.description, "network": repr(self.net),
                "names": {"hidden": hidden_names(self.settings["hidden"]),
                          "inputs": [LABELS[f] for f in self.settings["features"]]},
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
    regression = data.problem == "regression"
    return {"problem": data.problem, "features": check_features(spec), "hidden": hidden,
            "activation": get_choice(spec, "activation", "tanh", ACTIVATIONS),
            "loss": (get_choice(spec, "loss", "mse", REGRESSION_LOSSES) if regression
                     else get_choice(spec, "loss", "cross_entropy", LOSSES)),
            "optimizer": get_choice(spec, "optimizer", "adam", OPTIMIZERS),
            "lr": get_float(spec, "lr", 0.03, 0.0, 10.0, open_low=True),
            "batch_size": get_int(spec, "batch_size", 32, 1, limits.max_points),
            "penalty": get_choice(spec, "penalty", "none", PENALTIES),
            "penalty_rate": get_float(spec, "penalty_rate", 0.0, 0.0, 10.0),
            "seed": get_int(spec, "seed", 0, 0, 2**31 - 1)}


def _penalty(settings: dict):
    """The engine's L1 or L2 on the weights, or None."""
    kind = {"l1": L1, "l2": L2}.get(settings["penalty"])
    return None if kind is None else kind(settings["penalty_rate"])


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
