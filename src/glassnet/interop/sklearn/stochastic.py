"""Training by ``solver='sgd'`` or ``'adam'``: scikit-learn's epochs, on a glassnet network.

Each epoch draws a permutation of the rows from the estimator's ``RandomState`` (with
``shuffle``), cuts it into mini-batches of ``batch_size`` (the last one shorter), and runs
the lecture's four steps on each: ``forward``, ``loss`` (with ``sample_weight``),
``backward`` and the optimizer's ``step`` (:mod:`.optimizers`). The epoch's loss, recorded in
``loss_curve_``, is the mean of the batch losses weighted by their rows, each with the L2
term of :mod:`.penalty`. After the epoch::

    no improvement   loss_ > best_loss_ − tol   (early_stopping: score < best score + tol)
    stop             after more than n_iter_no_change such epochs in a row
                     (adaptive SGD divides η by 5 instead, until η ≤ 1e-6)

With ``early_stopping`` the first draws of the ``RandomState`` after the initial weights split
off ``validation_fraction`` of the rows (stratified for a binary classifier, as scikit-learn
does), and the weights with the best validation score are kept.
Reference: scikit-learn's ``sklearn/neural_network/_multilayer_perceptron.py``
(``_fit_stochastic``, ``_update_no_improvement_count``).
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import gen_batches, shuffle

from .penalty import l2_term

__all__ = ["fit_stochastic"]


def fit_stochastic(est, X, Y, w, random_state, incremental: bool) -> None:
    """Train ``est.network_`` on ``X`` (N, n_in), targets ``Y`` (N, K), weights ``w`` or None.

    ``incremental`` (``partial_fit``): one epoch, no validation split.
    """
    early_stopping = est.early_stopping and not incremental
    X_val = y_val = w_val = None
    if early_stopping:
        X, X_val, Y, y_val, w, w_val = _split(est, X, Y, w, random_state)
    batch_size = _batch_size(est.batch_size, len(X))
    rows = np.arange(len(X))
    est.n_iter_ = 0
    try:
        for _ in range(est.max_iter):
            if est.shuffle:
                rows = shuffle(rows, random_state=random_state)
            epoch_loss = sum(_batch_step(est, X, Y, w, rows[batch]) * len(rows[batch])
                             for batch in gen_batches(len(X), batch_size))
            est.n_iter_ += 1
            est.loss_ = epoch_loss / len(X)
            est.t_ += len(X)
            est.loss_curve_.append(est.loss_)
            if est.verbose:
                print(f"Iteration {est.n_iter_}, loss = {est.loss_:.8f}")
            if early_stopping or not est.early_stopping:  # partial_fit ignores early stopping
                _judge_epoch(est, early_stopping, X_val, y_val, w_val)
            est._optimizer.iteration_ends(est.t_)
            if est._no_improvement_count > est.n_iter_no_change:
                if est._optimizer.trigger_stopping():
                    if est.verbose:
                        print(f"No improvement by tol={est.tol} for {est.n_iter_no_change} "
                              f"epochs. Stopping.")
                    break
                est._no_improvement_count = 0
            if incremental:
                break
            if est.n_iter_ == est.max_iter:
                warnings.warn(f"{type(est).__name__} stopped after max_iter={est.max_iter} "
                              f"epochs before the loss settled; raise max_iter or "
                              f"learning_rate_init", ConvergenceWarning, stacklevel=5)
    except KeyboardInterrupt:
        warnings.warn("Training interrupted by user.")  # as scikit-learn: keep what was learnt
    if early_stopping:
        est.network_.load_state_dict(est._best_state)


def _batch_step(est, X, Y, w, batch) -> float:
    """The four steps on one mini-batch (rows ``batch``); its loss, L2 term included."""
    net = est.network_
    w_batch = None if w is None else w[batch]
    y_hat = net.forward(X[batch])
    loss = net.loss(y_hat, Y[batch], sample_weight=w_batch)
    n = len(batch) if w_batch is None else float(np.add.reduce(w_batch))
    value = est._sklearn_loss(loss, Y[batch], w_batch) + l2_term(net, est.alpha, n)
    if not np.isfinite(value):
        raise ValueError(f"{type(est).__name__} could not fit: training diverged (the loss "
                         f"became {value}) in epoch {est.n_iter_ + 1}; try a smaller learning "
                         f"rate than learning_rate_init={est.learning_rate_init} or scale X")
    loss.backward()
    est._optimizer.step()
    return value


def _judge_epoch(est, early_stopping: bool, X_val, y_val, w_val) -> None:
    """Count a flat epoch (scikit-learn's rule); keep the best weights with early stopping."""
    if early_stopping:
        score = est._validation_score(X_val, y_val, w_val)
        est.validation_scores_.append(score)
        if est.verbose:
            print(f"Validation score: {score:f}")
        flat = score < est.best_validation_score_ + est.tol
        if score > est.best_validation_score_:
            est.best_validation_score_ = score
            est._best_state = est.network_.state_dict()
    else:
        flat = est.loss_curve_[-1] > est.best_loss_ - est.tol
        est.best_loss_ = min(est.best_loss_, est.loss_curve_[-1])
    est._no_improvement_count = est._no_improvement_count + 1 if flat else 0


def _split(est, X, Y, w, random_state):
    """Hold out ``validation_fraction`` of the rows, drawn from ``random_state``.

    Stratified by the one 0/1 column of a binary classifier, as scikit-learn (not for
    multiclass or multilabel targets, nor for regression). The validation labels are given
    back as the user's labels, for the score. Where scikit-learn refuses (a class too rare
    to stratify, a validation set of one row), glassnet splits without stratifying and
    scores the one row.
    """
    stratify = Y if est._stratify_split(Y) and _can_stratify(Y, est.validation_fraction) \
        else None
    arrays = (X, Y) if w is None else (X, Y, w)
    parts = train_test_split(*arrays, random_state=random_state,
                             test_size=est.validation_fraction, stratify=stratify)
    X_train, X_val, Y_train, Y_val = parts[:4]
    w_train, w_val = (None, None) if w is None else parts[4:]
    if w_val is not None and not w_val.sum() > 0:
        raise ValueError(f"{type(est).__name__} held out validation rows whose sample_weight "
                         f"is all zero; expected some weight on both sides (change "
                         f"validation_fraction or random_state)")
    return X_train, X_val, Y_train, est._decode(Y_val), w_train, w_val


def _can_stratify(Y: np.ndarray, fraction: float) -> bool:
    """Whether each class of the 0/1 column ``Y`` (N, 1) fits on both sides of the split."""
    counts = np.bincount(Y[:, 0].astype(int), minlength=2)
    n_val = int(np.ceil(fraction * len(Y)))
    return counts.min() >= 2 and 2 <= n_val <= len(Y) - 2


def _batch_size(batch_size, n: int) -> int:
    """'auto' is min(200, n); a larger size than n is clipped to n, with a warning."""
    if batch_size == "auto":
        return min(200, n)
    if batch_size > n:
        warnings.warn(f"batch_size={batch_size} is larger than the {n} training rows; "
                      f"using {n}", stacklevel=6)
    return min(int(batch_size), n)
