"""Ctrl-C and SIGTERM during training: finish the batch, then stop cleanly.

Inside :func:`deferred_interrupts` the first SIGINT or SIGTERM only sets ``flag.signum``;
the training loop looks at it after every batch, writes its checkpoint and returns. A
second signal stops waiting: the previous handlers are put back and the signal is raised
again, so Ctrl-C twice still interrupts at once. Outside the main thread Python cannot
install handlers, and the context does nothing.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

__all__ = ["InterruptFlag", "deferred_interrupts"]

_SIGNALS = tuple(s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None)) if s is not None)


class InterruptFlag:
    """``signum`` is the first signal received, or ``None``."""

    signum: int | None = None

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum else ""


@contextmanager
def deferred_interrupts():
    """Defer SIGINT/SIGTERM to the next batch boundary; restore the old handlers on exit."""
    flag = InterruptFlag()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return
    previous = {}

    def restore():
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)

    def handler(signum, frame):
        if flag.signum is not None:
            restore()
            signal.raise_signal(signum)
            return
        flag.signum = signum

    for sig in _SIGNALS:
        previous[sig] = signal.signal(sig, handler)
    try:
        yield flag
    finally:
        restore()
