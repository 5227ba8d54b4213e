"""Where glassnet touches files: every write and every read of a user's path passes here.

Writing: a temporary file beside the target, fsync, rename, so a crash never leaves half of
one; only a regular file (or nothing) is ever replaced, and a symlink is written through.
Reading: only a regular file is opened (a FIFO, a device or a folder is refused at once,
without blocking), and never more than a stated number of bytes is read.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from pathlib import Path

__all__ = ["MAX_TEXT_BYTES", "FileRefused", "atomic_write", "not_regular", "open_regular",
           "read_regular", "read_regular_text"]

MAX_TEXT_BYTES = 256 * 2**20  # CSV, JSON answers, sheets, run records: far above any real one
STALE_AFTER_S = 60.0  # a temporary untouched this long, whose writer is gone, is debris

_KINDS = [(stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISSOCK, "a socket")]


class FileRefused(ValueError):
    """A path that is not a regular file, or is larger than a reader accepts."""

    def __init__(self, path, problem: str):
        self.path, self.problem = str(path), problem
        super().__init__(f"{path}: {problem}")


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def atomic_write(path: str | Path, data: bytes | str, *, parents: bool = False) -> Path:
    """Write ``data`` (str as UTF-8) to ``path`` through a temporary file and ``os.replace``.

    A failure at any point leaves the old file, or none, never a partial one, and an
    ``OSError`` that names ``path`` (not the temporary). A ``path`` that exists and is not a
    regular file (a folder, a device such as ``/dev/null``, a FIFO, a socket) is a
    ``ValueError`` and is left untouched; a missing folder is a ``ValueError`` too, unless
    ``parents=True`` creates it, as ``mkdir -p`` would. A symlink stays a symlink: the file it
    points to is replaced, atomically, by a temporary written in that file's folder. The file
    gets the permissions any new file gets under the user's umask (a bare ``mkstemp`` file
    would be 0600, unreadable to the user's group even where they share models).

    The temporary is ``.NAME.PID-XXXXXXXX.tmp``. A save killed midway leaves one behind; each
    later save of the same target removes those it finds of that exact pattern whose process
    is no longer running on this machine and which are untouched for ``STALE_AFTER_S``
    seconds (on systems without process ids to check, and for the older
    ``.NAME.XXXXXXXX.tmp`` names, after an hour). Nothing else in the folder is touched.
    """
    asked = Path(path)
    target = Path(os.path.realpath(asked)) if asked.is_symlink() else asked
    folder = target.parent if str(target.parent) else Path(".")
    if parents:
        folder.mkdir(parents=True, exist_ok=True)
    # Named here: otherwise the error would name the temporary file, or os.replace would
    # turn a device or a pipe into a plain file
    _refuse_non_regular(asked, target)
    if not folder.is_dir():
        raise ValueError(f"cannot write {str(asked)!r}: the folder {str(folder)!r} does not exist")
    if isinstance(data, str):
        data = data.encode("utf-8")
    _remove_stale_temporaries(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp",
                                   dir=folder)
    except OSError as error:
        raise _naming(error, asked) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())  # the bytes reach the disk before the name points at them
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError) and _naming(error, asked) is not error:
            raise _naming(error, asked) from error
        raise
    return asked


def not_regular(path: str | Path) -> str | None:
    """What ``path`` is ("a folder", "a FIFO (named pipe)", ...) when it exists and is not a
    regular file (a symlink is followed); ``None`` for a regular file or nothing."""
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    return None if stat.S_ISREG(mode) else _kind(mode)


def _refuse_non_regular(asked: Path, target: Path) -> None:
    kind = not_regular(target)
    if kind == "a folder":
        raise ValueError(f"cannot write {str(asked)!r}: it is a folder; expected a file name")
    if kind is not None:
        raise ValueError(f"cannot write {str(asked)!r}: it is {kind}, not a regular file; "
                         "expected a file name to create or replace")


def _naming(error: OSError, path: Path) -> OSError:
    """The same kind of error, naming the file asked for instead of the temporary."""
    if error.errno is None:  # raised by hand, not by the system: no file to name
        return error
    return type(error)(error.errno, error.strerror, str(path))


def _remove_stale_temporaries(target: Path) -> None:
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:(\d+)-)?[a-z0-9_]{{8}}\.tmp")
    folder = target.parent if str(target.parent) else Path(".")
    now = time.time()
    try:
        names = [entry for entry in os.scandir(folder) if pattern.fullmatch(entry.name)]
    except OSError:
        return
    for entry in names:
        pid = pattern.fullmatch(entry.name).group(1)
        try:
            info = entry.stat(follow_symlinks=False)
            gone = pid is not None and os.name == "posix" and not _running(int(pid))
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > (
                    STALE_AFTER_S if gone else 3600.0):
                os.unlink(entry.path)
        except OSError:
            pass  # another save removed it first, or the folder is read-only: not our concern


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)  # the only portable way to read it is to set it and put it back
    os.umask(mask)
    return mask


def open_regular(path: str | Path, expected: str):
    """Open ``path`` for reading in binary, refusing at once anything but a regular file.

    The file is opened non-blocking and checked on the open descriptor, so a FIFO neither
    hangs nor is read, and a file swapped after a check cannot slip through. ``expected``
    names what the caller wanted ("a CSV file"), for the message. Raises
    ``FileNotFoundError`` for a missing path and :class:`FileRefused` (a ``ValueError``)
    for a folder, device, FIFO or socket.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:  # Windows; Linux opens a folder and fstat says what it is
        raise FileRefused(path, f"is a folder; expected {expected}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(mode) else f"{_kind(mode)}, not a regular file"
        raise FileRefused(path, f"is {what}; expected {expected}")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_regular(path: str | Path, expected: str, limit: int | None = None) -> bytes:
    """All bytes of the regular file ``path``; a file over ``limit`` bytes is refused.

    ``limit`` defaults to :data:`MAX_TEXT_BYTES` (256 MiB).
    ``limit`` is checked against the file's size before reading and again while reading
    (never more than ``limit + 1`` bytes are read), so a file that grows cannot exhaust memory.
    """
    limit = MAX_TEXT_BYTES if limit is None else limit
    with open_regular(path, expected) as handle:
        size = os.fstat(handle.fileno()).st_size
        data = handle.read(limit + 1) if size <= limit else b""
    if size > limit or len(data) > limit:
        raise FileRefused(path, f"is {max(size, len(data)):,} bytes, more than the "
                          f"{limit:,} glassnet reads; expected {expected} of at most that size")
    return data


def read_regular_text(path: str | Path, expected: str, limit: int | None = None,
                      encoding: str = "utf-8-sig", missing: str | None = None) -> str:
    """:func:`read_regular`, decoded; undecodable bytes are a :class:`FileRefused`, and a
    missing file is a ``ValueError`` saying ``missing`` where that sentence is given."""
    try:
        return read_regular(path, expected, limit).decode(encoding)
    except FileNotFoundError:
        if missing is None:
            raise
        raise ValueError(missing) from None
    except UnicodeDecodeError as error:
        raise FileRefused(path, f"is not UTF-8 text ({error.reason} at byte {error.start}); "
                          f"expected {expected}") from None
