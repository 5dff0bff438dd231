from __future__ import annotations

import dataclasses
import json
import warnings

import numpy as np
import pytest

from verifier.claims import load_claims
from verifier.errors import VerifierWarning
from verifier.index import CorpusIndex
from verifier.pipeline import verify
from verifier.report.json_report import report_dict
from verifier.sources import read_document
from verifier.vectors import ANNIndex, ExactIndex

from ..conftest import ROOT, SEED, FakeEmbedder, cache_blobs


def unit_rows(n, dim, seed=0):
    x = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_exact_index_is_the_brute_force_top_k():
    x = unit_rows(3000, 32)
    q = unit_rows(20, 32, seed=1)
    idx = ExactIndex(32)
    idx.add(x[:1000])
    idx.add(x[1000:])
    ids, scores = idx.search(q, 10)
    ref = q @ x.astype(np.float16).astype(np.float32).T
    assert (ids == np.argsort(-ref, axis=1, kind="stable")[:, :10]).all()
    assert np.allclose(scores, np.sort(ref, axis=1)[:, ::-1][:, :10], atol=1e-5)


def test_ann_index_finds_what_the_exact_one_finds():
    # Queries near some rows, as claims are near the sentences that state them.
    x = unit_rows(5000, 64)
    q = x[::100] + 0.5 * unit_rows(50, 64, seed=2) / 8
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    exact, ann = ExactIndex(64), ANNIndex(64)
    exact.add(x)
    ann.add(x, threads=1)  # one thread builds the same graph every time; two may not
    e_ids, _ = exact.search(q, 10)
    a_ids, a_scores = ann.search(q, 10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(a_ids.tolist(), e_ids.tolist())])
    assert recall >= 0.9, recall
    assert (a_ids[:, 0] == e_ids[:, 0]).all()
    assert (np.diff(a_scores, axis=1) <= 1e-6).all()  # best first


def test_fewer_rows_than_k_pads_with_minus_one():
    idx = ExactIndex(8)
    idx.add(unit_rows(3, 8))
    ids, scores = idx.search(unit_rows(1, 8), 5)
    assert sorted(ids[0, :3].tolist()) == [0, 1, 2] and (ids[0, 3:] == -1).all()


def test_exact_index_round_trips_through_a_float16_memmap(tmp_path):
    x = unit_rows(500, 16)
    idx = ExactIndex(16)
    idx.add(x)
    idx.save(tmp_path / "v.npy")
    back = ExactIndex.load(tmp_path / "v.npy")
    assert isinstance(back.vectors, np.memmap) and back.vectors.dtype == np.float16
    assert (tmp_path / "v.npy").stat().st_size < 500 * 16 * 2 + 200
    q = unit_rows(5, 16, seed=3)
    assert (back.search(q, 7)[0] == idx.search(q, 7)[0]).all()


def test_ann_index_round_trips_memory_mapped(tmp_path):
    x = unit_rows(800, 32)
    ann = ANNIndex(32)
    ann.add(x, threads=1)  # one thread builds the same graph every time; two may not
    ann.save(tmp_path / "a.usearch")
    back = ANNIndex.load(tmp_path / "a.usearch")
    q = unit_rows(5, 32, seed=4)
    assert len(back) == 800 and (back.search(q, 5)[0] == ann.search(q, 5)[0]).all()


def corpus_files(tmp_path, n=4):
    docs = [
        "The river flooded the northern valley in April. Farmers lost most of the wheat harvest.",
        "A new bridge opened over the river in 2019. It carries two lanes of traffic and a cycle path.",
        "The museum holds 3,000 paintings. Most of them came from a private collection donated in 1950.",
        "Rainfall in the region doubled over the last decade. Scientists link the change to warmer seas.",
    ]
    files = []
    for i in range(n):
        f = tmp_path / "corpus" / f"doc{i}.txt"
        f.parent.mkdir(exist_ok=True)
        f.write_text(docs[i % len(docs)] + f"\n\nThis is file number {i}.\n", encoding="utf-8")
        files.append(f)
    return files


def test_only_the_changed_file_is_embedded_again(tmp_path):
    files = corpus_files(tmp_path)
    emb = FakeEmbedder()
    first = CorpusIndex.build(files, emb, tmp_path / "cache", ann_limit=10**9)
    assert emb.calls == 4
    CorpusIndex.build(files, emb, tmp_path / "cache", ann_limit=10**9)
    assert emb.calls == 4  # nothing changed: the assembled index is opened as it is
    files[2].write_text("The museum holds 4,000 paintings.\n", encoding="utf-8")
    again = CorpusIndex.build(files, emb, tmp_path / "cache", ann_limit=10**9)
    assert emb.calls == 5
    assert len(again) == len(first) - 2
    assert again.document(2).sentences[0].text == "The museum holds 4,000 paintings."


def test_a_damaged_index_is_rebuilt_with_a_warning(tmp_path):
    files = corpus_files(tmp_path)
    emb = FakeEmbedder()
    CorpusIndex.build(files, emb, tmp_path / "cache", ann_limit=0)
    (ann,) = (tmp_path / "cache").rglob("ann.usearch")
    ann.write_bytes(ann.read_bytes()[:100])
    with pytest.warns(VerifierWarning, match="damaged"):
        corpus = CorpusIndex.build(files, emb, tmp_path / "cache", ann_limit=0)
    assert emb.calls == 4  # the per-file entries were sound: nothing is embedded again
    ids, _ = corpus.search(emb.embed(["The museum holds 3,000 paintings."]), 1)
    f, i = corpus.locate(ids[0])
    assert corpus.document(int(f[0])).sentences[int(i[0])].text == "The museum holds 3,000 paintings."


def test_a_damaged_file_entry_is_embedded_again_with_a_warning(tmp_path):
    files = corpus_files(tmp_path)
    emb = FakeEmbedder()
    CorpusIndex.build(files, emb, tmp_path / "cache", ann_limit=10**9)
    entry = cache_blobs(tmp_path / "cache", "index")[0]
    entry.write_bytes(b"junk")
    files[0].write_text(files[0].read_text() + "More.\n")  # a new corpus key, so entries are read
    with pytest.warns(VerifierWarning, match="damaged"):
        CorpusIndex.build(files, emb, tmp_path / "cache", ann_limit=10**9)


def same_first_pass(components):
    """The short-list searched with the sentence model itself, so both paths score alike."""
    return dataclasses.replace(components, first_pass=components.embedder)


def seed_claims():
    return load_claims([ROOT / "claims" / "seed.yaml"])


def forced(settings, **kw):
    kw = {"exact_limit": 0, "shortlist": 10_000, "rerank": 10_000, **kw}
    return dataclasses.replace(settings, **kw)


@pytest.mark.parametrize("ann_limit", [10**9, 0], ids=["exact", "ann"])
def test_short_list_path_gives_the_exact_paths_verdicts_on_the_seed(settings, components, ann_limit):
    claims = seed_claims()
    exact = report_dict(verify(claims, settings, components))
    large = report_dict(verify(claims, forced(settings, ann_limit=ann_limit), same_first_pass(components)))
    assert json.dumps(large, sort_keys=True) == json.dumps(exact, sort_keys=True)


def test_short_list_path_with_default_sizes_still_finds_the_quotes(settings, components):
    claims = seed_claims()
    exact = verify(claims, settings, components)
    large = verify(claims, dataclasses.replace(settings, exact_limit=0), same_first_pass(components))
    same = sum(a.verdict == b.verdict for a, b in zip(exact.results, large.results))
    assert same >= len(claims) - 1, [(a.claim.id, a.verdict, b.verdict) for a, b in zip(exact.results, large.results)]


def test_short_list_path_is_deterministic(settings, components, tmp_path):
    claims = seed_claims()
    runs = []
    for cache in ("a", "b", "a"):
        opts = forced(settings, cache_dir=tmp_path / cache, shortlist=8, rerank=4)
        runs.append(json.dumps(report_dict(verify(claims, opts, same_first_pass(components))), sort_keys=True))
    assert runs[0] == runs[1] == runs[2]


def test_short_list_path_without_a_cache_writes_nothing(settings, components, private_cache):
    with warnings.catch_warnings():
        verify(seed_claims()[:2], forced(settings, cache_dir=None), same_first_pass(components))
    assert not private_cache.exists() or not any(private_cache.rglob("*"))


def test_a_file_entry_is_written_in_chunks_exactly_as_it_was_written_whole(tmp_path, monkeypatch):
    # Entries written before they were streamed stay valid: same bytes, same cache key.
    import hashlib
    import io

    import verifier.index as index

    monkeypatch.setattr(index, "CHUNK_ROWS", 7)
    emb = FakeEmbedder()
    index._write_entry(tmp_path / "e.bin", SEED, emb)
    doc = read_document(SEED)
    spans = np.array([(s.start, s.end, s.line, s.column, s.block) for s in doc.sentences], np.int32)
    buf = io.BytesIO()
    np.save(buf, spans, allow_pickle=False)
    np.save(buf, emb.embed([s.text for s in doc.sentences]).astype(np.float16), allow_pickle=False)
    payload = buf.getvalue()
    assert (tmp_path / "e.bin").read_bytes() == hashlib.sha256(payload).digest() + payload
    got_spans, shape, _ = index._read_entry(tmp_path / "e.bin")
    assert (got_spans == spans).all() and shape == (len(spans), 512)


def test_sentences_of_a_large_file_are_made_from_its_spans_on_demand(tmp_path):
    corpus = CorpusIndex.build([SEED], FakeEmbedder(), tmp_path)
    lazy, real = corpus.document(0).sentences, read_document(SEED).sentences
    assert len(lazy) == len(real)
    assert list(lazy) == list(real)
    assert lazy[2:5] == real[2:5] and lazy[-1] == real[-1]
    with pytest.raises(IndexError):
        lazy[len(real)]


def test_distilling_draws_no_progress_bars_and_puts_them_back_after(capsys):
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


def test_indexing_reports_progress_chunk_by_chunk_and_a_file_found_indexed_at_once(tmp_path, monkeypatch):
    import verifier.index as index

    monkeypatch.setattr(index, "CHUNK_ROWS", 2)
    files = corpus_files(tmp_path, n=2)
    seen: list[int] = []
    first = CorpusIndex.build(files, FakeEmbedder(), tmp_path / "cache", ann_limit=10**9, progress=seen.append)
    assert seen == [2, 1, 2, 1] and sum(seen) == len(first)  # three sentences a file, two at a time
    files[1].write_text("Another text. In two sentences.\n", encoding="utf-8")
    seen.clear()
    CorpusIndex.build(files, FakeEmbedder(), tmp_path / "cache", ann_limit=10**9, progress=seen.append)
    assert seen == [3, 2]  # the unchanged file counts at once; the changed one is embedded again


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
