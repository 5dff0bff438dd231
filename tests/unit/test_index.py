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

from ..conftest import ROOT, SEED, FakeEmbedder, cache_blobs


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
