"""Whether a claim's word and a quote's word mean the same, from their embeddings, computed once per run."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .models.embed import Embedder
from .thresholds import WORD_SIMILARITY


class WordSimilarity:
    """Judges whether two words mean the same: the cosine of their embeddings reaches ``threshold``."""

    def __init__(self, embedder: Embedder, threshold: float = WORD_SIMILARITY) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self.vectors: dict[str, np.ndarray] = {}

    def prepare(self, words: set[str]) -> None:
        """Embed, in one batch, the words not seen yet."""
        todo = sorted(w for w in words if w not in self.vectors)
        if todo:
            for w, v in zip(todo, self.embedder.embed(todo)):
                self.vectors[w] = v

    def __call__(self, claim_words: Sequence[str], quote_words: Sequence[str]) -> dict[str, set[str]]:
        self.prepare(set(claim_words) | set(quote_words))
        quote = sorted(set(quote_words))
        if not quote:
            return {}
        q = np.stack([self.vectors[w] for w in quote])
        out: dict[str, set[str]] = {}
        for w in claim_words:
            sims = q @ self.vectors[w]
            out[w] = {quote[i] for i in np.nonzero(sims >= self.threshold)[0]}
        return out
