"""Small helpers every command shares: settings, parsing lists of numbers, writing results."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from .._files import atomic_write
from .errors import UserError

__all__ = ["Settings", "parse_numbers", "parse_sizes", "write_text", "write_json", "say",
           "progress_wanted"]


@dataclass
class Settings:
    """The global options, shared with every command through ``ctx.obj``."""

    debug: bool = False  # show tracebacks
    quiet: bool = False  # no progress bars and no chatter on stderr; results still print


def parse_numbers(text: str, option: str, count: int | None = None) -> list[float]:
    """``"0.05,0.10"`` → ``[0.05, 0.1]``; ``count`` is the length expected, if known."""
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    try:
        values = [float(part) for part in parts]
    except ValueError:
        raise UserError(f"{option} expected numbers separated by commas, e.g. "
                        f"'0.05,0.10', got {text!r}") from None
    if count is not None and len(values) != count:
        raise UserError(f"{option} expected {count} number{'s' * (count != 1)}, got "
                        f"{len(values)} in {text!r}")
    return values


def parse_sizes(text: str, option: str, allow_empty: bool = False) -> tuple[int, ...]:
    """``"64,32"`` → ``(64, 32)``: positive integers, e.g. layer widths.

    With ``allow_empty``, ``""`` or ``"none"`` is no layer at all; ``"0"`` is refused, since a
    layer of width 0 is more likely a slip than a request for none.
    """
    if allow_empty and text.strip().lower() in ("", "none"):
        return ()
    try:
        sizes = tuple(int(part) for part in text.replace("x", ",").split(","))
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        none = " ('none' or '' for no hidden layer)" if allow_empty else ""
        raise UserError(f"{option} expected positive integers separated by commas, e.g. "
                        f"'64,32'{none}, got {text!r}")
    return sizes


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) atomically (see :func:`atomic_write`)."""
    return atomic_write(path, text)


def write_json(path: str | Path, data) -> Path:
    return write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def ensure_folder(path: str | Path, option: str) -> Path:
    """Create ``path`` as a folder (and its parents), or say why it cannot be one."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UserError(f"{option} expected a folder, but {str(path)!r} is a file")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"{option}: cannot create folder {str(path)!r}: "
                        f"{error.strerror or error}") from None
    return path


def say(ctx: click.Context, message: str) -> None:
    """Chatter for people (where files went, what is happening) on stderr, unless --quiet."""
    if not ctx.find_object(Settings).quiet:
        click.echo(message, err=True)


def progress_wanted(ctx: click.Context) -> bool:
    """Progress bars only for a person watching a terminal; never in logs, pipes or CI."""
    return not ctx.find_object(Settings).quiet and sys.stderr.isatty()
