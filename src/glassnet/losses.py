"""Loss functions L(ŷ, y): a mean over the batch of each sample's loss l_n, and its gradient.

The lecture's loss is ``squared_error``: ``l = ½ Σ_k (y_k − ŷ_k)²`` for one sample (as in
Mazur's worked example). Each loss writes its formula once, as ``l_n`` and ``∂l_n/∂ŷ_n``;
the batch loss and its gradient are then, for every loss alike::

    L = Σ_n s_n l_n          dL/dŷ_n = s_n ∂l_n/∂ŷ_n          s_n = 1/N

With per-sample weights ``w`` (N,) each row's share becomes ``s_n = w_n / Σw``: the weighted
mean, as scikit-learn's MLP and PyTorch's ``reduction="none"`` loss summed against ``w`` over
``w.sum()`` compute it. Weights of ones give the plain mean; an integer weight counts a row
as that many copies.

=========================  ==========================================  ====================
loss                       l_n for a sample of K outputs               ∂l_n/∂ŷ_n
=========================  ==========================================  ====================
``squared_error``          ½ Σ_k (y_k − ŷ_k)²                          ŷ − y
``mse``                    (1/K) Σ_k (y_k − ŷ_k)²       (``MSELoss``)   2(ŷ − y) / K
``binary_cross_entropy``   −(1/K) Σ_k [y log ŷ + (1−y) log(1−ŷ)]       (ŷ − y) / (K ŷ(1 − ŷ))
``cross_entropy``          −Σ_k y_k log ŷ_k                             −y / ŷ
=========================  ==========================================  ====================

The fused rule: a cross-entropy needs its own output activation (sigmoid for
``binary_cross_entropy``, softmax for ``cross_entropy``; ``output_activation``), and with it
the chain ``∂l/∂ŷ · ∂ŷ/∂z`` collapses to ``∂l_n/∂z_n = (ŷ − y) / K`` (K = 1 for
``cross_entropy``), which never divides by ŷ and so stays finite when the output saturates.
A ``Network`` always takes that road for them (:attr:`glassnet.Network.fused`); their
``∂l/∂ŷ`` is there to show and check the chain. Both cross-entropies also read ``l_n`` from
``z`` when it is given (``−log σ(z) = softplus(−z)``, ``−log softmax(z)_k = logsumexp(z) − z_k``),
exact where ŷ has rounded to 0 or 1.
"""

from __future__ import annotations

import numpy as np

from . import checks

__all__ = ["Loss", "SquaredError", "MSE", "BinaryCrossEntropy", "CrossEntropy", "LOSSES",
           "get_loss"]


class Loss:
    """Base class: a loss writes ``per_sample`` (l_n) and ``sample_gradient`` (∂l_n/∂ŷ_n)."""

    name = "loss"
    output_activation: str | None = None  # the output a cross-entropy needs and fuses with

    @property
    def fused_activation(self) -> str | None:
        """The earlier name of ``output_activation`` (one attribute now says both)."""
        return self.output_activation

    required_activation = fused_activation

    def prepare_targets(self, y, y_hat: np.ndarray) -> np.ndarray:
        """Validate targets against the output ``y_hat`` and return them as an array."""
        y = checks.float_targets(y, self.name, y_hat.dtype)
        if y.ndim == 1 and y_hat.shape[1] == 1:
            y = y.reshape(-1, 1)
        if y.shape != y_hat.shape:
            raise ValueError(f"{self.name} expected targets of shape "
                             f"{checks.shape_text(y_hat.shape)} to match the output, got "
                             f"{checks.shape_text(y.shape)}")
        return y

    # ---- the formula of one sample: each loss writes these --------------------------------

    def per_sample(self, y_hat: np.ndarray, y: np.ndarray, z=None) -> np.ndarray:
        """l_n, the loss of each row, shape (N,)."""
        raise NotImplementedError

    def sample_gradient(self, y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∂l_n/∂ŷ_n, shape of ``y_hat``."""
        raise NotImplementedError

    def fused_sample_gradient(self, y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∂l_n/∂z_n through the output activation it fuses with: ``(ŷ − y) / K``."""
        raise TypeError(f"{self.name} has no fused rule; use gradient()")

    # ---- the batch: L = Σ_n s_n l_n, the same for every loss --------------------------------

    def value(self, y_hat, y, z=None, sample_weight=None) -> float:
        """L = Σ_n s_n l_n: the mean of the rows' losses, or their weighted mean."""
        l = self.per_sample(y_hat, y, z)                               # (N,)
        if sample_weight is None:
            return float(l.sum()) / len(l)
        return float(np.dot(sample_weight, l)) / float(sample_weight.sum())

    def gradient(self, y_hat, y, sample_weight=None) -> np.ndarray:
        """dL/dŷ = s_n ∂l_n/∂ŷ_n, shape of ``y_hat``."""
        return self.sample_gradient(y_hat, y) * _shares(len(y_hat), sample_weight, y_hat.dtype)

    def fused_gradient(self, y_hat, y, sample_weight=None) -> np.ndarray:
        """dL/dz = s_n ∂l_n/∂z_n for the output activation of the fused rule."""
        dz = self.fused_sample_gradient(y_hat, y)
        dz *= _shares(len(y_hat), sample_weight, y_hat.dtype)
        return dz

    # The same with weights, under the names they had before ``sample_weight=`` was added.
    def weighted_value(self, y_hat, y, sample_weight, z=None) -> float:
        return self.value(y_hat, y, z, sample_weight)

    def weighted_gradient(self, y_hat, y, sample_weight) -> np.ndarray:
        return self.gradient(y_hat, y, sample_weight)

    def weighted_fused_gradient(self, y_hat, y, sample_weight) -> np.ndarray:
        return self.fused_gradient(y_hat, y, sample_weight)

    def __call__(self, y_hat, y, sample_weight=None) -> float:
        """The loss of predictions ``y_hat`` against targets ``y`` (weighted mean if given)."""
        y_hat = np.asarray(y_hat, dtype=float)
        if y_hat.ndim == 1:
            y_hat = y_hat.reshape(-1, 1)
        y = self.prepare_targets(y, y_hat)
        w = None if sample_weight is None else checks.sample_weight(sample_weight, len(y_hat),
                                                                   self.name)
        return self.value(y_hat, y, sample_weight=w)

    def __repr__(self) -> str:
        return self.name


def _shares(n: int, sample_weight, dtype):
    """s_n: ``1/N`` for the plain mean, else ``w_n / Σw`` as a column (N, 1)."""
    if sample_weight is None:
        return dtype.type(1.0 / n)
    return (sample_weight / float(sample_weight.sum())).astype(dtype, copy=False)[:, None]


class SquaredError(Loss):
    """The lecture's loss: l = ½ Σ_k (y_k − ŷ_k)²; ∂l/∂ŷ = ŷ − y."""

    name = "squared_error"

    def per_sample(self, y_hat, y, z=None):
        r = y_hat - y
        return 0.5 * (r * r).sum(axis=1)                                  # (N,)

    def sample_gradient(self, y_hat, y):
        return y_hat - y


class MSE(Loss):
    """PyTorch's ``MSELoss``: l = (1/K) Σ_k (y_k − ŷ_k)²; ∂l/∂ŷ = 2(ŷ − y)/K."""

    name = "mse"

    def per_sample(self, y_hat, y, z=None):
        r = y_hat - y
        return (r * r).sum(axis=1) / r.shape[1]                           # (N,)

    def sample_gradient(self, y_hat, y):
        return (y_hat - y) * y_hat.dtype.type(2.0 / y_hat.shape[1])


class BinaryCrossEntropy(Loss):
    """l = −(1/K) Σ_k [y log ŷ + (1 − y) log(1 − ŷ)], for a sigmoid output.

    Targets may be any value in [0, 1]; as PyTorch's ``BCELoss`` the batch loss averages
    over all N·K elements. From ``z``: ``−[y log σ(z) + (1−y) log σ(−z)] = softplus(z) − y z``.
    """

    name = "binary_cross_entropy"
    output_activation = "sigmoid"

    def prepare_targets(self, y, y_hat):
        y = super().prepare_targets(y, y_hat)
        if y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError(f"binary_cross_entropy expected targets in [0, 1], got values "
                             f"from {y.min():g} to {y.max():g}")
        return y

    def per_sample(self, y_hat, y, z=None):
        if z is not None:
            softplus = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
            elements = softplus - y * z
        else:  # from probabilities alone: clamp the logs at −100, as PyTorch's BCELoss does
            with np.errstate(divide="ignore"):
                log_p = np.maximum(np.log(y_hat), -100.0)
                log_q = np.maximum(np.log1p(-y_hat), -100.0)
            elements = -(y * log_p + (1 - y) * log_q)
        return elements.sum(axis=1) / y_hat.shape[1]                      # (N,)

    def sample_gradient(self, y_hat, y):
        tiny = np.finfo(y_hat.dtype).tiny
        return (y_hat - y) / np.maximum(y_hat * (1 - y_hat), tiny) / y_hat.shape[1]

    def fused_sample_gradient(self, y_hat, y):
        return (y_hat - y) * y_hat.dtype.type(1.0 / y_hat.shape[1])


class CrossEntropy(Loss):
    """l = −Σ_k y_k log ŷ_k for a softmax output.

    Targets are integer class labels of shape (N,) or one-hot (or any probability) rows of
    shape (N, C). With integer labels this is ``−log ŷ[n, label_n]``, PyTorch's
    ``CrossEntropyLoss`` applied to the logits ``z``.
    """

    name = "cross_entropy"
    output_activation = "softmax"

    def prepare_targets(self, y, y_hat):
        n, c = y_hat.shape
        y = np.asarray(y)
        if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1 and c > 1):
            return checks.class_labels(y.reshape(-1), n, c, self.name)
        y = checks.float_targets(y, self.name, y_hat.dtype)
        if y.shape != y_hat.shape:
            raise ValueError(f"cross_entropy expected integer labels of shape ({n},) or one-hot "
                             f"targets of shape {checks.shape_text(y_hat.shape)}, got "
                             f"{checks.shape_text(y.shape)}")
        if y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError("cross_entropy expected one-hot or probability targets in [0, 1]")
        return y

    def per_sample(self, y_hat, y, z=None):
        if y.ndim == 1 and z is not None:  # −log ŷ of each sample's label
            rows = np.arange(len(y))
            picked = y_hat[rows, y]                                        # (N,)
            # log ŷ keeps its digits while ŷ is a normal number; where it underflowed,
            # read l from z instead: −log softmax(z)_y = logsumexp(z) − z_y.
            if picked.min() >= np.finfo(picked.dtype).tiny:
                return -np.log(picked)
            return _logsumexp(z)[:, 0] - z[rows, y]
        if z is not None:
            log_p = z - _logsumexp(z)                                      # log softmax(z)
        else:  # from probabilities alone: clamp the logs at −100, as PyTorch's BCELoss does
            with np.errstate(divide="ignore"):
                log_p = np.maximum(np.log(y_hat), -100.0)
        if y.ndim == 1:
            return -log_p[np.arange(len(y)), y]                            # (N,)
        return -(y * log_p).sum(axis=1)

    def sample_gradient(self, y_hat, y):
        tiny = np.finfo(y_hat.dtype).tiny
        return -_one_hot(y, y_hat) / np.maximum(y_hat, tiny)

    def fused_sample_gradient(self, y_hat, y):
        return y_hat - _one_hot(y, y_hat)


def _one_hot(y: np.ndarray, y_hat: np.ndarray) -> np.ndarray:
    """Targets as rows of ŷ's shape: labels become one-hot rows, one-hot rows stay."""
    if y.ndim == 2:
        return y
    one_hot = np.zeros_like(y_hat)
    one_hot[np.arange(len(y)), y] = 1
    return one_hot


def _logsumexp(z: np.ndarray) -> np.ndarray:
    """``log Σ_c e^(z_c)`` per row, (N, 1), as ``m + log Σ_c e^(z_c − m)``, m the row max."""
    m = z.max(axis=1, keepdims=True)                                      # (N, 1)
    return m + np.log(np.exp(z - m).sum(axis=1, keepdims=True))


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
