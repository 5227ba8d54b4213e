"""Step 4: optimizers that apply θ ← θ − α∇θL, in order of increasing complexity.

Each one reads ``p.grad`` of the parameters it was given, skips frozen ones
(``trainable = False``) and those without a gradient, and updates ``p.value`` in place.
The arithmetic follows ``torch.optim`` operation for operation, so that with the same
settings the same gradients give the same parameters.
"""

from __future__ import annotations

import numpy as np

from . import checks
from ._adam_buffers import ALL_AT_ONCE_MAX_BYTES, FlatBuffers
from .parameter import Parameter

__all__ = ["Optimizer", "SGD", "Adam"]


class Optimizer:
    """Base class: holds the parameters, the learning rate and per-parameter state."""

    def __init__(self, params, lr: float):
        self.params: list[Parameter] = list(params)
        if not self.params:
            raise ValueError(f"{type(self).__name__} expected at least one parameter, got none")
        for p in self.params:
            if not isinstance(p, Parameter):
                raise TypeError(
                    f"{type(self).__name__} expected Parameters (net.parameters()), got "
                    f"{type(p).__name__}"
                )
        self.lr = checks.number(lr, type(self).__name__, "lr", positive=True)
        self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]
        self.t = 0  # steps taken

    def zero_grad(self) -> None:
        """Forget the gradients of all parameters (PyTorch's habit; backward sets them anyway)."""
        for p in self.params:
            p.zero_grad()

    def step(self) -> None:
        """Update every trainable parameter that has a gradient."""
        self.t += 1
        for i, (p, state) in enumerate(zip(self.params, self.state)):
            if p.trainable and p.grad is not None:
                self._update(p, p.grad, state, i)

    def _update(self, p: Parameter, grad: np.ndarray, state: dict, i: int) -> None:
        """Update parameter ``p`` (the ``i``-th) from ``grad`` and its ``state`` buffers."""
        raise NotImplementedError

    def hyperparameters(self) -> dict:
        """The settings that rebuild this optimizer (without its state)."""
        raise NotImplementedError

    def state_dict(self) -> dict:
        """Step count and per-parameter buffers (copies), for checkpoints."""
        return {"type": type(self).__name__, "t": self.t, **self.hyperparameters(),
                "state": [{k: v.copy() for k, v in s.items()} for s in self.state]}

    def load_state_dict(self, state: dict) -> None:
        """Restore what :meth:`state_dict` returned, for the same parameters."""
        if len(state["state"]) != len(self.params):
            raise ValueError(
                f"optimizer state has {len(state['state'])} parameters, expected {len(self.params)}"
            )
        self.t = int(state["t"])
        self.state = [{k: np.array(v, dtype=p.dtype) for k, v in s.items()}
                      for p, s in zip(self.params, state["state"])]

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v:g}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({settings})"


class SGD(Optimizer):
    """Gradient descent, the lecture's θ ← θ − α g, with optional momentum.

    With momentum μ (as ``torch.optim.SGD``): ``v ← g`` on the first step, then
    ``v ← μ v + (1 − dampening) g``, and ``θ ← θ − α v`` (Nesterov: ``θ ← θ − α (g + μ v)``).
    Weight decay λ adds ``λ θ`` to ``g`` first.

    Examples
    --------
    >>> opt = SGD(net.parameters(), lr=0.5)   # doctest: +SKIP
    >>> opt.step()                            # doctest: +SKIP
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, weight_decay: float = 0.0,
                 nesterov: bool = False, dampening: float = 0.0):
        super().__init__(params, lr)
        self.momentum = checks.number(momentum, "SGD", "momentum")
        self.weight_decay = checks.number(weight_decay, "SGD", "weight_decay")
        self.dampening = checks.number(dampening, "SGD", "dampening")
        self.nesterov = bool(nesterov)
        self._lr_arrays: dict[np.dtype, tuple[float, np.ndarray]] = {}
        if self.nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError("SGD with nesterov=True expected momentum > 0 and dampening = 0")

    def step(self) -> None:
        """Update every trainable parameter that has a gradient.

        Plain gradient descent, the lecture's case, goes straight to ``θ ← θ − α g`` for each
        parameter, without the per-parameter bookkeeping momentum and weight decay need.
        """
        if self.momentum or self.weight_decay or type(self)._update is not SGD._update:
            super().step()  # (a subclass's own _update is always called)
            return
        self.t += 1
        for p in self.params:
            if p.trainable and p.grad is not None:
                theta = p.value  # updated in place, as in _update
                theta -= self._lr_as(p.dtype) * p.grad

    def _update(self, p, g, state, i):
        if self.weight_decay:
            g = g + p.value * p.dtype.type(self.weight_decay)
        if self.momentum:
            v = state.get("v")
            if v is None:
                v = state["v"] = g.copy()
            else:
                v *= p.dtype.type(self.momentum)
                v += g * p.dtype.type(1 - self.dampening)
            g = g + v * p.dtype.type(self.momentum) if self.nesterov else v
        theta = p.value  # updated in place: no copy, and the dtype is kept
        theta -= self._lr_as(p.dtype) * g

    def _lr_as(self, dtype: np.dtype) -> np.ndarray:
        """α as a 0-d array of ``dtype``, made once per value of ``lr``.

        α is rounded to the parameters' dtype, as NumPy does with a Python float ``lr`` (so
        the same product, 0.2 µs sooner per parameter: a tenth of the lecture step's update);
        an ``lr`` given as a NumPy float64 no longer turns a float32 update into float64.
        """
        cached = self._lr_arrays.get(dtype)
        if cached is None or cached[0] != self.lr:
            cached = self._lr_arrays[dtype] = (self.lr, np.array(self.lr, dtype))
        return cached[1]

    def hyperparameters(self):
        return {"lr": self.lr, "momentum": self.momentum, "weight_decay": self.weight_decay,
                "dampening": self.dampening, "nesterov": self.nesterov}


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015, https://arxiv.org/abs/1412.6980), as ``torch.optim.Adam``.

    ::

        m ← m + (1 − β1)(g − m)            # first moment, a running mean of g
        v ← β2 v + (1 − β2) g²             # second moment, a running mean of g²
        m_hat = m / (1 − β1^t),  v_hat = v / (1 − β2^t)
        θ ← θ − α m_hat / (√v_hat + ε)

    The last line is evaluated in PyTorch's order:
    ``θ ← θ − (α / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)``. As in PyTorch, ``t`` counts
    each parameter's own updates (``self.steps``), so a parameter frozen for a while resumes
    its bias correction where it left off.
    """

    def __init__(self, params, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8, weight_decay: float = 0.0):
        super().__init__(params, lr)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            checks.number(beta, "Adam", name)  # a number, or one clear error
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Adam expected {name} in [0, 1), got {beta!r}")
        self.beta1, self.beta2 = float(beta1), float(beta2)
        self.eps = checks.number(eps, "Adam", "eps")
        self.weight_decay = checks.number(weight_decay, "Adam", "weight_decay")
        self.steps = [0] * len(self.params)  # t of each parameter: its own number of updates
        self._constants: dict[np.dtype, tuple[tuple, tuple[np.ndarray, ...]]] = {}

    def step(self) -> None:
        """Update every parameter with a gradient; in one go when that is all of them.

        Adam's thirteen array operations per parameter cost more in NumPy's per-call
        overhead than in arithmetic on small networks, so when every parameter has a
        gradient (one dtype, no weight decay, 128 KiB at most) they run once over all
        parameters laid end to end. The arithmetic is elementwise and identical, so the result
        is the same to the bit as updating parameter by parameter (``Optimizer.step``).
        """
        params, steps = self.params, self.steps
        if not self._all_at_once_applies():
            super().step()
            return
        self.t += 1
        for i in range(len(steps)):
            steps[i] += 1
        flat = self._flat_buffers()
        for g, p in zip(flat.gs, params):
            g[...] = p.grad  # the gradients end to end in flat.g
        self._direction(flat.g, flat.m, flat.v, params[0].dtype, steps[0],
                        scratch=flat.scratch, out=flat.direction)
        for p, direction in zip(params, flat.directions):
            theta = p.value  # updated in place, as in _update
            theta -= direction

    def _all_at_once_applies(self) -> bool:
        """Every parameter has a gradient; parameters, gradients and moments are of one dtype;
        all have taken the same number of steps; 128 KiB at most."""
        dtype, size = self.params[0].dtype, 0
        if self.weight_decay or len(set(self.steps)) > 1:
            return False
        for p, state in zip(self.params, self.state):
            if not p.trainable or p.grad is None or p.dtype != dtype or p.grad.dtype != dtype:
                return False
            if "m" in state and state["m"].dtype != dtype:  # e.g. after Parameter.astype
                return False
            size += p.size
        return size * dtype.itemsize <= ALL_AT_ONCE_MAX_BYTES

    def _update(self, p, g, state, i):
        if self.weight_decay:
            g = g + p.value * p.dtype.type(self.weight_decay)
        if "m" not in state:
            state["m"], state["v"] = np.zeros_like(p.value), np.zeros_like(p.value)
        self.steps[i] += 1
        theta = p.value
        theta -= self._direction(g, state["m"], state["v"], p.dtype, self.steps[i])

    def _direction(self, g, m, v, dtype, t, scratch=None, out=None) -> np.ndarray:
        """Advance ``m`` and ``v`` in place by gradient ``g``; return ``α m_hat / (√v_hat + ε)``
        for a parameter's ``t``-th update.

        In-place operations on two arrays, ``scratch`` and the result ``out`` (new ones when
        not given), in the operation order of the formulas in the class docstring.
        """
        one_minus_beta1, beta2, one_minus_beta2, eps = self._typed_constants(dtype)
        scratch = np.subtract(g, m, out=scratch)
        scratch *= one_minus_beta1
        m += scratch                                        # m + (1 − β1)(g − m)
        v *= beta2
        np.multiply(one_minus_beta2, g, out=scratch)
        scratch *= g
        v += scratch                                        # β2 v + (1 − β2) g g
        step_size = self.lr / (1 - self.beta1 ** t)
        direction = np.sqrt(v, out=out)
        direction /= np.array((1 - self.beta2 ** t) ** 0.5, dtype)
        direction += eps                                    # √v_hat + ε
        np.divide(m, direction, out=direction)
        direction *= np.array(step_size, dtype)             # α/(1 − β1^t) · m / (√v_hat + ε)
        return direction

    def _typed_constants(self, dtype: np.dtype) -> tuple[np.ndarray, ...]:
        """``1 − β1, β2, 1 − β2, ε`` as 0-d arrays of ``dtype``, made once per setting.

        NumPy combines an array with a 0-d array of its dtype about 0.4 µs sooner than with
        a NumPy scalar; the values, and so the results, are the same.
        """
        setting = (self.beta1, self.beta2, self.eps)
        cached = self._constants.get(dtype)
        if cached is None or cached[0] != setting:
            cached = self._constants[dtype] = (setting, tuple(np.array(c, dtype) for c in (
                1 - self.beta1, self.beta2, 1 - self.beta2, self.eps)))
        return cached[1]

    def _flat_buffers(self) -> FlatBuffers:
        """The all-at-once update's arrays; ``self.state`` holds views into its ``m`` and ``v``.

        Rebuilt (keeping the moments' values) whenever ``self.state`` no longer holds those
        views, e.g. after ``load_state_dict`` or steps taken parameter by parameter.
        """
        flat = getattr(self, "_flat", None)
        if flat is not None and all(s.get("m") is m and s.get("v") is v
                                    for s, m, v in zip(self.state, flat.ms, flat.vs)):
            return flat
        flat = self._flat = FlatBuffers(self.params)
        for state, m, v in zip(self.state, flat.ms, flat.vs):
            if "m" in state:
                m[...], v[...] = state["m"], state["v"]
            state["m"], state["v"] = m, v
        return flat

    def hyperparameters(self):
        return {"lr": self.lr, "beta1": self.beta1, "beta2": self.beta2, "eps": self.eps,
                "weight_decay": self.weight_decay}

    def state_dict(self) -> dict:
        return {**super().state_dict(), "steps": list(self.steps)}

    def load_state_dict(self, state: dict) -> None:
        super().load_state_dict(state)
        steps = state.get("steps", [self.t] * len(self.params))
        if len(steps) != len(self.params):
            raise ValueError(f"optimizer state has {len(steps)} step counts, expected "
                             f"{len(self.params)}")
        self.steps = [int(t) for t in steps]
