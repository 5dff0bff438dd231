"""Find candidate quotes for a claim: dense cosine plus fuzzy matching over sentences and windows."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from .formats.plain import reads_as_heading
from .sources import Document, Sentence, normalize
from .thresholds import CANDIDATES, DENSE_WEIGHT, MAX_WINDOW, RERANK, SHORTLIST

if TYPE_CHECKING:
    from .corpus import Corpus
    from .models.embed import Embedder


@dataclass(frozen=True)
class Candidate:
    """A quote: one sentence or a few adjacent ones, with its retrieval scores."""

    doc: Document
    first: int
    last: int
    cosine: float
    fuzzy: float

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self.doc.sentences[self.first : self.last + 1]

    @property
    def start(self) -> int:
        return self.doc.sentences[self.first].start

    @property
    def end(self) -> int:
        return self.doc.sentences[self.last].end

    @property
    def quote(self) -> str:
        return self.doc.text[self.start : self.end]

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    @property
    def score(self) -> float:
        return DENSE_WEIGHT * self.cosine + (1 - DENSE_WEIGHT) * self.fuzzy


@dataclass(frozen=True)
class DocIndex:
    """A document with one normalised vector per sentence and per window."""

    doc: Document
    spans: tuple[tuple[int, int], ...]
    vectors: np.ndarray
    norm_texts: tuple[str, ...]
    singles: int | None = None  # spans[:singles] are single sentences; None: every sentence of doc


def window_spans(n: int, max_window: int = MAX_WINDOW) -> list[tuple[int, int]]:
    """(first, last) sentence indices of every single sentence and window up to ``max_window``."""
    spans = [(i, i) for i in range(n)]
    for size in range(2, max_window + 1):
        spans.extend((i, i + size - 1) for i in range(n - size + 1))
    return spans


def headings(doc: Document, among: Sequence[int] | None = None) -> frozenset[int]:
    """The sentences of ``doc`` that are headings, which no window of sentences reaches across.

    A heading names what follows; it states nothing, and a quote that runs "... two countries.
    Training goals" reads badly and cites worse. Headings are a source's sections: a page's, a Word
    file's and a Markdown file's from their structure, plain text's from lines set apart by blank
    lines (formats/plain.py); in a PDF, a line standing alone, short and without closing
    punctuation, is taken for one. ``among`` limits the search to those sentences (of a large
    source, the few a claim's short-list holds).
    """
    x = doc.extracted
    if x is None:
        return frozenset()
    starts = {offset for offset, _ in x.sections}
    sents = doc.sentences
    out = set()
    for i in range(len(sents)) if among is None else sorted(set(among)):
        s = sents[i]
        if s.start in starts:
            out.add(i)
        elif x.format == "pdf" and _looks_like_heading(s, sents[i - 1] if i else None,
                                                       sents[i + 1] if i + 1 < len(sents) else None):
            out.add(i)
    return frozenset(out)


def _looks_like_heading(s: Sentence, before: Sentence | None, after: Sentence | None) -> bool:
    alone = (before is None or before.block != s.block) and (after is None or after.block != s.block)
    return alone and reads_as_heading(s.text)


def _crosses(first: int, last: int, heads: frozenset[int]) -> bool:
    """Whether a window of sentences first..last holds a heading (a heading alone is a quote)."""
    return first != last and any(i in heads for i in range(first, last + 1))


def build_index(doc: Document, sentence_vectors: np.ndarray, max_window: int = MAX_WINDOW) -> DocIndex:
    """Window vectors are the normalised sum of their sentences' vectors: no extra model calls."""
    n = len(doc.sentences)
    heads = headings(doc) if n else frozenset()
    spans = [(a, b) for a, b in window_spans(n, max_window) if not _crosses(a, b, heads)]
    if n == 0:
        return DocIndex(doc, (), np.zeros((0, 1), dtype=np.float32), ())
    csum = np.vstack([np.zeros((1, sentence_vectors.shape[1]), dtype=np.float32), np.cumsum(sentence_vectors, 0)])
    firsts = np.array([a for a, _ in spans])
    lasts = np.array([b for _, b in spans])
    vecs = csum[lasts + 1] - csum[firsts]
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    sent_norm = [normalize(s.text) for s in doc.sentences]
    norm_texts = tuple(" ".join(sent_norm[a : b + 1]) for a, b in spans)
    return DocIndex(doc, tuple(spans), vecs.astype(np.float32), norm_texts)


def candidates(claim_text: str, claim_vector: np.ndarray, indexes: Sequence[DocIndex], k: int = CANDIDATES) -> list[Candidate]:
    """The ``k`` best quotes for a claim across documents, best first, deterministic on ties."""
    from rapidfuzz import fuzz

    claim_norm = normalize(claim_text)
    pool: list[Candidate] = []
    for idx in indexes:
        if not idx.spans:
            continue
        cos = idx.vectors @ claim_vector
        # Fuzzy scores only for the dense short-list plus the best lexical single sentences.
        order = np.argsort(-cos, kind="stable")[: max(4 * k, 32)]
        chosen = set(order.tolist())
        n = len(idx.doc.sentences) if idx.singles is None else idx.singles
        lex = np.array([fuzz.token_set_ratio(claim_norm, idx.norm_texts[i]) for i in range(n)])
        chosen.update(np.argsort(-lex, kind="stable")[:k].tolist())
        for i in sorted(chosen):
            first, last = idx.spans[i]
            fz = float(lex[i]) if i < n else fuzz.token_set_ratio(claim_norm, idx.norm_texts[i])
            pool.append(Candidate(idx.doc, first, last, float(cos[i]), fz / 100.0))
    pool.sort(key=lambda c: (-c.score, c.size, c.doc.path, c.first))
    return pool[:k]


def build_partial_index(doc: Document, indices: Sequence[int], sentence_vectors: np.ndarray,
                        max_window: int = MAX_WINDOW) -> DocIndex:
    """A DocIndex over some sentences of a document and the windows among runs of adjacent ones.

    Spans come in the order :func:`build_index` gives them, and window vectors are computed
    the same way, so over all of a document's sentences both build the same index.
    """
    order = np.argsort(np.asarray(indices), kind="stable")
    idx = [int(indices[i]) for i in order]
    vecs = np.asarray(sentence_vectors, np.float32)[order]
    runs: list[tuple[int, int]] = []  # (position in idx of the first, of the last) of each run
    for p, i in enumerate(idx):
        if runs and idx[runs[-1][1]] == i - 1:
            runs[-1] = (runs[-1][0], p)
        else:
            runs.append((p, p))
    spans, rows = [], []
    sums = []
    for a, b in runs:
        sums.append(np.vstack([np.zeros((1, vecs.shape[1]), np.float32), np.cumsum(vecs[a : b + 1], 0)]))
    for size in range(1, max_window + 1):
        for r, (a, b) in enumerate(runs):
            for p in range(a, b - size + 2):
                spans.append((idx[p], idx[p + size - 1]))
                rows.append(sums[r][p - a + size] - sums[r][p - a])
    heads = headings(doc, idx)
    if heads:
        keep = [k for k, (a, b) in enumerate(spans) if not _crosses(a, b, heads)]
        spans, rows = [spans[k] for k in keep], [rows[k] for k in keep]
    if not spans:
        return DocIndex(doc, (), np.zeros((0, 1), np.float32), (), 0)
    out = np.stack(rows)
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    norm = {i: normalize(doc.sentences[i].text) for i in idx}
    texts = tuple(" ".join(norm[j] for j in range(a, b + 1)) for a, b in spans)
    return DocIndex(doc, tuple(spans), out.astype(np.float32), texts, len(idx))


def shortlist_candidates(claim_texts: Sequence[str], claim_vectors: np.ndarray, first_vectors: np.ndarray,
                         corpus: Corpus, embedder: Embedder, k: int = CANDIDATES, shortlist: int = SHORTLIST,
                         rerank: int = RERANK) -> list[list[Candidate]]:
    """Candidates from a large corpus without scoring all of it: a short-list, then the exact rule.

    The first-pass index gives ``shortlist`` sentences per claim; the sentences and windows around
    them are scored with first-pass vectors and fuzzy matching, and the ``rerank`` best are embedded
    by the sentence model and go through :func:`candidates` as in a small corpus.

    Args:
        claim_texts: the claims.
        claim_vectors: their sentence-model vectors.
        first_vectors: their first-pass vectors, the kind the corpus index holds.
        corpus: the index of the sources.
        embedder: the sentence model, for the short-listed sentences only.
        k: candidates per claim.
        shortlist: sentences taken from the first-pass index per claim.
        rerank: spans per claim embedded by the sentence model.
    """
    ids, _ = corpus.search(first_vectors, shortlist)
    file_of = {p: i for i, p in enumerate(corpus.shown)}
    reach = MAX_WINDOW - 1
    wanted: list[dict[int, list[int]]] = []
    for text, qvec, row in zip(claim_texts, first_vectors, ids):
        files, local = corpus.locate(row[row >= 0])
        around: dict[int, set[int]] = {}
        for f, i in zip(files.tolist(), local.tolist()):
            n = int(corpus.offsets[f + 1] - corpus.offsets[f])
            around.setdefault(f, set()).update(range(max(0, i - reach), min(n, i + reach + 1)))
        parts = []
        for f in sorted(around):
            sents = sorted(around[f])
            parts.append(build_partial_index(corpus.document(f), sents, corpus.first_pass_vectors(f, sents)))
        need: dict[int, set[int]] = {}
        for c in candidates(text, np.asarray(qvec, np.float32), parts, k=rerank):
            need.setdefault(file_of[c.doc.path], set()).update(range(c.first, c.last + 1))
        wanted.append({f: sorted(s) for f, s in need.items()})

    # One batch for every claim's short-listed sentences: the sentence model is the slow part.
    keys = sorted({(f, i) for w in wanted for f, s in w.items() for i in s})
    vecs = embedder.embed([corpus.document(f).sentences[i].text for f, i in keys]) if keys else None
    row_of = {key: r for r, key in enumerate(keys)}
    out = []
    for text, cvec, w in zip(claim_texts, claim_vectors, wanted):
        parts = []
        for f in sorted(w):
            rows = [row_of[(f, i)] for i in w[f]]
            assert vecs is not None
            parts.append(build_partial_index(corpus.document(f), w[f], vecs[rows]))
        out.append(candidates(text, cvec, parts, k=k))
    return out
