"""The held-out (test) curve: each epoch's loss and metrics on the rows ``train`` keeps back.

``glassnet plot`` draws it beside the training curve, so a run without
``--validation-split`` still shows where the test loss stops following the training loss.
The numbers go into the run's history as ``test_loss``, ``test_accuracy``, … (one per epoch,
like ``val_loss``). They are only looked at: nothing in training reads them.
"""

from __future__ import annotations

import numpy as np

from .. import evaluation
from ..training import Callback

__all__ = ["HeldOutScores"]


class HeldOutScores(Callback):
    """At each epoch's end, ``test_loss`` and ``test_<metric>`` of ``fit``'s own metrics on
    ``X``, ``y``: one forward pass over the held-out rows, no gradients.

    ``X`` must be what the network sees in training (standardised features), ``y`` shaped
    like the training targets; both ``(N, …)`` as for ``fit``.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray):
        self.X, self.y = X, y

    def on_epoch_end(self, trainer, logs) -> None:
        net = trainer.net
        y_hat = net.forward(self.X)                  # (N, n_out)
        values = evaluation.scores(net, y_hat, self.y, trainer.metrics)
        # in the history itself, so a checkpoint keeps and resumes the curve with the rest
        trainer.history.append({"test_loss": float(net.loss(y_hat, self.y)),
                                **{f"test_{name}": v for name, v in values.items()}})
