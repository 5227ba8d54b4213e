"""Writing files so that a crash never leaves half of one: temporary file, fsync, rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write"]


def atomic_write(path: str | Path, data: bytes | str, *, parents: bool = False) -> Path:
    """Write ``data`` (str as UTF-8) to ``path`` through a temporary file and ``os.replace``.

    A failure at any point leaves the old file, or none, never a partial one. A ``path`` that
    is a folder, or whose folder does not exist, is a ``ValueError`` naming it; with
    ``parents=True`` the missing folders are created first, as ``mkdir -p`` would. The file
    gets the permissions any new file gets under the user's umask (a bare ``mkstemp`` file
    would be 0600, unreadable to the user's group even where they share models).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if parents:
        folder.mkdir(parents=True, exist_ok=True)
    # Named here: otherwise the error would name the temporary file, or try to write beside
    # the folder's parent
    if path.is_dir():
        raise ValueError(f"cannot write {str(path)!r}: it is a folder; expected a file name")
    if not folder.is_dir():
        raise ValueError(f"cannot write {str(path)!r}: the folder {str(folder)!r} does not exist")
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the bytes reach the disk before the name points at them
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)  # the only portable way to read it is to set it and put it back
    os.umask(mask)
    return mask
