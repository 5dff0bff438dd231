"""Whether a claim's word and a quote's word mean the same: the cosine of their vectors against a threshold."""
from __future__ import annotations

import numpy as np

from verifier.thresholds import WORD_SIMILARITY
from verifier.wordsim import WordSimilarity


class Vectors:
    """An embedder of a few words with known cosines: began~started 0.8, began~ended 0.0."""

    model_id = "vectors-1"
    TABLE = {"began": [1.0, 0.0], "started": [0.8, 0.6], "ended": [0.0, 1.0], "drills": [0.6, 0.8]}

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def embed(self, texts):
        self.batches.append(list(texts))
        return np.array([self.TABLE[t] for t in texts], dtype=np.float32)


def test_words_whose_cosine_reaches_the_threshold_mean_the_same():
    sim = WordSimilarity(Vectors(), threshold=0.78)
    assert sim(["began", "ended"], ["started", "drills"]) == {"began": {"started"}, "ended": {"drills"}}
    assert WordSimilarity(Vectors(), threshold=0.85)(["began"], ["started", "began"]) == {"began": {"began"}}


def test_the_default_threshold_is_the_tuned_one():
    assert WordSimilarity(Vectors()).threshold == WORD_SIMILARITY


def test_every_claim_word_gets_an_answer_even_an_empty_one():
    assert WordSimilarity(Vectors(), threshold=0.99)(["began", "ended"], ["drills"]) == {"began": set(), "ended": set()}


def test_no_quote_words_match_nothing():
    assert WordSimilarity(Vectors())(["began"], []) == {}


def test_each_word_is_embedded_once_in_one_sorted_batch():
    model = Vectors()
    sim = WordSimilarity(model)
    sim(["started", "began"], ["drills", "began"])
    sim(["began", "ended"], ["started"])
    sim(["began"], ["drills"])
    assert model.batches == [["began", "drills", "started"], ["ended"]]


def test_with_the_fake_embedder_word_forms_that_share_a_stem_match(fake_embedder):
    sim = WordSimilarity(fake_embedder)
    assert sim(["serviceman", "drills"], ["servicemen", "Lachin"]) == {"serviceman": {"servicemen"}, "drills": set()}
