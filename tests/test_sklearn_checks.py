"""scikit-learn's own estimator checks on glassnet.sklearn.MLPClassifier and MLPRegressor.

Every check runs and passes except the four that need sample weights other than ones,
which glassnet's losses do not take yet (``expected_failed_checks``, strict: each must fail).
scikit-learn itself skips three, which do not apply:

- ``check_array_api_input`` (twice): runs only with ``SCIPY_ARRAY_API=1``; glassnet computes
  in numpy only.
- ``check_decision_proba_consistency``: the classifier has no ``decision_function`` (nor has
  scikit-learn's ``MLPClassifier``).

Two instances each: the defaults (adam, relu, (100,)), and sgd with momentum and early
stopping, so the validation split and the adaptive learning rate are checked too. The
defaults are used unchanged (max_iter=200): the data sets are small, the whole module takes
about 15 s on one core.
"""

import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.estimator_checks import parametrize_with_checks

from glassnet.sklearn import MLPClassifier, MLPRegressor

ESTIMATORS = [
    MLPClassifier(random_state=0),
    MLPRegressor(random_state=0),
    MLPClassifier(solver="sgd", activation="tanh", learning_rate="adaptive",
                  learning_rate_init=0.05, early_stopping=True, random_state=0),
    MLPRegressor(hidden_layer_sizes=(8, 8), solver="sgd", learning_rate_init=0.01,
                 early_stopping=True, random_state=0),
]


NO_WEIGHTS = ("glassnet's losses are plain means over the batch: fit accepts sample_weight "
              "only as None or all ones and raises ValueError for other weights")


def expected_failed_checks(estimator) -> dict[str, str]:
    """The checks that need real sample weights, which glassnet does not have yet."""
    failing = {"check_sample_weights_list": NO_WEIGHTS + " (this check passes all threes)",
               "check_sample_weights_not_overwritten": NO_WEIGHTS,
               "check_sample_weight_equivalence_on_dense_data": NO_WEIGHTS}
    if isinstance(estimator, MLPClassifier):
        failing["check_classifiers_one_label_sample_weights"] = NO_WEIGHTS
    return failing


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore", category=ConvergenceWarning)
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks,
                         xfail_strict=True)
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
