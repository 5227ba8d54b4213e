"""Export a network to ONNX, for onnxruntime and every other runtime that reads it.

Each ``Dense`` layer becomes one ``Gemm`` node, ``z = a_prev @ W + b`` (ONNX's
``Y = A·B + C`` with ``B = W`` of shape ``(n_in, n_out)``, no transpose), followed by its
activation node: ``Sigmoid``, ``Tanh``, ``Relu``, ``LeakyRelu(alpha = slope)`` or
``Softmax(axis = 1)``; ``identity`` adds no node. Tensors carry the lecture's names
(``x``, ``W[1]``, ``b[1]``, ``z[1]``, ``a[1]``, …, ``y_hat``) so the graph reads like the
network. The batch dimension is symbolic (``N``).

Opset 17 (ONNX 1.12, 2022): every op used here has had its current meaning since opset 13
or 14, and onnxruntime has run opset 17 since version 1.12.
Reference: the ONNX operator list, https://onnx.ai/onnx/operators/
"""

from __future__ import annotations

import json
import os

import numpy as np

from .._files import atomic_write
from ..network import Network

__all__ = ["to_onnx", "OPSET"]

OPSET = 17

_ACTIVATION_OPS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "Relu",
                   "leaky_relu": "LeakyRelu", "softmax": "Softmax"}


def to_onnx(net: Network, path: str | os.PathLike, dtype: str = "float32"):
    """Write ``net`` as an ONNX model to ``path`` (atomically) and return the ``ModelProto``.

    Parameters
    ----------
    net : Network
        The network to export; its loss is recorded in the model's metadata
        (``glassnet_loss``), its architecture in ``glassnet_config`` (JSON).
    path : str or PathLike
        Where to write; the file appears complete or not at all (temporary file + rename).
    dtype : "float32" or "float64"
        Element type of the input, weights and output. float32 is what deployment
        runtimes expect; float64 keeps glassnet's default precision.

    Shape:
        input ``x``: ``(N, net.n_in)`` → output ``y_hat``: ``(N, net.n_out)``.

    Examples
    --------
    >>> to_onnx(net, "model.onnx")                                  # doctest: +SKIP
    >>> session = onnxruntime.InferenceSession("model.onnx")        # doctest: +SKIP
    >>> session.run(None, {"x": X.astype("float32")})[0]            # doctest: +SKIP
    """
    if not isinstance(net, Network):
        raise TypeError(f"to_onnx expected a glassnet Network, got {type(net).__name__}")
    if dtype not in ("float32", "float64"):
        raise ValueError(f"to_onnx expected dtype 'float32' or 'float64', got {dtype!r}")
    onnx = _import_onnx()
    model = _build_model(net, np.dtype(dtype))
    onnx.checker.check_model(model, full_check=True)
    atomic_write(path, model.SerializeToString())  # refuses a missing folder in one sentence
    return model


def _build_model(net: Network, dtype: np.dtype):
    from onnx import TensorProto, helper, numpy_helper

    from .. import __version__

    elem_type = TensorProto.FLOAT if dtype == np.float32 else TensorProto.DOUBLE
    nodes, initializers = [], []
    a = "x"
    last = len(net.layers)
    for index, layer in enumerate(net.layers, start=1):
        W, b = f"W[{index}]", f"b[{index}]"
        initializers += [numpy_helper.from_array(layer.W.value.astype(dtype), name=W),
                         numpy_helper.from_array(layer.b.value.astype(dtype), name=b)]
        name = layer.activation.name
        z = "y_hat" if index == last and name == "identity" else f"z[{index}]"
        nodes.append(helper.make_node("Gemm", [a, W, b], [z], name=f"Dense{index}"))
        a = z
        if name != "identity":
            a = "y_hat" if index == last else f"a[{index}]"
            nodes.append(_activation_node(layer, index, z, a, helper))
    graph = helper.make_graph(
        nodes, "glassnet",
        inputs=[helper.make_tensor_value_info("x", elem_type, ["N", net.n_in])],
        outputs=[helper.make_tensor_value_info("y_hat", elem_type, ["N", net.n_out])],
        initializer=initializers,
    )
    opsets = [helper.make_opsetid("", OPSET)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="glassnet",
                              producer_version=__version__,
                              ir_version=helper.find_min_ir_version_for(opsets))
    model.doc_string = repr(net)
    helper.set_model_props(model, {"glassnet_loss": net.loss_fn.name,
                                   "glassnet_config": json.dumps(net.config())})
    return model


def _activation_node(layer, index: int, z: str, a: str, helper):
    name = layer.activation.name
    if name not in _ACTIVATION_OPS:
        raise ValueError(f"to_onnx cannot export the activation {name!r} of layer {index} "
                         f"{layer!r}; ONNX counterparts exist for identity, "
                         f"{', '.join(_ACTIVATION_OPS)}")
    options = {}
    if name == "leaky_relu":
        options["alpha"] = layer.activation.slope
    if name == "softmax":
        options["axis"] = 1
    return helper.make_node(_ACTIVATION_OPS[name], [z], [a], name=f"{name}{index}", **options)


def _import_onnx():
    try:
        import onnx
    except ImportError as error:  # pragma: no cover - onnx is an optional dependency
        raise ImportError("to_onnx needs the onnx package: pip install 'glassnet[interop]'") \
            from error
    return onnx
