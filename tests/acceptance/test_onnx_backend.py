"""The ONNX backend with the real model: fidelity to sentence-transformers, the shipped graph, the graph cache,
no torch once a graph exists."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from verifier.claims import load_claims
from verifier.errors import ModelError, VerifierWarning
from verifier.models import onnx_embed
from verifier.models.embed import SentenceTransformerEmbedder, default_model_path, load_embedder
from verifier.models.onnx_embed import EXPORT_STAGES, OnnxEmbedder, read_graph
from verifier.pipeline import verify
from verifier.settings import Settings
from verifier.sources import read_document
from verifier.store import Store

from ..conftest import ROOT, as_pickle, cache_blobs

pytestmark = pytest.mark.slow

HEAVY = ("torch", "sentence_transformers", "transformers")


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def onnx(cache):
    return load_embedder(None, "onnx", cache)


@pytest.fixture(scope="module")
def torch_reference():
    return SentenceTransformerEmbedder(None)


def _env(cache):
    return {**os.environ, "VERIFIER_CACHE_DIR": str(cache)}


def test_the_default_model_runs_on_the_graph_shipped_in_the_package(onnx, cache):
    assert isinstance(onnx, OnnxEmbedder) and onnx.shipped is not None
    assert onnx.shipped.path.parent == onnx_embed.shipped_folder()
    assert isinstance(onnx.reference, onnx_embed.ShippedModel)  # the graph and tokenizer alone: no weights
    assert not cache_blobs(cache, onnx_embed.KIND)  # nothing exported, nothing copied into the cache


def test_the_shipped_model_is_the_default_model_read_through_its_weights_folder(onnx, cache):
    # With the weights' package (the [torch] extra), the same model id and the same vectors: caches carry over.
    through_weights = load_embedder(default_model_path(), "onnx", cache)
    assert isinstance(through_weights, OnnxEmbedder) and through_weights.shipped is not None
    assert through_weights.model_id == onnx.model_id
    texts = ["The memorandum was signed on June 15.", "naïve café — “quoted” 3,000 servicemen"]
    np.testing.assert_array_equal(through_weights.embed(texts), onnx.embed(texts))


def test_the_shipped_graph_passes_the_checks_an_export_must_pass(onnx, torch_reference):
    onnx_embed._check_against(torch_reference, onnx.shipped.read())  # raises ExportError if it does not


def test_int8_vectors_stay_close_to_sentence_transformers_on_every_seed_sentence(onnx, torch_reference):
    assert isinstance(onnx, OnnxEmbedder)
    texts = [s.text for path in sorted((ROOT / "seeds").glob("*.txt")) for s in read_document(path).sentences]
    cosines = (onnx.embed(texts) * torch_reference.embed(texts)).sum(axis=1)
    assert len(texts) > 10 and cosines.min() >= 0.97, sorted(zip(cosines, texts))[:3]


def test_a_sentence_gets_the_same_vector_alone_or_among_others(onnx):
    together = onnx.embed(["Short.", "A much longer sentence about the joint drills in Lachin region."])
    alone = onnx.embed(["Short."])
    np.testing.assert_array_equal(together[:1], alone)


def test_bundled_claims_get_the_same_verdicts_under_both_backends(cache):
    claims = load_claims([ROOT / "claims"])
    runs = {backend: verify(claims, Settings(backend=backend, cache_dir=cache)) for backend in ("onnx", "torch")}
    verdicts = {b: [(r.claim.id, r.verdict) for r in run.results] for b, run in runs.items()}
    # int8 vectors are within cosine 0.97 of fp32 ones, so a near-tie between two quotes can go
    # either way; all but a few claims must get the same verdict.
    same = sum(a == b for a, b in zip(verdicts["onnx"], verdicts["torch"]))
    assert same >= 0.95 * len(claims), [(a, b) for a, b in zip(verdicts["onnx"], verdicts["torch"]) if a != b]


def test_a_first_run_with_an_empty_cache_exports_nothing_and_never_imports_torch(tmp_path):
    code = ("import sys; from verifier.models.embed import load_embedder, default_cache_dir; "
            "e = load_embedder(None, 'onnx', default_cache_dir()); v = e.embed(['The drills began.']); "
            f"print(type(e).__name__, v.shape, sorted(m for m in {HEAVY!r} if m in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True,
                       timeout=300)
    assert p.stdout.strip() == "OnnxEmbedder (1, 384) []", p.stdout + p.stderr
    assert p.stderr == ""
    assert not cache_blobs(tmp_path, onnx_embed.KIND)


def test_a_cold_check_imports_no_torch(tmp_path):
    # The whole command on an empty cache: the shipped graphs only, nothing exported.
    argv = ["check", "claims/", "--format", "json", "-o", str(tmp_path / "r.json"), "-q"]
    code = (f"import sys; from verifier.cli import main; rc = main({argv!r}); "
            f"print(rc, sorted(m for m in {HEAVY!r} if m in sys.modules))")
    cache = tmp_path / "cache"
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(cache), capture_output=True, text=True,
                       timeout=600)
    rc, heavy = p.stdout.strip().split(" ", 1)
    assert rc in ("0", "1") and heavy == "[]", p.stdout + p.stderr
    assert cache_blobs(cache, "embeddings") and not cache_blobs(cache, onnx_embed.KIND)


def test_a_warm_check_imports_neither_torch_nor_onnxruntime_nor_spacy(cache, tmp_path):
    report = tmp_path / "r.json"
    argv = ["check", "claims/", "--format", "json", "-o", str(report), "-q"]
    code = (f"import sys; from verifier.cli import main; rc = main({argv!r}); "
            f"print(rc, sorted(m for m in {HEAVY + ('onnxruntime', 'spacy')!r} if m in sys.modules))")
    first = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(cache), capture_output=True,
                           text=True, timeout=600)
    rc = first.stdout.split()[0]
    assert rc in ("0", "1"), first.stdout + first.stderr  # 1: some probe claims fail, as measured
    cold = report.read_bytes()
    warm = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(cache), capture_output=True,
                          text=True, timeout=600)
    assert warm.stdout.strip() == f"{rc} []", warm.stdout + warm.stderr
    assert report.read_bytes() == cold  # facts and entailment scores read back from the cache give the same report
    assert json.loads(cold)["summary"]["claims"] > 0


def _damage_shipped(tmp_path, monkeypatch):
    import shutil

    shipped = tmp_path / "shipped"
    shutil.copytree(onnx_embed.shipped_folder(), shipped)
    data = bytearray((shipped / "model.onnx").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (shipped / "model.onnx").write_bytes(bytes(data))
    monkeypatch.setattr(onnx_embed, "shipped_folder", lambda: shipped)


def test_a_damaged_shipped_graph_of_the_default_model_says_to_reinstall(tmp_path, monkeypatch):
    _damage_shipped(tmp_path, monkeypatch)
    embedder = load_embedder(None, "onnx", tmp_path / "cache")
    with pytest.raises(ModelError, match=r"the ONNX graph shipped in .*shipped is damaged \(its SHA-256 does not "
                                         r"match\); reinstall quote-verifier to repair it"):
        embedder.embed(["The memorandum was signed on June 15."])


def test_a_damaged_shipped_graph_is_exported_from_the_weights_instead_with_a_warning(onnx, tmp_path, monkeypatch):
    _damage_shipped(tmp_path, monkeypatch)
    private = tmp_path / "cache"
    embedder = load_embedder(default_model_path(), "onnx", private)
    with pytest.warns(VerifierWarning, match="shipped in .* is damaged .*; exporting the model instead"):
        vecs = embedder.embed(["The memorandum was signed on June 15."])
    assert read_graph(Store(private), embedder.reference.fingerprint) is not None  # cached for the next run
    # The same recipe on the same model: the export agrees with the shipped graph.
    assert float(vecs[0] @ onnx.embed(["The memorandum was signed on June 15."])[0]) > 0.999


def test_an_export_failure_falls_back_to_sentence_transformers(monkeypatch, tmp_path):
    import verifier.models.onnx_embed as onnx_embed

    def broken(model, out):
        raise RuntimeError("Unsupported: ONNX export of operator foo")

    monkeypatch.setattr(onnx_embed, "_export_fp32", broken)
    monkeypatch.setattr(onnx_embed, "shipped_graph", lambda fingerprint: None)  # as for any other model
    with pytest.warns(VerifierWarning, match="cannot run the model through onnxruntime "
                                             r"\(RuntimeError: Unsupported: ONNX export of operator foo\)"):
        embedder = load_embedder(default_model_path(), "onnx", tmp_path)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.embed(["The drills began."]).shape == (1, 384)
    assert not cache_blobs(tmp_path, onnx_embed.KIND)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A randomly initialised two-module sentence-transformers model (no Normalize), saved here: no download."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.base.modules import Transformer
    from sentence_transformers.sentence_transformer.modules import Pooling
    from transformers import BertConfig, BertModel, BertTokenizerFast

    d = tmp_path_factory.mktemp("tiny")
    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(set(
        "the joint drills kicked off in lachin region on september 6 . yes , a of".split()))
    (d / "vocab.txt").write_text("\n".join(words) + "\n")
    BertTokenizerFast(vocab_file=str(d / "vocab.txt")).save_pretrained(d / "hf")
    config = BertConfig(vocab_size=len(words), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64)
    BertModel(config).save_pretrained(d / "hf")
    model = SentenceTransformer(modules=[Transformer(str(d / "hf"), max_seq_length=32), Pooling(16)], device="cpu")
    model.save(str(d / "st"))
    return d / "st"


def test_any_sentence_transformers_folder_exports_and_matches_its_reference(tiny_model, tmp_path):
    said: list[str] = []
    embedder = load_embedder(tiny_model, "onnx", tmp_path, progress=said.append)
    assert isinstance(embedder, OnnxEmbedder) and embedder.shipped is None
    assert said == list(EXPORT_STAGES)  # an export says what it is doing, stage by stage
    texts = ["the joint drills kicked off in lachin region on september 6 .", "yes"]
    got = embedder.embed(texts)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (got * embedder.reference.embed(texts)).sum(axis=1).min() >= 0.95


def test_a_folder_without_tokenizer_json_runs_on_torch_with_a_warning(tiny_model, tmp_path):
    import shutil

    folder = tmp_path / "no-fast-tokenizer"
    shutil.copytree(tiny_model, folder)
    (folder / "tokenizer.json").unlink()
    (folder / "vocab.txt").write_text((tiny_model.parent / "vocab.txt").read_text())
    with pytest.warns(VerifierWarning, match="no tokenizer.json"):
        embedder = load_embedder(folder, "onnx", tmp_path / "cache")
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.embed(["yes"]).shape == (1, 16)


def test_a_model_saved_as_pickle_is_refused_and_the_same_model_as_safetensors_loads(tiny_model, tmp_path):
    from verifier.errors import ModelError

    pickled = as_pickle(tiny_model, tmp_path / "pickled")
    with pytest.raises(ModelError, match=r"weights are only in pickle files \(pytorch_model.bin\).*safetensors"):
        load_embedder(pickled, "torch", tmp_path / "cache")
    r = subprocess.run([sys.executable, "-m", "verifier", "check", str(ROOT / "claims"), "--model", str(pickled)],
                       capture_output=True, text=True, cwd=ROOT, env=_env(tmp_path / "cache"))
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert f"verifier: error: {pickled}: the model's weights are only in pickle files" in r.stderr

    # Beside the safetensors, a pickle is never opened: this one would fail to load if it were.
    (tiny_model / "pytorch_model.bin").write_bytes(b"not a pickle")
    try:
        embedder = load_embedder(tiny_model, "torch", tmp_path / "cache")
        assert embedder.embed(["yes"]).shape == (1, 16)
    finally:
        (tiny_model / "pytorch_model.bin").unlink()
