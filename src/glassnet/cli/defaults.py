"""What ``glassnet train DATA`` does when only DATA is given.

A fixed epoch count serves nobody: 20 epochs of Adam are 900 updates on the 1,437 digits
but 100 on the 160 training rows of circles, which then stops at chance. So the default is
counted in updates, the quantity that training actually needs, and turned into epochs for
the data at hand. The same rule covers a CSV file; ``--epochs N`` always means exactly N.

With α = 0.01 (Adam) and 2,000 updates every bundled classification set reaches a good
model in a few seconds: xor, moons, circles, spiral and wine 100 %, gaussians 97.5 %,
breast_cancer 99 %, digits 96.7 %, iris 90 % (27 of its 30 test rows with seed 0).
"""

from __future__ import annotations

import math

#: Adam's α = 0.001 (Kingma & Ba's default) needs about ten times the updates on these small
#: networks and data sets; 0.01 is still well short of where the loss stops falling.
DEFAULT_LR = {"adam": 0.01, "sgd": 0.1}
UPDATES = 2000  # enough for every bundled set (spiral is the slowest to separate)
MIN_EPOCHS, MAX_EPOCHS = 20, 500  # a few passes over large data; a bound on tiny data

EPOCHS_HELP = (f"Passes over the training rows [default: enough for about {UPDATES} updates, "
               f"⌈{UPDATES} / batches per epoch⌉, between {MIN_EPOCHS} and {MAX_EPOCHS}].")
LR_HELP = (f"Learning rate α [default: {DEFAULT_LR['adam']:g} for adam, "
           f"{DEFAULT_LR['sgd']:g} for sgd].")


def default_epochs(n_rows: int, batch_size: int, validation_split: float = 0.0) -> int:
    """Epochs for about :data:`UPDATES` updates on ``n_rows`` training rows.

    >>> default_epochs(160, 32)   # moons: 5 batches an epoch
    400
    >>> default_epochs(1437, 32)  # digits: 45 batches an epoch
    45
    """
    fitted = max(1, n_rows - math.ceil(n_rows * validation_split))
    batches = math.ceil(fitted / batch_size)
    return min(MAX_EPOCHS, max(MIN_EPOCHS, math.ceil(UPDATES / batches)))
