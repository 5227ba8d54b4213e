"""Sums and maxima along the short axes of a training step's arrays.

NumPy's reductions run one inner loop per output element: summing the rows of a
(100, 10) softmax output is a hundred loops of ten, and a bias gradient sums a batch down
its columns the same way. Measured on the benchmark machine (``docs/performance.md``), a
product with a vector of ones (one BLAS call) is 3–8× faster for sums, and for rows of up
to 32 entries a maximum taken down the columns of the transposed copy vectorises across
the rows (1.4–7× faster, more for larger batches). The results are the same sums and
maxima; only a sum's rounding order differs, as between any two summation orders
(``tests/test_performance_paths.py``).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


def ones(n: int, dtype: np.dtype) -> np.ndarray:
    """A vector of ``n`` ones, not to be written to; up to 4096 long it is made once and kept
    (read-only), longer ones (a whole data set) are made afresh."""
    return _ones(n, dtype) if n <= 4096 else np.ones(n, dtype)


@lru_cache(maxsize=32)
def _ones(n: int, dtype: np.dtype) -> np.ndarray:
    vector = np.ones(n, dtype)
    vector.flags.writeable = False
    return vector


def column_sums(a: np.ndarray) -> np.ndarray:
    """``Σ_n a[n, :]``, shape (K,): ``1ᵀ a``."""
    return ones(a.shape[0], a.dtype).dot(a)


def row_sums(a: np.ndarray) -> np.ndarray:
    """``Σ_k a[:, k]``, shape (N, 1): ``a 1``, kept two-dimensional to broadcast over rows."""
    return a.dot(ones(a.shape[1], a.dtype))[:, np.newaxis]


def row_maxima(a: np.ndarray) -> np.ndarray:
    """``max_k a[:, k]``, shape (N, 1); NaN where a row holds one, as ``np.max``."""
    if a.shape[1] > 32:  # long rows: NumPy's own reduction is the faster one
        return np.maximum.reduce(a, axis=1, keepdims=True)
    return np.maximum.reduce(np.ascontiguousarray(a.T), axis=0)[:, np.newaxis]
