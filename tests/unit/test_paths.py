"""Paths as reports show them: what the user typed, normalised lexically, relative to the working folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from verifier.paths import display_path


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PWD", raising=False)


@pytest.mark.parametrize("typed,shown", [
    ("claims/../seeds/x.txt", "seeds/x.txt"),
    ("claims/../../verifier/seeds/x.txt", "../verifier/seeds/x.txt"),
    ("./seeds//x.txt", "seeds/x.txt"),
    ("seeds/./a/../x.txt", "seeds/x.txt"),
    (".", "."),
    ("", "."),
])
def test_relative_paths_are_normalised_as_typed(typed, shown):
    assert display_path(Path(typed) if typed else typed) == shown


def test_absolute_paths_inside_the_working_folder_are_relative(tmp_path):
    assert display_path(tmp_path / "claims" / ".." / "seeds" / "x.txt") == "seeds/x.txt"
    assert display_path(str(tmp_path)) == "."


def test_absolute_paths_elsewhere_stay_absolute_and_normalised(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert display_path(tmp_path / "other" / ".." / "data" / "x.txt") == (tmp_path / "data" / "x.txt").as_posix()


def test_a_symlinked_folder_keeps_the_name_it_was_given(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "x.txt").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert display_path(Path("link/x.txt")) == "link/x.txt"
    assert display_path(tmp_path / "link" / "x.txt") == "link/x.txt"
    # Lexical: `..` drops the name before it, wherever the link points.
    assert display_path(Path("link/../real/x.txt")) == "real/x.txt"


def test_the_shells_name_for_a_symlinked_working_folder_counts(tmp_path, monkeypatch):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path / "link")  # os.getcwd() gives .../real
    monkeypatch.setenv("PWD", str(tmp_path / "link"))
    assert display_path(tmp_path / "link" / "a.txt") == "a.txt"
    assert display_path(tmp_path / "real" / "a.txt") == "a.txt"


def test_a_deleted_working_folder_gives_the_normalised_path(tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    os.rmdir(gone)
    assert display_path(Path("/srv/a/../b.txt")) == "/srv/b.txt"
