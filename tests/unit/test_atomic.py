"""Files written whole or not at all: readers see the old content or the new, and a failed write leaves nothing behind."""
from __future__ import annotations

import pytest

from verifier.atomic import atomic_write_bytes, atomic_writer


def test_atomic_write_leaves_no_temp_files(tmp_path):
    target = tmp_path / "sub" / "f.bin"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["f.bin"]


def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    import os
    import stat

    target = tmp_path / "draft.md"
    target.write_text("x")
    os.chmod(target, 0o640)
    atomic_write_bytes(target, b"y")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = tmp_path / "new.txt"
    atomic_write_bytes(fresh, b"z")
    assert stat.S_IMODE(fresh.stat().st_mode) & 0o044  # readable by others, as an ordinary new file is



def test_readers_see_the_old_content_until_the_block_ends(tmp_path):
    target = tmp_path / "report.json"
    target.write_bytes(b"old")
    with atomic_writer(target) as fh:
        fh.write(b"new, and longer than the old")
        fh.flush()
        assert target.read_bytes() == b"old"
    assert target.read_bytes() == b"new, and longer than the old"


def test_an_error_in_the_block_keeps_the_old_file_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="stopped"):
        with atomic_writer(target) as fh:
            fh.write(b"half of it")
            raise RuntimeError("stopped")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_an_interrupted_first_write_creates_no_file(tmp_path):
    target = tmp_path / "new.bin"
    with pytest.raises(KeyboardInterrupt):
        with atomic_writer(target) as fh:
            fh.write(b"x")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_bytes_are_written_as_they_are(tmp_path):
    data = "caf\u00e9\r\nline two\rend\n".encode("utf-8") + bytes(range(256))
    atomic_write_bytes(tmp_path / "f", data)
    assert (tmp_path / "f").read_bytes() == data
    atomic_write_bytes(tmp_path / "f", b"")
    assert (tmp_path / "f").read_bytes() == b""
