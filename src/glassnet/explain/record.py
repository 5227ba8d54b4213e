"""Recording one training step: run it on the engine and copy every number it cached.

:func:`record` runs ``forward → loss → backward → optimizer.step()`` exactly as a training
loop does, and between the calls copies what the engine cached: ``layer.a_prev``,
``layer.z``, ``layer.a``, ``layer.da`` (∂L/∂a), ``layer.dz`` (δ = ∂L/∂z), ``net.dy_hat``,
every ``p.grad`` and every parameter value before and after the update. The engine's own
``activation.derivative`` supplies ∂a/∂z; nothing here re-derives the maths. What it returns
are the fields of :class:`~glassnet.explain.trace.Trace`, which :func:`glassnet.explain.step`
puts together.
"""

from __future__ import annotations

import numpy as np

from ..network import Network
from ..optim import SGD, Optimizer

__all__ = ["record"]


def record(net: Network, x, y, lr: float | None = None,
           optimizer: Optimizer | None = None) -> dict:
    """Run one training step of ``net`` on ``(x, y)``; return what a ``Trace`` holds, by field.

    ``layers`` is a list of dicts, one per layer, with ``W`` and ``b`` as dicts of a
    ``ParamTrace``'s fields. Arguments as :func:`glassnet.explain.step`.
    """
    if not isinstance(net, Network):
        raise TypeError(f"explain.step expected a glassnet Network, got {type(net).__name__}")
    optimizer = _checked_optimizer(net, lr, optimizer)
    x, y = _as_batch(net, x, y)
    y_hat = net.forward(x)
    loss = net.loss(y_hat, y)
    loss.backward()
    n = y_hat.shape[0]
    # a frozen parameter may still hold a gradient from before it was frozen: not this step's
    old = [(p.value.copy(), p.grad.copy() if p.trainable and p.grad is not None else None)
           for p in net.parameters()]
    recorded = [_forward_and_backward(layer, n) for layer in net.layers]
    optimizer.step()
    params = iter(old)
    layers = [_layer_fields(layer, rec, next(params), next(params))
              for layer, rec in zip(net.layers, recorded)]
    return dict(
        network=repr(net), config=net.config(), loss_name=net.loss_fn.name,
        fused=net.fused, x=net.layers[0].a_prev.copy(), y=np.array(loss.y),
        y_hat=y_hat.copy(), loss=float(loss), losses=_per_sample_losses(net, loss.y),
        dy_hat=None if net.dy_hat is None else net.dy_hat * n,
        layers=layers, optimizer=type(optimizer).__name__,
        hyperparameters=optimizer.hyperparameters(),
    )


def _checked_optimizer(net: Network, lr, optimizer) -> Optimizer:
    if (lr is None) == (optimizer is None):
        raise ValueError("explain.step expected exactly one of lr=... or optimizer=..., got "
                         + ("both" if lr is not None else "neither"))
    if optimizer is None:
        return SGD(net.parameters(), lr=lr)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"explain.step expected a glassnet Optimizer, got {type(optimizer).__name__}")
    mine = {id(p) for p in optimizer.params}
    missing = [p.name for p in net.parameters() if p.trainable and id(p) not in mine]
    if missing:
        raise ValueError(f"explain.step expected an optimizer over net.parameters(); it does not "
                         f"hold {', '.join(missing)}")
    return optimizer


def _as_batch(net: Network, x, y) -> tuple[np.ndarray, np.ndarray]:
    """A 1-D ``x`` is one sample: make it a batch of one, and its targets one row."""
    x = np.asarray(x)
    if x.ndim != 1:
        return x, y
    y = np.asarray(y)
    if y.ndim == 0:
        y = y.reshape(1) if net.loss_fn.name == "cross_entropy" else y.reshape(1, 1)
    elif y.ndim == 1:
        y = y.reshape(1, -1)
    return x.reshape(1, -1), y


def _forward_and_backward(layer, n: int) -> dict:
    """Copies of the layer's caches; backward ones scaled by N to per-sample values."""
    dadz = None
    if layer.da is not None and layer.activation.elementwise:
        dadz = layer.activation.derivative(layer.z, layer.a)  # the engine's own ∂a/∂z
    return {"a_prev": layer.a_prev.copy(), "z": layer.z.copy(), "a": layer.a.copy(),
            "da": None if layer.da is None else layer.da * n,
            "dadz": None if dadz is None else np.array(dadz),
            "delta": layer.dz * n}


def _param_fields(p, old: np.ndarray, grad: np.ndarray | None) -> dict:
    return {"name": p.name, "old": old, "grad": grad, "new": p.value.copy(),
            "trainable": p.trainable}


def _layer_fields(layer, rec: dict, w_old, b_old) -> dict:
    act = layer.activation
    return dict(index=layer.index, n_in=layer.n_in, n_out=layer.n_out,
                activation=act.name, activation_label=repr(act),
                slope=getattr(act, "slope", None), W=_param_fields(layer.W, *w_old),
                b=_param_fields(layer.b, *b_old), **rec)


def _per_sample_losses(net: Network, y: np.ndarray) -> np.ndarray:
    """ℓ_n from the engine's loss on each row (teaching batches are small; not a training path)."""
    last = net.layers[-1]
    z = last.z if net.fused else None
    return np.array([
        net.loss_fn.value(net.y_hat[n:n + 1], y[n:n + 1], None if z is None else z[n:n + 1])
        for n in range(net.y_hat.shape[0])
    ])
