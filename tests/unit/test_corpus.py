"""Candidates from the sources: small source lists indexed whole, large ones searched through a short-list index."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from verifier import corpus
from verifier.components import Components, build
from verifier.corpus import exact_candidates, index_documents, open_corpus, shortlisted
from verifier.errors import VerifierWarning
from verifier.retrieve import candidates, window_spans
from verifier.sources import Document, read_document, segment

from ..conftest import SEED, FakeEmbedder, WordEntailment, cache_blobs


class Recorded:
    """A progress that keeps its lines and the moves of its bars."""

    bars = True

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.bars_made: list[dict] = []

    def say(self, message: str) -> None:
        self.lines.append(message)

    def bar(self, desc, unit, total=None):
        record = {"desc": desc, "total": total, "updates": [], "closed": False}
        self.bars_made.append(record)

        class Bar:
            def update(self, n: int = 1) -> None:
                record["updates"].append(n)

            def close(self) -> None:
                record["closed"] = True

        return Bar()


TEXT = "Turkey sent sixty servicemen. Russia sent as many.\n\nThe ministry said so. The drills lasted five days."


@pytest.fixture
def uncached(settings):
    """No cache, so every sentence is embedded by the model in this run."""
    return dataclasses.replace(settings, cache_dir=None)


def doc_of(text: str, path: str) -> Document:
    return Document(path=path, text=text, sentences=segment(text, path))


def test_every_document_gets_an_index_of_its_sentences_and_windows(uncached, components):
    docs = [doc_of(TEXT, "seeds/b.txt"), doc_of("", "seeds/empty.txt")]
    said = Recorded()
    indexes = index_documents(docs, build(uncached, components, said))
    assert list(indexes) == ["seeds/b.txt", "seeds/empty.txt"]
    assert indexes["seeds/b.txt"].spans == tuple(window_spans(4)) and indexes["seeds/empty.txt"].spans == ()
    assert said.lines == ["indexing 2 source files"]
    assert said.bars_made == [{"desc": "indexing sources", "total": 4, "updates": [4], "closed": True}]


def test_no_documents_say_nothing_and_give_no_indexes(uncached, components):
    said = Recorded()
    assert index_documents([], build(uncached, components, said)) == {}
    assert said.lines == [] and said.bars_made[0]["updates"] == [] and said.bars_made[0]["closed"]


def test_a_source_embedded_in_chunks_is_indexed_as_if_whole(uncached, components, monkeypatch):
    doc = read_document(SEED)
    n = len(doc.sentences)
    whole = index_documents([doc], build(uncached, components))[doc.path]
    monkeypatch.setattr(corpus, "EMBED_CHUNK", 7)
    model = FakeEmbedder()
    said = Recorded()
    chunked = index_documents([doc], build(uncached, dataclasses.replace(components, embedder=model), said))[doc.path]
    assert chunked.spans == whole.spans and np.array_equal(chunked.vectors, whole.vectors)
    assert model.calls == -(-n // 7) and sum(said.bars_made[0]["updates"]) == n
    assert set(said.bars_made[0]["updates"][:-1]) == {7}


def test_exact_candidates_score_the_documents_of_the_list(uncached, components):
    docs = [read_document(SEED), doc_of(TEXT, "seeds/b.txt")]
    built = build(uncached, components)
    indexes = index_documents(docs, built)
    claim = "Russia sent as many servicemen."
    vec = built.embedder.embed([claim])[0]
    got = exact_candidates(claim, vec, docs, indexes)
    assert got[0].quote == "Russia sent as many." and got[0].doc.path == "seeds/b.txt"
    assert got == candidates(claim, vec, [indexes[d.path] for d in docs])
    assert exact_candidates(claim, vec, [docs[0]], indexes)[0].doc.path == docs[0].path


def test_a_given_index_is_opened_in_place_of_the_local_one(settings, components, tmp_path):
    seen = []

    def index(files, first):
        seen.append((list(files), first))
        return "the given corpus"

    built = build(settings, dataclasses.replace(components, index=index))
    files = [tmp_path / "a.txt"]
    assert open_corpus(files, built.first_pass, built, tmp_path, None, lambda n: None) == "the given corpus"
    assert seen == [(files, components.first_pass)]


@pytest.fixture
def large(tmp_path, monkeypatch):
    """A folder of sources taken down the short-list path, with one file that cannot be read."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "a.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.txt").write_text(TEXT, encoding="utf-8")
    (folder / "c.txt").write_bytes(b"Not \xff UTF-8.\n")
    return (folder.relative_to(tmp_path),)


@pytest.mark.parametrize("cached", [True, False])
def test_a_large_list_is_searched_through_the_local_index(settings, large, cached):
    settings = settings if cached else dataclasses.replace(settings, cache_dir=None)
    components = Components(embedder=FakeEmbedder(), entailment=WordEntailment(), first_pass=FakeEmbedder())
    said, skipped = Recorded(), {}
    built = build(settings, components, said)
    texts = ["Russia sent as many.", "Military cooperation between Azerbaijan and Turkey first emerged in 1992."]
    with pytest.warns(VerifierWarning, match=r"big/c\.txt"):
        got = shortlisted(texts, built.embedder.embed(texts), large, built, skipped)
    assert said.lines[0] == "indexing 2 source files for the short-list"
    assert list(skipped) == ["big/c.txt"]
    assert got[0][0].quote == "Russia sent as many." and got[0][0].doc.path == "big/b.txt"
    assert got[1][0].doc.path == "big/a.txt" and got[1][0].quote.startswith("Military cooperation")
    assert all(c.doc.text[c.start:c.end] == c.quote for cands in got for c in cands)
    assert settings.cache_dir is None or cache_blobs(settings.cache_dir, "index")
