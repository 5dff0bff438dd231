"""The pairs the entailment model is trained on: splits and generated kinds."""
from __future__ import annotations

import random
import sys

from ..conftest import ROOT

sys.path.insert(0, str(ROOT))
from training.pairs import ANTONYMS, PARAPHRASES, _comparative, _swap_words, doc_side, nli_split  # noqa: E402


def test_the_validation_split_looks_only_at_the_hypothesis():
    assert nli_split("A claim.") == nli_split("A claim.")
    splits = {nli_split(f"claim number {i}") for i in range(200)}
    assert splits == {"train", "validation"}
    share = sum(nli_split(f"claim number {i}") == "validation" for i in range(4000)) / 4000
    assert 0.03 < share < 0.07  # one in twenty


def test_two_in_five_benchmark_documents_are_the_training_side():
    sides = [doc_side(f"scifact:{i}") for i in range(5000)]
    assert abs(sides.count("train") / len(sides) - 0.4) < 0.03
    assert doc_side("scifact:42") == doc_side("scifact:42")


def test_an_antonym_swap_keeps_the_case_and_changes_one_word():
    out = _swap_words("Exports increased in 2020 and rose again.", ANTONYMS, random.Random(1), both_ways=True)
    assert out is not None and out != "Exports increased in 2020 and rose again."
    assert len(out.split()) == 7 or "more expensive" in out


def test_a_paraphrase_is_one_way():
    out = _swap_words("The drills began in Lachin.", PARAPHRASES, random.Random(0), both_ways=False)
    assert out in {"The exercises began in Lachin.", "The drills started in Lachin."}


def test_a_comparative_is_true_or_false_by_the_number():
    rng = random.Random(3)
    seen = set()
    for _ in range(60):
        made = _comparative("The army sent 300 soldiers to the border.", rng)
        assert made is not None
        text, label = made
        seen.add(label)
        if "more than 150 soldiers" in text or "fewer than 600 soldiers" in text or "at least 300" in text:
            assert label == "entailment"
        if "more than 600" in text or "fewer than 150" in text or "exactly 600" in text:
            assert label == "contradiction"
    assert seen == {"entailment", "contradiction"}


def test_numbers_that_count_nothing_are_left_alone():
    rng = random.Random(0)
    assert _comparative("Grade 3 or worse lesions were found in 2019.", rng) is None
    assert _comparative("The meeting starts at 7:45 pm.", rng) is None
