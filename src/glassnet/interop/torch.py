"""Hand a network to PyTorch, and take a PyTorch ``Sequential`` back.

``to_torch(net)`` builds the same function in ``torch.nn``: each ``Dense`` layer becomes an
``nn.Linear`` followed by its activation module (none for ``identity``). ``nn.Linear`` stores
its weight as ``(n_out, n_in)`` and computes ``x @ weightᵀ + bias``, so its ``weight`` is our
``Wᵀ``; the function is the same ``z = a_prev @ W + b``.

The returned ``Sequential`` carries the network's loss as ``model.loss_fn(y_hat, y)``, a plain
function (not a module, so ``Sequential`` does not call it in ``forward``) that gives the value
glassnet gives, on the ``Sequential``'s own output:

=========================  ====================================================================
glassnet loss              ``model.loss_fn``, in PyTorch terms
=========================  ====================================================================
``squared_error``          ``½ Σ_k (y − ŷ)²`` averaged over the batch = ``MSELoss()`` · K / 2
``mse``                    ``F.mse_loss`` (``MSELoss``)
``binary_cross_entropy``   ``F.binary_cross_entropy`` (``BCELoss``, mean over all N·K)
``cross_entropy``          ``F.nll_loss(log ŷ)`` on the softmax output; labels or one-hot rows
=========================  ====================================================================

To *train* a classifier in PyTorch, drop the last activation and use the logit losses, which
are exact for any ``z`` (glassnet computes its cross-entropies from ``z`` for the same reason)::

    logits = model[:-1]                        # shares the parameters of model
    nn.CrossEntropyLoss()(logits(x), labels)   # = model.loss_fn(model(x), labels)
    nn.BCEWithLogitsLoss()(logits(x), y)       # for a sigmoid output

Importing this module does not import torch; each function imports it when called.
Reference: PyTorch ``nn.Linear``, https://pytorch.org/docs/stable/generated/torch.nn.Linear.html
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..activations import Activation, get_activation
from ..layers import Dense
from ..losses import LOSSES, Loss, get_loss
from ..network import Network

if TYPE_CHECKING:  # for the annotations only: importing this module never imports torch
    import torch

__all__ = ["to_torch", "from_torch", "LOSS_FUNCTIONS"]

_SUPPORTED = "Linear, Sigmoid, Tanh, ReLU, LeakyReLU, Identity and Softmax(dim=1)"


def to_torch(net: Network) -> torch.nn.Sequential:
    """Return a ``torch.nn.Sequential`` computing ``net``, with ``model.loss_fn`` attached.

    Parameters
    ----------
    net : Network
        Any glassnet network; the torch dtype follows ``net.dtype`` (float64 or float32).
        Frozen parameters (``trainable = False``) get ``requires_grad = False``.

    Returns
    -------
    torch.nn.Sequential
        ``Linear(n_in, n_out)`` per layer, each followed by its activation module.
        ``model.loss_fn(y_hat, y)`` is the network's loss (see the module docstring) and
        ``model.glassnet_loss`` its glassnet name, which :func:`from_torch` reads back.

    Shape:
        input ``(N, net.n_in)`` → output ``(N, net.n_out)``.

    Examples
    --------
    >>> model = to_torch(net)                              # doctest: +SKIP
    >>> loss = model.loss_fn(model(torch.from_numpy(X)), torch.from_numpy(y))  # doctest: +SKIP
    >>> loss.backward()                                    # doctest: +SKIP
    """
    if not isinstance(net, Network):
        raise TypeError(f"to_torch expected a glassnet Network, got {type(net).__name__}")
    torch = _import_torch()  # noqa: F811 - the real module, imported on call
    nn = torch.nn
    dtype = torch.float64 if net.dtype == np.float64 else torch.float32
    modules = []
    for layer in net.layers:
        # skip_init: no draw from torch's global generator, the values are ours anyway
        linear = nn.utils.skip_init(nn.Linear, layer.n_in, layer.n_out, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer.W.value.T.copy()))  # (n_out, n_in)
            linear.bias.copy_(torch.from_numpy(layer.b.value.copy()))      # (n_out,)
        linear.weight.requires_grad_(layer.W.trainable)
        linear.bias.requires_grad_(layer.b.trainable)
        modules.append(linear)
        activation = _torch_activation(layer, nn)
        if activation is not None:
            modules.append(activation)
    model = nn.Sequential(*modules)
    name = net.loss_fn.name
    if name not in LOSS_FUNCTIONS:
        raise ValueError(f"to_torch cannot export the loss {name!r}; expected one of "
                         f"{', '.join(LOSS_FUNCTIONS)}")
    model.loss_fn = LOSS_FUNCTIONS[name]
    model.glassnet_loss = name
    return model


def from_torch(module: torch.nn.Sequential, loss: str | Loss | None = None) -> Network:
    """Return the glassnet ``Network`` computing a ``Sequential`` of ``Linear`` and activations.

    Parameters
    ----------
    module : torch.nn.Sequential
        ``Linear`` layers, each followed by at most one of Sigmoid, Tanh, ReLU, LeakyReLU,
        Softmax(dim=1); ``nn.Identity`` and nested ``Sequential`` s are allowed. A ``Linear``
        with ``bias=False`` becomes a ``Dense`` whose bias is zero and frozen.
    loss : str or Loss, optional
        The network's loss. Default: ``module.glassnet_loss`` when the module came from
        :func:`to_torch`, else ``squared_error``.

    Returns
    -------
    Network
        float64 or float32 as the module's parameters; the values are copied.
    """
    torch = _import_torch()  # noqa: F811
    nn = torch.nn
    if not isinstance(module, nn.Sequential):
        raise TypeError(f"from_torch expected a torch.nn.Sequential, got {type(module).__name__}")
    dtype = _common_dtype(module, torch)
    layers: list[Dense] = []
    linear = None  # the Linear still waiting for its activation
    for name, child in _leaves(module, nn):
        if isinstance(child, nn.Linear):
            if linear is not None:
                layers.append(_dense(linear, "identity", dtype))
            linear = child
            continue
        if isinstance(child, nn.Identity):
            continue
        activation = _glassnet_activation(name, child, nn)
        if linear is None:
            raise ValueError(
                f"from_torch cannot convert layer {name} ({child!r}): glassnet applies an "
                f"activation only right after a Linear layer"
            )
        layers.append(_dense(linear, activation, dtype))
        linear = None
    if linear is not None:
        layers.append(_dense(linear, "identity", dtype))
    if not layers:
        raise ValueError("from_torch expected at least one Linear layer, got none")
    if loss is None:
        loss = getattr(module, "glassnet_loss", "squared_error")
    return Network(layers, loss=get_loss(loss), dtype=dtype)


# ---- losses on the Sequential's output ---------------------------------------------------


def squared_error(y_hat, y):
    """The lecture's loss: ``L = (1/N) Σ_n ½ Σ_k (y − ŷ)²`` = ``MSELoss()(ŷ, y) · K / 2``."""
    y = _float_targets(y_hat, y)
    return 0.5 * ((y_hat - y) ** 2).sum() / y_hat.shape[0]


def mse(y_hat, y):
    """``L = mean over all N·K elements of (y − ŷ)²``, PyTorch's ``MSELoss``."""
    import torch.nn.functional as F

    return F.mse_loss(y_hat, _float_targets(y_hat, y))


def binary_cross_entropy(y_hat, y):
    """``L = −mean[y log ŷ + (1 − y) log(1 − ŷ)]`` over all N·K elements (``BCELoss``)."""
    import torch.nn.functional as F

    return F.binary_cross_entropy(y_hat, _float_targets(y_hat, y))


def cross_entropy(y_hat, y):
    """``L = −(1/N) Σ_n Σ_k y_nk log ŷ_nk`` on softmax probabilities ``ŷ`` of shape (N, C).

    ``y``: integer labels (N,) or one-hot / probability rows (N, C). ``log ŷ`` is clamped at
    −100 as in glassnet and ``BCELoss``, so a probability that rounded to 0 gives a finite loss.
    """
    import torch
    import torch.nn.functional as F

    log_p = torch.log(y_hat).clamp(min=-100.0)   # (N, C)
    y = torch.as_tensor(y, device=y_hat.device)
    if y.dtype in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8):
        return F.nll_loss(log_p, y.reshape(-1).long())
    return -(y.to(y_hat.dtype) * log_p).sum() / y_hat.shape[0]


LOSS_FUNCTIONS = {
    "squared_error": squared_error,
    "mse": mse,
    "binary_cross_entropy": binary_cross_entropy,
    "cross_entropy": cross_entropy,
}
assert set(LOSS_FUNCTIONS) == set(LOSSES), "every glassnet loss needs its torch counterpart"


# ---- helpers -----------------------------------------------------------------------------


def _import_torch():
    try:
        import torch
    except ImportError as error:  # pragma: no cover - torch is an optional dependency
        raise ImportError("glassnet.interop needs PyTorch: pip install torch") from error
    return torch


def _float_targets(y_hat, y):
    """``y`` as a tensor of ``y_hat``'s dtype; (N,) becomes (N, 1) for a one-output net."""
    import torch

    y = torch.as_tensor(y, dtype=y_hat.dtype, device=y_hat.device)
    if y.ndim == 1 and y_hat.ndim == 2 and y_hat.shape[1] == 1:
        y = y.reshape(-1, 1)
    return y


def _torch_activation(layer: Dense, nn):
    name = layer.activation.name
    if name == "identity":
        return None
    if name == "leaky_relu":
        return nn.LeakyReLU(negative_slope=layer.activation.slope)
    simple = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}
    if name in simple:
        return simple[name]()
    if name == "softmax":
        return nn.Softmax(dim=1)
    raise ValueError(f"to_torch cannot export the activation {name!r} of layer {layer.index} "
                     f"{layer!r}; PyTorch counterparts exist for sigmoid, tanh, relu, "
                     f"leaky_relu, identity and softmax")


def _glassnet_activation(name: str, child, nn) -> Activation:
    if isinstance(child, nn.LeakyReLU):
        return get_activation({"name": "leaky_relu", "slope": float(child.negative_slope)})
    simple = {nn.Sigmoid: "sigmoid", nn.Tanh: "tanh", nn.ReLU: "relu"}
    if type(child) in simple:
        return get_activation(simple[type(child)])
    if isinstance(child, nn.Softmax):
        if child.dim not in (1, -1):
            raise ValueError(f"from_torch cannot convert layer {name} ({child!r}): glassnet's "
                             f"softmax runs over the features, expected dim=1 or dim=-1")
        return get_activation("softmax")
    raise ValueError(f"from_torch cannot convert layer {name} ({child!r}): glassnet has no "
                     f"such layer; supported are {_SUPPORTED}")


def _leaves(module, nn, prefix: str = ""):
    """(dotted name, module) of every non-Sequential module, nested Sequentials flattened."""
    for name, child in module.named_children():
        path = f"{prefix}{name}"
        if isinstance(child, nn.Sequential):
            yield from _leaves(child, nn, prefix=f"{path}.")
        else:
            yield path, child


def _common_dtype(module, torch) -> str:
    dtypes = {p.dtype for p in module.parameters()}
    names = {torch.float64: "float64", torch.float32: "float32"}
    if len(dtypes) > 1 or not dtypes <= set(names):
        found = ", ".join(sorted(str(d) for d in dtypes))
        raise ValueError(f"from_torch expected all parameters in float32 or all in float64, "
                         f"got {found}")
    return names[dtypes.pop()] if dtypes else "float64"


def _dense(linear, activation, dtype: str) -> Dense:
    W = linear.weight.detach().cpu().numpy().T            # (n_in, n_out)
    has_bias = linear.bias is not None
    b = linear.bias.detach().cpu().numpy() if has_bias else np.zeros(linear.out_features)
    layer = Dense(linear.in_features, linear.out_features, activation=activation,
                  init={"W": W, "b": b}, dtype=dtype)
    layer.W.trainable = linear.weight.requires_grad
    layer.b.trainable = has_bias and linear.bias.requires_grad
    return layer
