"""Step 4: optimizers that apply θ ← θ − α∇θL, in order of increasing complexity.

Each one reads ``p.grad`` of the parameters it was given, skips frozen ones
(``trainable = False``) and those without a gradient, and updates ``p.value`` in place.
The arithmetic follows ``torch.optim`` operation for operation, so that with the same
settings the same gradients give the same parameters.
"""

from __future__ import annotations

import numpy as np

from . import checks
from .parameter import Parameter

__all__ = ["Optimizer", "SGD", "Adam"]

# Adam lays the parameters end to end (see Adam.step) only up to this many values: beyond it
# the arrays are large enough that NumPy's per-call cost is noise, and the flat temporaries
# would add to a fit's peak memory.
_TOGETHER_MAX_VALUES = 1 << 20


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
        if not isinstance(state, dict) or not {"state", "t"} <= state.keys():
            raise ValueError(f"{type(self).__name__}.load_state_dict expected the dict "
                             f"state_dict() returns, with 'state' and 't', got {state!r:.80}")
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
        if self.nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError("SGD with nesterov=True expected momentum > 0 and dampening = 0")

    def _update(self, p, g, state, i):
        if self.weight_decay:
            g = g + self.weight_decay * p.value
        if self.momentum:
            v = state.get("v")
            if v is None:
                v = state["v"] = g.copy()
            else:
                v *= self.momentum
                v += (1 - self.dampening) * g
            g = g + self.momentum * v if self.nesterov else v
        theta = p.value  # updated in place: no copy, and the dtype is kept
        theta -= self.lr * g

    def hyperparameters(self):
        return {"lr": self.lr, "momentum": self.momentum, "weight_decay": self.weight_decay,
                "dampening": self.dampening, "nesterov": self.nesterov}


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015, https://arxiv.org/abs/1412.6980, Algorithm 1), as
    ``torch.optim.Adam``::

        m ← β1 m + (1 − β1) g              # first moment, a running mean of g
        v ← β2 v + (1 − β2) g²             # second moment, a running mean of g²
        m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)     # corrected for starting at 0
        θ ← θ − α m̂ / (√v̂ + ε)

    As in PyTorch, ``t`` counts each parameter's own updates (``self.steps``), so a parameter
    frozen for a while resumes its bias correction where it left off; PyTorch evaluates the
    last line in another order, ``θ − (α/(1 − β1^t)) m / (√v/√(1 − β2^t) + ε)``, the same
    number to rounding.
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
        self._together: _EndToEnd | None = None  # the moments laid end to end, once built

    def step(self) -> None:
        """Update every trainable parameter that has a gradient.

        The speed path (docs/performance.md, "Speed tricks"): when all parameters take this
        step alike (each trainable, with a gradient, the same update count and dtype, no weight
        decay, at most ``_TOGETHER_MAX_VALUES`` values in all), :meth:`direction` runs once
        over all of them laid end to end instead of once per parameter. Every value sees the
        same operations in the same order, so the result is the same to the bit (tested in
        tests/test_performance_paths.py); NumPy is called about 20 times instead of 13 per
        parameter, which is most of Adam's time on the small networks learners train.
        """
        together = self._end_to_end()
        if together is None:
            return super().step()
        self.t += 1
        t = self.steps[0] + 1
        self.steps = [t] * len(self.params)
        g = together.gather_gradients(self.params)
        d = self.direction(g, together.m, together.v, t)
        for p, d_p in zip(self.params, together.split(d)):
            theta = p.value
            theta -= d_p

    def _end_to_end(self) -> _EndToEnd | None:
        """The flat moments when this step can take the speed path, else None."""
        dtype = self.params[0].dtype
        if (self.weight_decay or type(self)._update is not Adam._update  # a subclass's own rule
                or self.steps.count(self.steps[0]) != len(self.steps) or not all(
                    p.trainable and p.grad is not None and p.dtype == dtype for p in self.params)):
            return None
        together = self._together
        if together is None or not together.holds(self.state, dtype):
            if sum(p.size for p in self.params) > _TOGETHER_MAX_VALUES:
                return None
            together = self._together = _EndToEnd(self.params, self.state, dtype)
        return together

    def _update(self, p, g, state, i):
        if self.weight_decay:
            g = g + self.weight_decay * p.value
        if "m" not in state:
            state["m"], state["v"] = np.zeros_like(p.value), np.zeros_like(p.value)
        self.steps[i] += 1
        theta = p.value
        theta -= self.direction(g, state["m"], state["v"], self.steps[i])

    def direction(self, g, m, v, t: int) -> np.ndarray:
        """Advance the moments ``m`` and ``v`` by ``g`` in place; return ``α m̂ / (√v̂ + ε)``
        for a parameter's ``t``-th update."""
        m += (1 - self.beta1) * (g - m)     # β1 m + (1 − β1) g, as PyTorch's lerp writes it
        v *= self.beta2
        v += (1 - self.beta2) * g * g
        m_hat = m / (1 - self.beta1 ** t)
        v_hat = v / (1 - self.beta2 ** t)
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

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


class _EndToEnd:
    """Adam's moments of all parameters in two flat arrays; ``state[i]["m"]`` and ``["v"]``
    are views into them, so ``state_dict`` and checkpoints see the same values as ever."""

    def __init__(self, params, state: list[dict], dtype: np.dtype):
        sizes = [p.size for p in params]
        stops = np.cumsum(sizes).tolist()
        self.spans = [(stop - size, stop, p.shape) for size, stop, p in zip(sizes, stops, params)]
        self.dtype, self.state = dtype, state
        self.g = np.empty(stops[-1], dtype)
        self.m, self.v = np.zeros(stops[-1], dtype), np.zeros(stops[-1], dtype)
        for buffer, key in ((self.m, "m"), (self.v, "v")):
            for s, view in zip(state, self.split(buffer)):
                if key in s:  # moments from earlier steps or a checkpoint carry over
                    view[...] = s[key]
                s[key] = view
        self.views = [(s["m"], s["v"]) for s in state]

    def holds(self, state: list[dict], dtype: np.dtype) -> bool:
        """Whether ``state`` is still the one laid out here (no buffer replaced since)."""
        return state is self.state and dtype == self.dtype and all(
            s.get("m") is m and s.get("v") is v for s, (m, v) in zip(state, self.views))

    def split(self, flat: np.ndarray) -> list[np.ndarray]:
        """Views of ``flat``, one per parameter, in its shape."""
        return [flat[start:stop].reshape(shape) for start, stop, shape in self.spans]

    def gather_gradients(self, params) -> np.ndarray:
        """Every ``p.grad`` copied end to end into one array."""
        return np.concatenate([p.grad for p in params], axis=None, out=self.g)
