"""PyTorch parity for glassnet.interop.to_torch / from_torch (float64, to 1e-12)."""

import subprocess
import sys
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import glassnet as gn
from glassnet.interop import from_torch, to_torch

torch = pytest.importorskip("torch")
nn = torch.nn

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", {"name": "leaky_relu", "slope": 0.2},
          "identity", "softmax"]
# (loss, output activation, number of outputs): every loss with an output it accepts
OUTPUTS = [("squared_error", "sigmoid", 2), ("squared_error", "identity", 3),
           ("mse", "tanh", 2), ("binary_cross_entropy", "sigmoid", 2),
           ("cross_entropy", "softmax", 4)]


def random_net(hidden, loss, out_act, k, seed, dtype="float64"):
    layers = [gn.Dense(3, 5, hidden), gn.Dense(5, 4, hidden), gn.Dense(4, k, out_act)]
    return gn.Network(layers, loss=loss, dtype=dtype, seed=seed)


def random_batch(loss, k, seed, n=7):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    if loss == "cross_entropy":
        return X, rng.integers(0, k, size=n)
    if loss == "binary_cross_entropy":
        return X, rng.integers(0, 2, size=(n, k)).astype(float)
    return X, rng.normal(size=(n, k))


def glassnet_step(net, X, y):
    y_hat = net.forward(X)
    loss = net.loss(y_hat, y)
    loss.backward()
    return y_hat, float(loss)


def torch_step(model, X, y):
    out = model(torch.from_numpy(X))
    loss = model.loss_fn(out, torch.from_numpy(y))
    loss.backward()
    return out.detach().numpy(), loss.item()


@pytest.mark.parametrize("hidden", HIDDEN, ids=str)
@pytest.mark.parametrize("loss, out_act, k", OUTPUTS)
def test_outputs_losses_and_gradients_match_torch(hidden, loss, out_act, k):
    seed = zlib.crc32(f"{hidden}{loss}{out_act}".encode())  # stable across runs, unlike hash
    net = random_net(hidden, loss, out_act, k, seed)
    X, y = random_batch(loss, k, seed)
    model = to_torch(net)
    y_hat, value = glassnet_step(net, X, y)
    out, torch_value = torch_step(model, X, y)
    np.testing.assert_allclose(out, y_hat, rtol=0, atol=1e-12)
    assert torch_value == pytest.approx(value, rel=1e-12, abs=1e-12)
    linears = [m for m in model if isinstance(m, nn.Linear)]
    for layer, linear in zip(net.layers, linears):
        np.testing.assert_allclose(linear.weight.grad.numpy().T, layer.W.grad, rtol=0, atol=1e-12)
        np.testing.assert_allclose(linear.bias.grad.numpy(), layer.b.grad, rtol=0, atol=1e-12)


@pytest.mark.parametrize("hidden", HIDDEN, ids=str)
@pytest.mark.parametrize("loss, out_act, k", OUTPUTS)
def test_round_trip_gives_back_the_same_network(hidden, loss, out_act, k):
    net = random_net(hidden, loss, out_act, k, seed=3)
    back = from_torch(to_torch(net))
    assert back.config() == net.config()
    assert repr(back) == repr(net)
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(back.state_dict()[name], value)   # bit for bit


def test_squared_error_is_mse_times_k_over_two():
    # glassnet's squared_error is ½ Σ_k (y − ŷ)² averaged over N; MSELoss averages over N·K,
    # so squared_error = MSELoss · K / 2. With K = 3: factor 1.5.
    y_hat = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], dtype=torch.float64)
    y = torch.tensor([[1.0, 1.0, 1.0], [1.0, 0.0, 2.0]], dtype=torch.float64)
    model = to_torch(gn.Network([gn.Dense(1, 3)], loss="squared_error"))
    # residuals² : row 1 = 0 + 1 + 4 = 5, row 2 = 1 + 0 + 4 = 5; ½ (5 + 5) / 2 = 2.5
    assert model.loss_fn(y_hat, y).item() == pytest.approx(2.5, abs=1e-15)
    assert nn.MSELoss()(y_hat, y).item() * 3 / 2 == pytest.approx(2.5, abs=1e-15)


@pytest.mark.parametrize("loss, out_act, logit_loss", [
    ("cross_entropy", "softmax", nn.CrossEntropyLoss()),
    ("binary_cross_entropy", "sigmoid", nn.BCEWithLogitsLoss()),
])
def test_dropping_the_last_activation_gives_torchs_logit_losses(loss, out_act, logit_loss):
    k = 3
    net = random_net("tanh", loss, out_act, k, seed=11)
    X, y = random_batch(loss, k, seed=11)
    _, value = glassnet_step(net, X, y)
    logits = to_torch(net)[:-1]
    torch_loss = logit_loss(logits(torch.from_numpy(X)), torch.from_numpy(y))
    torch_loss.backward()
    assert torch_loss.item() == pytest.approx(value, rel=1e-12)
    np.testing.assert_allclose(logits[0].weight.grad.numpy().T, net.layers[0].W.grad,
                               rtol=0, atol=1e-12)


def test_training_continues_identically_in_torch():
    net = random_net("relu", "squared_error", "identity", 2, seed=5)
    X, y = random_batch("squared_error", 2, seed=5, n=16)
    model = to_torch(net)
    opt_gn = gn.SGD(net.parameters(), lr=0.1, momentum=0.9)
    opt_torch = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(5):
        glassnet_step(net, X, y)
        opt_gn.step()
        opt_torch.zero_grad()
        torch_step(model, X, y)
        opt_torch.step()
    trained_in_torch = from_torch(model).state_dict()
    for name, value in net.state_dict().items():
        np.testing.assert_allclose(trained_in_torch[name], value, rtol=0, atol=1e-12)
    start = random_net("relu", "squared_error", "identity", 2, seed=5).state_dict()
    assert np.abs(start["W[1]"] - net.state_dict()["W[1]"]).max() > 1e-3  # it did train


def test_float32_and_frozen_parameters_carry_over():
    net = random_net("sigmoid", "mse", "identity", 1, seed=2, dtype="float32")
    net.layers[0].W.trainable = False
    model = to_torch(net)
    assert model[0].weight.dtype == torch.float32
    assert not model[0].weight.requires_grad and model[0].bias.requires_grad
    back = from_torch(model)
    assert back.dtype == np.float32 and not back.layers[0].W.trainable


def test_from_torch_reads_a_torch_built_model():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Sequential(nn.Linear(4, 6), nn.ReLU()), nn.Identity(),
                          nn.Linear(6, 5, bias=False), nn.LeakyReLU(0.3),
                          nn.Linear(5, 3), nn.Softmax(dim=-1)).double()
    net = from_torch(model, loss="cross_entropy")
    assert repr(net) == ("Network(Dense(4 → 6, relu), Dense(6 → 5, leaky_relu(0.3)), "
                         "Dense(5 → 3, softmax); loss=cross_entropy)")
    X = np.random.default_rng(0).normal(size=(9, 4))
    np.testing.assert_allclose(net.forward(X), model(torch.from_numpy(X)).detach().numpy(),
                               rtol=0, atol=1e-12)
    assert not net.layers[1].b.trainable and not net.layers[1].b.value.any()  # bias=False
    assert from_torch(model).loss_fn.name == "squared_error"  # no glassnet_loss: the default


@pytest.mark.parametrize("model, message", [
    (nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5), nn.Linear(3, 1)),
     "layer 1 (Dropout(p=0.5, inplace=False)): glassnet has no such layer"),
    (nn.Sequential(nn.Sequential(nn.Conv1d(1, 1, 2)), nn.Linear(3, 1)),
     "layer 0.0 (Conv1d(1, 1, kernel_size=(2,), stride=(1,))): glassnet has no such layer"),
    (nn.Sequential(nn.ReLU(), nn.Linear(2, 1)), "layer 0 (ReLU()): glassnet applies"),
    (nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Tanh()), "layer 2 (Tanh()): glassnet applies"),
    (nn.Sequential(nn.Linear(2, 3), nn.Softmax(dim=0)), "expected dim=1 or dim=-1"),
    (nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1).double()), "got torch.float32, torch.float64"),
    (nn.Sequential(nn.Identity()), "expected at least one Linear layer"),
])
def test_from_torch_names_what_it_cannot_convert(model, message):
    with pytest.raises(ValueError) as error:
        from_torch(model)
    assert message in str(error.value)


def test_from_torch_and_to_torch_refuse_the_wrong_type():
    with pytest.raises(TypeError, match="expected a torch.nn.Sequential, got Linear"):
        from_torch(nn.Linear(2, 2))
    with pytest.raises(TypeError, match="expected a glassnet Network, got Sequential"):
        to_torch(nn.Sequential())


def test_importing_glassnet_interop_does_not_import_torch_or_onnx():
    code = ("import sys, glassnet, glassnet.interop; "
            "print(sorted(m for m in ('torch', 'onnx', 'onnxruntime') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_to_torch_leaves_torchs_global_generator_alone():
    # nn.Linear would draw its initial weights from torch's global generator; ours are copied
    before = torch.random.get_rng_state()
    to_torch(random_net("relu", "mse", "identity", 2, seed=0))
    assert torch.equal(torch.random.get_rng_state(), before)


def test_an_activation_torch_lacks_is_named():
    class Swish(gn.activations.Activation):
        name = "swish"

        def __call__(self, z):
            return z / (1 + np.exp(-z))

    net = gn.Network([gn.Dense(2, 3, Swish()), gn.Dense(3, 1)], seed=0)
    with pytest.raises(ValueError, match="cannot export the activation 'swish' of layer 1"):
        to_torch(net)


@settings(max_examples=25, deadline=None)
@given(widths=st.lists(st.integers(1, 6), min_size=2, max_size=5),
       activations=st.lists(st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu",
                                             "identity", "softmax"]), min_size=4, max_size=4),
       dtype=st.sampled_from(["float64", "float32"]), seed=st.integers(0, 2**32 - 1))
def test_any_architecture_survives_the_round_trip(widths, activations, dtype, seed):
    layers = [gn.Dense(a, b, activations[i % 4]) for i, (a, b) in
              enumerate(zip(widths, widths[1:]))]
    net = gn.Network(layers, loss="mse", dtype=dtype, seed=seed)
    model = to_torch(net)
    back = from_torch(model)
    assert back.config() == net.config()
    for name, value in net.state_dict().items():
        np.testing.assert_array_equal(back.state_dict()[name], value)
    X = np.random.default_rng(seed).normal(size=(4, widths[0])).astype(dtype)
    tolerance = 1e-12 if dtype == "float64" else 1e-5
    np.testing.assert_allclose(model(torch.from_numpy(X)).detach().numpy(), net.forward(X),
                               rtol=0, atol=tolerance)
