"""The short-list's static model: shipped built for the default model; distilling one's own says so first,
draws no bars but verifier's own, and names the extra it needs."""
from __future__ import annotations

import numpy as np
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


def _own_model(tmp_path):
    """A model folder of the user's own: the default model's files and one more, so another fingerprint."""
    import shutil

    from verifier.models.embed import default_model_path

    own = tmp_path / "own-model"
    shutil.copytree(default_model_path(), own)
    (own / "NOTES.txt").write_text("fine-tuned in-house\n")
    return own


def test_distilling_says_so_first(tmp_path, monkeypatch):
    from verifier.first_pass import StaticEmbedder

    said: list[str] = []
    static = StaticEmbedder(_own_model(tmp_path), tmp_path / "cache", progress=said.append)
    assert static.shipped is None
    monkeypatch.setattr("model2vec.distill.distill", lambda **kw: (_ for _ in ()).throw(RuntimeError("stop")))
    with pytest.raises(Exception, match="stop"):
        static._distill()
    assert said == ["distilling a static model from the embedding model for the short-list "
                    "(minutes, once: it is cached)"]


def test_the_default_model_reads_the_shipped_static_model_and_writes_nothing(tmp_path):
    from verifier.first_pass import SHIPPED_DTYPE, StaticEmbedder, shipped_fingerprint, shipped_folder
    from verifier.models.embed import default_model_path, model_fingerprint

    static = StaticEmbedder(None, tmp_path / "cache")
    assert static.shipped == shipped_folder() and static.folder is None
    assert static.model_id == f"model2vec-pca256-{shipped_fingerprint()}-{SHIPPED_DTYPE}"
    vecs = static.embed(["The first joint drills were held on liberated lands.", "An unrelated line about cooking."])
    assert vecs.shape == (2, 256)
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert not (tmp_path / "cache").exists()  # nothing distilled, nothing cached
    # The default model's own folder, given as --model, is the same model: the shipped static model too.
    assert model_fingerprint(default_model_path()) == shipped_fingerprint()
    assert StaticEmbedder(default_model_path(), tmp_path / "cache").model_id == static.model_id


def test_a_model_of_ones_own_without_the_torch_extra_is_told_which_to_install(tmp_path, monkeypatch):
    import builtins

    from verifier.errors import ModelError
    from verifier.first_pass import StaticEmbedder

    real_import = builtins.__import__

    def no_distill(name, *args, **kwargs):
        if name.startswith("model2vec.distill"):
            raise ImportError("No module named 'transformers'")
        return real_import(name, *args, **kwargs)

    static = StaticEmbedder(_own_model(tmp_path), tmp_path / "cache")
    monkeypatch.setattr(builtins, "__import__", no_distill)
    with pytest.raises(ModelError, match=r"own-model: distilling .* needs torch and transformers; install them with "
                                         r"`pip install 'quote-verifier\[torch\]'`"):
        static.embed(["text"])
