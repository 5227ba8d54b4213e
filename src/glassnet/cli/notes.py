"""The lines ``glassnet train`` adds after its metrics when the run did not go well.

Both read numbers the command already has; neither stops the run or changes its exit code,
because the model was trained as asked and may still be what the user wanted to look at.
"""

from __future__ import annotations

import numpy as np

from ..training import Callback

GREW = 2.0  # the final loss is this many times the initial one: the steps were too large
NEAR_CHANCE = 0.1  # within this share of the way from chance to a perfect score


class LossWatch(Callback):
    """Keeps the training loss before the first update, to compare with the loss at the end.

    Measured in ``fit``'s own batches, after fit has checked that a batch fits in memory,
    on the rows it trains on (without those ``--validation-split`` keeps aside).
    """

    def on_fit_begin(self, trainer) -> None:
        self.trainer = trainer
        self.initial = self.now()

    def now(self) -> float:
        """The mean loss of the network as it is now over the training rows."""
        net, X, y = self.trainer.net, self.trainer.X, self.trainer.y
        step = self.trainer.batch_size
        total = 0.0
        with np.errstate(all="ignore"):  # an exploded run is reported by loss_grew, not numpy
            for i in range(0, len(X), step):
                xb, yb = X[i:i + step], y[i:i + step]
                total += float(net.loss(net.forward(xb), yb)) * len(xb)
        return total / len(X)


def loss_grew(initial: float, final: float, lr: float, default_lr: float) -> str | None:
    """A note when training ended with the loss far above the loss before the first update.

    Comparing epochs would miss an explosion in the first one: with ``--optimizer sgd --lr 1e6``
    on moons the first epoch's mean is 7e134 and the last 2.6e5, lower, yet both are far above
    the 0.7 the initial weights gave.
    """
    if not (np.isfinite(initial) and final > GREW * initial):
        return None
    return (f"the loss grew from {initial:.4g} before training to {final:.4g} after it: "
            f"the steps are too large; lower --lr (it was {lr:g}, the default is {default_lr:g})")


def near_chance(accuracy: float, y_train: np.ndarray, y_test: np.ndarray) -> str | None:
    """A note when the test accuracy is close to always guessing the most common class."""
    labels, counts = np.unique(np.asarray(y_train), return_counts=True)
    majority = labels[counts.argmax()]
    chance = float(np.mean(np.asarray(y_test) == majority))
    if accuracy > chance + NEAR_CHANCE * (1.0 - chance):
        return None
    return (f"test accuracy {accuracy:.4f} is near chance ({chance:.4f} by always answering "
            f"the most common class): the network has not learned the task yet; try more "
            f"--epochs, a larger --lr, or wider --hidden")
