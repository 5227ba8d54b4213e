"""The earlier import path of :mod:`glassnet.training.interrupts`, kept working."""

from .training.interrupts import InterruptFlag, deferred_interrupts

__all__ = ["InterruptFlag", "deferred_interrupts"]
