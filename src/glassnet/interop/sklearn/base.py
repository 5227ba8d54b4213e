"""What the scikit-learn estimators share: settings, the network they build, how they train.

:class:`BaseMLP` reads scikit-learn's ``MLPClassifier`` settings, builds a glassnet
``Network`` (``network_``) and trains it as scikit-learn trains its own, so that the same
settings and ``random_state`` give scikit-learn's numbers:

- the ``RandomState`` of ``random_state`` is made afresh at every ``fit``/``partial_fit``
  (``sklearn.utils.check_random_state``); a new network draws from it first, layer by layer,
  ``W[l]`` then ``b[l]``, both uniform on ±√(6 / (n_in + n_out)) (±√(2 / …) for the
  logistic activation): Glorot's bound, biases included;
- ``solver='sgd'``/``'adam'`` train in :mod:`.stochastic` (shuffles and the early-stopping
  split draw from the same ``RandomState``) with the optimizers of :mod:`.optimizers`;
  ``solver='lbfgs'`` in :mod:`.lbfgs` (scipy's L-BFGS-B);
- the loss is scikit-learn's: the network's loss times ``_loss_scale()`` (1/K for K
  ``squared_error`` targets), or the classifier's log-loss with ŷ clipped to
  [eps, 1 − eps] as scikit-learn clips it, plus the L2 term of :mod:`.penalty`.

Reference: scikit-learn's ``sklearn/neural_network/_multilayer_perceptron.py``.
"""

from __future__ import annotations

import copy

import numpy as np

try:
    from sklearn.base import BaseEstimator
except ImportError as error:  # pragma: no cover - scikit-learn is an optional dependency
    raise ImportError("glassnet.sklearn needs scikit-learn >= 1.6: "
                      "pip install 'glassnet[interop]'") from error
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted, validate_data

from ... import checks
from ...explain import step as explain_step
from ...layers import Dense
from ...network import Network
from . import params
from .lbfgs import fit_lbfgs
from .optimizers import SklearnAdam, SklearnSGD
from .stochastic import fit_stochastic

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
                 beta_1=0.9, beta_2=0.999, epsilon=1e-8, n_iter_no_change=10, max_fun=15000):
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
        self.max_fun = max_fun

    # ---- fitted attributes in scikit-learn's layout ----------------------------------

    @property
    def coefs_(self) -> list[np.ndarray]:
        """``W[l]`` of each layer, shape ``(n_in, n_out)``: scikit-learn's layout and ours.

        Assignable as scikit-learn's: ``est.coefs_ = [...]``, ``est.coefs_[0] = W`` and
        in-place edits all write to ``network_``.
        """
        return _LayerValues([layer.W for layer in self._fitted_network().layers])

    @coefs_.setter
    def coefs_(self, values) -> None:
        _LayerValues([layer.W for layer in self._fitted_network().layers])[:] = values

    @property
    def intercepts_(self) -> list[np.ndarray]:
        """``b[l]`` of each layer, shape ``(n_out,)``; assignable as ``coefs_``."""
        return _LayerValues([layer.b for layer in self._fitted_network().layers])

    @intercepts_.setter
    def intercepts_(self, values) -> None:
        _LayerValues([layer.b for layer in self._fitted_network().layers])[:] = values

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

    def _fit(self, X: np.ndarray, Y: np.ndarray, sample_weight, incremental: bool) -> None:
        """Train on validated ``X`` (N, n_in) and 2-D targets ``Y`` (N, n_out) for the loss.

        ``incremental`` (``partial_fit``): one epoch on all of ``X``, no validation split.
        """
        owner = type(self).__name__
        settings = params.settings(self)
        w = None if sample_weight is None else checks.sample_weight(sample_weight, len(X), owner)
        random_state = params.random_state(self.random_state, owner)  # afresh, as scikit-learn
        if self._starts_afresh(incremental):
            self._start(X.shape[1], Y, settings, random_state)
        if self.solver == "lbfgs":
            fit_lbfgs(self, X, Y, w)
        else:
            if not incremental or "_optimizer" not in self.__dict__:
                self._optimizer = self._new_optimizer()  # per fit, kept across partial_fit
            fit_stochastic(self, X, Y, w, random_state, incremental)
        if not all(np.isfinite(p.value).all() for p in self.network_.parameters()):
            raise ValueError(f"{owner} could not fit: the solver produced non-finite weights; "
                             f"scale X or lower learning_rate_init")

    def _starts_afresh(self, incremental: bool) -> bool:
        """Whether this fit builds a new network: not fitted yet, or neither warm nor partial."""
        return "network_" not in self.__dict__ or not (self.warm_start or incremental)

    def _start(self, n_in: int, Y: np.ndarray, settings: dict, random_state) -> None:
        """A fresh network drawn from ``random_state`` as scikit-learn draws, and empty records."""
        out_activation, loss = self._output(Y)
        sizes = [n_in, *settings["hidden"], Y.shape[1]]
        acts = [settings["activation"]] * (len(sizes) - 2) + [out_activation]
        factor = 2.0 if settings["activation"] == "sigmoid" else 6.0
        layers = []
        for n_in_l, n_out_l, act in zip(sizes, sizes[1:], acts):
            bound = np.sqrt(factor / (n_in_l + n_out_l))          # Glorot's uniform bound
            W = random_state.uniform(-bound, bound, (n_in_l, n_out_l))
            b = random_state.uniform(-bound, bound, n_out_l)
            layers.append(Dense(n_in_l, n_out_l, act, init={"W": W, "b": b}))
        self.network_ = Network(layers, loss=loss)
        self._best_state = self.network_.state_dict()
        self.n_iter_, self.t_ = 0, 0
        if self.solver == "lbfgs":
            return                      # scikit-learn keeps no curve nor scores for lbfgs
        self.loss_curve_ = []
        self._no_improvement_count = 0
        self.best_loss_ = None if self.early_stopping else np.inf
        self.validation_scores_ = [] if self.early_stopping else None
        self.best_validation_score_ = -np.inf if self.early_stopping else None

    def _new_optimizer(self):
        """scikit-learn's SGD or Adam on the network's parameters, with the L2 penalty."""
        params = self.network_.parameters()
        if self.solver == "sgd":
            optimizer = SklearnSGD(params, lr=self.learning_rate_init, momentum=self.momentum,
                                   nesterov=self.nesterovs_momentum,
                                   schedule=self.learning_rate, power_t=self.power_t)
        else:
            optimizer = SklearnAdam(params, lr=self.learning_rate_init, beta1=self.beta_1,
                                    beta2=self.beta_2, eps=self.epsilon)
        return optimizer.attach(self.network_, self.alpha, self._gradient_scale())

    def _stochastic_solver(self) -> bool:
        """``partial_fit`` exists for sgd and adam only, as in scikit-learn."""
        if self.solver == "lbfgs":
            raise AttributeError(f"{type(self).__name__}.partial_fit is only available for the "
                                 f"stochastic solvers 'sgd' and 'adam', not 'lbfgs'")
        return True

    def _loss_scale(self) -> float:
        """scikit-learn's loss over the network's: see the subclasses."""
        return 1.0

    def _sklearn_loss(self, loss, Y: np.ndarray, w) -> float:
        """scikit-learn's value of the batch loss the network just computed (``loss``)."""
        return float(loss) * self._loss_scale()

    def _gradient_scale(self) -> float:
        """scikit-learn's gradient over the network's: see the subclasses."""
        return 1.0

    # ---- one training step, recorded ------------------------------------------------------

    def explain_step(self, X, y):
        """The :class:`~glassnet.explain.Trace` of the estimator's next step on ``X``, ``y``.

        The step ``partial_fit`` would take on this batch: the fitted network's forward pass,
        its loss (the network's, as :func:`glassnet.explain.step` records it; scikit-learn's
        is it ÷ K for K regression targets, × K for K labels), backward pass, and the update
        of the estimator's own optimizer (its learning rate, momentum or Adam moments, and
        the L2 penalty ``alpha``). With ``solver='lbfgs'`` the update is a plain gradient
        step of ``learning_rate_init``. It runs on copies: the estimator is left as it was.

        ``X``: (N, n_features), or one sample (n_features,); ``y``: their targets or labels.
        """
        check_is_fitted(self)
        if np.ndim(X) == 1:                    # one sample: its label, or its row of targets
            X, y = np.reshape(X, (1, -1)), np.reshape(y, (1,) if np.ndim(y) == 0 else (1, -1))
        X = validate_data(self, X, reset=False, dtype=np.float64)
        Y = self._encode(y)                                        # (N, n_outputs_)
        if len(Y) != len(X):
            raise ValueError(f"{type(self).__name__}.explain_step expected one target per row "
                             f"of X ({len(X)}), got {len(Y)}")
        net = copy.deepcopy(self.network_)
        optimizer = self.__dict__.get("_optimizer")
        if optimizer is None:  # lbfgs: plain gradient descent with the penalty
            optimizer = SklearnSGD(net.parameters(), lr=self.learning_rate_init, momentum=0.0,
                                   nesterov=False)
        else:
            optimizer = copy.deepcopy(optimizer)
            optimizer.params = net.parameters()
        optimizer.attach(net, self.alpha, self._gradient_scale())
        return explain_step(net, X, Y, optimizer=optimizer)

    # ---- prediction ----------------------------------------------------------------------

    def _forward(self, X: np.ndarray) -> np.ndarray:
        """ŷ for already validated ``X`` of shape (N, n_features_in_)."""
        return self._fitted_network().forward(X)


class _LayerValues(list):
    """The arrays of one parameter of each layer; assigning an item sets that layer's value."""

    def __init__(self, parameters):
        super().__init__(p.value for p in parameters)
        self._parameters = parameters

    def __setitem__(self, index, value) -> None:
        if isinstance(index, slice):
            values = list(value)
            if len(values) != len(self._parameters[index]):
                raise ValueError(f"expected {len(self._parameters[index])} arrays, one per "
                                 f"layer, got {len(values)}")
            for p, v in zip(self._parameters[index], values):
                p.value = v
        else:
            self._parameters[index].value = value
        super().__setitem__(index, [p.value for p in self._parameters][index])
