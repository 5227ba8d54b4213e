"""glassnet.interop.to_onnx: the model passes onnx.checker and onnxruntime agrees with glassnet."""

import json

import numpy as np
import pytest

import glassnet as gn
from glassnet.interop import to_onnx

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", {"name": "leaky_relu", "slope": 0.2},
               "identity", "softmax"]


def run(path, X, dtype):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": X.astype(dtype)})[0]


@pytest.mark.parametrize("activation", ACTIVATIONS, ids=str)
@pytest.mark.parametrize("out_act, loss", [("identity", "squared_error"),
                                           ("sigmoid", "binary_cross_entropy"),
                                           ("softmax", "cross_entropy")])
def test_onnxruntime_matches_glassnet_in_float32(tmp_path, activation, out_act, loss):
    net = gn.Network([gn.Dense(4, 6, activation), gn.Dense(6, 5, activation),
                      gn.Dense(5, 3, out_act)], loss=loss, seed=7)
    X = np.random.default_rng(1).normal(size=(11, 4))
    path = tmp_path / "net.onnx"
    to_onnx(net, path)
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)
    out = run(path, X, "float32")
    assert out.dtype == np.float32 and out.shape == (11, 3)
    np.testing.assert_allclose(out, net.forward(X), rtol=0, atol=1e-6)


def test_float64_export_keeps_double_precision(tmp_path):
    net = gn.Network([gn.Dense(3, 8, "tanh"), gn.Dense(8, 2, "sigmoid")], seed=1)
    X = np.random.default_rng(2).normal(size=(5, 3))
    to_onnx(net, tmp_path / "net.onnx", dtype="float64")
    out = run(tmp_path / "net.onnx", X, "float64")
    assert out.dtype == np.float64
    # onnxruntime's own tanh/sigmoid kernels differ from numpy's by ~1e-11, far below float32's 1e-7
    np.testing.assert_allclose(out, net.forward(X), rtol=0, atol=1e-9)


def test_the_graph_reads_like_the_network(tmp_path):
    net = gn.Network([gn.Dense(2, 2, "sigmoid"), gn.Dense(2, 1, "identity")], loss="mse", seed=0)
    model = to_onnx(net, tmp_path / "net.onnx")
    assert [n.op_type for n in model.graph.node] == ["Gemm", "Sigmoid", "Gemm"]
    assert [n.output[0] for n in model.graph.node] == ["z[1]", "a[1]", "y_hat"]
    assert sorted(t.name for t in model.graph.initializer) == ["W[1]", "W[2]", "b[1]", "b[2]"]
    props = {p.key: p.value for p in model.metadata_props}
    assert props["glassnet_loss"] == "mse"
    assert json.loads(props["glassnet_config"]) == net.config()
    # batch dimension is symbolic: any N runs
    assert run(tmp_path / "net.onnx", np.zeros((1, 2)), "float32").shape == (1, 1)
    assert run(tmp_path / "net.onnx", np.zeros((300, 2)), "float32").shape == (300, 1)


def test_writing_replaces_the_file_whole_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "net.onnx"
    path.write_bytes(b"an older file")
    to_onnx(gn.Network([gn.Dense(2, 1)], seed=0), path)
    assert onnx.load(str(path)).graph.name == "glassnet"
    assert [p.name for p in tmp_path.iterdir()] == ["net.onnx"]


def test_to_onnx_names_a_bad_dtype_a_missing_folder_and_a_non_network(tmp_path):
    net = gn.Network([gn.Dense(2, 1)], seed=0)
    with pytest.raises(ValueError, match="expected dtype 'float32' or 'float64', got 'float16'"):
        to_onnx(net, tmp_path / "a.onnx", dtype="float16")
    with pytest.raises(ValueError, match="does not exist"):
        to_onnx(net, tmp_path / "missing" / "a.onnx")
    with pytest.raises(TypeError, match="expected a glassnet Network"):
        to_onnx("net", tmp_path / "a.onnx")
