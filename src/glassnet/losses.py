"""Loss functions L(ŷ, y), each the mean over the batch, with their gradients dL/dŷ.

The lecture's loss is ``squared_error``: ``L = ½ Σ_k (y_k − ŷ_k)²`` for one sample (as in
Mazur's worked example), averaged here over the N samples of a batch.

=========================  =======================================  ====================
loss                       L for a batch of N samples, K outputs    dL/dŷ
=========================  =======================================  ====================
``squared_error``          (1/N) Σ_n ½ Σ_k (y − ŷ)²                 (ŷ − y) / N
``mse``                    (1/(N·K)) Σ_n Σ_k (y − ŷ)²  (``MSELoss``) 2(ŷ − y) / (N·K)
``binary_cross_entropy``   −(1/(N·K)) Σ [y log ŷ + (1−y) log(1−ŷ)]  via the fused rule
``cross_entropy``          −(1/N) Σ_n Σ_k y_k log ŷ_k               via the fused rule
=========================  =======================================  ====================

The fused rule: for the pairs (sigmoid output, ``binary_cross_entropy``) and (softmax
output, ``cross_entropy``) the chain ``dL/dŷ · ∂ŷ/∂z`` collapses to ``dL/dz = (ŷ − y) / M``
(M = N·K and N respectively), which never divides by ŷ and so stays finite when the output
saturates. These are the only valid pairs for the cross-entropies; the squared losses fit
any output activation. Both cross-entropies also read their value from ``z`` rather than ŷ
(``log σ(z) = −softplus(−z)``, ``log softmax(z) = z − logsumexp(z)``), so the value is finite
and exact where ŷ has rounded to 0 or 1.

With per-sample weights ``w`` (N,) every loss is the weighted mean of its rows' losses l_n,
each row's share 1/N becoming w_n/Σw (:mod:`glassnet.sample_weight`; weights of ones give
the plain mean back, an integer weight counts a row as that many copies):

=========================  ==========================================  =======================
loss                       weighted L                                  dL/dŷ (or fused dL/dz)
=========================  ==========================================  =======================
``squared_error``          Σ_n w_n ½ Σ_k (y − ŷ)² / Σw                 w_n (ŷ − y) / Σw
``mse``                    Σ_n w_n Σ_k (y − ŷ)² / (Σw·K)               2 w_n (ŷ − y) / (Σw·K)
``binary_cross_entropy``   −Σ_n w_n Σ_k [y log ŷ + …] / (Σw·K)         fused: w_n (ŷ − y) / (Σw·K)
``cross_entropy``          −Σ_n w_n Σ_k y_k log ŷ_k / Σw               fused: w_n (ŷ − y) / Σw
=========================  ==========================================  =======================

This is scikit-learn's MLP loss with ``sample_weight`` and PyTorch's ``reduction="none"``
loss summed against ``w`` and divided by ``w.sum()``.
"""

from __future__ import annotations

import numpy as np

from ._reduce import row_maxima, row_sums
from .sample_weight import check_sample_weight, row_share
from .targets import as_float_targets, class_labels, shape_text

__all__ = [
    "Loss",
    "SquaredError",
    "MSE",
    "BinaryCrossEntropy",
    "CrossEntropy",
    "LOSSES",
    "get_loss",
]


class Loss:
    """Base class. ``fused_activation`` names the output activation of the fused rule."""

    name = "loss"
    fused_activation: str | None = None
    required_activation: str | None = None

    def prepare_targets(self, y, y_hat: np.ndarray) -> np.ndarray:
        """Validate targets against the output ``y_hat`` and return them as an array."""
        y = as_float_targets(y, y_hat.dtype)
        if y.ndim == 1 and y_hat.shape[1] == 1:
            y = y.reshape(-1, 1)
        if y.shape != y_hat.shape:
            raise ValueError(
                f"{self.name} expected targets of shape {shape_text(y_hat.shape)} to match the "
                f"output, got {shape_text(y.shape)}"
            )
        return y

    def value(self, y_hat: np.ndarray, y: np.ndarray, z: np.ndarray | None = None) -> float:
        raise NotImplementedError

    def gradient(self, y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
        """dL/dŷ, shape of ``y_hat``."""
        raise NotImplementedError

    def fused_gradient(self, y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
        """dL/dz for the fused output activation: ``(ŷ − y) / M``."""
        raise NotImplementedError

    def per_sample(self, y_hat: np.ndarray, y: np.ndarray, z=None) -> np.ndarray:
        """l_n, the loss of each row, shape (N,): the plain L is their mean."""
        raise NotImplementedError

    # Weighted forms: each row counts w_n/Σw instead of 1/N (glassnet.sample_weight). The
    # plain methods above stay the fast path for sample_weight=None.

    def weighted_value(self, y_hat, y, sample_weight: np.ndarray, z=None) -> float:
        """Σ_n w_n l_n / Σ_n w_n, for checked weights ``sample_weight`` of shape (N,)."""
        l = self.per_sample(y_hat, y, z)                                 # (N,)
        return float(np.dot(sample_weight, l)) / float(np.add.reduce(sample_weight))

    def weighted_gradient(self, y_hat, y, sample_weight: np.ndarray) -> np.ndarray:
        """dL/dŷ of the weighted mean: the plain mean's, row n scaled by N w_n / Σw."""
        return self.gradient(y_hat, y) * row_share(sample_weight, y_hat.dtype)

    def weighted_fused_gradient(self, y_hat, y, sample_weight: np.ndarray) -> np.ndarray:
        """dL/dz of the fused rule for the weighted mean: ``w_n (ŷ − y) / (Σw·K)`` (K=1 for CE)."""
        dz = self.fused_gradient(y_hat, y)
        dz *= row_share(sample_weight, y_hat.dtype)
        return dz

    def __call__(self, y_hat, y, sample_weight=None) -> float:
        """The loss of predictions ``y_hat`` against targets ``y`` (weighted mean if given)."""
        y_hat = np.asarray(y_hat, dtype=float)
        if y_hat.ndim == 1:
            y_hat = y_hat.reshape(-1, 1)
        y = self.prepare_targets(y, y_hat)
        if sample_weight is None:
            return self.value(y_hat, y)
        w = check_sample_weight(sample_weight, len(y_hat), self.name)
        return self.weighted_value(y_hat, y, w)

    def __repr__(self) -> str:
        return self.name


class SquaredError(Loss):
    """The lecture's loss: L = ½ Σ_k (y_k − ŷ_k)², averaged over the batch; dL/dŷ = ŷ − y."""

    name = "squared_error"

    def value(self, y_hat, y, z=None):
        r = y_hat - y
        return 0.5 * float(np.vdot(r, r)) / y_hat.shape[0]

    def gradient(self, y_hat, y):
        return (y_hat - y) * y_hat.dtype.type(1.0 / y_hat.shape[0])

    def per_sample(self, y_hat, y, z=None):
        r = y_hat - y
        return 0.5 * np.einsum("nk,nk->n", r, r)                        # (N,)


class MSE(Loss):
    """PyTorch's ``MSELoss``: L = mean of (y − ŷ)² over all N·K elements; dL/dŷ = 2(ŷ − y)/(N·K)."""

    name = "mse"

    def value(self, y_hat, y, z=None):
        r = y_hat - y
        return float(np.vdot(r, r)) / r.size

    def gradient(self, y_hat, y):
        return (y_hat - y) * y_hat.dtype.type(2.0 / y_hat.size)

    def per_sample(self, y_hat, y, z=None):
        r = y_hat - y
        return np.einsum("nk,nk->n", r, r) / r.shape[1]                 # (N,)


class BinaryCrossEntropy(Loss):
    """L = −mean[y log ŷ + (1 − y) log(1 − ŷ)] over all elements, for a sigmoid output.

    Targets may be any value in [0, 1]. As PyTorch's ``BCELoss`` it averages over all
    N·K elements. From ``z``: ``−[y log σ(z) + (1−y) log σ(−z)] = softplus(z) − y z``.
    """

    name = "binary_cross_entropy"
    fused_activation = "sigmoid"
    required_activation = "sigmoid"

    def prepare_targets(self, y, y_hat):
        y = super().prepare_targets(y, y_hat)
        if y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError(
                f"binary_cross_entropy expected targets in [0, 1], got values from "
                f"{y.min():g} to {y.max():g}"
            )
        return y

    def value(self, y_hat, y, z=None):
        return float(np.add.reduce(self._elementwise(y_hat, y, z), axis=None)) / y_hat.size

    def gradient(self, y_hat, y):
        eps = np.finfo(y_hat.dtype).tiny
        return (y_hat - y) / np.maximum(y_hat * (1 - y_hat), eps) / y_hat.size

    def fused_gradient(self, y_hat, y):
        return (y_hat - y) * y_hat.dtype.type(1.0 / y_hat.size)

    def per_sample(self, y_hat, y, z=None):
        return self._elementwise(y_hat, y, z).sum(axis=1) / y_hat.shape[1]  # (N,)

    @staticmethod
    def _elementwise(y_hat, y, z):
        """The loss of each element, (N, K): from ``z`` where given, else from ŷ."""
        if z is not None:
            softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
            return softplus - y * z
        # From probabilities alone: clamp the logs at −100, as PyTorch's BCELoss does.
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(y_hat), -100.0)
            log_q = np.maximum(np.log1p(-y_hat), -100.0)
        return -(y * log_p + (1 - y) * log_q)


class CrossEntropy(Loss):
    """L = −(1/N) Σ_n Σ_k y_nk log ŷ_nk for a softmax output.

    Targets are integer class labels of shape (N,) or one-hot (or any probability) rows of
    shape (N, C). With integer labels this is ``−mean log ŷ[n, label_n]``, PyTorch's
    ``CrossEntropyLoss`` applied to the logits ``z``.
    """

    name = "cross_entropy"
    fused_activation = "softmax"
    required_activation = "softmax"

    def prepare_targets(self, y, y_hat):
        n, c = y_hat.shape
        y = np.asarray(y)
        if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1 and c > 1):
            return class_labels(y.reshape(-1), n, c)
        y = as_float_targets(y, y_hat.dtype)
        if y.shape != y_hat.shape:
            raise ValueError(
                f"cross_entropy expected integer labels of shape ({n},) or one-hot targets of "
                f"shape {shape_text(y_hat.shape)}, got {shape_text(y.shape)}"
            )
        if y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError("cross_entropy expected one-hot or probability targets in [0, 1]")
        return y

    def value(self, y_hat, y, z=None):
        n = y_hat.shape[0]
        if y.ndim == 1 and z is not None:
            picked = y_hat[np.arange(n), y]                             # (N,) ŷ of each label
            # Where ŷ is a normal number, softmax computed it to a few ulps, so log ŷ is as
            # exact as z − logsumexp(z) (and 3× cheaper); z is needed only where ŷ underflowed.
            if np.minimum.reduce(picked) >= np.finfo(picked.dtype).tiny:
                return -float(np.add.reduce(np.log(picked))) / n
        if z is not None:
            logsumexp = _logsumexp(z)                                   # (N, 1)
            if y.ndim == 1:  # only the labelled class of each row is needed
                rows = np.arange(n)
                return float(np.add.reduce(logsumexp[:, 0] - z[rows, y])) / n
            log_p = z - logsumexp
        else:
            with np.errstate(divide="ignore"):
                log_p = np.maximum(np.log(y_hat), -100.0)
        if y.ndim == 1:
            return -float(np.add.reduce(log_p[np.arange(n), y])) / n
        return -float(np.add.reduce(y * log_p, axis=None)) / n

    def gradient(self, y_hat, y):
        eps = np.finfo(y_hat.dtype).tiny
        return -self._one_hot(y, y_hat) / np.maximum(y_hat, eps) / y_hat.shape[0]

    def fused_gradient(self, y_hat, y):
        n = y_hat.shape[0]
        dz = y_hat.copy()
        if y.ndim == 1:
            dz[np.arange(n), y] -= 1
        else:
            dz -= y
        dz *= dz.dtype.type(1.0 / n)
        return dz

    def per_sample(self, y_hat, y, z=None):
        if z is not None:
            log_p = z - _logsumexp(z)
        else:
            with np.errstate(divide="ignore"):
                log_p = np.maximum(np.log(y_hat), -100.0)
        if y.ndim == 1:
            return -log_p[np.arange(len(y)), y]                         # (N,)
        return -(y * log_p).sum(axis=1)

    @staticmethod
    def _one_hot(y, y_hat):
        if y.ndim == 2:
            return y
        one_hot = np.zeros_like(y_hat)
        one_hot[np.arange(y.shape[0]), y] = 1
        return one_hot


def _logsumexp(z: np.ndarray) -> np.ndarray:
    """``log Σ_c e^(z_c)`` per row, (N, 1), as ``m + log Σ_c e^(z_c − m)``, m the row max."""
    m = row_maxima(z)                                                   # (N, 1)
    e = z - m
    np.exp(e, out=e)
    return m + np.log(row_sums(e))


LOSSES = {
    "squared_error": SquaredError,
    "mse": MSE,
    "binary_cross_entropy": BinaryCrossEntropy,
    "cross_entropy": CrossEntropy,
}


def get_loss(spec: str | Loss) -> Loss:
    """Return the loss named by ``spec`` (a name or an instance)."""
    if isinstance(spec, Loss):
        return spec
    if isinstance(spec, str):
        key = spec.lower().replace("-", "_")
        key = {"bce": "binary_cross_entropy", "ce": "cross_entropy"}.get(key, key)
        if key in LOSSES:
            return LOSSES[key]()
        raise ValueError(f"unknown loss {spec!r}; expected one of: {', '.join(LOSSES)}")
    raise TypeError(f"loss must be a name such as 'mse' or a Loss, got {type(spec).__name__}")
