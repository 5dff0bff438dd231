"""The short-list's static model: distilling it says so first, and draws no bars but verifier's own."""
from __future__ import annotations

import pytest


def test_distilling_draws_no_progress_bars_and_puts_them_back_after(capsys):
    # About 6 s: the first import of model2vec and transformers, which the distilling needs.
    from model2vec.distill import inference
    from transformers.utils import logging as hf_logging

    from verifier.first_pass import _no_progress_bars

    bar, enabled = inference.tqdm, hf_logging.is_progress_bar_enabled()
    with _no_progress_bars():
        for _ in inference.tqdm(range(3), desc="Encoding tokens"):
            pass
        for _ in hf_logging.tqdm(range(3), desc="Loading weights"):
            pass
    assert capsys.readouterr().err == ""
    assert inference.tqdm is bar and hf_logging.is_progress_bar_enabled() == enabled

    with pytest.raises(RuntimeError, match="distilling failed"), _no_progress_bars():
        raise RuntimeError("distilling failed")  # errors go through untouched
    assert inference.tqdm is bar and hf_logging.is_progress_bar_enabled() == enabled


def test_distilling_shows_its_bar_as_verifiers_own_when_asked(capsys):
    from model2vec.distill import inference

    from verifier.first_pass import _no_progress_bars

    bar = inference.tqdm
    with _no_progress_bars(show=True):
        for _ in inference.tqdm(range(3), desc="Encoding tokens", mininterval=0):
            pass
    err = capsys.readouterr().err
    assert "distilling the short-list model" in err and "Encoding tokens" not in err
    assert inference.tqdm is bar


def test_distilling_says_so_first(tmp_path, monkeypatch):
    from verifier.first_pass import StaticEmbedder
    from verifier.models.embed import default_model_path

    said: list[str] = []
    static = StaticEmbedder(default_model_path(), tmp_path, progress=said.append)
    monkeypatch.setattr("model2vec.distill.distill", lambda **kw: (_ for _ in ()).throw(RuntimeError("stop")))
    with pytest.raises(Exception, match="stop"):
        static._distill()
    assert said == ["distilling a static model from the embedding model for the short-list "
                    "(minutes, once: it is cached)"]
