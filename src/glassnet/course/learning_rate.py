"""What the learning rate does, shown with a run (the discussion of the lecture's Exercise 4).

Gradient descent ``θ ← θ − α ∇θL`` on the lecture network, the same input x = (0.05, 0.10),
for several α. The lecture's own target y = 0.01 sits in the flat tail of the sigmoid, where
even a huge step lands close to it, so the run uses y = 0.5, where a step can overshoot:

- α too small: the loss falls, but slowly;
- α about right: it falls fast and smoothly;
- α too large: the loss goes *up* on some steps — the update jumps over the minimum;
- α far too large: one step drives the output neuron into saturation, where
  ``σ'(z) = ŷ(1 − ŷ) ≈ 0``; gradients vanish and the loss stays stuck.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import SGD
from ._format import md_table, num, text_table
from .lecture import LECTURE_X, lecture_network

__all__ = ["LearningRateRun", "learning_rate_run"]


@dataclass(frozen=True)
class LearningRateRun:
    """Loss per step for each learning rate. ``losses[k][t]`` is the loss before step t+1."""

    target: float
    alphas: tuple[float, ...]
    losses: tuple[np.ndarray, ...]

    def rises(self, k: int) -> int:
        """How many steps made the loss of run ``k`` go up."""
        return int(np.sum(np.diff(self.losses[k]) > 0))

    def stuck(self, k: int) -> bool:
        """Whether run ``k`` stalled away from the minimum: over its last half the loss
        moved by less than 0.01 % of its value."""
        tail = self.losses[k][len(self.losses[k]) // 2:]
        return bool(tail[-1] > 1e-6 and np.ptp(tail) < 1e-4 * tail[-1])

    def verdict(self, k: int) -> str:
        run = self.losses[k]
        if self.stuck(k):
            return "stuck: the output neuron saturated and its gradient vanished"
        if self.rises(k):
            return f"overshoots: the loss went up on {self.rises(k)} of {len(run) - 1} steps"
        if run[-1] > 0.1 * run[0]:
            return "too slow: the loss has not even fallen tenfold"
        return "falls smoothly"

    def _shown_steps(self) -> list[int]:
        """The steps the table has a column for (besides the start and the last)."""
        return [t for t in (1, 2, 5, 10) if t < len(self.losses[0])]

    def _rows(self) -> list[list[str]]:
        return [[num(a, 4), num(run[0], 5), *[num(run[t], 5) for t in self._shown_steps()],
                 num(run[-1], 5), self.verdict(k)]
                for k, (a, run) in enumerate(zip(self.alphas, self.losses))]

    def _header(self) -> list[str]:
        return ["α", "L at start", *[f"after {t}" for t in self._shown_steps()],
                f"after {len(self.losses[0]) - 1}", "verdict"]

    def to_text(self) -> str:
        return (f"Lecture network, x = (0.05, 0.10), y = {self.target}:\n"
                + text_table(self._header(), self._rows()))

    def to_markdown(self) -> str:
        return (f"Lecture network, $x = (0.05, 0.10)$, $y = {self.target}$:\n\n"
                + md_table(self._header(), self._rows()) + "\n")

    def plot(self, ax=None, steps: int = 40):
        """Draw the loss over the first ``steps`` steps of every run, on a linear axis.

        A log axis would be stretched down to the ~1e-34 that a good α reaches and squash
        what the picture is for: α = 50 jumping up and down, α = 200 flat at its plateau.
        On a linear axis from 0 the runs that converge simply reach the floor.
        ``ax`` is a matplotlib ``Axes`` (a new figure is made when it is None); returns it.
        """
        if ax is None:
            from matplotlib.figure import Figure
            ax = Figure(figsize=(6, 3.5)).add_subplot()
        shown = min(steps, len(self.losses[0]) - 1) + 1
        for alpha, run in zip(self.alphas, self.losses):
            ax.plot(np.arange(shown), run[:shown], marker=".", markersize=3, label=f"α = {alpha:g}")
        top = max(float(run[:shown].max()) for run in self.losses)
        ax.set_ylim(0.0, 1.05 * top)
        ax.set_xlim(0, shown - 1)
        ax.set_xlabel("step")
        ax.set_ylabel(f"loss ½(y − ŷ)², y = {self.target:g}")
        ax.legend(fontsize="small")
        return ax


def learning_rate_run(alphas=(0.05, 0.5, 5.0, 50.0, 200.0), steps: int = 100,
                      target: float = 0.5) -> LearningRateRun:
    """Train the lecture network on one sample for ``steps`` steps with each α."""
    y = np.array([[target]])
    runs = []
    for alpha in alphas:
        net = lecture_network()
        opt = SGD(net.parameters(), lr=alpha)
        losses = np.empty(steps + 1)
        for t in range(steps + 1):
            loss = net.loss(net.forward(LECTURE_X), y)
            losses[t] = float(loss)
            if t < steps:
                loss.backward()
                opt.step()
        runs.append(losses)
    return LearningRateRun(float(target), tuple(float(a) for a in alphas), tuple(runs))
