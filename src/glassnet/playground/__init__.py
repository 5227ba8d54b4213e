"""The playground: step through backpropagation and watch a network learn, in the browser.

A local web app (Starlette, served by uvicorn on 127.0.0.1) with two modes:

* **Step through** opens on the lecture's 2-2-1 example. Forward, Loss, Backward and Update
  reveal each step's numbers on the diagram and, beside it, the derivation the explain
  package writes (its LaTeX, turned into MathML on the server).
* **Train** fits a network to a 2-D data set (xor, circles, moons, spiral, gaussians or a
  CSV) a few mini-batches per request and paints the decision boundary, the loss curves and
  every hidden neuron's output.

The page draws; every number, and every name of the lecture, comes from glassnet on the server.

Examples
--------
>>> from glassnet.playground import serve
>>> serve(port=8000, open_browser=True)   # doctest: +SKIP
"""

from .app import create_app
from .limits import Limits
from .server import serve

__all__ = ["Limits", "create_app", "serve"]
