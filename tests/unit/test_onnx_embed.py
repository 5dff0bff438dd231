"""The ONNX embedder's graph cache, its checks and its fallback, with the export and the runtime faked."""
from __future__ import annotations

import hashlib

import numpy as np
import pytest

import verifier.models.onnx_embed as onnx_embed
from verifier.errors import ModelError, VerifierWarning
from verifier.models.embed import SentenceTransformerEmbedder, load_embedder
from verifier.models.onnx_embed import ExportError, OnnxEmbedder, graph_key, read_graph, write_graph
from verifier.store import Store

from ..conftest import cache_blobs


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

    def export(reference, step=None):
        calls["export"] += 1
        return b"graph of " + reference.fingerprint.encode()

    def runner(graph, path):
        calls["runner"].append(graph)
        return lambda texts: np.ones((len(texts), 3), dtype=np.float32) / np.sqrt(3)

    monkeypatch.setattr(onnx_embed, "export_graph", export)
    monkeypatch.setattr(onnx_embed, "session_runner", runner)
    return calls


def test_graph_round_trip_and_damage_is_detected(tmp_path):
    store = Store(tmp_path)
    write_graph(store, "fingerprint", b"some graph")
    path = store.blob_path(onnx_embed.KIND, graph_key("fingerprint"))
    assert path.read_bytes()[:32] == hashlib.sha256(b"some graph").digest()
    assert read_graph(store, "fingerprint") == b"some graph"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.warns(VerifierWarning, match="cache entry onnx-graph/.* is damaged"):
        assert read_graph(store, "fingerprint") is None
    assert read_graph(store, "another") is None  # missing: no warning
    path.write_bytes(b"")
    with pytest.warns(VerifierWarning, match="damaged"):
        assert read_graph(Store(tmp_path), "fingerprint") is None


def test_first_construction_exports_and_caches_later_ones_do_not(model_dir, tmp_path, fake_export):
    cache = tmp_path / "cache"
    first = load_embedder(model_dir, "onnx", cache)
    assert isinstance(first, OnnxEmbedder) and fake_export["export"] == 1
    fingerprint = first.reference.fingerprint
    assert read_graph(Store(cache), fingerprint) == b"graph of " + fingerprint.encode()
    second = load_embedder(model_dir, "onnx", cache)
    assert fake_export["export"] == 1
    second.embed(["a", "b"])
    assert fake_export["export"] == 1 and fake_export["runner"] == [read_graph(Store(cache), fingerprint)]


def test_nothing_is_read_or_run_until_a_text_needs_embedding(model_dir, tmp_path, fake_export):
    load_embedder(model_dir, "onnx", tmp_path)
    embedder = load_embedder(model_dir, "onnx", tmp_path)
    assert embedder.embed([]).shape == (0, 0)
    assert fake_export["runner"] == []


def test_the_int8_model_has_its_own_model_id(model_dir, tmp_path, fake_export):
    onnx = load_embedder(model_dir, "onnx", tmp_path)
    torch = load_embedder(model_dir, "torch", tmp_path)
    assert isinstance(torch, SentenceTransformerEmbedder)
    assert onnx.model_id == torch.model_id + f"-onnx-int8-v{onnx_embed.GRAPH_VERSION}"


def test_damaged_cached_graph_is_exported_again_with_a_warning(model_dir, tmp_path, fake_export):
    embedder = load_embedder(model_dir, "onnx", tmp_path)
    (path,) = cache_blobs(tmp_path, onnx_embed.KIND)
    path.write_bytes(path.read_bytes()[:-3])  # a run killed mid-write, or a disk error
    again = load_embedder(model_dir, "onnx", tmp_path)
    with pytest.warns(VerifierWarning, match=r"cache entry onnx-graph/\w+ \(the ONNX graph of the embedding model\) "
                                             r"is damaged \(.*\); exporting the model again"):
        again.embed(["x"])
    assert fake_export["export"] == 2
    assert read_graph(Store(tmp_path), embedder.reference.fingerprint) == fake_export["runner"][-1]


def test_a_model_that_does_not_export_runs_on_sentence_transformers(model_dir, tmp_path, monkeypatch):
    def fail(reference, step=None):
        raise ExportError("the model takes inputs the exporter does not know: pixel_values")

    monkeypatch.setattr(onnx_embed, "export_graph", fail)
    with pytest.warns(VerifierWarning, match="cannot run the model through onnxruntime .*pixel_values.*; "
                                             "using sentence-transformers on torch"):
        embedder = load_embedder(model_dir, "onnx", tmp_path)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert not (tmp_path / "blobs").exists()


def test_no_cache_dir_exports_in_memory_and_writes_nothing(model_dir, tmp_path, fake_export):
    cache = tmp_path / "cache"
    embedder = load_embedder(model_dir, "onnx", None)
    embedder.embed(["x"])
    assert fake_export["export"] == 1 and not cache.exists() and embedder.store is None


def test_unknown_backend_and_missing_model_are_clear_errors(model_dir, tmp_path):
    with pytest.raises(ModelError, match="unknown backend 'tensorflow'; use one of onnx, torch"):
        load_embedder(model_dir, "tensorflow", tmp_path)
    with pytest.raises(ModelError, match="model folder not found"):
        load_embedder(tmp_path / "nowhere", "onnx", tmp_path)


def test_a_folder_without_a_fast_tokenizer_is_not_exported(model_dir):
    with pytest.raises(ExportError, match="the folder has no tokenizer.json"):
        onnx_embed.export_graph(SentenceTransformerEmbedder(model_dir))


def _ship(folder, fingerprint, graph=b"the shipped graph", version=onnx_embed.GRAPH_VERSION, sha=None):
    """A shipped-graph folder as the build script writes one."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.onnx").write_bytes(graph)
    (folder / onnx_embed.MANIFEST).write_text(json.dumps({
        "fingerprint": fingerprint, "graph_version": version, "graph": "model.onnx",
        "sha256": sha or hashlib.sha256(graph).hexdigest()}))
    return folder


@pytest.fixture
def shipped(monkeypatch, tmp_path):
    """Points the package's shipped-graph folder at one made here."""
    folder = tmp_path / "shipped"
    monkeypatch.setattr(onnx_embed, "shipped_folder", lambda: folder)
    return folder


def test_the_shipped_graph_is_used_for_its_own_model_without_export_or_copy(model_dir, tmp_path, fake_export,
                                                                           shipped):
    fingerprint = SentenceTransformerEmbedder(model_dir).fingerprint
    _ship(shipped, fingerprint)
    cache = tmp_path / "cache"
    embedder = load_embedder(model_dir, "onnx", cache)
    assert embedder.shipped is not None and embedder.shipped.path == shipped / "model.onnx"
    embedder.embed(["a"])
    assert fake_export == {"export": 0, "runner": [b"the shipped graph"]}
    assert not cache.exists()  # read from the package, never copied into the cache
    # Without a cache too: nothing is exported.
    load_embedder(model_dir, "onnx", None).embed(["a"])
    assert fake_export["export"] == 0


def test_a_graph_in_the_cache_comes_before_the_shipped_one(model_dir, tmp_path, fake_export, shipped):
    fingerprint = SentenceTransformerEmbedder(model_dir).fingerprint
    _ship(shipped, fingerprint)
    write_graph(Store(tmp_path), fingerprint, b"a cached graph")
    load_embedder(model_dir, "onnx", tmp_path).embed(["a"])
    assert fake_export == {"export": 0, "runner": [b"a cached graph"]}


@pytest.mark.parametrize("change", ["another model", "an older recipe", "no manifest", "a bad manifest"])
def test_a_shipped_graph_of_another_model_or_recipe_is_not_used(model_dir, tmp_path, fake_export, shipped, change):
    fingerprint = SentenceTransformerEmbedder(model_dir).fingerprint
    if change == "another model":
        _ship(shipped, "0123456789abcdef")
    elif change == "an older recipe":
        _ship(shipped, fingerprint, version=onnx_embed.GRAPH_VERSION - 1)
    elif change == "a bad manifest":
        _ship(shipped, fingerprint)
        (shipped / onnx_embed.MANIFEST).write_text("{not json")
    embedder = load_embedder(model_dir, "onnx", tmp_path)
    assert embedder.shipped is None and fake_export["export"] == 1
    assert read_graph(Store(tmp_path), fingerprint) is not None


def test_a_damaged_shipped_graph_is_replaced_by_an_export_with_a_warning(model_dir, tmp_path, fake_export, shipped):
    fingerprint = SentenceTransformerEmbedder(model_dir).fingerprint
    _ship(shipped, fingerprint, sha="0" * 64)
    embedder = load_embedder(model_dir, "onnx", tmp_path)
    with pytest.warns(VerifierWarning, match=r"the ONNX graph shipped in .*shipped is damaged \(its SHA-256 does not "
                                             r"match\); exporting the model instead \(reinstall verifier"):
        embedder.embed(["x"])
    assert fake_export["export"] == 1
    assert fake_export["runner"] == [read_graph(Store(tmp_path), fingerprint)]
    assert (shipped / "model.onnx").read_bytes() == b"the shipped graph"  # the package is never written


def test_the_recipe_version_is_part_of_the_model_id(model_dir, tmp_path, fake_export):
    # Vectors from another recipe's graph are never read back for this one's.
    onnx = load_embedder(model_dir, "onnx", tmp_path)
    assert onnx.model_id.endswith(f"-onnx-int8-v{onnx_embed.GRAPH_VERSION}")


def test_the_shipped_graph_matches_its_manifest_the_default_model_and_the_recipe():
    import json
    from pathlib import Path

    from verifier.config import tomllib
    from verifier.models.embed import default_model_path, model_fingerprint

    folder = onnx_embed.shipped_folder()
    manifest = json.loads((folder / onnx_embed.MANIFEST).read_text())
    assert manifest["graph_version"] == onnx_embed.GRAPH_VERSION
    assert manifest["fingerprint"] == model_fingerprint(default_model_path())
    assert manifest["quantized"].endswith(", ".join(onnx_embed.QUANTIZED_OPS))
    graph = onnx_embed.shipped_graph(manifest["fingerprint"])
    assert graph is not None and graph.read() is not None and len(graph.read()) == manifest["bytes"]
    notice = (folder / "NOTICE").read_text()
    assert "Apache License" in notice and "all-MiniLM-L6-v2" in notice and (folder / "LICENSE-Apache-2.0").is_file()
    root = Path(__file__).resolve().parents[2]
    package_data = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "models/embedder/*" in package_data["verifier"]


def test_an_export_says_each_stage_and_that_it_is_over_even_when_it_fails(model_dir):
    (model_dir / "tokenizer.json").write_text("{}")
    reference = SentenceTransformerEmbedder(model_dir)
    seen = []
    with pytest.raises(ModelError):  # the folder holds no model sentence-transformers can load
        onnx_embed.export_graph(reference, seen.append)
    assert seen == [onnx_embed.EXPORT_STAGES[0], None]


def test_stage_progress_prints_a_line_a_stage_and_clears_its_bar(capsys):
    from verifier.models.embed import StageProgress

    lines = []
    step = StageProgress(lines.append, True, "exporting the embedding model", 2)
    step("first stage")
    step("second stage")
    step(None)
    assert lines == ["first stage", "second stage"]
    err = capsys.readouterr().err
    assert "exporting the embedding model" in err and "1/2" in err and "second stage" in err
    quiet = StageProgress(None, False, "exporting", 2)
    quiet("a stage")
    quiet(None)
    assert capsys.readouterr().err == ""
