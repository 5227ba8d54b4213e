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
``n_iter_no_change``), and so do the fitted attributes (``classes_``, ``n_features_in_``,
``feature_names_in_``, ``loss_``, ``loss_curve_``, ``best_loss_``, ``validation_scores_``,
``best_validation_score_``, ``t_``, ``n_iter_``, ``coefs_``, ``intercepts_``, ``n_layers_``,
``n_outputs_``, ``out_activation_``). The outputs and losses are scikit-learn's:

==============================  ==================  ==========================================
task                            output layer        loss
==============================  ==================  ==========================================
binary classification           1 sigmoid neuron    ``binary_cross_entropy``
multiclass (C classes)          C softmax neurons   ``cross_entropy``
multilabel (K labels)           K sigmoid neurons   ``binary_cross_entropy``
regression (K targets)          K identity neurons  ``squared_error``: ½ Σ_k (y − ŷ)², mean over N
==============================  ==================  ==========================================

Where glassnet differs: ``solver='lbfgs'`` and ``max_fun`` do not exist (glassnet trains by
gradient descent); weights start from glassnet's initialisers (He-uniform for relu, Xavier-
uniform otherwise) with zero biases, so the same ``random_state`` gives other numbers than
scikit-learn; with K > 1 sigmoid outputs the loss is averaged over all N·K entries (scikit-
learn sums over K); ``activation`` also accepts ``'sigmoid'`` and ``'leaky_relu'``; a loss that
becomes NaN or infinite stops ``fit`` with a ``ValueError`` at once, the network keeping the
last weights with a finite loss. ``sample_weight`` in ``fit`` and ``partial_fit`` works as in
scikit-learn: each batch loss is the weighted mean Σ w_n l_n / Σ w_n, the L2 penalty is
divided by the batch's Σ w_n, and an integer weight counts as that many copies of a row
(:mod:`glassnet.losses`). From the same starting weights, ``solver='sgd'`` gives
scikit-learn's numbers to rounding; ``'adam'`` adds ε after the bias correction, as PyTorch
does, and so drifts from scikit-learn's by about 1e-5 over a few steps.

Training runs through ``net.fit`` (:mod:`glassnet.training`); what scikit-learn adds to it,
the L2 penalty ``alpha`` and the stopping rule, is in :mod:`.penalty` and :mod:`.callbacks`.

=================  =======================================================================
``base.py``        ``BaseMLP``: the settings, the network built, the training loop
``classifier.py``  ``MLPClassifier``: labels to outputs, ``predict_proba``, accuracy
``regressor.py``   ``MLPRegressor``: targets to identity outputs, R²
``params.py``      the settings checked in ``fit``, each error naming the setting
``penalty.py``     the L2 penalty ``alpha``, added to the gradients by the optimizer
``callbacks.py``   the per-epoch ``net.fit`` callback: loss record, schedule, stopping rule
=================  =======================================================================

``glassnet.sklearn`` is the short import path for the same estimators.
"""

from .base import BaseMLP
from .classifier import MLPClassifier
from .regressor import MLPRegressor

__all__ = ["BaseMLP", "MLPClassifier", "MLPRegressor"]
