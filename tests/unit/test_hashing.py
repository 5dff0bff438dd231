"""Content hashes of files: the SHA-256 of the bytes, whatever the size and however it is read in blocks."""
from __future__ import annotations

import hashlib

import pytest

from verifier import hashing
from verifier.hashing import file_sha256


def test_the_hash_is_the_sha256_of_the_bytes_in_hex(tmp_path):
    (tmp_path / "abc").write_bytes(b"abc")
    assert file_sha256(tmp_path / "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    (tmp_path / "empty").write_bytes(b"")
    assert file_sha256(tmp_path / "empty") == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize("size", [6, 7, 8, 50])
def test_a_file_read_in_many_blocks_hashes_as_if_read_whole(tmp_path, monkeypatch, size):
    monkeypatch.setattr(hashing, "BLOCK", 7)
    data = bytes(range(size))
    (tmp_path / "f").write_bytes(data)
    assert file_sha256(tmp_path / "f") == hashlib.sha256(data).hexdigest()


def test_a_path_given_as_a_string_and_line_endings_as_they_are(tmp_path):
    (tmp_path / "crlf.txt").write_bytes(b"a\r\nb")
    (tmp_path / "lf.txt").write_bytes(b"a\nb")
    assert file_sha256(str(tmp_path / "crlf.txt")) != file_sha256(tmp_path / "lf.txt")
    assert file_sha256(str(tmp_path / "crlf.txt")) == hashlib.sha256(b"a\r\nb").hexdigest()


def test_a_missing_file_is_an_error_not_a_hash(tmp_path):
    with pytest.raises(FileNotFoundError):
        file_sha256(tmp_path / "missing")
