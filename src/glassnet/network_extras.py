"""What a Network does beyond the four steps: fit, predict, evaluate, save, Jupyter display.

Each method hands over to the module that does the work (training, evaluation,
persistence, explain), imported on first use: the engine never imports the layers above
it, and ``import glassnet`` stays light.
"""

from __future__ import annotations

import numpy as np

__all__ = ["NetworkExtras"]


class NetworkExtras:
    """Mixed into :class:`glassnet.Network`."""

    # ---- training on data: glassnet.training, imported on first use ---------------

    def fit(self, X, y, *, epochs: int, batch_size: int = 32, optimizer="adam", lr=None,
            shuffle: bool = True, seed: int | None = None, validation_data=None,
            validation_split: float = 0.0, metrics=(), early_stopping=None, target_loss=None,
            callbacks=(), progress: bool = True, checkpoint=None, resume=None,
            sample_weight=None):
        """Repeat the four steps over shuffled mini-batches; see :func:`glassnet.training.fit`."""
        from .training import fit

        return fit(self, X, y, epochs=epochs, batch_size=batch_size, optimizer=optimizer,
                   lr=lr, shuffle=shuffle, seed=seed, validation_data=validation_data,
                   validation_split=validation_split, metrics=metrics,
                   early_stopping=early_stopping, target_loss=target_loss,
                   callbacks=callbacks, progress=progress, checkpoint=checkpoint,
                   resume=resume, sample_weight=sample_weight)

    def predict(self, X) -> np.ndarray:
        """Labels for a classifier, ``ŷ`` for regression (:mod:`glassnet.evaluation`)."""
        from .evaluation import predict

        return predict(self, X)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities ``(N, K)`` of a classifier (:mod:`glassnet.evaluation`)."""
        from .evaluation import predict_proba

        return predict_proba(self, X)

    def evaluate(self, X, y, metrics=None, sample_weight=None) -> dict:
        """``{"loss": …, metric: …}`` on ``(X, y)`` (:func:`glassnet.evaluation.evaluate`)."""
        from .evaluation import evaluate

        return evaluate(self, X, y, metrics, sample_weight=sample_weight)

    def save(self, path) -> None:
        """Save architecture and weights to a safetensors file (:mod:`glassnet.persistence`)."""
        from .persistence import save

        save(self, path)

    # Rich display in Jupyter: drawn by glassnet.explain, imported only when a notebook asks.
    def _repr_svg_(self) -> str:
        from .explain.jupyter import network_svg

        return network_svg(self)

    def _repr_html_(self) -> str:
        from .explain.jupyter import network_html

        return network_html(self)

    def _repr_markdown_(self) -> str:
        from .explain.jupyter import network_markdown

        return network_markdown(self)
