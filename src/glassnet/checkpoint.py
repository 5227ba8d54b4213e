"""The earlier import path of :mod:`glassnet.training.checkpoint`, kept working."""

from .training.checkpoint import read_checkpoint, restore_checkpoint, resumed_seed, write_checkpoint

__all__ = ["write_checkpoint", "read_checkpoint", "restore_checkpoint", "resumed_seed"]
