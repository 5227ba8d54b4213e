"""See through a training step: record one step, render it as text, maths, diagrams or JSON.

>>> trace = gn.explain.step(net, x, y, lr=0.5)        # doctest: +SKIP
>>> print(trace.to_text())                            # doctest: +SKIP
>>> trace.to_markdown(digits=5)    # the slides' derivation   # doctest: +SKIP
>>> trace.to_svg("backward")       # δ at neurons, ∂L/∂w on edges   # doctest: +SKIP
>>> trace.to_json()                # schema glassnet.trace/1 (docs/trace-schema.md)   # doctest: +SKIP

Notation is the lecture's (see :mod:`glassnet`): ``z_i^{[l]}``, ``a_i^{[l]}``, ``\\hat{y}``,
``\\delta_i^{[l]} = ∂L/∂z_i^{[l]}``, ``w_{ji}^{[l]}`` = ``W[j, i]`` from input j to neuron i.
A :class:`Trace` reads the engine's cached values; nothing is recorded unless :func:`step`
is called.

Files: ``trace.py`` (what a recorded step holds) and ``record.py`` (recording it from the
engine), ``notation.py`` (the symbols, from :mod:`glassnet.notation`) and ``numbers.py``
(rounding), ``derivation/`` (the derivation's lines, one module per step), one renderer per
file (``text.py``, ``markdown.py``, ``latex.py``, ``svg.py``, ``json.py``) and ``jupyter.py``
(rich display).
"""

from .trace import LayerTrace, ParamTrace, Trace, step

__all__ = ["step", "Trace", "LayerTrace", "ParamTrace"]
