"""What the scikit-learn estimators share: settings, the network they build, how they train.

:class:`BaseMLP` reads scikit-learn's ``MLPClassifier`` settings, builds a glassnet
``Network`` (``network_``) and trains it with ``net.fit``: mini-batches of the lecture's four
steps, plus the L2 penalty scikit-learn adds to the weights (never the biases), see
:mod:`.penalty`::

    L_batch = L(ŷ, y) + (α / 2n) Σ_l ‖W[l]‖²        n = samples in the batch (Σ_B w_n
    dW[l]  += (α / n) W[l]                              with sample_weight)

``sample_weight`` makes each batch loss the weighted mean Σ w_n l_n / Σ w_n (the weights
sliced with the batch, as scikit-learn's ``_fit_stochastic``); with ``early_stopping`` the
weights follow the validation split and weight the validation score.

Training stops when the epoch loss (or, with ``early_stopping``, the validation score) has
not improved by ``tol`` for more than ``n_iter_no_change`` epochs, or after ``max_iter``;
the ``net.fit`` callback in :mod:`.callbacks` applies that rule once per epoch.
Reference: scikit-learn's ``sklearn/neural_network/_multilayer_perceptron.py``.
"""

from __future__ import annotations

import warnings

import numpy as np

try:
    from sklearn.base import BaseEstimator
except ImportError as error:  # pragma: no cover - scikit-learn is an optional dependency
    raise ImportError("glassnet.sklearn needs scikit-learn >= 1.6: "
                      "pip install 'glassnet[interop]'") from error
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.model_selection import train_test_split

from ... import checks
from ...layers import Dense
from ...network import Network
from ...training import TrainingDiverged
from . import params
from .callbacks import EpochRules
from .penalty import PenalisedAdam, PenalisedSGD

__all__ = ["BaseMLP"]


class BaseMLP(BaseEstimator):
    """Settings and training shared by ``MLPClassifier`` and ``MLPRegressor``.

    Subclasses turn ``y`` into 2-D targets ``Y`` for the loss and define
    ``_output(Y)`` → (output activation, loss name), ``_validation_score(X, y)`` and the
    public ``fit``/``predict`` methods.
    """

    def __init__(self, hidden_layer_sizes=(100,), activation="relu", *, solver="adam",
                 alpha=0.0001, batch_size="auto", learning_rate="constant",
                 learning_rate_init=0.001, power_t=0.5, max_iter=200, shuffle=True,
                 random_state=None, tol=1e-4, verbose=False, warm_start=False, momentum=0.9,
                 nesterovs_momentum=True, early_stopping=False, validation_fraction=0.1,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change

    # ---- fitted attributes in scikit-learn's layout ----------------------------------

    @property
    def coefs_(self) -> list[np.ndarray]:
        """``W[l]`` of each layer, shape ``(n_in, n_out)``: scikit-learn's layout and ours."""
        return [layer.W.value for layer in self._fitted_network().layers]

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """``b[l]`` of each layer, shape ``(n_out,)``."""
        return [layer.b.value for layer in self._fitted_network().layers]

    @property
    def n_layers_(self) -> int:
        """Layers of neurons counting the input, as scikit-learn counts: hidden + 2."""
        return len(self._fitted_network().layers) + 1

    @property
    def n_outputs_(self) -> int:
        return self._fitted_network().n_out

    @property
    def out_activation_(self) -> str:
        name = self._fitted_network().layers[-1].activation.name
        return {"sigmoid": "logistic"}.get(name, name)  # scikit-learn's spelling

    def _fitted_network(self) -> Network:
        network = self.__dict__.get("network_")
        if network is None:
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet; "
                                 f"call fit with training data first")
        return network

    # ---- training ----------------------------------------------------------------------

    def _fit(self, X: np.ndarray, Y: np.ndarray, y_raw, sample_weight,
             incremental: bool) -> None:
        """Train on validated ``X`` (N, n_in) and 2-D targets ``Y`` (N, n_out) for the loss.

        ``y_raw`` is ``y`` as the user gave it, for the validation score and stratifying.
        ``incremental``: one epoch on all of ``X``, no stopping rule and no validation split
        (``partial_fit``; scikit-learn refuses ``early_stopping=True`` there, glassnet
        applies early stopping in ``fit`` only).
        """
        owner = type(self).__name__
        settings = params.settings(self)
        w = None if sample_weight is None else checks.sample_weight(sample_weight, len(X), owner)
        if self._starts_afresh(incremental):
            self._rng = params.generator(self.random_state, owner)
            self._start(X.shape[1], Y, settings)
        if not incremental or "_optimizer" not in self.__dict__:
            self._optimizer = self._new_optimizer()  # fresh per fit, kept across partial_fit
        X_val = y_val = w_val = None
        if self.early_stopping and not incremental:
            X, X_val, Y, y_val, w, w_val = self._split(X, Y, y_raw, w, self._rng)
            self._best_state = self.network_.state_dict()  # kept if no epoch scores better
        try:
            history = self.network_.fit(
                X, Y, sample_weight=w, epochs=1 if incremental else self.max_iter,
                batch_size=settings["batch_size"](len(X)), optimizer=self._optimizer,
                shuffle=self.shuffle, seed=int(self._rng.integers(2**32)),  # a stream per fit
                progress=False, callbacks=[EpochRules(self, X_val, y_val, not incremental, w_val)])
        except TrainingDiverged as error:
            # scikit-learn's MLP raises ValueError here too ("non-finite parameter weights")
            raise ValueError(f"{type(self).__name__} could not fit: {error}") from error
        if incremental:
            return
        if history.stopped_reason == "epochs":
            warnings.warn(f"{type(self).__name__} stopped after max_iter={self.max_iter} epochs "
                          f"before the loss settled; raise max_iter or learning_rate_init",
                          ConvergenceWarning, stacklevel=4)  # at the caller of fit
        if self.early_stopping:
            self.network_.load_state_dict(self._best_state)

    def _starts_afresh(self, incremental: bool) -> bool:
        """Whether this fit builds a new network: not fitted yet, or neither warm nor partial."""
        return "network_" not in self.__dict__ or not (self.warm_start or incremental)

    def _start(self, n_in: int, Y: np.ndarray, settings: dict) -> None:
        """A fresh network, drawn from ``self._rng``, and empty training records."""
        out_activation, loss = self._output(Y)
        sizes = [n_in, *settings["hidden"], Y.shape[1]]
        acts = [settings["activation"]] * (len(sizes) - 2) + [out_activation]
        layers = [Dense(a, b, act, seed=self._rng) for a, b, act in zip(sizes, sizes[1:], acts)]
        self.network_ = Network(layers, loss=loss)
        self.loss_curve_, self.n_iter_, self.t_ = [], 0, 0
        self.best_loss_ = None if self.early_stopping else np.inf
        self.validation_scores_ = [] if self.early_stopping else None
        self.best_validation_score_ = -np.inf if self.early_stopping else None
        self._no_improvement_count = 0

    def _new_optimizer(self):
        """SGD or Adam on the network's parameters, with the L2 penalty ``alpha``."""
        params = self.network_.parameters()
        if self.solver == "sgd":
            optimizer = PenalisedSGD(params, lr=self.learning_rate_init, momentum=self.momentum,
                                     nesterov=self.nesterovs_momentum and self.momentum > 0)
        else:
            optimizer = PenalisedAdam(params, lr=self.learning_rate_init, beta1=self.beta_1,
                                      beta2=self.beta_2, eps=self.epsilon)
        return optimizer.attach(self.network_, self.alpha)

    def _end_epoch(self, loss: float, n: int) -> None:
        """Record an epoch's mean loss (L2 penalty included) over its ``n`` samples."""
        self.loss_ = loss
        self.loss_curve_.append(loss)
        self.n_iter_ += 1
        self.t_ += n
        if self.solver == "sgd" and self.learning_rate == "invscaling":
            self._optimizer.lr = self.learning_rate_init / (self.t_ + 1) ** self.power_t
        if self.verbose:
            print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")

    def _no_longer_improving(self, X_val, y_val, w_val=None) -> bool:
        """scikit-learn's rule: stop after more than ``n_iter_no_change`` flat epochs."""
        if self.early_stopping:
            score = self._validation_score(X_val, y_val, w_val)
            self.validation_scores_.append(score)
            improved = score >= self.best_validation_score_ + self.tol
            if score > self.best_validation_score_:
                self.best_validation_score_ = score
                self._best_state = self.network_.state_dict()
        else:
            improved = self.loss_ <= self.best_loss_ - self.tol
            self.best_loss_ = min(self.best_loss_, self.loss_)
        self._no_improvement_count = 0 if improved else self._no_improvement_count + 1
        if self._no_improvement_count <= self.n_iter_no_change:
            return False
        if self.solver == "sgd" and self.learning_rate == "adaptive" and \
                self._optimizer.lr > 1e-6:
            self._optimizer.lr /= 5.0       # adaptive: slow down instead of stopping
            self._no_improvement_count = 0
            return False
        return True

    def _split(self, X, Y, y_raw, w, rng):
        """Hold out ``validation_fraction`` of the samples, stratified where that is possible.

        Stratifying (classifiers only) needs two samples of every class and a validation
        set with room for each class; on smaller data the split is simply random. Sample
        weights ``w`` (or None) follow their rows, as in scikit-learn.
        """
        stratify = y_raw if self._stratify(y_raw) else None
        if stratify is not None:
            _, counts = np.unique(y_raw, return_counts=True)
            n_val = int(np.ceil(self.validation_fraction * len(y_raw)))
            if counts.min() < 2 or n_val < len(counts) or len(y_raw) - n_val < len(counts):
                stratify = None
        seed = int(rng.integers(2**31 - 1))
        arrays = (X, Y, y_raw) if w is None else (X, Y, y_raw, w)
        parts = train_test_split(*arrays, test_size=self.validation_fraction,
                                 random_state=seed, stratify=stratify)
        X_train, X_val, Y_train, _, _, y_val = parts[:6]
        w_train, w_val = parts[6:] or (None, None)
        if w_val is not None and not w_val.sum() > 0:
            raise ValueError(f"{type(self).__name__} held out validation samples whose "
                             f"sample_weight is all zero; expected some weight on both sides "
                             f"(change validation_fraction or random_state)")
        return X_train, X_val, Y_train, y_val, w_train, w_val

    def _stratify(self, y_raw) -> bool:
        return False

    # ---- prediction ----------------------------------------------------------------------

    def _forward(self, X: np.ndarray) -> np.ndarray:
        """ŷ for already validated ``X`` of shape (N, n_features_in_)."""
        return self._fitted_network().forward(X)
