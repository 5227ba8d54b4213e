"""Atomic writes: whole files or none, with the permissions of any new file."""

import errno
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import glassnet as gn
from glassnet._files import atomic_write


def test_written_file_follows_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        path = atomic_write(tmp_path / "a.txt", "text")
    finally:
        os.umask(old)
    assert path.read_text() == "text"
    assert path.stat().st_mode & 0o777 == 0o640  # 0o666 less the umask, not mkstemp's 0o600


def test_saved_model_is_readable_by_the_group(tmp_path):
    old = os.umask(0o022)
    try:
        net = gn.Network([gn.Dense(2, 1)], seed=0)
        net.save(tmp_path / "m.safetensors")
    finally:
        os.umask(old)
    assert (tmp_path / "m.safetensors").stat().st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "keep.txt"
    path.write_text("old")
    with pytest.raises(TypeError):
        atomic_write(path, object())  # not bytes: the write itself fails
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_a_missing_folder_or_a_folder_as_the_file_is_one_sentence(tmp_path):
    net = gn.Network([gn.Dense(2, 1)], seed=0)
    with pytest.raises(ValueError, match=r"the folder '.*nowhere' does not exist"):
        net.save(tmp_path / "nowhere" / "m.safetensors")
    with pytest.raises(ValueError, match="it is a folder; expected a file name"):
        net.save(tmp_path)
    assert list(tmp_path.iterdir()) == [] and list(tmp_path.parent.glob(".*.tmp")) == []


def test_parents_creates_the_missing_folders_and_only_when_asked(tmp_path):
    path = tmp_path / "sheets" / "week 1" / "key.json"
    with pytest.raises(ValueError, match="does not exist"):
        atomic_write(path, "{}")
    assert not (tmp_path / "sheets").exists()  # refused, nothing created
    assert atomic_write(path, "{}", parents=True).read_text() == "{}"
    assert sorted(p.name for p in path.parent.iterdir()) == ["key.json"]  # no temporary left


# ---- what is at the path: only a regular file is replaced; a symlink is written through --


def test_a_fifo_is_refused_and_left_a_fifo(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"'.*pipe': it is a FIFO \(named pipe\), not a "
                                         r"regular file; expected a file name"):
        gn.Network([gn.Dense(2, 1)], seed=0).save(fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary either


@pytest.fixture
def char_device(tmp_path):
    """/dev/null, or as root (who could replace it if the check ever broke) a private copy."""
    if os.name != "posix" or not os.path.exists("/dev/null"):
        pytest.skip("needs /dev/null")
    if os.geteuid() != 0:
        return "/dev/null"
    path = tmp_path / "null"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError:
        pytest.skip("root without the right to make device nodes: /dev/null is not risked")
    return str(path)


def test_a_character_device_is_refused_and_stays_one(char_device):
    with pytest.raises(ValueError, match=f"'{char_device}': it is a character device, not a "
                                         "regular file; expected a file name"):
        atomic_write(char_device, "text")
    assert stat.S_ISCHR(os.stat(char_device).st_mode)


def test_a_symlink_stays_and_its_target_gets_the_new_file(tmp_path):
    (tmp_path / "models").mkdir()
    real = tmp_path / "models" / "v2.safetensors"
    real.write_bytes(b"old")
    link = tmp_path / "latest.safetensors"
    link.symlink_to(Path("models") / "v2.safetensors")  # relative, as `ln -s` users write
    net = gn.Network([gn.Dense(2, 3, "tanh"), gn.Dense(3, 1)], seed=0)
    net.save(link)
    assert link.is_symlink() and os.readlink(link) == str(Path("models") / "v2.safetensors")
    assert gn.load(real).layers[0].W.value.tobytes() == net.layers[0].W.value.tobytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.safetensors", "models"]
    assert sorted(p.name for p in real.parent.iterdir()) == ["v2.safetensors"]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "made.txt")
    atomic_write(link, "text")
    assert link.is_symlink() and (tmp_path / "made.txt").read_text() == "text"


def test_a_symlink_to_a_device_is_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "link").symlink_to(fifo)
    with pytest.raises(ValueError, match="'.*link': it is a FIFO"):
        atomic_write(tmp_path / "link", "text")
    assert (tmp_path / "link").is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


# ---- failures name the file asked for; a killed save's temporary is cleared later --------


def test_a_failure_names_the_target_not_the_temporary(tmp_path, monkeypatch):
    def refused(prefix, suffix, dir):  # what mkstemp raises in a read-only folder
        raise PermissionError(errno.EACCES, "Permission denied", f"{dir}/{prefix}k2x9_q1a{suffix}")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    with pytest.raises(PermissionError) as raised:
        gn.Network([gn.Dense(2, 1)], seed=0).save(tmp_path / "m.safetensors")
    assert raised.value.filename == str(tmp_path / "m.safetensors")
    assert ".tmp" not in str(raised.value) and "Permission denied" in str(raised.value)


def _aged(path, seconds=120):
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


def test_stale_temporaries_of_the_same_target_and_only_those_are_removed(tmp_path):
    dead = 2**22 + 12345  # above Linux's pid_max: never a running process
    names = {
        f".m.safetensors.{dead}-abcdefgh.tmp": "removed: writer gone, untouched 2 minutes",
        f".m.safetensors.{dead}-fresh_01.tmp": "kept: written seconds ago",
        f".m.safetensors.{os.getpid()}-mine0000.tmp": "kept: its writer is running",
        ".m.safetensors.old_name.tmp": "removed: older naming, untouched 2 hours",
        ".m.safetensors.recent00.tmp": "kept: older naming, untouched only 2 minutes",
        f".n.safetensors.{dead}-abcdefgh.tmp": "kept: another target's",
        f".m.safetensors.{dead}-abcdefgh.tmp.bak": "kept: not the pattern",
        f"m.safetensors.{dead}-abcdefgh.tmp": "kept: not hidden, not the pattern",
    }
    for name in names:
        (tmp_path / name).write_bytes(b"x")
        if "fresh" not in name:
            _aged(tmp_path / name, 7200 if "old_name" in name else 120)
    atomic_write(tmp_path / "m.safetensors", b"new")
    kept = {name for name, why in names.items() if why.startswith("kept")}
    assert {p.name for p in tmp_path.iterdir()} == kept | {"m.safetensors"}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_save_leaves_a_temporary_the_next_save_clears(tmp_path):
    code = ("import os, signal, sys, glassnet as gn\n"
            "os.replace = lambda src, dst: os.kill(os.getpid(), signal.SIGKILL)\n"
            "gn.Network([gn.Dense(2, 1)], seed=0).save(sys.argv[1])\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "m.safetensors")],
                          env=env, timeout=120)
    assert done.returncode == -signal.SIGKILL
    (left,) = tmp_path.iterdir()  # the killed save's temporary, and nothing else
    assert left.name.startswith(".m.safetensors.") and left.name.endswith(".tmp")
    _aged(left)
    gn.Network([gn.Dense(2, 1)], seed=0).save(tmp_path / "m.safetensors")
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]
