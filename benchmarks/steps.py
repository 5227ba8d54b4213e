"""One training step per library, built from a :class:`~benchmarks.cases.StepCase`.

Each ``build_*`` returns ``(step, weights)``: ``step()`` runs forward, loss, backward and
the SGD update on the case's fixed batch; ``weights()`` returns the current ``(W, b)`` per
layer as NumPy arrays, W of shape (n_in, n_out), so the worker can check that all libraries
computed the same step. Each module is imported inside its builder so that a worker process
only ever loads the library it measures.
"""

from __future__ import annotations

import time

import numpy as np

from .cases import StepCase


def build_glassnet(case: StepCase):
    """The public API, exactly as a user writes it."""
    import glassnet as gn

    layers = []
    for index, (W, b) in enumerate(case.weights()):
        last = index == len(case.sizes) - 2
        activation = case.output if last else case.hidden
        layers.append(gn.Dense(*W.shape, activation=activation, init={"W": W, "b": b}))
    net = gn.Network(layers, loss=case.loss, dtype=case.dtype)
    optimizer = gn.SGD(net.parameters(), lr=case.lr)
    x, y = case.batch_data()

    def step():
        y_hat = net.forward(x)
        loss = net.loss(y_hat, y)
        loss.backward()
        optimizer.step()

    def weights():
        return [(layer.W.value.copy(), layer.b.value.copy()) for layer in net.layers]

    return step, weights


def build_torch(case: StepCase):
    """``nn.Sequential`` + ``torch.optim.SGD`` + ``loss.backward()``, the idiomatic loop."""
    import torch
    from torch import nn

    dtype = getattr(torch, case.dtype)
    modules = []
    for index, (W, b) in enumerate(case.weights()):
        linear = nn.Linear(*W.shape, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T.copy()))
            linear.bias.copy_(torch.from_numpy(b))
        modules.append(linear)
        last = index == len(case.sizes) - 2
        activation = case.output if last else case.hidden
        if activation == "sigmoid":
            modules.append(nn.Sigmoid())
        elif activation == "relu":
            modules.append(nn.ReLU())
        # softmax is folded into CrossEntropyLoss, which takes the logits
    model = nn.Sequential(*modules)
    optimizer = torch.optim.SGD(model.parameters(), lr=case.lr)
    x_np, y_np = case.batch_data()
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)
    if case.loss == "cross_entropy":
        criterion = nn.CrossEntropyLoss()
        scale = 1.0
    else:  # the lecture's ½ Σ_k (y − ŷ)², averaged over the batch
        criterion = nn.MSELoss(reduction="sum")
        scale = 0.5 / case.batch

    def step():
        optimizer.zero_grad()
        loss = criterion(model(x), y) * scale
        loss.backward()
        optimizer.step()

    def weights():
        linears = [m for m in model if isinstance(m, nn.Linear)]
        return [(m.weight.detach().numpy().T.copy(), m.bias.detach().numpy().copy())
                for m in linears]

    return step, weights


def _gemm_operands(case: StepCase) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``(a, b)`` of each GEMM of the step, random, transposed views where the step has them."""
    rng = np.random.default_rng(case.seed)
    operands = []
    for shape_a, shape_b, transpose_a, transpose_b in case.matmul_shapes():
        a = rng.standard_normal(shape_a).astype(case.dtype)
        b = rng.standard_normal(shape_b).astype(case.dtype)
        operands.append((a.T if transpose_a else a, b.T if transpose_b else b))
    return operands


def build_floor(case: StepCase):
    """Only the step's matrix multiplies, into preallocated outputs: no step can be faster."""
    gemms = [(a, b, np.empty((a.shape[0], b.shape[1]), dtype=case.dtype))
             for a, b in _gemm_operands(case)]

    def step():
        for a, b, out in gemms:
            np.dot(a, b, out=out)  # np.dot: less per-call overhead than np.matmul

    return step, None


def build_torch_floor(case: StepCase):
    """The same matrix multiplies with PyTorch's own BLAS (``torch.mm`` into preallocated
    outputs), to show next to NumPy's floor whether PyTorch's GEMMs are the faster ones."""
    import torch

    gemms = []
    for a, b in _gemm_operands(case):
        a, b = torch.from_numpy(a), torch.from_numpy(b)  # views keep their transposition
        gemms.append((a, b, torch.empty((a.shape[0], b.shape[1]), dtype=a.dtype)))

    def step():
        for a, b, out in gemms:
            torch.mm(a, b, out=out)

    return step, None


BUILDERS = {"glassnet": build_glassnet, "torch": build_torch, "floor": build_floor,
            "torch_floor": build_torch_floor}


def time_step(step, blocks: int = 7, block_seconds: float = 0.15) -> list[float]:
    """Seconds per call of ``step``, one figure per block of calls, after a warm-up.

    The block length is sized from the warm-up so that each block lasts ``block_seconds``.
    """
    calls, start = 0, time.perf_counter()
    while calls < 3 or time.perf_counter() - start < block_seconds:
        step()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    n = max(1, int(block_seconds / per_call))
    figures = []
    for _ in range(blocks):
        start = time.perf_counter()
        for _ in range(n):
            step()
        figures.append((time.perf_counter() - start) / n)
    return figures
