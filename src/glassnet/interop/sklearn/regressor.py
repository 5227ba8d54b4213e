"""``MLPRegressor``: scikit-learn's MLP regressor, trained by glassnet.

K targets get K identity outputs and the loss ``squared_error`` (scikit-learn's) or ``mse``.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from .base import BaseMLP

__all__ = ["MLPRegressor"]


class MLPRegressor(RegressorMixin, BaseMLP):
    """A multi-layer perceptron regressor trained by glassnet, with scikit-learn's interface.

    ``loss``: ``'squared_error'`` (½ Σ_k (y − ŷ)² averaged over samples: scikit-learn's for
    one target) or ``'mse'`` (the mean over all N·K entries, PyTorch's ``MSELoss``).

    Examples
    --------
    >>> X = np.linspace(-1, 1, 50).reshape(-1, 1)
    >>> reg = MLPRegressor(hidden_layer_sizes=(16,), activation="tanh", max_iter=300,
    ...                    random_state=0).fit(X, X[:, 0] ** 2)
    >>> reg.predict(X).shape
    (50,)
    """

    def __init__(self, loss="squared_error", hidden_layer_sizes=(100,), activation="relu", *,
                 solver="adam", alpha=0.0001, batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000):
        self.loss = loss
        super().__init__(
            hidden_layer_sizes, activation, solver=solver, alpha=alpha, batch_size=batch_size,
            learning_rate=learning_rate, learning_rate_init=learning_rate_init,
            power_t=power_t, max_iter=max_iter, shuffle=shuffle, random_state=random_state,
            tol=tol, verbose=verbose, warm_start=warm_start, momentum=momentum,
            nesterovs_momentum=nesterovs_momentum, early_stopping=early_stopping,
            validation_fraction=validation_fraction, beta_1=beta_1, beta_2=beta_2,
            epsilon=epsilon, n_iter_no_change=n_iter_no_change, max_fun=max_fun)

    def fit(self, X, y, sample_weight=None):
        """Train from scratch (or on, with ``warm_start``) on ``X`` (N, n_features), ``y``.

        ``sample_weight`` (N,), optional: non-negative weights; each batch loss becomes the
        weighted mean Σ w_n l_n / Σ w_n.
        """
        return self._fit_regressor(X, y, sample_weight, incremental=False)

    @available_if(lambda est: est._stochastic_solver())
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch over ``X``, ``y``, continuing from the current weights."""
        return self._fit_regressor(X, y, sample_weight, incremental=True)

    def predict(self, X) -> np.ndarray:
        """ŷ, shape (N,) for one target, else (N, n_targets)."""
        check_is_fitted(self)
        y_hat = self._forward(validate_data(self, X, reset=False, dtype=np.float64))
        return y_hat[:, 0].copy() if y_hat.shape[1] == 1 else y_hat

    def _fit_regressor(self, X, y, sample_weight, incremental: bool):
        if self.loss not in ("squared_error", "mse"):
            extra = " (scikit-learn's 'poisson' is not in glassnet)" * (self.loss == "poisson")
            raise ValueError(f"MLPRegressor expected loss 'squared_error' or 'mse', "
                             f"got {self.loss!r}{extra}")
        first = self._starts_afresh(incremental)
        X, y = validate_data(self, X, y, reset=first, multi_output=True, y_numeric=True,
                             dtype=np.float64)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        Y = self._encode(y)                               # (N, n_targets)
        if not first and Y.shape[1] != self.n_outputs_:
            raise ValueError(f"MLPRegressor was fitted on {self.n_outputs_} targets, "
                             f"got y with {Y.shape[1]}")
        self._fit(X, Y, sample_weight, incremental)
        return self

    def _output(self, Y):
        return "identity", self.loss

    def _encode(self, y) -> np.ndarray:
        return np.asarray(y, dtype=np.float64).reshape(len(y), -1)   # (N, n_targets)

    def _decode(self, Y: np.ndarray) -> np.ndarray:
        return Y

    def _loss_scale(self) -> float:
        """K targets: scikit-learn reports ½ (y − ŷ)² averaged over them; glassnet sums."""
        return 1.0 / self.n_outputs_ if self.loss == "squared_error" else 1.0

    def _stratify_split(self, Y) -> bool:
        return False

    def _validation_score(self, X, Y, sample_weight=None) -> float:
        y_hat = self._forward(X)                          # (N, n_targets)
        if not np.isfinite(y_hat).all():
            return np.nan
        return r2_score(Y, y_hat, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
