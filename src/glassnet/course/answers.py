"""What students wrote, read as numbers: answers from a dict, a CSV or a JSON file.

Numbers keep their written digits (``0.5933`` is four decimals, and the checker's tolerance
follows them). A decimal comma (``0,3775``) is read as one number; ``name;value`` CSV files,
as spreadsheets with a decimal comma write them, are read too. An answer that is not one
number (``abc``, ``1/2``, ``≈0.38``, a CSV row ``z1[1],0,2139`` that could be read two ways)
is kept as *unreadable*, with the reason, so that the checker marks it and goes on.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import numpy as np

from .._files import read_regular_text

__all__ = ["read_answers", "parse"]

_AMBIGUOUS_ROW = ("the row {row!r} has more fields than 'name,value': a decimal comma in a "
                  "comma-separated file is ambiguous; write {name},\"{value}\" (quoted) or use a "
                  "decimal point: {name},{point}")


class _Unreadable(str):
    """An answer as written that cannot be read as one number, with the reason why."""

    reason: str

    def __new__(cls, text: str, reason: str):
        self = super().__new__(cls, text)
        self.reason = reason
        return self



def read_answers(answers) -> dict[str, str]:
    """name → the number as written, from a dict, a CSV file or a JSON file.

    A file must be a regular file of at most 256 MiB (``glassnet._files.MAX_TEXT_BYTES``);
    a folder, FIFO or device is a ``ValueError`` at once, without reading it.
    """
    if isinstance(answers, (str, Path)):
        path = Path(answers)
        text = read_regular_text(path, "a .csv or .json answers file", missing=(
            f"answers file {str(path)!r} does not exist; expected a .csv or .json file, or a "
            "dict of answers"))
        if path.suffix.lower() == ".json":
            try:
                answers = json.loads(text, parse_float=Decimal, parse_int=Decimal)
            except json.JSONDecodeError as error:
                raise ValueError(f"answers file {path.name!r} is not valid JSON ({error.msg}, "
                                 f"line {error.lineno})") from None
        elif path.suffix.lower() == ".csv":
            answers = _read_csv(text, path)
        else:
            raise ValueError(f"answers file {path.name!r} should end in .csv or .json")
    if not isinstance(answers, dict):
        raise TypeError(f"answers must be a dict or a path to a .csv/.json file, got "
                        f"{type(answers).__name__}")
    # A blank value (an unfilled row of Sheet.answer_template) is no answer at all.
    return {str(k).strip(): _as_text(k, v) for k, v in answers.items()
            if not (isinstance(v, str) and not v.strip())}


def _read_csv(text: str, path: Path) -> dict[str, str]:
    """``name,value`` rows, or ``name;value`` where the file uses semicolons (as spreadsheets
    with a decimal comma write CSV). A comma-separated row of three fields such as
    ``z1[1],0,2139`` could be 0.2139 or 0 and a stray field: it is marked unreadable, never
    guessed."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    delimiter = ";" if lines and all(";" in ln for ln in lines) else ","
    rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter)
            if r and any(c.strip() for c in r)]
    if rows and rows[0][0].strip().lower() in ("name", "answer", "step", "quantity"):
        rows = rows[1:]
    bad = [r for r in rows if len(r) < 2]
    if bad:
        raise ValueError(f"{path.name}: expected rows of 'name,value', got {bad[0]!r}")
    out: dict[str, str] = {}
    for r in rows:
        name, value, extra = r[0].strip(), r[1].strip(), [c.strip() for c in r[2:]]
        if any(extra):
            shown = delimiter.join(r)
            out[name] = _Unreadable(shown, _AMBIGUOUS_ROW.format(
                row=shown, name=name, value=",".join([value, *extra]),
                point=".".join([value, *extra])) if delimiter == "," else
                f"the row {shown!r} has more fields than 'name;value'")
        else:
            out[name] = value
    return out


def _as_text(name, value) -> str:
    if isinstance(value, _Unreadable):
        return value
    if isinstance(value, bool) or value is None:
        return _Unreadable(repr(value), f"{value!r} is not a number")
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    if isinstance(value, (int, np.integer, Decimal)):
        return str(value)
    if isinstance(value, str):
        return value.strip().replace("−", "-")
    return _Unreadable(type(value).__name__, f"a {type(value).__name__} is not a number")


_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")


def parse(name: str, text: str) -> tuple[float, float] | str:
    """(value, half a unit of the last written digit), or the reason it cannot be read."""
    if isinstance(text, _Unreadable):
        return text.reason
    if _DECIMAL_COMMA.fullmatch(text):
        text = text.replace(",", ".")          # 0,3775: a decimal comma, one number
    try:
        d = Decimal(text)
    except InvalidOperation:
        if "/" in text:
            return f"{text!r} is a fraction; write it as a decimal number"
        if text[:1] in "≈~<>=":
            return f"{text!r}: write the number alone, without {text[0]!r}"
        return f"{text!r} is not a number"
    if not d.is_finite() or not math.isfinite(float(d)) or abs(d.as_tuple().exponent) > 300:
        return f"{text!r} is not a finite number of ordinary size"
    return float(d), 0.5 * 10.0 ** d.as_tuple().exponent
