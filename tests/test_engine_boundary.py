"""Every user mistake at the engine's boundary is one clear ValueError or TypeError."""

import numpy as np
import pytest

import glassnet as gn
from conftest import LECTURE_X, LECTURE_Y, make_lecture_net


def two_layer(loss="squared_error", out="sigmoid", k=1):
    return gn.Network([gn.Dense(2, 3, "relu"), gn.Dense(3, k, out)], loss=loss, seed=0)


@pytest.mark.parametrize("x, error, message", [
    (np.ones((3, 5)), ValueError, r"Dense\(2 → 3, relu\) expected input of shape \(N, 2\), got \(3, 5\)"),
    (np.ones(2), ValueError, r"got \(2,\) \(for one sample use x.reshape\(1, -1\)\)"),
    (np.array([["a", "b"]]), TypeError, "expected numeric input, got dtype <U1"),
    (np.array([[np.nan, 1.0]]), ValueError, "expected finite input, but it contains NaN or infinity"),
    (np.array([[np.inf, 1.0]]), ValueError, "expected finite input, but it contains NaN or infinity"),
])
def test_forward_rejects_the_wrong_width_a_1d_row_text_and_non_finite_input(x, error, message):
    with pytest.raises(error, match=message):
        two_layer().forward(x)


def test_network_rejects_layers_whose_sizes_do_not_chain():
    with pytest.raises(ValueError, match=r"layer 2 Dense\(4 → 1, identity\) expects 4 inputs, "
                                         r"but layer 1 Dense\(2 → 3, identity\) gives 3 outputs"):
        gn.Network([gn.Dense(2, 3), gn.Dense(4, 1)])


@pytest.mark.parametrize("call, message", [
    (lambda: gn.Dense(2, 2, activation="sigmoidal"),
     "unknown activation 'sigmoidal'; expected one of: sigmoid, tanh, relu, leaky_relu, identity, softmax"),
    (lambda: gn.Network([gn.Dense(2, 1)], loss="hinge"),
     "unknown loss 'hinge'; expected one of: squared_error, mse, binary_cross_entropy, cross_entropy"),
    (lambda: gn.Dense(2, 2, init="glorious"), "unknown initialiser 'glorious'; expected one of: zeros"),
    (lambda: gn.Dense(0, 2), "Dense expected n_in to be a positive integer, got 0"),
    (lambda: gn.Dense(2, 2.5), "Dense expected n_out to be a positive integer, got 2.5"),
    (lambda: gn.Network([]), "Network expected at least one layer"),
    (lambda: gn.Network([gn.Dense(2, 1)], dtype="int32"), "dtype must be 'float64' or 'float32'"),
    (lambda: gn.Network([gn.Dense(2, 1)], dtype=np.float16), "dtype must be 'float64' or 'float32'"),
])
def test_unknown_names_bad_sizes_and_bad_dtypes_are_refused_when_building(call, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_network_refuses_a_layer_that_is_not_dense():
    with pytest.raises(TypeError, match="Network layer 1 must be a Dense layer"):
        gn.Network(["Dense(2, 1)"])


def test_network_refuses_one_dense_object_used_as_two_layers():
    # its W.grad would be the second use's alone, and an optimizer would step it twice
    layer = gn.Dense(2, 2, "tanh")
    with pytest.raises(ValueError, match="Network layer 2 is the same Dense object as layer 1; "
                                         "each layer needs its own weights"):
        gn.Network([layer, layer], loss="mse")


def test_forward_names_rows_of_different_lengths():
    with pytest.raises(ValueError, match=r"Dense\(2 → 3, relu\) expected input with rows of "
                                         "equal length, got rows of different lengths"):
        two_layer().forward([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize("loss, out, message", [
    ("cross_entropy", "sigmoid", r"cross_entropy expects a softmax output layer, but the last "
                                 r"layer is Dense\(3 → 1, sigmoid\)"),
    ("cross_entropy", "identity", "cross_entropy expects a softmax output layer"),
    ("binary_cross_entropy", "softmax", "binary_cross_entropy expects a sigmoid output layer"),
])
def test_network_refuses_a_loss_that_does_not_fit_its_output_activation(loss, out, message):
    with pytest.raises(ValueError, match=message):
        two_layer(loss, out)


@pytest.mark.parametrize("y, error, message", [
    (np.array([0, 3, 1]), ValueError,
     "cross_entropy expected class labels in 0..2 for a 3-class output, got labels from 0 to 3"),
    (np.array([0, -1, 1]), ValueError, "class labels in 0..2"),
    (np.array([0, 1]), ValueError, "cross_entropy expected 3 labels, one per sample, got 2"),
    (np.array([0.5, 1, 2]), ValueError, "expected integer class labels, got fractional values"),
    (np.array(["a", "b", "c"]), TypeError, "expected integer class labels"),
    (np.ones((3, 4)), ValueError, r"one-hot targets of shape \(3, 3\), got \(3, 4\)"),
])
def test_cross_entropy_names_labels_out_of_range_fractional_text_or_miscounted(y, error, message):
    net = two_layer("cross_entropy", "softmax", k=3)
    y_hat = net.forward(np.ones((3, 2)))
    with pytest.raises(error, match=message):
        net.loss(y_hat, y)


@pytest.mark.parametrize("y, message", [
    (np.array([[np.nan]]), "squared_error expected finite targets, but it contains NaN or infinity"),
    (np.array([[0.1, 0.2]]), r"squared_error expected targets of shape \(1, 1\) to match the output, got \(1, 2\)"),
])
def test_squared_error_rejects_nan_targets_and_targets_of_another_shape(y, message):
    net = make_lecture_net()
    with pytest.raises(ValueError, match=message):
        net.loss(net.forward(LECTURE_X), y)


def test_binary_cross_entropy_rejects_targets_outside_0_1():
    net = two_layer("binary_cross_entropy", "sigmoid")
    with pytest.raises(ValueError, match=r"binary_cross_entropy expected targets in \[0, 1\], "
                                         r"got values from 0 to 2"):
        net.loss(net.forward(np.ones((2, 2))), np.array([0, 2]))


def test_targets_of_shape_n_are_accepted_for_one_output():
    net = make_lecture_net()
    y_hat = net.forward(LECTURE_X)
    assert float(net.loss(y_hat, np.array([0.01]))) == float(net.loss(y_hat, LECTURE_Y))


@pytest.mark.parametrize("lr", [0, -0.1, float("nan")])
def test_optimizers_reject_zero_negative_and_nan_learning_rates(lr):
    net = make_lecture_net()
    for make in (gn.SGD, gn.Adam):
        with pytest.raises(ValueError, match=f"{make.__name__} expected lr > 0, got"):
            make(net.parameters(), lr=lr)


def test_optimizers_name_a_text_lr_foreign_parameters_and_out_of_range_settings():
    net = make_lecture_net()
    with pytest.raises(TypeError, match="SGD expected lr to be a number, got '0.1'"):
        gn.SGD(net.parameters(), lr="0.1")
    with pytest.raises(TypeError, match="SGD expected Parameters"):
        gn.SGD([np.zeros(3)], lr=0.1)
    with pytest.raises(ValueError, match="SGD expected at least one parameter"):
        gn.SGD([], lr=0.1)
    with pytest.raises(ValueError, match=r"Adam expected beta1 in \[0, 1\), got 1.0"):
        gn.Adam(net.parameters(), beta1=1.0)
    with pytest.raises(ValueError, match="SGD expected momentum >= 0"):
        gn.SGD(net.parameters(), lr=0.1, momentum=-0.5)


def test_parameter_assignment_rejects_a_wrong_shape_nan_and_text():
    layer = make_lecture_net().layers[1]
    with pytest.raises(ValueError, match=r"W\[2\] expected a value of shape \(2, 1\), got \(2,\)"):
        layer.W.value = np.array([0.40, 0.45])
    with pytest.raises(ValueError, match=r"b\[2\] expected finite values, but it contains NaN"):
        layer.b.value = np.array([np.nan])
    with pytest.raises(TypeError, match=r"W\[2\] expected numeric values, got dtype"):
        layer.W.value = np.array([["a"], ["b"]])


def test_stale_loss_and_foreign_predictions_are_refused():
    net = make_lecture_net()
    loss = net.loss(net.forward(LECTURE_X), LECTURE_Y)
    net.forward(LECTURE_X * 2)
    with pytest.raises(ValueError, match="forward has run again since"):
        loss.backward()
    with pytest.raises(ValueError, match="expected the output of this network's last forward"):
        net.loss(np.array([[0.5]]), LECTURE_Y)


def test_gradient_vector_before_backward_says_to_call_backward_first():
    with pytest.raises(ValueError, match=r"W\[1\] has no gradient yet; call loss.backward\(\) first"):
        make_lecture_net().gradient_vector()


def test_a_seed_of_the_wrong_type_is_a_type_error():
    with pytest.raises(TypeError, match="seed must be an int, a numpy.random.Generator or None"):
        gn.Dense(2, 2, seed="42")


def test_empty_batch_is_refused():
    with pytest.raises(ValueError, match=r"expected at least one sample in input, got none"):
        two_layer().forward(np.zeros((0, 2)))


def test_network_asks_for_a_list_when_given_a_single_layer_or_a_number():
    with pytest.raises(TypeError, match=r"got the single layer Dense\(2 → 1, identity\); wrap it"):
        gn.Network(gn.Dense(2, 1))
    with pytest.raises(TypeError, match="Network expected a list of layers, got int"):
        gn.Network(3)


def test_activation_options_are_checked_by_name_and_type():
    with pytest.raises(TypeError, match=r"activation 'relu' does not take the options \['slope'\]"):
        gn.Dense(2, 3, activation={"name": "relu", "slope": 1})
    layer = gn.Dense(2, 3, activation={"name": "leaky_relu", "slope": 0.2})
    assert layer.activation.slope == 0.2
    with pytest.raises(TypeError, match="leaky_relu slope must be a number, got str"):
        gn.Dense(2, 3, activation={"name": "leaky_relu", "slope": "steep"})


@pytest.mark.parametrize("beta", ["x", None])
def test_adam_rejects_a_beta_that_is_not_a_number(beta):
    with pytest.raises(TypeError, match="Adam expected beta1 to be a number, got"):
        gn.Adam(make_lecture_net().parameters(), beta1=beta)


def test_dense_forward_takes_a_nested_list():
    layer = gn.Dense(2, 1, init={"W": [[1.0], [2.0]], "b": [0.5]})
    np.testing.assert_array_equal(layer.forward([[1, 2]]), [[5.5]])  # 1·1 + 2·2 + 0.5


def test_freezing_after_backward_drops_the_stale_gradient():
    net = make_lecture_net()
    net.loss(net.forward(LECTURE_X), LECTURE_Y).backward()
    net.layers[0].W.trainable = False
    net.loss(net.forward(LECTURE_X), LECTURE_Y).backward()
    assert net.layers[0].W.grad is None and net.layers[0].b.grad is not None


def test_a_layer_larger_than_the_machine_is_refused_before_allocating(monkeypatch):
    # W and b of Dense(10⁶ → 10⁶) in float64: (10⁶ + 1) · 10⁶ · 8 bytes ≈ 8.0 TB
    monkeypatch.setattr(gn.checks, "machine_memory", lambda: 16 * 10**9)
    with pytest.raises(ValueError, match=r"^Dense\(1000000 → 1000000\) needs 8\.0 TB for its "
                                         r"weights, more than this machine's memory \(16\.0 GB\)$"):
        gn.Dense(10**6, 10**6)
    # float32 halves it: (10⁵ + 1) · 10⁵ · 4 bytes = 40.0 GB
    with pytest.raises(ValueError, match=r"needs 40\.0 GB for its weights"):
        gn.Dense(10**5, 10**5, dtype=np.float32)
    assert gn.Dense(1000, 1000).W.shape == (1000, 1000)  # 8 MB fits


def test_the_real_machine_refuses_a_petabyte_layer():
    with pytest.raises(ValueError, match=r"Dense\(2 → 1000000000000000\) needs 24\.0 PB"):
        gn.Dense(2, 10**15)


def test_a_machine_that_does_not_say_its_memory_refuses_nothing(monkeypatch):
    monkeypatch.setattr(gn.checks.os, "sysconf", lambda name: -1)
    assert gn.checks.machine_memory() is None
    assert gn.Dense(3, 2).W.shape == (3, 2)


def test_fit_refuses_batches_and_scoring_larger_than_the_machine(monkeypatch):
    net = gn.Network([gn.Dense(2, 1000, "relu"), gn.Dense(1000, 2, "softmax")],
                     loss="cross_entropy", seed=0)
    X, y = np.zeros((600, 2)), np.zeros(600, dtype=int)
    # 5,002 parameters held 4 times, and z, a of 600 scored rows × 1,002 units:
    # (4 · 5002 + 2 · 600 · 1002) · 8 bytes = 9,779,264 bytes = 9.8 MB
    monkeypatch.setattr(gn.checks, "machine_memory", lambda: 9 * 10**6)
    with pytest.raises(ValueError, match=r"^fit needs 9\.8 MB for a network of 5,002 parameters "
                                         r"on 600 rows at a time, more than this machine"):
        net.fit(X, y, epochs=1, metrics=["accuracy"], progress=False)
    # without metrics only a batch of 32 is in memory: (4 · 5002 + 4 · 32 · 1002) · 8 ≈ 1.2 MB
    assert net.fit(X, y, epochs=1, progress=False).epochs == 1
