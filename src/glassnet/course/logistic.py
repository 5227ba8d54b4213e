"""Logistic regression is a one-neuron network: ``ŷ = σ(wᵀx + b)`` trained with binary cross-entropy.

The lecture's loan officer weighs income, credit score and debt, adds them up into a score
``z = Σ w_i x_i + b`` and approves when the score is high enough. Trained on
:func:`glassnet.datasets.loan` by full-batch gradient descent on the engine, that neuron
reaches the coefficients of scikit-learn's unregularised ``LogisticRegression`` (both minimise
the same convex log-loss), and its weights read out the "importance" of each feature:

- on standardised features, ``w_i`` is the change in the log-odds of approval when feature i
  rises by one standard deviation — comparable across features, so it ranks them;
- ``w_i / σ_i`` is the same in the feature's own units (per thousand $ of income, per point of
  credit score), which for the loan data estimates the hidden rule ``LOAN_RULE``;
- ``exp(w_i)`` is the odds ratio for one standard deviation.

Reference: scikit-learn's ``LogisticRegression(penalty=None)``; the gradient of the mean
log-loss of a sigmoid neuron is ``(1/N) Xᵀ(ŷ − y)`` (the fused rule of :mod:`glassnet.losses`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import SGD, Dense, Network
from ..datasets import Dataset, Standardizer, loan
from ._format import md_table, num, text_table

__all__ = ["LogisticFit", "logistic_regression"]


@dataclass
class LogisticFit:
    """A one-neuron network trained to the log-loss minimum, beside scikit-learn's."""

    net: Network
    feature_names: list[str]
    scaler: Standardizer
    weights: np.ndarray        # (D,) on standardised features
    bias: float
    sklearn_weights: np.ndarray
    sklearn_bias: float
    steps: int                 # gradient-descent steps taken
    loss: float                # final mean log-loss
    rule: dict | None = None   # the data set's hidden rule, where it has one (loan)

    @property
    def max_difference(self) -> float:
        """Largest |glassnet − scikit-learn| over the weights and the bias."""
        return float(max(np.max(np.abs(self.weights - self.sklearn_weights)),
                         abs(self.bias - self.sklearn_bias)))

    @property
    def raw_weights(self) -> np.ndarray:
        """Weights in the features' own units: ``w_i / σ_i``."""
        return self.weights / self.scaler.scale_

    def importances(self) -> list[tuple[str, float, float, float]]:
        """(feature, weight per std, weight per unit, odds ratio per std), largest |w| first."""
        rows = zip(self.feature_names, self.weights, self.raw_weights, np.exp(self.weights))
        return sorted(((n, float(w), float(r), float(o)) for n, w, r, o in rows),
                      key=lambda row: -abs(row[1]))

    def _rows(self) -> list[list[str]]:
        rule = self.rule or {}
        out = []
        for name, w, raw, odds in self.importances():
            sk = self.sklearn_weights[self.feature_names.index(name)]
            out.append([name, num(w, 6), num(sk, 6), num(raw, 4), num(rule[name], 4) if name in rule
                        else "—", num(odds, 4),
                        "raises approval" if w > 0 else "lowers approval"])
        return out

    _HEADER = ["feature", "w (per std)", "scikit-learn", "w per unit", "hidden rule",
               "odds ratio", "effect"]

    def to_text(self) -> str:
        return "\n".join([
            f"One sigmoid neuron, binary cross-entropy, {self.steps} full-batch gradient-descent "
            f"steps: log-loss {self.loss:.6f}; largest difference from scikit-learn "
            f"{self.max_difference:.1e}.",
            text_table(self._HEADER, self._rows()),
            f"bias {num(self.bias, 6)} (scikit-learn {num(self.sklearn_bias, 6)})"])

    def to_markdown(self) -> str:
        return (f"One sigmoid neuron trained with binary cross-entropy ({self.steps} full-batch "
                f"steps, log-loss {self.loss:.6f}); largest difference from scikit-learn's "
                f"coefficients: {self.max_difference:.1e}.\n\n"
                + md_table(self._HEADER, self._rows())
                + f"\n\nBias {num(self.bias, 6)} (scikit-learn {num(self.sklearn_bias, 6)}).\n")


def _sklearn(X, y):
    import sklearn
    from sklearn.linear_model import LogisticRegression

    # No regularisation: scikit-learn 1.8 spells it C=inf and deprecates penalty=None.
    major, minor = (int(p) for p in sklearn.__version__.split(".")[:2])
    unregularised = {"C": np.inf} if (major, minor) >= (1, 8) else {"penalty": None}
    model = LogisticRegression(**unregularised, tol=1e-12, max_iter=10_000).fit(X, y)
    return model.coef_.ravel(), float(model.intercept_[0])


def logistic_regression(data: Dataset | None = None, *, seed: int = 0, lr: float = 4.0,
                        tol: float = 1e-10, max_steps: int = 50_000) -> LogisticFit:
    """Train one sigmoid neuron to the log-loss minimum and compare with scikit-learn.

    Parameters
    ----------
    data : Dataset, optional
        Binary classification data; default ``glassnet.datasets.loan(seed=seed)``.
    lr : float
        Gradient-descent step. The log-loss Hessian on standardised features is at most
        ``¼ λ_max(XᵀX/N)``, so ``lr = 4`` is stable when the features are not strongly
        correlated.
    tol : float
        Stop when every gradient entry is below ``tol`` in magnitude.

    Shape: ``data.X`` is ``(N, D)``, ``data.y`` ``(N,)`` with labels 0 and 1.
    """
    data = loan(seed=seed) if data is None else data
    y = np.asarray(data.y)
    if y.ndim != 1 or not np.isin(y, (0, 1)).all():
        raise ValueError(f"logistic_regression expected binary labels 0/1 of shape (N,), got "
                         f"shape {y.shape} with values {np.unique(y)[:5]}")
    scaler = Standardizer().fit(data.X)
    X = scaler.transform(data.X)                                     # (N, D)
    Y = y.reshape(-1, 1).astype(float)                               # (N, 1)
    net = Network([Dense(X.shape[1], 1, "sigmoid", init="zeros")], loss="binary_cross_entropy")
    opt = SGD(net.parameters(), lr=lr)
    for step in range(1, max_steps + 1):
        loss = net.loss(net.forward(X), Y)
        loss.backward()
        opt.step()
        if max(np.abs(p.grad).max() for p in net.parameters()) < tol:
            break
    else:
        raise RuntimeError(f"gradient descent did not reach |∂L/∂θ| < {tol:g} in {max_steps} "
                           f"steps; lr may be too large, or the classes linearly separable (then the "
                           f"log-loss has no finite minimum)")
    final = float(net.loss(net.forward(X), Y))
    sk_w, sk_b = _sklearn(X, y)
    layer = net.layers[0]
    rule = data.extra.get("rule")
    return LogisticFit(net, list(data.feature_names), scaler, layer.W.value[:, 0].copy(),
                       float(layer.b.value[0]), sk_w, sk_b, step, final, rule)
