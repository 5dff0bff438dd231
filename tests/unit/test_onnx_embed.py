"""The ONNX embedder's graph cache, its checks and its fallback, with the export and the runtime faked."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

import verifier.models.onnx_embed as onnx_embed
from verifier.models.embed import SentenceTransformerEmbedder, load_embedder
from verifier.errors import ModelError, VerifierWarning
from verifier.models.onnx_embed import ExportError, OnnxEmbedder, graph_file, read_graph, write_graph


@pytest.fixture
def model_dir(tmp_path):
    """A folder that fingerprints like a model; nothing here loads it."""
    d = tmp_path / "tiny-model"
    d.mkdir()
    (d / "config.json").write_text('{"hidden_size": 4}')
    return d


@pytest.fixture
def fake_export(monkeypatch):
    """export_graph and session_runner replaced: the 'graph' is bytes, the 'session' counts calls."""
    calls = {"export": 0, "runner": []}

    def export(reference):
        calls["export"] += 1
        return b"graph of " + reference.fingerprint.encode()

    def runner(graph, path):
        calls["runner"].append(graph)
        return lambda texts: np.ones((len(texts), 3), dtype=np.float32) / np.sqrt(3)

    monkeypatch.setattr(onnx_embed, "export_graph", export)
    monkeypatch.setattr(onnx_embed, "session_runner", runner)
    return calls


def test_graph_round_trip_and_damage_is_detected(tmp_path):
    path = tmp_path / "models" / "g.onnx"
    write_graph(path, b"some graph")
    assert path.read_bytes()[:32] == hashlib.sha256(b"some graph").digest()
    assert read_graph(path) == b"some graph"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    assert read_graph(path) is None
    assert read_graph(tmp_path / "missing.onnx") is None
    path.write_bytes(b"")
    assert read_graph(path) is None


def test_first_construction_exports_and_caches_later_ones_do_not(model_dir, tmp_path, fake_export):
    cache = tmp_path / "cache"
    first = load_embedder(model_dir, "onnx", cache)
    assert isinstance(first, OnnxEmbedder) and fake_export["export"] == 1
    path = graph_file(cache, first.reference.fingerprint)
    assert read_graph(path) == b"graph of " + first.reference.fingerprint.encode()
    second = load_embedder(model_dir, "onnx", cache)
    assert fake_export["export"] == 1
    second.embed(["a", "b"])
    assert fake_export["export"] == 1 and fake_export["runner"] == [read_graph(path)]


def test_nothing_is_read_or_run_until_a_text_needs_embedding(model_dir, tmp_path, fake_export):
    load_embedder(model_dir, "onnx", tmp_path)
    embedder = load_embedder(model_dir, "onnx", tmp_path)
    assert embedder.embed([]).shape == (0, 0)
    assert fake_export["runner"] == []


def test_the_int8_model_has_its_own_model_id(model_dir, tmp_path, fake_export):
    onnx = load_embedder(model_dir, "onnx", tmp_path)
    torch = load_embedder(model_dir, "torch", tmp_path)
    assert isinstance(torch, SentenceTransformerEmbedder)
    assert onnx.model_id == torch.model_id + "-onnx-int8"


def test_damaged_cached_graph_is_exported_again_with_a_warning(model_dir, tmp_path, fake_export):
    embedder = load_embedder(model_dir, "onnx", tmp_path)
    path = embedder.graph_file
    path.write_bytes(path.read_bytes()[:-3])  # a run killed mid-write, or a disk error
    again = load_embedder(model_dir, "onnx", tmp_path)
    with pytest.warns(VerifierWarning, match="cached ONNX graph .* is damaged; exporting the model again"):
        again.embed(["x"])
    assert fake_export["export"] == 2
    assert read_graph(path) == fake_export["runner"][-1]


def test_a_model_that_does_not_export_runs_on_sentence_transformers(model_dir, tmp_path, monkeypatch):
    def fail(reference):
        raise ExportError("the model takes inputs the exporter does not know: pixel_values")

    monkeypatch.setattr(onnx_embed, "export_graph", fail)
    with pytest.warns(VerifierWarning, match="cannot run the model through onnxruntime .*pixel_values.*; "
                                             "using sentence-transformers on torch"):
        embedder = load_embedder(model_dir, "onnx", tmp_path)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert not (tmp_path / "models").exists()


def test_no_cache_dir_exports_in_memory_and_writes_nothing(model_dir, tmp_path, fake_export):
    cache = tmp_path / "cache"
    embedder = load_embedder(model_dir, "onnx", None)
    embedder.embed(["x"])
    assert fake_export["export"] == 1 and not cache.exists() and embedder.graph_file is None


def test_unknown_backend_and_missing_model_are_clear_errors(model_dir, tmp_path):
    with pytest.raises(ModelError, match="unknown backend 'tensorflow'; use one of onnx, torch"):
        load_embedder(model_dir, "tensorflow", tmp_path)
    with pytest.raises(ModelError, match="model folder not found"):
        load_embedder(tmp_path / "nowhere", "onnx", tmp_path)


def test_a_folder_without_a_fast_tokenizer_is_not_exported(model_dir):
    with pytest.raises(ExportError, match="the folder has no tokenizer.json"):
        onnx_embed.export_graph(SentenceTransformerEmbedder(model_dir))
