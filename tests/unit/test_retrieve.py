"""Candidate quotes: every sentence and window scored by cosine and fuzzy match, best first, the same every time."""
from __future__ import annotations

import numpy as np
import pytest

from verifier.formats import Extracted
from verifier.retrieve import (
    Candidate,
    build_index,
    build_partial_index,
    candidates,
    headings,
    shortlist_candidates,
    window_spans,
)
from verifier.sources import Document, normalize, read_document, segment
from verifier.thresholds import DENSE_WEIGHT, MAX_WINDOW

from ..conftest import SEED, FakeEmbedder
from ..make_sources import write_docx, write_pdf


def doc_of(text: str, path: str = "seeds/a.txt", extracted: Extracted | None = None) -> Document:
    return Document(path=path, text=text, sentences=segment(text, path), extracted=extracted)


def index_of(doc: Document, embedder=None):
    embedder = embedder or FakeEmbedder()
    return build_index(doc, embedder.embed([s.text for s in doc.sentences]))


def test_partial_index_over_every_sentence_is_the_full_index():
    doc = read_document(SEED)
    vecs = FakeEmbedder().embed([s.text for s in doc.sentences])
    full = build_index(doc, vecs)
    part = build_partial_index(doc, list(range(len(doc.sentences))), vecs)
    assert part.spans == full.spans and part.norm_texts == full.norm_texts
    assert np.array_equal(part.vectors, full.vectors)



def test_no_window_of_sentences_reaches_across_a_heading(tmp_path):
    import numpy as np

    from verifier.retrieve import build_index, build_partial_index, headings

    path = write_docx(tmp_path / "a.docx", [("p", "The drills began in Lachin."), ("h2", "Training goals"),
                                            ("p", "They aim at coordination. They last five days.")])
    pdf = write_pdf(tmp_path / "a.pdf", [["The drills began in Lachin.", "", "Training goals", "",
                                          "They aim at coordination. They last five days."]])
    for doc in (read_document(path), read_document(pdf)):
        heads = headings(doc)
        assert [doc.sentences[i].text for i in heads] == ["Training goals"]
        vecs = np.random.default_rng(0).random((len(doc.sentences), 8)).astype(np.float32)
        for idx in (build_index(doc, vecs), build_partial_index(doc, list(range(len(doc.sentences))), vecs)):
            windows = [(a, b) for a, b in idx.spans if a != b]
            assert windows and all(not any(i in heads for i in range(a, b + 1)) for a, b in windows)
    # Plain text sets its headings apart with blank lines.
    txt = tmp_path / "a.txt"
    txt.write_text("The drills began.\n\nTraining goals\n\nThey aim at coordination.\n", encoding="utf-8")
    doc = read_document(txt)
    assert [doc.sentences[i].text for i in headings(doc)] == ["Training goals"]



@pytest.mark.parametrize("n,max_window,count", [(0, 3, 0), (1, 3, 1), (2, 3, 3), (4, 3, 9), (4, 1, 4), (5, 5, 15)])
def test_window_spans_are_every_sentence_then_every_run_of_adjacent_ones(n, max_window, count):
    spans = window_spans(n, max_window)
    assert len(spans) == len(set(spans)) == count
    assert spans[:n] == [(i, i) for i in range(n)]
    assert all(0 <= a <= b < n and b - a < max_window for a, b in spans)


TEXT = ("The drills began in Lachin on Monday.\r\n\r\nTurkey sent sixty servicemen. Russia sent as many. "
        "The ministry said so.\n\nCaf\u00e9 \U0001F600 owners watched.")


def test_a_candidate_quotes_its_sentences_verbatim_and_weighs_its_scores():
    doc = doc_of(TEXT)
    c = Candidate(doc, 1, 3, cosine=0.8, fuzzy=0.5)
    assert c.quote == TEXT[c.start:c.end] == "Turkey sent sixty servicemen. Russia sent as many. The ministry said so."
    assert c.size == 3 and c.sentences == doc.sentences[1:4]
    assert c.score == pytest.approx(DENSE_WEIGHT * 0.8 + (1 - DENSE_WEIGHT) * 0.5)


def test_a_windows_vector_is_the_normalised_sum_of_its_sentences_and_its_text_their_normal_forms():
    doc = doc_of(TEXT)
    vecs = FakeEmbedder().embed([s.text for s in doc.sentences])
    idx = build_index(doc, vecs)
    assert idx.spans == tuple(window_spans(len(doc.sentences)))
    np.testing.assert_allclose(np.linalg.norm(idx.vectors, axis=1), 1.0, rtol=1e-5)
    for row, (a, b) in enumerate(idx.spans):
        total = vecs[a:b + 1].sum(axis=0)
        np.testing.assert_allclose(idx.vectors[row], total / np.linalg.norm(total), atol=1e-6)
        assert idx.norm_texts[row] == " ".join(normalize(s.text) for s in doc.sentences[a:b + 1])


def test_a_document_without_sentences_has_no_spans_and_gives_no_candidates():
    empty = build_index(doc_of(""), np.zeros((0, 8), np.float32))
    assert empty.spans == () and empty.vectors.shape[0] == 0
    assert candidates("The drills began.", FakeEmbedder().embed(["The drills began."])[0], [empty]) == []
    assert candidates("The drills began.", FakeEmbedder().embed(["The drills began."])[0], []) == []


def test_the_sentence_that_says_it_comes_first_and_at_most_k_come_back():
    doc = doc_of(TEXT)
    claim = "Turkey sent sixty servicemen."
    got = candidates(claim, FakeEmbedder().embed([claim])[0], [index_of(doc)], k=4)
    assert len(got) == 4 and got[0].quote == "Turkey sent sixty servicemen."
    scores = [c.score for c in got]
    assert scores == sorted(scores, reverse=True)
    assert all(c.quote == TEXT[c.start:c.end] for c in got)


def test_equal_scores_are_broken_by_size_then_path_then_position_whatever_the_order_of_the_sources():
    twin_a, twin_b = doc_of(TEXT, "seeds/a.txt"), doc_of(TEXT, "seeds/b.txt")
    claim = "Russia sent as many."
    vec = FakeEmbedder().embed([claim])[0]
    one = candidates(claim, vec, [index_of(twin_b), index_of(twin_a)], k=12)
    two = candidates(claim, vec, [index_of(twin_a), index_of(twin_b)], k=12)
    assert [(c.doc.path, c.first, c.last) for c in one] == [(c.doc.path, c.first, c.last) for c in two]
    assert (one[0].doc.path, one[0].quote) == ("seeds/a.txt", "Russia sent as many.")
    assert (one[1].doc.path, one[1].quote) == ("seeds/b.txt", "Russia sent as many.")


def test_a_partial_index_has_windows_only_among_adjacent_sentences():
    doc = doc_of("One a. Two b. Three c. Four d. Five e. Six f.")
    vecs = FakeEmbedder().embed([doc.sentences[i].text for i in (5, 0, 1, 3)])
    idx = build_partial_index(doc, [5, 0, 1, 3], vecs)
    assert idx.spans == ((0, 0), (1, 1), (3, 3), (5, 5), (0, 1)) and idx.singles == 4
    assert idx.norm_texts[-1] == "one a. two b."
    nothing = build_partial_index(doc, [], np.zeros((0, 8), np.float32))
    assert nothing.spans == () and nothing.singles == 0


class MemoryCorpus:
    """The Corpus protocol over a few Documents held in memory, searched exactly."""

    def __init__(self, docs: list[Document], first) -> None:
        self.docs = docs
        self.shown = [d.path for d in docs]
        self.offsets = np.concatenate([[0], np.cumsum([len(d.sentences) for d in docs])]).astype(np.int64)
        self.vectors = np.concatenate([first.embed([s.text for s in d.sentences]) for d in docs])

    def search(self, queries, k):
        sims = queries @ self.vectors.T
        order = np.argsort(-sims, axis=1, kind="stable")[:, :k]
        ids = np.full((len(queries), k), -1, np.int64)
        ids[:, :order.shape[1]] = order
        return ids, np.where(ids >= 0, np.take_along_axis(sims, np.maximum(ids, 0), 1), -1.0)

    def locate(self, ids):
        files = np.searchsorted(self.offsets, ids, side="right") - 1
        return files, ids - self.offsets[files]

    def first_pass_vectors(self, file_no, local):
        return self.vectors[self.offsets[file_no] + np.asarray(local, np.int64)]

    def document(self, file_no):
        return self.docs[file_no]


def test_a_short_list_that_holds_everything_gives_the_exact_candidates_in_one_model_call():
    docs = [read_document(SEED), doc_of(TEXT, "seeds/b.txt")]
    claims = ["Military cooperation between Azerbaijan and Turkey first emerged in 1992.", "Russia sent as many."]
    first, model = FakeEmbedder(), FakeEmbedder()
    vecs = model.embed(claims)
    exact = [candidates(c, v, [index_of(d) for d in docs]) for c, v in zip(claims, vecs)]
    model.calls = 0
    short = shortlist_candidates(claims, vecs, first.embed(claims), MemoryCorpus(docs, first), model,
                                 shortlist=10_000, rerank=10_000)
    assert model.calls == 1  # every claim's short-listed sentences in one batch
    for e, s in zip(exact, short):
        assert [(c.doc.path, c.first, c.last) for c in s] == [(c.doc.path, c.first, c.last) for c in e]
        assert [c.score for c in s] == pytest.approx([c.score for c in e], abs=1e-6)


def test_a_small_short_list_quotes_only_sentences_near_what_it_found():
    docs = [read_document(SEED), doc_of(TEXT, "seeds/b.txt")]
    claim = ["Russia sent as many."]
    first = FakeEmbedder()
    (got,) = shortlist_candidates(claim, first.embed(claim), first.embed(claim), MemoryCorpus(docs, first),
                                  FakeEmbedder(), k=5, shortlist=1, rerank=3)
    assert got and got[0].quote == "Russia sent as many." and len(got) <= 5
    assert all(c.doc.path == "seeds/b.txt" and abs(c.first - 2) < MAX_WINDOW for c in got)


def test_markdown_has_its_sections_for_headings_and_text_only_lines_set_apart():
    text = "# Training goals\n\nThe drills began. They ended."
    md = doc_of(text, "a.md", Extracted(text=text, format="markdown", sections=((2, "Training goals"),)))
    assert headings(md) == frozenset({0})
    assert headings(doc_of(text, "a.txt")) == frozenset()  # nothing known of how it was read
    # Plain text is not read as Markdown: "# ..." is no heading there.
    assert headings(doc_of(text, "a.txt", Extracted(text=text, format="text"))) == frozenset()


def test_in_a_pdf_a_short_capitalised_line_standing_alone_without_closing_punctuation_is_a_heading():
    text = "Training goals\n\nThe drills began in Lachin.\n\nthe lower case line\n\nA line that ends.\n\nResults:"
    doc = doc_of(text, "r.pdf", Extracted(text=text, format="pdf", pages=(0,)))
    assert [doc.sentences[i].text for i in sorted(headings(doc))] == ["Training goals"]
    assert headings(doc, among=[2, 3]) == frozenset()


def test_in_plain_text_a_heading_is_also_set_apart_by_blank_lines():
    from verifier.formats import plain

    text = ("PEP: 427\nAuthor: Daniel Holth\nStatus: Final\n\nTraining goals\n\nThe drills began in Lachin.\n\n"
            "the lower case line\n\nA line that ends.\n\nResults:\n\nA short line\nwrapped in a paragraph\n\n"
            "  Indented Heading  \r\n\r\nLast words")
    doc = doc_of(text, "r.txt", plain.extract(text.encode(), "r.txt"))
    assert [doc.sentences[i].text.strip() for i in sorted(headings(doc))] == [
        "Training goals", "Indented Heading", "Last words"]
    at = [s.text for s in doc.sentences].index("The drills began in Lachin.")
    assert headings(doc, among=[at - 1, at]) == frozenset({at - 1})
    # They are its sections too, so a quote below one is cited with it.
    assert doc.section_at(doc.sentences[at].start) == "Training goals"
