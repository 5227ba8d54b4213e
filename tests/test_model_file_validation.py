"""Files made by hand with a valid checksum: every field is checked, and ModelFileError is the
only error they raise, from ``gn.load`` and from ``fit(..., resume=path)``."""

import math
import re

import numpy as np
import pytest
from crafted_files import (FIT, X, Y, Interrupt, field_paths, json_values, network, read,
                           replaced, resume, saved_checkpoint, saved_model, signed_file)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import glassnet as gn
from glassnet.persistence import ModelFileError

FIXTURES_OK = [HealthCheck.function_scoped_fixture]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "model.safetensors"
    saved_model(path)
    return read(path)


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    path = tmp_path_factory.mktemp("checkpoint") / "run.ckpt"
    saved_checkpoint(path)
    return read(path)


def test_the_crafted_files_are_signed_like_real_ones(tmp_path, model, checkpoint):
    signed_file(tmp_path / "same.safetensors", *model)
    assert gn.load(tmp_path / "same.safetensors").parameters()[1].trainable is False
    signed_file(tmp_path / "same.ckpt", *checkpoint)
    assert resume(tmp_path / "same.ckpt").epochs == 3


def _deep_glassnet_text(depth):
    return ('{"format": "glassnet", "format_version": 1, "kind": "model", "network": '
            + "[" * depth + "]" * depth + ', "sha256": "' + "0" * 64 + '"}')


@pytest.mark.parametrize("depth", [100_000, 200])
def test_deeply_nested_metadata_is_refused(tmp_path, model, depth):
    # 100,000 levels overflow json's recursion; 200 parse, and are refused after
    path = tmp_path / "deep.safetensors"
    signed_file(path, model[0], _deep_glassnet_text(depth))
    with pytest.raises(ModelFileError, match="deep.safetensors: .*nest deeper than 32 levels"):
        gn.load(path)


def test_a_deeply_nested_safetensors_header_is_refused(tmp_path):
    header = b'{"__metadata__": {"glassnet": "{}"}, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    path = tmp_path / "deep.safetensors"
    path.write_bytes(len(header).to_bytes(8, "little") + header)
    with pytest.raises(ModelFileError, match="nest deeper than 32 levels"):
        gn.load(path)



@pytest.mark.parametrize("end", ["1e400", "1e30", "100000000000000000"])
def test_a_huge_declared_tensor_end_is_a_model_file_error_read_no_further(tmp_path, end):
    # 1e400 overflowed int(), 1e30 an index, 1e17 asked the allocator for 100 PB
    header = ('{"__metadata__": {"glassnet": "{}"}, "x": {"dtype": "F64", "shape": [1], '
              f'"data_offsets": [0, {end}]}}}}').encode()
    path = tmp_path / "offsets.safetensors"
    path.write_bytes(len(header).to_bytes(8, "little") + header + bytes(8))
    with pytest.raises(ModelFileError, match="offsets.safetensors: "):
        gn.load(path)

def test_frozen_must_name_parameters(tmp_path, model):
    tensors, meta = model
    path = tmp_path / "frozen.safetensors"
    signed_file(path, tensors, replaced(meta, ("frozen",), [[1]]))  # was a TypeError
    with pytest.raises(ModelFileError, match=r"frozen.safetensors: has frozen = \[\[1\]\], "
                                             "expected a list of parameter names"):
        gn.load(path)
    signed_file(path, tensors, replaced(meta, ("frozen",), ["W[9]"]))
    with pytest.raises(ModelFileError, match=r"expected names of the network's parameters"):
        gn.load(path)



@pytest.mark.parametrize("version", [True, 1.0, "1", 2])
def test_only_the_integer_format_version_one_is_read(tmp_path, model, version):
    tensors, meta = model
    path = tmp_path / "version.safetensors"
    signed_file(path, tensors, replaced(meta, ("format_version",), version))
    with pytest.raises(ModelFileError, match=rf"has format version {re.escape(repr(version))}, "
                                             "but this glassnet reads version 1"):
        gn.load(path)


@pytest.mark.parametrize("where, pattern", [
    (("network", "layers", 0, "activation"), r"expected an activation such as .*, got null"),
    (("network", "loss"), "expected the loss by name, got null"),
    (("network", "dtype"), "expected the dtype by name, got null"),
])
def test_a_missing_activation_loss_or_dtype_is_not_filled_in_by_a_default(tmp_path, model, where,
                                                                           pattern):
    tensors, meta = model
    path = tmp_path / "defaults.safetensors"
    signed_file(path, tensors, replaced(meta, where, None))  # was an identity, float64, …
    with pytest.raises(ModelFileError, match=pattern):
        gn.load(path)

CRAFTED_FIELDS = [
    (("progress", "batch"), 10**9, r"has progress.batch = 1000000000, expected an integer in "
                                   r"\[0, 3\]"),                  # was a ZeroDivisionError
    (("progress", "batch"), -1, r"has progress.batch = -1, expected an integer in \[0, 3\]"),
    (("progress", "epoch"), "x", r'has progress.epoch = "x", expected an integer >= 0'),
    (("progress", "epoch"), -5, r"has progress.epoch = -5, expected an integer >= 0"),
    (("progress", "epoch"), 0, r"has history.history = .*, expected an object of lists of 0"),
    (("progress", "seed"), "x", r'has progress.seed = "x", expected an integer >= 0'),
    (("progress", "rng_state", "state", "inc"), -1, "has progress.rng_state = .*PCG64 state"),
    (("history",), "junk", "is a checkpoint without complete training progress"),
    (("history", "history"), {"loss": "junk"}, r"has history.history = \{\"loss\": \"junk\"\}"),
    (("history", "best_epoch"), 7, r"has history.best_epoch = 7, expected null or an integer in "
                                   r"\[1, 1\]"),
    (("optimizer", "t"), 10**300, r"has optimizer.t = .*, expected an integer in"),
    (("optimizer", "steps", 0), -1, r"has optimizer.steps = \[-1, .*, expected a list of integers"),
    (("callbacks", 1, "state", "wait"), "x", r'has callbacks\[1\].state.wait = "x", expected an '
                                             r"integer in \[0, 1\]"),
]


@pytest.mark.parametrize("where, value, expected", CRAFTED_FIELDS,
                         ids=[".".join(map(str, case[0])) + "=" + str(case[1])[:12]
                              for case in CRAFTED_FIELDS])
def test_each_crafted_checkpoint_field_is_named(tmp_path, checkpoint, where, value, expected):
    tensors, meta = checkpoint
    path = tmp_path / "crafted.ckpt"
    signed_file(path, tensors, replaced(meta, where, value))
    with pytest.raises(ModelFileError, match="crafted.ckpt: " + expected):
        resume(path)


def test_epoch_minus_five_no_longer_trains_eleven_epochs(tmp_path, checkpoint):
    tensors, meta = checkpoint
    path = tmp_path / "crafted.ckpt"
    signed_file(path, tensors, replaced(meta, ("progress", "epoch"), -5))
    with pytest.raises(ModelFileError, match="progress.epoch = -5"):
        resume(path)


@pytest.mark.parametrize("name, change", [
    ("optimizer/0/m", lambda m: m[:1]),            # was a numpy broadcast error
    ("optimizer/0/v", lambda v: -v),               # Adam's sqrt(v) would be NaN
    ("optimizer/0/m", lambda m: m.astype(np.float32)),
    ("callback/1/weights/W[1]", lambda W: np.full_like(W, np.inf)),
])
def test_crafted_optimizer_and_callback_tensors_are_named(tmp_path, checkpoint, name, change):
    tensors, meta = checkpoint
    path = tmp_path / "crafted.ckpt"
    signed_file(path, {**tensors, name: np.ascontiguousarray(change(tensors[name]))}, meta)
    with pytest.raises(ModelFileError, match=f"crafted.ckpt: has tensor {re.escape(name)}"):
        resume(path)


def test_a_checkpoint_that_does_not_fit_the_run_is_a_model_file_error(tmp_path, checkpoint):
    tensors, meta = checkpoint
    path = tmp_path / "other.ckpt"
    signed_file(path, tensors, replaced(meta, ("progress", "n_samples"), 41))
    with pytest.raises(ModelFileError, match="n_samples=41, but this fit has n_samples=32"):
        resume(path)



def test_a_checkpoint_past_the_asked_epochs_is_refused_and_the_network_kept(tmp_path):
    path = tmp_path / "done.ckpt"
    network().fit(X, Y, epochs=3, batch_size=8, seed=0, progress=False, checkpoint=path)
    net = network(seed=5)
    before = net.state_dict()
    with pytest.raises(ModelFileError, match="done.ckpt: has completed 3 epochs, more than this "
                                             "fit's epochs=2; ask for at least 3 epochs"):
        net.fit(X, Y, epochs=2, batch_size=8, seed=0, progress=False, resume=path)
    assert all((net.state_dict()[k] == v).all() for k, v in before.items())
    history = net.fit(X, Y, epochs=3, batch_size=8, seed=0, progress=False, resume=path)
    assert len(history.history["loss"]) == 3  # the finished run, nothing more to do

def _assert_only_model_file_error(action):
    try:
        action()
    except ModelFileError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURES_OK)
@given(data=st.data())
def test_any_field_of_a_model_replaced_loads_or_raises_model_file_error(tmp_path, model, data):
    tensors, meta = model
    where = data.draw(st.sampled_from(field_paths(meta)))
    path = tmp_path / "mutated.safetensors"
    signed_file(path, tensors, replaced(meta, where, data.draw(json_values)))
    _assert_only_model_file_error(lambda: gn.load(path))


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURES_OK)
@given(data=st.data())
def test_any_field_of_a_checkpoint_replaced_resumes_or_raises_model_file_error(
        tmp_path, checkpoint, data):
    tensors, meta = checkpoint
    where = data.draw(st.sampled_from(field_paths(meta)))
    path = tmp_path / "mutated.ckpt"
    signed_file(path, tensors, replaced(meta, where, data.draw(json_values)))
    _assert_only_model_file_error(lambda: gn.load(path))
    _assert_only_model_file_error(lambda: resume(path))


def test_the_mutations_reach_every_field():
    meta = {"a": {"b": [1, {"c": math.pi}]}, "sha256": "0"}
    assert field_paths(meta) == [("a",), ("a", "b"), ("a", "b", 0), ("a", "b", 1),
                                 ("a", "b", 1, "c")]


def test_a_refused_checkpoint_leaves_the_network_as_it_was(tmp_path, checkpoint):
    tensors, meta = checkpoint
    path = tmp_path / "crafted.ckpt"
    signed_file(path, tensors, replaced(meta, ("callbacks", 1, "state", "wait"), -1))
    net = network(seed=5)
    before = [p.value.copy() for p in net.parameters()]
    with pytest.raises(ModelFileError, match="wait = -1"):
        net.fit(X, Y, **FIT, callbacks=[Interrupt(False)], resume=path)
    for p, value in zip(net.parameters(), before):
        assert p.value.tobytes() == value.tobytes()
