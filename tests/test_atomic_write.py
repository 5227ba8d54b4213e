"""Atomic writes: whole files or none, with the permissions of any new file."""

import os

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
