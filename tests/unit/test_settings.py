"""The settings of a run: one frozen value whose every field has a working default."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from verifier.index import ANN_LIMIT
from verifier.settings import Settings
from verifier.thresholds import EXACT_LIMIT, RERANK, SHORTLIST


def test_the_defaults_are_the_bundled_models_and_the_shipped_limits(private_cache):
    s = Settings()
    assert (s.model_path, s.backend, s.nli_model_path, s.thresholds, s.index_url) == (None, "onnx", None, None, None)
    assert (s.exact_limit, s.ann_limit, s.shortlist, s.rerank) == (EXACT_LIMIT, ANN_LIMIT, SHORTLIST, RERANK)
    assert s.cache_dir == private_cache


def test_the_cache_folder_is_read_from_the_environment_when_the_settings_are_made(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFIER_CACHE_DIR", str(tmp_path / "one"))
    first = Settings()
    monkeypatch.setenv("VERIFIER_CACHE_DIR", str(tmp_path / "two"))
    assert first.cache_dir == tmp_path / "one" and Settings().cache_dir == tmp_path / "two"
    monkeypatch.delenv("VERIFIER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert Settings().cache_dir == tmp_path / "xdg" / "verifier"


def test_no_cache_is_none_and_stays_none(private_cache):
    assert Settings(cache_dir=None).cache_dir is None


def test_settings_are_frozen_and_changed_by_replacing(settings):
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.backend = "torch"  # type: ignore[misc]
    other = dataclasses.replace(settings, backend="torch", model_path=Path("m"))
    assert (settings.backend, other.backend, other.model_path, other.cache_dir) == ("onnx", "torch", Path("m"),
                                                                                    settings.cache_dir)
    assert other != settings and dataclasses.replace(other, backend="onnx", model_path=None) == settings
