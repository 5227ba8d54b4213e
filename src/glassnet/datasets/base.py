"""The :class:`Dataset` record every loader returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Dataset"]


@dataclass
class Dataset:
    """Arrays to train on, with names and a description.

    ``X, y = dataset`` unpacks the training arrays.

    Attributes
    ----------
    X : ndarray, shape (N, D)
        Features, float64, one row per sample.
    y : ndarray, shape (N,) or (N, K)
        Integer class labels, one-hot rows (a categorical CSV target) or real targets.
    feature_names : list of str
        One name per column of ``X``.
    target_names : list of str
        The class names in label order (classification), or the target column names.
    description : str
        Where the data come from and what they mean, in a few sentences.
    X_test, y_test : ndarray or None
        The test split, where the data set has a standard one (``mnist1d``).
    task : str
        ``"classification"`` or ``"regression"``.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: list[str]
    target_names: list[str]
    description: str
    X_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    task: str = "classification"
    extra: dict = field(default_factory=dict)  # loader-specific facts, e.g. the loan rule

    def __iter__(self):
        return iter((self.X, self.y))

    @property
    def n_classes(self) -> int | None:
        """Number of classes for classification, ``None`` for regression."""
        return len(self.target_names) if self.task == "classification" else None

    def __repr__(self) -> str:
        test = "" if self.X_test is None else f", X_test={self.X_test.shape}"
        return (f"Dataset(X={self.X.shape}, y={self.y.shape}{test}, task={self.task!r}, "
                f"targets={self.target_names[:10]})")
