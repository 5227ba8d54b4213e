"""The glassnet file: safetensors weights, one JSON description, a checksum.

A glassnet file is a plain safetensors file (https://huggingface.co/docs/safetensors) read
and written with its numpy API. Its header metadata holds one string, ``glassnet``, of JSON::

    {"format": "glassnet", "format_version": 1, "kind": "model" | "checkpoint",
     "network": net.config(), "frozen": [...], "training": {...}, ...,
     "sha256": the SHA-256 of the whole file as written with these 64 characters set to 0}

(One metadata key, because safetensors writes several in no fixed order, and the same
network must give the same bytes.)

The checksum covers every byte, header included, so any corruption or truncation is caught
before a single value is used. It is not a signature (anyone can compute it), so every field
of the metadata is also checked for its type, range and shape (:func:`expect` and its
helpers, used here, in :mod:`glassnet.persistence` and in checkpoints), and JSON nested deeper
than the format needs is refused: :class:`ModelFileError` (a ``ValueError``) is the only error
a damaged or hand-made file can raise. Reading never executes code: no pickle anywhere.
Writes are atomic (temporary file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re

import numpy as np

from ._files import FileRefused, atomic_write, open_regular

__all__ = ["FORMAT_VERSION", "ModelFileError", "write_file", "read_file", "expect", "is_int",
           "is_number"]

FORMAT_VERSION = 1
_KEY = b'\\"sha256\\": \\"'  # how json.dumps, then safetensors' JSON escaping, spell it
_PLACEHOLDER = _KEY + b"0" * 64 + b'\\"'
_HEX64 = re.compile(rb"[0-9a-f]{64}")
_MAX_HEADER = 100_000_000  # the safetensors library's own limit on the JSON header
# glassnet's own fields nest four levels at most (progress → rng_state → state → state);
# deeper JSON is not glassnet's, and refused before anything walks it with recursion.
_MAX_DEPTH = 32  # twice what it needs: a callback's own state may nest a little
_TOO_DEEP = (f"has a header whose lists or objects nest deeper than {_MAX_DEPTH} levels, "
             "which no glassnet file needs")


class ModelFileError(ValueError):
    """A glassnet file is missing, truncated, corrupt, of another version, or does not fit."""

    def __init__(self, path, problem: str):
        self.path, self.problem = str(path), problem
        super().__init__(f"{path}: {problem}")


def write_file(path, tensors: dict[str, np.ndarray], meta: dict) -> None:
    """Write ``tensors`` and the JSON-able ``meta`` as a checksummed safetensors file."""
    import safetensors.numpy

    meta = {"format": "glassnet", "format_version": FORMAT_VERSION, **meta, "sha256": "0" * 64}
    arrays = {name: np.ascontiguousarray(value) for name, value in tensors.items()}
    data = safetensors.numpy.save(arrays, metadata={"glassnet": json.dumps(meta)})
    header_end = 8 + int.from_bytes(data[:8], "little")
    at = data.find(_PLACEHOLDER, 8, header_end)
    if at < 0:  # pragma: no cover - would mean safetensors changed how it writes metadata
        raise RuntimeError("could not find the checksum slot in the safetensors header")
    digest = hashlib.sha256(data).hexdigest().encode()
    start = at + len(_KEY)
    atomic_write(path, data[:start] + digest + data[start + 64:])


def read_file(path, kinds=("model", "checkpoint")) -> tuple[dict[str, np.ndarray], dict]:
    """Read and verify a file written by :func:`write_file`; returns ``(tensors, meta)``."""
    data = _read_declared(path)
    meta = _verified_meta(path, data)
    version = meta.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:  # true == 1 in JSON's Python
        raise ModelFileError(path, f"has format version {version!r}, but this glassnet reads "
                             f"version {FORMAT_VERSION}; use the glassnet that wrote it")
    if meta.get("kind") not in kinds:
        raise ModelFileError(path, f"holds a {meta.get('kind')!r}, expected one of {list(kinds)}")
    import safetensors.numpy

    try:
        tensors = safetensors.numpy.load(data)
    except Exception as error:  # safetensors raises its own SafetensorError, not a ValueError
        raise ModelFileError(path, f"is not a valid safetensors file ({error})") from None
    return tensors, meta


def _read_declared(path) -> bytes:
    """The file's bytes, reading no more than its safetensors header declares (plus one, so
    that bytes appended after the tensors still fail the checksum)."""
    try:
        handle = open_regular(path, "a glassnet model file")
    except FileNotFoundError:
        raise ModelFileError(path, "no such file") from None
    except FileRefused as error:
        raise ModelFileError(path, error.problem) from None
    with handle:
        size = os.fstat(handle.fileno()).st_size
        prefix = handle.read(8)
        if len(prefix) < 8:
            return prefix  # too short to be anything: _verified_meta says so
        n = int.from_bytes(prefix, "little")
        if n > _MAX_HEADER:
            raise ModelFileError(path, f"declares a {n:,}-byte header, more than the "
                                 f"{_MAX_HEADER:,} bytes a safetensors header may have")
        if n > size - 8:
            raise ModelFileError(path, "is truncated or not a safetensors file (its header "
                                 f"says {n} bytes, the file has {max(size - 8, 0)})")
        header = handle.read(n)
        rest = size - 8 - n  # never ask for more than the file has: a crafted offset may be huge
        return prefix + header + handle.read(min(max(_data_length(header), 0), rest) + 1)


def _data_length(header: bytes) -> int:
    """The bytes of tensor data a safetensors header declares; 0 where it is unreadable
    (:func:`_verified_meta` then says what is wrong with it)."""
    try:
        entries = json.loads(header.decode("utf-8"))
        return max([int(entry["data_offsets"][1]) for name, entry in entries.items()
                    if name != "__metadata__"] or [0])
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError,
            OverflowError):
        return 0


def _verified_meta(path, data: bytes) -> dict:
    """The ``glassnet`` metadata, after checking the whole-file checksum."""
    if len(data) < 8:
        raise ModelFileError(path, f"is truncated or empty ({len(data)} bytes)")
    header_end = 8 + int.from_bytes(data[:8], "little")
    if header_end > len(data):
        raise ModelFileError(path, "is truncated or not a safetensors file (its header says "
                             f"{header_end - 8} bytes, the file has {len(data) - 8})")
    try:
        metadata = json.loads(data[8:header_end].decode("utf-8")).get("__metadata__") or {}
        text = metadata.get("glassnet")
    except (UnicodeDecodeError, ValueError, AttributeError):
        raise ModelFileError(path, "is corrupt or not a safetensors file (its header is not "
                             "valid JSON)") from None
    except RecursionError:
        raise ModelFileError(path, _TOO_DEEP) from None
    if not isinstance(text, str):
        raise ModelFileError(path, "is not a glassnet file (no 'glassnet' metadata)")
    try:
        meta = json.loads(text)
        digest = meta["sha256"].encode("ascii")
    except (ValueError, TypeError, KeyError, AttributeError, UnicodeEncodeError):
        raise ModelFileError(path, "is corrupt: its glassnet metadata is not JSON with a "
                             "checksum") from None
    except RecursionError:
        raise ModelFileError(path, _TOO_DEEP) from None
    needle = _KEY + digest + b'\\"'
    at = data.find(needle, 8, header_end)
    if not _HEX64.fullmatch(digest) or at < 0 or data.count(needle, 8, header_end) != 1:
        raise ModelFileError(path, "is corrupt: its checksum entry is damaged")
    blanked = data[:at] + _PLACEHOLDER + data[at + len(needle):]
    if hashlib.sha256(blanked).hexdigest().encode() != digest:
        raise ModelFileError(path, "is corrupt or truncated: its SHA-256 checksum does not "
                             "match the contents")
    if not isinstance(meta, dict) or meta.get("format") != "glassnet":  # pragma: no cover
        raise ModelFileError(path, "is a safetensors file but not one written by glassnet")
    if _depth(meta) > _MAX_DEPTH:
        raise ModelFileError(path, _TOO_DEEP)
    return meta


def _depth(value) -> int:
    """How deeply lists and objects nest in ``value`` (walked without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            deepest = max(deepest, depth)
            stack.extend((item, depth + 1) for item in
                         (value.values() if isinstance(value, dict) else value))
    return deepest


# ---- checking the metadata's fields ------------------------------------------------------


def expect(path, ok: bool, field: str, value, expected: str) -> None:
    """Raise a ModelFileError naming ``field``, its ``value`` and what was ``expected``."""
    if not ok:
        raise ModelFileError(path, f"has {field} = {_shown(value)}, expected {expected}")


def _shown(value) -> str:
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):  # a NumPy array, or an int too long to print
        text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def is_int(value, low: int = 0, high: float = math.inf) -> bool:
    """A JSON integer (not ``true`` or ``false``) with ``low <= value <= high``."""
    return type(value) is int and low <= value <= high


def is_number(value, finite: bool = True) -> bool:
    """A JSON number that a float can hold (finite unless ``finite=False``)."""
    if type(value) not in (int, float):
        return False
    try:
        return not finite or math.isfinite(float(value))
    except OverflowError:
        return False
