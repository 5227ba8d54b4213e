"""Training: the lecture's four steps repeated over mini-batches for many epochs.

``net.fit(X, y, epochs=…)`` hands over to :func:`fit` here; everything a run needs lives in
this package, each in its own file:

==================  ==========================================================================
``trainer.py``      ``fit`` and ``Trainer``: the loop over epochs and batches, stopping,
                    divergence, interrupts
``config.py``       ``FitConfig``: every setting of one ``fit``, checked once; the optimizer
                    and callbacks it turns into
``data.py``         the training and validation rows, checked once and split once
``callbacks.py``    ``History``, ``Callback``, ``EarlyStopping``, ``TargetLoss``
``checkpoint.py``   everything needed to resume bit-identically
``interrupts.py``   Ctrl-C and SIGTERM deferred to the end of the batch
==================  ==========================================================================
"""

from .callbacks import Callback, EarlyStopping, FunctionCallback, History, TargetLoss
from .config import FitConfig
from .trainer import Trainer, TrainingDiverged, fit

__all__ = ["fit", "FitConfig", "Trainer", "TrainingDiverged", "History", "Callback",
           "EarlyStopping", "TargetLoss", "FunctionCallback"]
