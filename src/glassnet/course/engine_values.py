"""Every number of one training step, read off the engine and named as the lecture names it.

``engine_values(shape, given)`` builds the sigmoid network of ``shape`` from the numbers in
``given`` (``x1``, ``w11[1]``, ``b1[1]``, ``y``, ``alpha``, …), runs ``forward``,
``loss.backward()`` and ``SGD.step()``, and returns every quantity of the chain of
:mod:`glassnet.course.steps` by name. The answer keys, the errata and the worked example all
read their numbers here, so none of them computes the maths a second way.
"""

from __future__ import annotations

import numpy as np

from .. import notation
from ..layers import Dense
from ..network import Network
from ..optim import SGD
from .steps import weight_name

__all__ = ["engine_values"]


def engine_values(shape, given: dict[str, float]) -> dict[str, float]:
    """Run one training step of the engine and read every quantity of the chain off it.

    Values come from the engine's caches: ``layer.z``, ``layer.a``, ``net.dy_hat``,
    ``layer.dz`` (δ), ``layer.da`` (∂L/∂a of a hidden layer), ``p.grad``, and the parameters
    after ``SGD.step``; ``∂a/∂z`` is the activation's own ``derivative(z, a)``.
    """
    net = _network(shape, given)
    x = np.array([[given[f"x{j}"] for j in range(1, shape[0] + 1)]])
    out = dict(given)
    y_hat = net.forward(x)
    single = shape[-1] == 1
    if "y" in given or "y1" in given:
        y = np.array([[given["y" if single else f"y{k}"] for k in range(1, shape[-1] + 1)]])
        loss = net.loss(y_hat, y)
        out["L"] = float(loss)
        loss.backward()
    for l, layer in enumerate(net.layers, start=1):
        out.update(_neuron_values(net, l, layer, single))
    if "alpha" not in given or net.layers[-1].dz is None:
        return out
    out.update({f"d{name}": value for name, value in _parameter_values(net, shape, "grad")})
    SGD(net.parameters(), lr=given["alpha"]).step()
    out.update({f"{name}_new": value for name, value in _parameter_values(net, shape, "value")})
    return out


def _network(shape, given: dict[str, float]) -> Network:
    layers = []
    for l in range(1, len(shape)):
        W = [[given[weight_name(j, i, l, shape)] for i in range(1, shape[l] + 1)]
             for j in range(1, shape[l - 1] + 1)]
        b = [given[notation.bias(l, i)] for i in range(1, shape[l] + 1)]
        layers.append(Dense(shape[l - 1], shape[l], "sigmoid", init={"W": W, "b": b}))
    return Network(layers, loss="squared_error")


def _neuron_values(net: Network, l: int, layer, single: bool) -> dict[str, float]:
    """z and a of every neuron of layer ``l``; after a backward pass also ∂a/∂z, δ, ∂L/∂a."""
    out = {}
    dadz = None if layer.dz is None else layer.activation.derivative(layer.z, layer.a)
    for i in range(1, layer.n_out + 1):
        out[notation.neuron("z", l, i)] = layer.z[0, i - 1]
        out[notation.neuron("a", l, i)] = layer.a[0, i - 1]
        if dadz is None:
            continue
        out[notation.neuron("dsig", l, i)] = dadz[0, i - 1]
        out[notation.neuron("delta", l, i)] = layer.dz[0, i - 1]
        if l < len(net.layers):
            out[notation.neuron("da", l, i)] = layer.da[0, i - 1]
        else:
            out["dy_hat" if single else f"dy_hat{i}"] = net.dy_hat[0, i - 1]
    return out


def _parameter_values(net: Network, shape, field: str):
    """``(name, value)`` of every entry of every W and b: its ``grad`` or its ``value``."""
    for layer in net.layers:
        weights, biases = notation.layer_names(layer.index, shape[layer.index - 1],
                                               shape[layer.index])
        for p, names in ((layer.W, weights), (layer.b, biases)):
            yield from zip(names, getattr(p, field).ravel())
