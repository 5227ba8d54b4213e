"""PyTorch parity: random networks give the same outputs, losses, gradients and optimizer steps.

Each glassnet network is mirrored by hand as a ``torch.nn.Sequential`` in float64 with the same
weights (torch's ``Linear`` stores W transposed: ``weight = Wᵀ``), and its loss written with
torch's own functions.
"""

import zlib

import numpy as np
import pytest

import glassnet as gn
from helpers import LOSS_OUTPUTS, random_network, random_targets

torch = pytest.importorskip("torch")
F = torch.nn.functional

TORCH_ACTIVATIONS = {
    "sigmoid": torch.nn.Sigmoid,
    "tanh": torch.nn.Tanh,
    "relu": torch.nn.ReLU,
    "leaky_relu": torch.nn.LeakyReLU,
    "identity": torch.nn.Identity,
    "softmax": lambda: torch.nn.Softmax(dim=1),
}
CASES = [(loss, out, seed) for loss, outs in LOSS_OUTPUTS.items() for out in outs for seed in (0, 1)]


def mirror(net):
    modules = []
    for layer in net.layers:
        linear = torch.nn.Linear(layer.n_in, layer.n_out, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer.W.value.T.copy()))
            linear.bias.copy_(torch.from_numpy(layer.b.value.copy()))
        modules += [linear, TORCH_ACTIVATIONS[layer.activation.name]()]
    return torch.nn.Sequential(*modules)


def torch_loss(model, name, x, y):
    if name == "cross_entropy":  # CrossEntropyLoss on the logits, i.e. before the Softmax
        logits = model[:-1](x)
        return F.cross_entropy(logits, y), model[-1](logits)
    out = model(x)
    if name == "squared_error":
        return 0.5 * ((out - y) ** 2).sum(dim=1).mean(), out
    if name == "mse":
        return F.mse_loss(out, y), out
    return F.binary_cross_entropy(out, y), out


def torch_params(model):
    """Values and gradients in glassnet's order and layout: W[1] (n_in, n_out), b[1], W[2], …"""
    out = []
    for module in model:
        if isinstance(module, torch.nn.Linear):
            out += [(module.weight.detach().numpy().T, module.weight.grad.numpy().T),
                    (module.bias.detach().numpy(), module.bias.grad.numpy())]
    return out


def setup(loss, output, seed):
    rng = np.random.default_rng(zlib.crc32(f"{loss}-{output}-{seed}".encode()))
    net = random_network(rng, loss, output)
    n = int(rng.integers(1, 9))
    x = rng.normal(0, 1.5, size=(n, net.n_in))
    y = random_targets(rng, net, n)
    ty = torch.from_numpy(y) if loss == "cross_entropy" else torch.from_numpy(y.reshape(n, -1))
    return net, mirror(net), x, y, torch.from_numpy(x), ty


@pytest.mark.parametrize("loss, output, seed", CASES)
def test_forward_loss_and_gradients_match_torch(loss, output, seed):
    net, model, x, y, tx, ty = setup(loss, output, seed)
    y_hat = net.forward(x)
    value = net.loss(y_hat, y)
    value.backward()
    t_loss, t_out = torch_loss(model, loss, tx, ty)
    t_loss.backward()
    np.testing.assert_allclose(y_hat, t_out.detach().numpy(), rtol=1e-12, atol=1e-15)
    assert float(value) == pytest.approx(t_loss.item(), rel=1e-10, abs=1e-15)
    for p, (_, t_grad) in zip(net.parameters(), torch_params(model)):
        np.testing.assert_allclose(p.grad, t_grad, rtol=1e-9, atol=1e-15, err_msg=p.name)


OPTIMIZERS = {
    "sgd": (lambda ps: gn.SGD(ps, lr=0.1), lambda ps: torch.optim.SGD(ps, lr=0.1)),
    "sgd_momentum": (lambda ps: gn.SGD(ps, lr=0.05, momentum=0.9),
                     lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9)),
    "sgd_nesterov_decay": (
        lambda ps: gn.SGD(ps, lr=0.05, momentum=0.8, nesterov=True, weight_decay=1e-2),
        lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True, weight_decay=1e-2)),
    "adam": (lambda ps: gn.Adam(ps, lr=0.01), lambda ps: torch.optim.Adam(ps, lr=0.01)),
    "adam_settings": (
        lambda ps: gn.Adam(ps, lr=0.003, beta1=0.8, beta2=0.99, eps=1e-6),
        lambda ps: torch.optim.Adam(ps, lr=0.003, betas=(0.8, 0.99), eps=1e-6)),
}


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("loss, output", [("squared_error", "sigmoid"), ("mse", "identity"),
                                          ("binary_cross_entropy", "sigmoid"),
                                          ("cross_entropy", "softmax")])
def test_three_optimizer_steps_match_torch(optimizer, loss, output):
    net, model, x, y, tx, ty = setup(loss, output, 7)
    make_gn, make_torch = OPTIMIZERS[optimizer]
    opt = make_gn(net.parameters())
    t_opt = make_torch(list(model.parameters()))
    for _ in range(3):
        net.loss(net.forward(x), y).backward()
        opt.step()
        t_opt.zero_grad()
        torch_loss(model, loss, tx, ty)[0].backward()
        t_opt.step()
    for p, (t_value, _) in zip(net.parameters(), torch_params(model)):
        np.testing.assert_allclose(p.value, t_value, rtol=1e-9, atol=1e-14, err_msg=p.name)


def test_adam_counts_steps_per_parameter_as_torch_does():
    """A parameter frozen for two steps resumes its own bias correction (t = 1, 2, …)."""
    net, model, x, y, tx, ty = setup("mse", "identity", 11)
    opt = gn.Adam(net.parameters(), lr=0.01)
    t_opt = torch.optim.Adam(list(model.parameters()), lr=0.01)
    first = net.parameters()[0]
    t_first = model[0].weight
    for step in range(5):
        frozen = step < 2
        first.trainable = not frozen
        t_first.requires_grad_(not frozen)
        net.loss(net.forward(x), y).backward()
        opt.step()
        t_opt.zero_grad()
        torch_loss(model, "mse", tx, ty)[0].backward()
        t_opt.step()
    assert opt.steps[0] == 3 and opt.steps[1] == 5
    for p, (t_value, _) in zip(net.parameters(), torch_params(model)):
        np.testing.assert_allclose(p.value, t_value, rtol=1e-9, atol=1e-14, err_msg=p.name)
