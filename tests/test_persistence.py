"""Save and load: exact round trips, and every damaged file raises ModelFileError, nothing else."""

import json
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import glassnet as gn
from glassnet import persistence
from glassnet.persistence import ModelFileError

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
# one tmp_path serves all examples of a test: each example overwrites its own file
FIXTURES_OK = [HealthCheck.function_scoped_fixture]


@st.composite
def networks(draw):
    """Any network: 1-3 layers of 1-6 units, any activations, a fitting loss, either dtype."""
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=4))
    loss = draw(st.sampled_from(["squared_error", "mse", "binary_cross_entropy",
                                 "cross_entropy"]))
    if loss == "cross_entropy":
        sizes[-1] = max(sizes[-1], 2)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
        last = i == len(sizes) - 2
        if last and loss in ("binary_cross_entropy", "cross_entropy"):
            activation = "sigmoid" if loss == "binary_cross_entropy" else "softmax"
        else:
            activation = draw(st.sampled_from(ACTIVATIONS))
            if activation == "leaky_relu":
                activation = {"name": "leaky_relu",
                              "slope": draw(st.floats(0.001, 0.5, allow_nan=False))}
        layers.append(gn.Dense(n_in, n_out, activation))
    net = gn.Network(layers, loss=loss, dtype=draw(st.sampled_from(["float64", "float32"])),
                     seed=draw(st.integers(0, 2**32 - 1)))
    if draw(st.booleans()):
        net.parameters()[0].trainable = False
    return net


def assert_same_network(a, b):
    assert repr(a) == repr(b) and a.config() == b.config()
    for p, q in zip(a.parameters(), b.parameters()):
        assert (p.name, p.dtype, p.trainable) == (q.name, q.dtype, q.trainable)
        assert p.value.tobytes() == q.value.tobytes()  # bit for bit


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURES_OK)
@given(net=networks())
def test_save_then_load_gives_the_same_network_bit_for_bit(tmp_path, net):
    path = tmp_path / "model.safetensors"
    net.save(path)
    assert_same_network(net, gn.load(path))


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    net = gn.Network([gn.Dense(3, 4, "relu"), gn.Dense(4, 2, "softmax")],
                     loss="cross_entropy", seed=0)
    path = tmp_path_factory.mktemp("model") / "model.safetensors"
    net.save(path)
    return path.read_bytes()


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURES_OK)
@given(data=st.data())
def test_any_changed_byte_raises_model_file_error(tmp_path, saved_model, data):
    position = data.draw(st.integers(0, len(saved_model) - 1))
    delta = data.draw(st.integers(1, 255))
    damaged = bytearray(saved_model)
    damaged[position] = (damaged[position] + delta) % 256  # always a different byte
    path = tmp_path / "damaged.safetensors"
    path.write_bytes(bytes(damaged))
    with pytest.raises(ModelFileError, match="damaged.safetensors"):
        gn.load(path)


@settings(max_examples=100, deadline=None, suppress_health_check=FIXTURES_OK)
@given(data=st.data())
def test_any_truncation_raises_model_file_error(tmp_path, saved_model, data):
    length = data.draw(st.integers(0, len(saved_model) - 1))
    path = tmp_path / "short.safetensors"
    path.write_bytes(saved_model[:length])
    with pytest.raises(ModelFileError, match="short.safetensors"):
        gn.load(path)


def test_appended_bytes_raise_model_file_error(tmp_path, saved_model):
    path = tmp_path / "long.safetensors"
    path.write_bytes(saved_model + b"\0")
    with pytest.raises(ModelFileError, match="checksum"):
        gn.load(path)


def _rewrite(tmp_path, net, **meta_changes):
    """A correctly checksummed file whose JSON description has been changed."""
    path = tmp_path / "edited.safetensors"
    meta = {"kind": "model", **persistence.network_meta(net), **meta_changes}
    persistence.write_file(path, net.state_dict(), meta)
    return path


def test_another_format_version_is_named(tmp_path):
    net = gn.Network([gn.Dense(2, 1)])
    path = _rewrite(tmp_path, net, format_version=2)
    with pytest.raises(ModelFileError, match="format version 2.*reads version 1"):
        gn.load(path)


def test_weights_that_do_not_fit_the_architecture_are_named(tmp_path):
    net = gn.Network([gn.Dense(2, 3), gn.Dense(3, 1)])
    config = net.config()
    config["layers"][0]["n_out"] = 4
    config["layers"][1]["n_in"] = 4
    path = _rewrite(tmp_path, net, network=config)
    with pytest.raises(ModelFileError, match=r"declares layer 1 as 2 → 4, but its tensor "
                                             r"W\[1\] is \[2, 3\]"):
        gn.load(path)


def test_a_huge_declared_layer_fails_before_it_is_allocated(tmp_path):
    net = gn.Network([gn.Dense(2, 1)])
    config = net.config()
    config["layers"][0]["n_in"] = 10**12  # 8 TB of float64 if it were built first
    with pytest.raises(ModelFileError, match=r"declares layer 1 as 1000000000000 → 1"):
        gn.load(_rewrite(tmp_path, net, network=config))


def test_an_unbuildable_architecture_is_named(tmp_path):
    net = gn.Network([gn.Dense(2, 1)])
    config = net.config()
    config["layers"][0]["activation"] = {"name": "swish"}
    with pytest.raises(ModelFileError, match="cannot build: unknown activation 'swish'"):
        gn.load(_rewrite(tmp_path, net, network=config))


def test_a_missing_file_and_a_foreign_safetensors_file_are_named(tmp_path):
    with pytest.raises(ModelFileError, match="nothing.safetensors: no such file"):
        gn.load(tmp_path / "nothing.safetensors")
    import safetensors.numpy

    foreign = tmp_path / "foreign.safetensors"
    foreign.write_bytes(safetensors.numpy.save({"x": np.zeros(2)}))
    with pytest.raises(ModelFileError, match="foreign.safetensors"):
        gn.load(foreign)


def test_the_file_is_safetensors_with_json_metadata(tmp_path):
    from safetensors import safe_open

    net = gn.Network([gn.Dense(2, 2, "sigmoid"), gn.Dense(2, 1, "sigmoid")], seed=0)
    net.save(tmp_path / "m.safetensors")
    with safe_open(tmp_path / "m.safetensors", framework="np") as handle:
        meta = json.loads(handle.metadata()["glassnet"])
        assert sorted(handle.keys()) == ["W[1]", "W[2]", "b[1]", "b[2]"]
        assert handle.get_tensor("W[1]").tobytes() == net.layers[0].W.value.tobytes()
    assert meta["format_version"] == 1 and meta["network"] == json.loads(json.dumps(net.config()))


def test_fit_records_its_settings_in_the_saved_file(tmp_path):
    net = gn.Network([gn.Dense(2, 1, "sigmoid")], loss="bce", seed=0)
    X, y = gn.datasets.xor()
    net.fit(X, y, epochs=2, batch_size=2, seed=7, progress=False)
    net.save(tmp_path / "m.safetensors")
    training = gn.load(tmp_path / "m.safetensors").training_config
    assert training["seed"] == 7 and training["optimizer"]["type"] == "Adam"
    assert training["batch_size"] == 2 and training["epochs"] == 2


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "m.safetensors"
    path.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        gn.Network([gn.Dense(2, 1)]).save(path)
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["m.safetensors"]


def test_no_pickle_anywhere_in_the_training_layer():
    import glassnet

    root = os.path.dirname(glassnet.__file__)
    for name in ("persistence.py", "training/checkpoint.py", "training/trainer.py",
                 "training/config.py", "training/data.py"):
        with open(os.path.join(root, name), encoding="utf-8") as handle:
            source = handle.read()
        assert "import pickle" not in source and "np.load" not in source
