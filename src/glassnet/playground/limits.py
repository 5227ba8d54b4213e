"""What one request may ask of the playground, and the checks that enforce it.

The playground is a teaching tool on the student's own machine, but a page can send anything,
so every size a request controls is bounded here: a bad value gets one sentence naming the
field, what was expected and what arrived, and the server keeps serving.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Limits", "RequestError", "get_int", "get_float", "get_choice", "get_number_list",
           "short"]


@dataclass(frozen=True)
class Limits:
    """Bounds on what one request may cost; ``create_app(limits=...)`` can tighten them."""

    max_body_bytes: int = 1_000_000     # a CSV of a few thousand points fits comfortably
    step_max_layers: int = 4            # step-through: layers (hidden + output) drawn on screen
    step_max_neurons: int = 8           # step-through: inputs or neurons in one layer
    train_max_hidden_layers: int = 4
    train_max_neurons: int = 16         # neurons in one hidden layer
    max_points: int = 2000              # data set size, train and test together
    max_classes: int = 8
    max_steps_per_request: int = 1000   # mini-batch updates per /step request
    max_samples_per_request: int = 200_000  # steps × batch size: keeps one request under ~1 s
    max_sessions: int = 16              # training sessions kept in all (see sessions.py)
    max_sessions_per_client: int = 8    # per client address; its least recently used goes first
    max_uploads: int = 8                # uploaded data sets kept; the oldest is dropped first
    grid: int = 48                      # the decision-boundary map is grid × grid cells


class RequestError(ValueError):
    """A request the playground will not serve; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def get_int(data: dict, key: str, default: int | None, low: int, high: int) -> int:
    """``data[key]`` as an integer in ``[low, high]`` (``default`` when absent)."""
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise RequestError(f"{key} must be an integer from {low} to {high}, got {short(value)}")
    if not low <= value <= high:
        raise RequestError(f"{key} must be an integer from {low} to {high}, got {value}")
    return value


def get_float(data: dict, key: str, default: float | None, low: float, high: float,
              open_low: bool = False) -> float:
    """``data[key]`` as a finite number in ``[low, high]`` (``(low, high]`` if ``open_low``)."""
    value = data.get(key, default)
    bracket = "(" if open_low else "["
    expected = f"{key} must be a number in {bracket}{low:g}, {high:g}]"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise RequestError(f"{expected}, got {short(value)}")
    if value < low or value > high or (open_low and value == low):
        raise RequestError(f"{expected}, got {value:g}")
    return float(value)


def get_choice(data: dict, key: str, default: str | None, choices) -> str:
    """``data[key]``, one of ``choices``."""
    value = data.get(key, default)
    if value not in choices:
        raise RequestError(f"{key} must be one of {', '.join(choices)}, got {short(value)}")
    return value


def get_number_list(value, name: str, length: int | None = None) -> list[float]:
    """A list of finite numbers (of ``length`` entries if given)."""
    if not isinstance(value, list) or any(
            isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)
            for v in value):
        raise RequestError(f"{name} must be a list of finite numbers, got {short(value)}")
    if length is not None and len(value) != length:
        raise RequestError(f"{name} must have {length} numbers, got {len(value)}")
    return [float(v) for v in value]


def short(value) -> str:
    """``repr(value)``, cut to 60 characters: an error message echoes, it does not copy."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
