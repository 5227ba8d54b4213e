"""scikit-learn's per-epoch rules, hooked into ``net.fit`` as a callback.

scikit-learn's MLP reads its learning-rate schedules and stopping rule once per epoch:
:class:`EpochRules` hands each epoch's loss (the L2 penalty of :mod:`.penalty` included) to
the estimator to record, schedule and judge, and stops ``fit`` when the estimator says so.

Reference: scikit-learn's ``sklearn/neural_network/_multilayer_perceptron.py``
(``_update_no_improvement_count``).
"""

from __future__ import annotations

from ...training import Callback

__all__ = ["EpochRules"]


class EpochRules(Callback):
    """At each epoch's end, give the estimator the epoch's loss (penalty included) to record,
    schedule and judge; stop ``fit`` when the estimator's stopping rule says so."""

    def __init__(self, estimator, X_val=None, y_val=None, stopping: bool = True, w_val=None):
        self.estimator, self.X_val, self.y_val, self.stopping = estimator, X_val, y_val, stopping
        self.w_val = w_val  # the validation rows' sample weights, for a weighted score

    def on_epoch_end(self, trainer, logs) -> None:
        estimator = self.estimator
        n = len(trainer.X)
        estimator._end_epoch(logs["loss"] + estimator._optimizer.take_penalty() / n, n)
        if self.stopping and estimator._no_longer_improving(self.X_val, self.y_val, self.w_val):
            trainer.stop("no_improvement",
                         f"no improvement by tol={estimator.tol} for more than "
                         f"n_iter_no_change={estimator.n_iter_no_change} epochs")
