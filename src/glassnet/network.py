"""A network: layers in sequence, a loss, and the lecture's four training steps.

1. forward pass   ``y_hat = net.forward(x)``     each layer ``a = φ(a_prev @ W + b)``
2. loss           ``loss = net.loss(y_hat, y)``  a float that remembers where it came from
3. backward pass  ``loss.backward()``            chain rule, last layer to first
4. update         ``optimizer.step()``           ``θ ← θ − α ∇θL``  (see :mod:`glassnet.optim`)
"""

from __future__ import annotations

import numpy as np

from . import checks, notation
from .init import make_rng
from .layers import Dense
from .losses import Loss, get_loss
from .parameter import Parameter

__all__ = ["Network", "LossValue"]

_DTYPES = {"float64": np.float64, "float32": np.float32}


class LossValue(float):
    """The value of the loss, a ``float`` that can also run the backward pass.

    ``float(loss)``, ``f"{loss:.4f}"`` and comparisons behave as for any float;
    ``loss.backward()`` fills ``.grad`` of every trainable parameter of the network.
    """

    def __new__(cls, value: float, net: Network, y: np.ndarray, generation: int,
                sample_weight: np.ndarray | None = None):
        self = super().__new__(cls, value)
        self.net, self.y, self.generation = net, y, generation
        self.sample_weight = sample_weight  # checked (N,) weights, or None: the plain mean
        return self

    def backward(self) -> None:
        """Step 3: backpropagate this loss through the network that produced it."""
        self.net._backward(self.y, self.generation, self.sample_weight)

    def item(self) -> float:
        """The plain float, as ``torch.Tensor.item()``."""
        return float(self)

    def __repr__(self) -> str:
        return f"LossValue({float(self)!r})"


class Network:
    """A feed-forward network of :class:`Dense` layers trained on one loss.

    Parameters
    ----------
    layers : list of Dense
        In order from input to output; each layer's ``n_in`` must equal the previous
        layer's ``n_out``. Layers are numbered from 1, as in the lecture.
    loss : str or Loss
        ``squared_error`` (the lecture's ½Σ(y − ŷ)², default), ``mse``,
        ``binary_cross_entropy`` (sigmoid output) or ``cross_entropy`` (softmax output).
    dtype : "float64" or "float32"
        Parameters, activations and gradients all keep this dtype.
    seed : int or numpy.random.Generator, optional
        If given, re-initialises every layer, first to last, from one generator.

    Examples
    --------
    >>> net = Network([Dense(2, 2, "sigmoid"), Dense(2, 1, "sigmoid")], seed=0)
    >>> net
    Network(Dense(2 → 2, sigmoid), Dense(2 → 1, sigmoid); loss=squared_error)
    """

    def __init__(self, layers, loss: str | Loss = "squared_error", dtype="float64", seed=None):
        if isinstance(layers, Dense):
            raise TypeError(f"Network expected a list of layers, got the single layer "
                            f"{layers!r}; wrap it in a list: Network([layer])")
        if not hasattr(layers, "__iter__") or isinstance(layers, (str, bytes)):
            raise TypeError(f"Network expected a list of layers, got {type(layers).__name__}")
        self.layers: list[Dense] = list(layers)
        if not self.layers:
            raise ValueError("Network expected at least one layer, got none")
        for i, layer in enumerate(self.layers, start=1):
            if not isinstance(layer, Dense):
                raise TypeError(f"Network layer {i} must be a Dense layer, got {layer!r}")
            first = next(j for j, other in enumerate(self.layers, start=1) if other is layer)
            if first < i:  # one object twice: its gradient would hold only one use's share
                raise ValueError(f"Network layer {i} is the same Dense object as layer {first}; "
                                 "each layer needs its own weights: build another Dense")
        self._check_chain()
        self.loss_fn = get_loss(loss)
        self._check_loss_fits_output()
        self.dtype = _as_dtype(dtype)
        for index, layer in enumerate(self.layers, start=1):
            layer.index = index
            layer.W.name, layer.b.name = f"W[{index}]", f"b[{index}]"
            layer.astype(self.dtype)
        if seed is not None:
            self.reset_parameters(seed)
        self._generation = 0  # counts forward passes, so a stale loss cannot backpropagate
        self.y_hat = None
        self.dy_hat = None  # dL/dŷ of the last backward (None where the fused rule skips it)
        self.sample_weight = None  # the weights of the last backward's loss (None: plain mean)

    # ---- structure ---------------------------------------------------------------

    @property
    def n_in(self) -> int:
        return self.layers[0].n_in

    @property
    def n_out(self) -> int:
        return self.layers[-1].n_out

    def parameters(self) -> list[Parameter]:
        """Every parameter, layer by layer: ``W[1], b[1], W[2], b[2], …``."""
        return [p for layer in self.layers for p in layer.parameters()]

    def reset_parameters(self, seed=None) -> None:
        """Re-initialise every layer from one generator seeded with ``seed``."""
        rng = make_rng(seed)
        for layer in self.layers:
            layer.reset_parameters(rng)
            layer.astype(self.dtype)

    def state_dict(self) -> dict[str, np.ndarray]:
        """Copies of all parameter values by name: ``{"W[1]": …, "b[1]": …, …}``."""
        return {p.name: p.value.copy() for p in self.parameters()}

    def load_state_dict(self, state: dict) -> None:
        """Set parameter values by name; every parameter must be present with its shape."""
        params = self.parameters()
        missing = [p.name for p in params if p.name not in state]
        extra = sorted(set(state) - {p.name for p in params})
        if missing or extra:
            raise ValueError(f"state_dict does not fit {self!r}: missing {missing}, "
                             f"unexpected {extra}")
        for p in params:
            p.value = state[p.name]

    def config(self) -> dict:
        """The architecture as plain data (layers, loss, dtype), for saving and export."""
        return {"layers": [layer.config() for layer in self.layers],
                "loss": self.loss_fn.name, "dtype": self.dtype.name}

    def __repr__(self) -> str:
        layers = ", ".join(repr(layer) for layer in self.layers)
        dtype = "" if self.dtype == np.float64 else f", dtype={self.dtype.name}"
        return f"Network({layers}; loss={self.loss_fn.name}{dtype})"

    # ---- the four steps ----------------------------------------------------------

    def forward(self, x) -> np.ndarray:
        """Step 1: ``ŷ`` for a batch ``x`` of shape ``(N, n_in)``; caches what backward needs."""
        return self._forward(self._checked_input(x))

    def _forward(self, a: np.ndarray) -> np.ndarray:
        """``forward`` of a checked input (``fit`` checks all its data once, not per batch)."""
        for layer in self.layers:
            a = layer._forward(a)  # the layers fit one another (checked when built)
        self._generation += 1
        self.y_hat = a
        return a

    __call__ = forward

    def loss(self, y_hat: np.ndarray, y, sample_weight=None) -> LossValue:
        """Step 2: the mean loss of ``y_hat`` (the last forward's output) against ``y``.

        ``sample_weight`` (N,), optional: the weighted mean ``Σ w_n l_n / Σw`` instead
        (:mod:`glassnet.losses`); ``backward`` then follows the weighted loss.
        """
        if y_hat is not self.y_hat:
            raise ValueError(
                "Network.loss expected the output of this network's last forward pass; "
                "call y_hat = net.forward(x) first (to score other predictions, use "
                "net.loss_fn(y_hat, y))"
            )
        y = self.loss_fn.prepare_targets(y, y_hat)
        w = (None if sample_weight is None else
             checks.sample_weight(sample_weight, len(y_hat), "Network.loss"))
        return self._loss(y, w)

    def _loss(self, y: np.ndarray, w: np.ndarray | None = None) -> LossValue:
        """``loss`` of the last forward's output, for targets (and weights) already checked."""
        z = self.layers[-1].z if self.fused else None  # the cross-entropies read l from z
        value = self.loss_fn.value(self.y_hat, y, z, sample_weight=w)
        return LossValue(value, self, y, self._generation, w)

    def _backward(self, y: np.ndarray, generation: int, sample_weight=None) -> None:
        """Step 3: set ``.grad`` of every trainable parameter, last layer to first."""
        if generation != self._generation:
            raise ValueError(
                "loss.backward() expected the loss of the network's last forward pass, but "
                "forward has run again since; compute the loss again and call backward on it"
            )
        last, loss_fn = self.layers[-1], self.loss_fn
        self.sample_weight = sample_weight
        if self.fused:  # δ = dL/dz directly: (ŷ − y) / M, finite when the output saturates
            self.dy_hat = None
            da = last.backward(dz=loss_fn.fused_gradient(self.y_hat, y, sample_weight))
        else:
            self.dy_hat = loss_fn.gradient(self.y_hat, y, sample_weight)
            da = last.backward(self.dy_hat)
        for index in range(len(self.layers) - 2, -1, -1):
            da = self.layers[index].backward(da, need_da_prev=index > 0)

    def zero_grad(self) -> None:
        """Forget every gradient (``backward`` sets gradients, so this is optional)."""
        for p in self.parameters():
            p.zero_grad()

    def gradient_vector(self) -> tuple[list[str], np.ndarray]:
        """The lecture's ∇θL: per layer the entries of W row by row, then b.

        For the 2-2-1 network the names are ``w11[1], w12[1], w21[1], w22[1], b1[1],
        b2[1], w11[2], w21[2], b1[2]``. Frozen parameters are left out.
        """
        names, values = [], []
        for layer in self.layers:
            weight_names, bias_names = notation.layer_names(layer.index, layer.n_in, layer.n_out)
            for p, p_names in ((layer.W, weight_names), (layer.b, bias_names)):
                if not p.trainable:
                    continue
                if p.grad is None:
                    raise ValueError(f"{p.name} has no gradient yet; call loss.backward() first")
                names += p_names
                values.append(p.grad.reshape(-1))
        return names, (np.concatenate(values) if values else np.zeros(0, self.dtype))

    # ---- beyond the four steps: handed to the layers above the engine ------------------
    # Users expect these as methods (Keras's habit). Each imports its module on first use,
    # the engine's only arrows upwards: at import time the engine needs nothing above it,
    # and ``import glassnet.network`` stays light.

    def fit(self, X, y, *, sample_weight=None, **options):
        """Repeat the four steps over shuffled mini-batches; returns a ``History``.

        ``options`` are the fields of :class:`glassnet.training.FitConfig`: ``epochs``
        (required), ``batch_size=32``, ``optimizer="adam"``, ``lr=None``, ``shuffle=True``,
        ``seed=None``, ``validation_data=None``, ``validation_split=0.0``, ``metrics=()``,
        ``early_stopping=None``, ``target_loss=None``, ``callbacks=()``, ``progress=True``,
        ``checkpoint=None``, ``resume=None``, ``penalty=None`` (``gn.L1(λ)`` or ``gn.L2(λ)``,
        :mod:`glassnet.regularization`); see :func:`glassnet.training.fit`.
        """
        from .training import fit

        return fit(self, X, y, sample_weight=sample_weight, **options)

    def predict(self, X) -> np.ndarray:
        """Labels for a classifier, ``ŷ`` for regression (:mod:`glassnet.evaluation`)."""
        from .evaluation import predict

        return predict(self, X)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities ``(N, K)`` of a classifier (:mod:`glassnet.evaluation`)."""
        from .evaluation import predict_proba

        return predict_proba(self, X)

    def evaluate(self, X, y, metrics=None, sample_weight=None) -> dict:
        """``{"loss": …, metric: …}`` on ``(X, y)`` (:func:`glassnet.evaluation.evaluate`)."""
        from .evaluation import evaluate

        return evaluate(self, X, y, metrics, sample_weight=sample_weight)

    def save(self, path) -> None:
        """Save architecture and weights to a safetensors file (:mod:`glassnet.persistence`)."""
        from .persistence import save

        save(self, path)

    def _repr_svg_(self) -> str:  # Jupyter's rich display, drawn by glassnet.explain
        from .explain.jupyter import network_svg

        return network_svg(self)

    def _repr_html_(self) -> str:
        from .explain.jupyter import network_html

        return network_html(self)

    def _repr_markdown_(self) -> str:
        from .explain.jupyter import network_markdown

        return network_markdown(self)

    # ---- checks ------------------------------------------------------------------

    @property
    def fused(self) -> bool:
        """Whether the output layer and the loss pair into the fused rule ``δ = (ŷ − y) / M``.

        True for a sigmoid output with ``binary_cross_entropy`` and a softmax output with
        ``cross_entropy`` (:mod:`glassnet.losses`): backward then starts from ``dL/dz`` and
        never forms ``dL/dŷ``, and the loss is read from the output's ``z``.
        """
        return self.loss_fn.output_activation == self.layers[-1].activation.name

    def _check_chain(self) -> None:
        for i in range(1, len(self.layers)):
            before, after = self.layers[i - 1], self.layers[i]
            if after.n_in != before.n_out:
                raise ValueError(
                    f"layer {i + 1} {after!r} expects {after.n_in} inputs, but layer {i} "
                    f"{before!r} gives {before.n_out} outputs"
                )

    def _check_loss_fits_output(self) -> None:
        need = self.loss_fn.output_activation
        last = self.layers[-1]
        if need and last.activation.name != need:
            raise ValueError(
                f"{self.loss_fn.name} expects a {need} output layer, but the last layer is "
                f"{last!r}; use activation='{need}' there or a squared loss"
            )
        if need == "sigmoid" or need is None:
            return
        if last.n_out < 2:
            raise ValueError(f"{self.loss_fn.name} expects at least 2 classes, got {last!r}")

    def _checked_input(self, x) -> np.ndarray:
        return checks.matrix(x, repr(self.layers[0]), "input", self.n_in, self.dtype)


def _as_dtype(dtype) -> np.dtype:
    try:
        name = dtype if isinstance(dtype, str) else np.dtype(dtype).name
    except TypeError:
        name = None
    if name not in _DTYPES:
        raise ValueError(f"Network dtype must be 'float64' or 'float32', got {dtype!r}")
    return np.dtype(_DTYPES[name])
