"""The earlier import path of :mod:`glassnet.training.callbacks`, kept working.

``from glassnet.callbacks import Callback`` still gives the class a custom callback
subclasses; new code imports it from ``glassnet`` or ``glassnet.training``.
"""

from .training.callbacks import Callback, EarlyStopping, FunctionCallback, History, TargetLoss

__all__ = ["Callback", "History", "EarlyStopping", "TargetLoss", "FunctionCallback"]
