"""Leave glassnet for the wider ecosystem: PyTorch to train at scale, ONNX to deploy.

==================================  ==============================================================
``to_torch(net)``                   a ``torch.nn.Sequential`` with the same outputs and gradients,
                                    and ``model.loss_fn``, the network's loss in PyTorch
``from_torch(module, loss=None)``   a ``Network`` from a ``Sequential`` of ``Linear`` layers and
                                    supported activations
``to_onnx(net, path)``              an ONNX model file that ``onnxruntime`` runs
==================================  ==============================================================

The scikit-learn estimators live in :mod:`glassnet.interop.sklearn`, imported as
:mod:`glassnet.sklearn`. Importing this package never imports scikit-learn, torch or onnx;
each function imports what it needs when it is called.
"""

from .onnx import to_onnx
from .torch import from_torch, to_torch

__all__ = ["from_torch", "to_onnx", "to_torch"]
