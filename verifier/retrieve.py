"""Find candidate quotes for a claim: dense cosine plus fuzzy matching over sentences and windows."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .sources import Document, Sentence, normalize

# How far a window of adjacent sentences reaches (1 = single sentences only).
MAX_WINDOW = 3
DENSE_WEIGHT = 0.7


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


def window_spans(n: int, max_window: int = MAX_WINDOW) -> list[tuple[int, int]]:
    """(first, last) sentence indices of every single sentence and window up to ``max_window``."""
    spans = [(i, i) for i in range(n)]
    for size in range(2, max_window + 1):
        spans.extend((i, i + size - 1) for i in range(n - size + 1))
    return spans


def build_index(doc: Document, sentence_vectors: np.ndarray, max_window: int = MAX_WINDOW) -> DocIndex:
    """Window vectors are the normalised sum of their sentences' vectors: no extra model calls."""
    n = len(doc.sentences)
    spans = window_spans(n, max_window)
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


def candidates(claim_text: str, claim_vector: np.ndarray, indexes: Sequence[DocIndex], k: int = 12) -> list[Candidate]:
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
        n = len(idx.doc.sentences)
        lex = np.array([fuzz.token_set_ratio(claim_norm, idx.norm_texts[i]) for i in range(n)])
        chosen.update(np.argsort(-lex, kind="stable")[:k].tolist())
        for i in sorted(chosen):
            first, last = idx.spans[i]
            fz = float(lex[i]) if i < n else fuzz.token_set_ratio(claim_norm, idx.norm_texts[i])
            pool.append(Candidate(idx.doc, first, last, float(cos[i]), fz / 100.0))
    pool.sort(key=lambda c: (-c.score, c.size, c.doc.path, c.first))
    return pool[:k]
