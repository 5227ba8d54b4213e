"""scikit-learn estimators on a glassnet network: change the import, keep the pipeline.

::

    from glassnet.sklearn import MLPClassifier     # was: from sklearn.neural_network import …
    clf = MLPClassifier(hidden_layer_sizes=(16,), random_state=0).fit(X, y)
    clf.network_                                   # the trained glassnet Network, to look inside

The settings mean what they mean in scikit-learn's ``MLPClassifier``/``MLPRegressor``
(``hidden_layer_sizes``, ``activation``, ``solver``, ``alpha``, ``batch_size``,
``learning_rate``, ``learning_rate_init``, ``power_t``, ``max_iter``, ``shuffle``,
``random_state``, ``tol``, ``verbose``, ``warm_start``, ``momentum``, ``nesterovs_momentum``,
``early_stopping``, ``validation_fraction``, ``beta_1``, ``beta_2``, ``epsilon``,
``n_iter_no_change``, ``max_fun``), and so do the fitted attributes (``classes_``,
``n_features_in_``, ``feature_names_in_``, ``loss_``, ``loss_curve_``, ``best_loss_``,
``validation_scores_``, ``best_validation_score_``, ``t_``, ``n_iter_``, ``coefs_``,
``intercepts_``, ``n_layers_``, ``n_outputs_``, ``out_activation_``). The outputs and losses
are scikit-learn's:

==============================  ==================  ==========================================
task                            output layer        network loss (scikit-learn's loss)
==============================  ==================  ==========================================
binary classification           1 sigmoid neuron    ``binary_cross_entropy``
multiclass (C classes)          C softmax neurons   ``cross_entropy``
multilabel (K labels)           K sigmoid neurons   ``binary_cross_entropy`` (× K: a sum)
regression (K targets)          K identity neurons  ``squared_error`` ½ Σ_k (loss ÷ K: a mean)
==============================  ==================  ==========================================

With the same arguments, ``random_state`` included, the estimators give scikit-learn's
numbers (float64 data): the starting weights, the shuffles and the early-stopping split come
from the same ``RandomState`` draws, the losses are scaled as in the table (the classifiers'
clipped to [eps, 1 − eps] as scikit-learn's log-loss), and the updates are scikit-learn's
SGD, Adam and scipy's L-BFGS-B. The training runs through the glassnet ``Network`` in
``network_``: forward, loss, backward, then the optimizer's step. ``explain_step(X, y)``
records the step the estimator would take next as a :class:`glassnet.explain.Trace`.
Where glassnet differs: float32 ``X`` trains in float64 and sparse ``X`` is refused; ``activation``
also accepts ``'sigmoid'`` and ``'leaky_relu'``, the regressor ``loss='mse'`` (PyTorch's
``MSELoss``), but not ``'poisson'``; a loss that becomes NaN or infinite stops ``fit`` with a
``ValueError`` at once, before the update it would make; ``partial_fit`` ignores
``early_stopping`` (scikit-learn refuses it).

=================  =======================================================================
``base.py``        ``BaseMLP``: the settings, the network drawn, ``fit``, ``explain_step``
``classifier.py``  ``MLPClassifier``: labels to outputs, ``predict_proba``, accuracy
``regressor.py``   ``MLPRegressor``: targets to identity outputs, R²
``params.py``      the settings checked in ``fit``, each error naming the setting
``stochastic.py``  ``solver='sgd'``/``'adam'``: epochs, mini-batches, the stopping rule
``optimizers.py``  scikit-learn's SGD and Adam update rules, as glassnet optimizers
``lbfgs.py``       ``solver='lbfgs'``: scipy's L-BFGS-B on the network's loss and gradient
``penalty.py``     the L2 penalty ``alpha``: its term in the loss and its n
=================  =======================================================================

``glassnet.sklearn`` is the short import path for the same estimators.
"""

from .base import BaseMLP
from .classifier import MLPClassifier
from .regressor import MLPRegressor

__all__ = ["BaseMLP", "MLPClassifier", "MLPRegressor"]
