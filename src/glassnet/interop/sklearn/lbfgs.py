"""Training by ``solver='lbfgs'``: scipy's L-BFGS-B on the loss and gradient of the network.

scipy sees one vector θ, scikit-learn's packing of the parameters: every ``W[l]`` row by row,
then every ``b[l]``. For each θ it asks for, the network runs forward, loss and backward on
all rows at once, and the function returns scikit-learn's pair::

    L(θ)  = s_L · loss + (α / 2n) Σ_l ‖W[l]‖²
    ∇L(θ) = s · ∇loss + (α / n) W     (weights; biases without the α term)

``s_L`` and ``s`` are the estimator's loss and gradient scales (:mod:`.optimizers`): for K
regression targets scikit-learn reports the loss averaged over the targets but keeps the
gradient of their sum, and L-BFGS-B's line search sees exactly that pair, so it is kept.
The limits are scikit-learn's: ``maxiter=max_iter``, ``maxfun=max_fun``, ``gtol=tol``.
Reference: scikit-learn's ``_fit_lbfgs``; scipy's ``scipy.optimize.minimize``.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.optimize
from sklearn.exceptions import ConvergenceWarning

from .penalty import l2_term

__all__ = ["fit_lbfgs", "loss_and_gradient"]


def fit_lbfgs(est, X, Y, w) -> None:
    """Minimise the penalised loss of ``est.network_`` on all of ``X``, ``Y`` (weights ``w``)."""
    params = _packing_order(est.network_)
    result = scipy.optimize.minimize(
        loss_and_gradient, np.hstack([p.value.ravel() for p in params]), method="L-BFGS-B",
        jac=True, args=(est, X, Y, w),
        options={"maxfun": est.max_fun, "maxiter": est.max_iter, "gtol": est.tol})
    est.n_iter_ = min(result.nit, est.max_iter)
    if result.status != 0:
        warnings.warn(f"lbfgs failed to converge after {est.n_iter_} iteration(s) (status="
                      f"{result.status}): {result.message}; raise max_iter or max_fun, or "
                      f"scale X", ConvergenceWarning, stacklevel=5)
    est.loss_ = float(result.fun)
    _unpack(params, result.x)


def loss_and_gradient(theta: np.ndarray, est, X, Y, w) -> tuple[float, np.ndarray]:
    """scikit-learn's penalised loss at ``theta`` and its gradient, packed like ``theta``."""
    net = est.network_
    params = _packing_order(net)
    _unpack(params, theta)
    loss = net.loss(net.forward(X), Y, sample_weight=w)
    loss.backward()
    n = len(X) if w is None else float(np.add.reduce(w))
    value = est._sklearn_loss(loss, Y, w) + l2_term(net, est.alpha, n)
    weights = {id(layer.W) for layer in net.layers}
    scale = est._gradient_scale()
    grads = [p.grad * scale + (est.alpha / n) * p.value if id(p) in weights else p.grad * scale
             for p in params]
    return value, np.hstack([g.ravel() for g in grads])


def _packing_order(net) -> list:
    return [layer.W for layer in net.layers] + [layer.b for layer in net.layers]


def _unpack(params, theta: np.ndarray) -> None:
    start = 0
    for p in params:
        p.value = theta[start:start + p.size].reshape(p.shape)
        start += p.size
