"""One recorded training step: every number of the lecture's four steps, read from the engine.

:func:`step` runs ``forward → loss → backward → optimizer.step()`` exactly as a training loop
does, and between the calls copies what the engine cached: ``layer.a_prev``, ``layer.z``,
``layer.a``, ``layer.da`` (∂L/∂a), ``layer.dz`` (δ = ∂L/∂z), ``net.dy_hat``, every ``p.grad``
and every parameter value before and after the update (the copying is in ``record.py``; this
file holds what is recorded). Nothing re-derives the maths; the engine's own
``activation.derivative`` supplies ∂a/∂z. Without a call to :func:`step` nothing is
recorded, so plain training pays nothing for this module.

Per sample and batch mean. Every loss is a mean over the N samples of the batch,
``L = (1/N) Σ_n ℓ_n``, so the cached ``dz`` of a batch is ``(1/N) ∂ℓ_n/∂z``. The trace
reports per-sample quantities ``∂ℓ_n/∂·`` (the cached value times N) and, separately, the
gradient the optimizer actually applied (``p.grad``, the mean of the per-sample gradients).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..network import Network
from ..optim import Optimizer
from .record import record

__all__ = ["step", "Trace", "LayerTrace", "ParamTrace"]


@dataclass(frozen=True, eq=False)
class ParamTrace:
    """A parameter θ through step 4: ``old``, the applied gradient ``grad``, ``new``.

    ``grad`` is ∂L/∂θ as the engine set it (the batch mean); ``None`` if frozen.
    """

    name: str            # the engine's name: "W[1]", "b[2]", ...
    old: np.ndarray      # θ before the update
    grad: np.ndarray | None
    new: np.ndarray      # θ after the update
    trainable: bool

    @property
    def step(self) -> np.ndarray:
        """The change actually applied, ``new − old`` (``−α ∂L/∂θ`` for plain SGD)."""
        return self.new - self.old


@dataclass(frozen=True, eq=False)
class LayerTrace:
    """Layer ``index`` (from 1) in one step, per sample n (rows) and neuron i (columns).

    Shapes: ``a_prev`` ``(N, n_in)``; ``z``, ``a``, ``da``, ``dadz``, ``delta`` ``(N, n_out)``.
    ``da`` is ∂ℓ_n/∂a (``None`` where the fused output rule skips it), ``dadz`` is ∂a/∂z
    (``None`` for softmax, whose Jacobian is not elementwise, and for a fused output),
    ``delta`` is δ = ∂ℓ_n/∂z.
    """

    index: int
    n_in: int
    n_out: int
    activation: str       # the activation's name, "sigmoid", "leaky_relu", ...
    activation_label: str  # its repr, e.g. "leaky_relu(0.2)"
    slope: float | None   # leaky_relu's slope, else None
    a_prev: np.ndarray
    z: np.ndarray
    a: np.ndarray
    da: np.ndarray | None
    dadz: np.ndarray | None
    delta: np.ndarray
    W: ParamTrace
    b: ParamTrace

    def dW_per_sample(self) -> np.ndarray:
        """∂ℓ_n/∂w_{ji} = a_prev[n, j] · δ[n, i], shape ``(N, n_in, n_out)``; its mean is ``W.grad``."""
        return self.a_prev[:, :, None] * self.delta[:, None, :]

    def db_per_sample(self) -> np.ndarray:
        """∂ℓ_n/∂b_i = δ[n, i], shape ``(N, n_out)``; its mean is ``b.grad``."""
        return self.delta


@dataclass(frozen=True, eq=False)
class Trace:
    """Everything one training step computed, in the lecture's notation.

    Build one with :func:`step`; render it with ``to_text``, ``to_markdown``, ``to_latex``,
    ``to_svg`` and ``to_json``. Shapes: ``x`` ``(N, n_in)``; ``y_hat`` ``(N, K)``; ``y`` as
    the loss prepared it (``(N, K)``, or ``(N,)`` integer labels for cross-entropy);
    ``losses`` ``(N,)`` with mean ``loss``; ``dy_hat`` ``(N, K)`` per sample or ``None``.
    """

    network: str          # repr of the network
    config: dict          # net.config()
    loss_name: str
    fused: bool           # True when ∂L/∂z = ŷ − y was applied directly (sigmoid+BCE, softmax+CE)
    x: np.ndarray
    y: np.ndarray
    y_hat: np.ndarray
    loss: float
    losses: np.ndarray
    dy_hat: np.ndarray | None
    layers: tuple[LayerTrace, ...]
    optimizer: str        # e.g. "SGD"
    hyperparameters: dict = field(default_factory=dict)

    @property
    def n_samples(self) -> int:
        return self.x.shape[0]

    @property
    def lr(self) -> float:
        return float(self.hyperparameters.get("lr", float("nan")))

    @property
    def plain_sgd(self) -> bool:
        """True when the update is exactly θ ← θ − α ∂L/∂θ (the lecture's rule)."""
        h = self.hyperparameters
        return self.optimizer == "SGD" and not (h.get("momentum") or h.get("weight_decay"))

    @property
    def optimizer_label(self) -> str:
        """E.g. ``SGD(lr=0.5)``, ``SGD(lr=0.1, momentum=0.9)``: the settings in use."""
        shown = [f"{k}={v}" if isinstance(v, bool) else f"{k}={v:g}"
                 for k, v in self.hyperparameters.items() if k == "lr" or v]
        return f"{self.optimizer}({', '.join(shown)})"

    def parameters(self) -> list[ParamTrace]:
        return [p for layer in self.layers for p in (layer.W, layer.b)]

    def targets_one_hot(self) -> np.ndarray:
        """``y`` as an ``(N, K)`` array (integer class labels become one-hot rows)."""
        if self.y.ndim == 2:
            return self.y
        one_hot = np.zeros_like(self.y_hat)
        one_hot[np.arange(self.y.shape[0]), self.y] = 1
        return one_hot

    # ---- renderers (each lives in its own module) ----------------------------------

    def to_text(self, digits: int = 5, width: int = 100) -> str:
        """Plain-text tables of each step, at most ``width`` columns."""
        from .text import render_text

        return render_text(self, digits=digits, width=width)

    def to_markdown(self, digits: int = 5, sample: int = 0) -> str:
        """The derivation in Markdown with LaTeX maths: formula, numbers plugged in, result."""
        from .markdown import render_markdown

        return render_markdown(self, digits=digits, sample=sample)

    def to_latex(self, digits: int = 5, sample: int = 0, standalone: bool = True) -> str:
        """The derivation as LaTeX; ``standalone=True`` gives a document that compiles."""
        from .latex import render_latex

        return render_latex(self, digits=digits, sample=sample, standalone=standalone)

    def to_svg(self, view: str = "forward", digits: int = 3, sample: int = 0) -> str:
        """A diagram of the network: ``view`` is "forward", "backward" or "update"."""
        from .svg import trace_svg

        return trace_svg(self, view=view, digits=digits, sample=sample)

    def to_json(self, indent: int | None = None, digits: int = 5,
                per_sample: bool | None = None) -> str:
        """The whole trace as JSON, schema ``glassnet.trace/1`` (docs/trace-schema.md).

        ``per_sample`` forces per-sample gradients in (True) or out (False); by default
        they are written where they hold at most 100 000 numbers.
        """
        from .json import trace_json

        return trace_json(self, indent=indent, digits=digits, per_sample=per_sample)

    def to_dict(self, digits: int = 5, per_sample: bool | None = None) -> dict:
        """The JSON document as Python data."""
        from .json import trace_dict

        return trace_dict(self, digits=digits, per_sample=per_sample)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def _repr_svg_(self) -> str:
        return self.to_svg("forward")

    def _repr_html_(self) -> str:
        from .jupyter import trace_html

        return trace_html(self)

    def __repr__(self) -> str:
        return (f"Trace({self.network}, N={self.n_samples}, loss={self.loss:.6g}, "
                f"optimizer={self.optimizer_label})")


def step(net: Network, x, y, lr: float | None = None, optimizer: Optimizer | None = None) -> Trace:
    """Run one training step of ``net`` on ``(x, y)`` and return its :class:`Trace`.

    The step is real: the network's parameters are updated, exactly as by ``forward``,
    ``loss.backward()`` and ``optimizer.step()``.

    Parameters
    ----------
    net : Network
    x : array_like, shape (N, n_in), or (n_in,) for one sample
    y : array_like
        Targets as the network's loss accepts them; for a 1-D ``x``, one sample's targets.
    lr : float, optional
        Learning rate α of plain gradient descent ``θ ← θ − α ∇θL`` (the lecture's rule).
    optimizer : Optimizer, optional
        Instead of ``lr``: an optimizer built on ``net.parameters()`` (SGD, Adam, ...).

    Examples
    --------
    >>> trace = step(net, [0.05, 0.10], [0.01], lr=0.5)   # doctest: +SKIP
    >>> print(trace.to_text())                            # doctest: +SKIP
    """
    fields = record(net, x, y, lr=lr, optimizer=optimizer)
    layers = tuple(_layer_trace(layer) for layer in fields.pop("layers"))
    return Trace(layers=layers, **fields)


def _layer_trace(fields: dict) -> LayerTrace:
    return LayerTrace(**{**fields, "W": ParamTrace(**fields["W"]), "b": ParamTrace(**fields["b"])})
