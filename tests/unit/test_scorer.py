from __future__ import annotations

import json
import math

import pytest

from verifier.facts import Comparison
from verifier.judge import default_thresholds
from verifier.retrieve import Candidate
from verifier.scorer import CONTRADICT_FEATURES, SUPPORT_FEATURES, Logistic, Scorer, default_scorer, features
from verifier.sources import Document, Sentence


def candidate(cosine: float = 0.9, fuzzy: float = 0.9, size: int = 1) -> Candidate:
    sents = tuple(Sentence("d", i, i * 10, i * 10 + 9, "x" * 9, 1, 1, 0) for i in range(size))
    return Candidate(Document("d", "x" * (10 * size), sents), 0, size - 1, cosine, fuzzy)


def test_logistic_is_a_sigmoid_of_standardised_features():
    m = Logistic(("cosine", "coverage"), (0.5, 0.5), (0.25, 0.5), (2.0, -1.0), 0.3)
    z = 0.3 + 2.0 * (0.9 - 0.5) / 0.25 - 1.0 * (1.0 - 0.5) / 0.5
    assert m.probability({"cosine": 0.9, "coverage": 1.0}) == pytest.approx(1 / (1 + math.exp(-z)))
    assert 0.0 < m.probability({"cosine": -1e9, "coverage": 0.0}) < 1e-12  # no overflow


def test_scorer_round_trips_through_json():
    s = default_scorer()
    again = Scorer.from_json(s.as_json("test"))
    assert again.support.features == s.support.features
    assert again.contradict.coef == pytest.approx(s.contradict.coef, abs=1e-6)


@pytest.mark.parametrize("change,message", [
    (lambda d: d["support"]["features"].append("nonsense"), "unknown feature 'nonsense'"),
    (lambda d: d["support"]["coef"].pop(), "the same length"),
    (lambda d: d["support"]["scale"].__setitem__(0, 0.0), "positive scales"),
])
def test_a_malformed_scorer_file_is_refused(change, message):
    data = json.loads(default_scorer().as_json())
    change(data)
    with pytest.raises(ValueError, match=message):
        Scorer.from_json(json.dumps(data))


def test_shipped_scorer_says_where_it_came_from_and_uses_every_feature():
    from importlib import resources

    data = json.loads(resources.files("verifier").joinpath("data", "scorer.json").read_text())
    assert "fit_scorer.py" in data["source"]
    assert tuple(data["support"]["features"]) == SUPPORT_FEATURES
    assert tuple(data["contradict"]["features"]) == CONTRADICT_FEATURES


def test_features_name_every_input_of_both_models():
    cmp = Comparison(conflicts=["the source says June 15; the claim says June 16"], conflict_kinds=["date"],
                     coverage=0.9, facts_matched=2)
    f = features(candidate(size=2), cmp, best_cosine=0.95)
    assert set(SUPPORT_FEATURES) <= set(f) and set(CONTRADICT_FEATURES) <= set(f)
    assert f["conflict_value"] == 1.0 and f["conflict_name"] == 0.0 and f["window"] == 1.0
    assert f["cosine_gap"] == pytest.approx(0.05)


def test_a_changed_date_in_the_same_sentence_reads_as_a_contradiction():
    # The fitted weights must keep the point of the tool: a quote that is the claim but for one
    # date contradicts it, however rarely the public sets' refuted claims are of that kind.
    cmp = Comparison(conflicts=["the source says June 15; the claim says June 16"], conflict_kinds=["date"],
                     coverage=1.0, facts_matched=2)
    p = default_scorer().contradict.probability(features(candidate(0.93, 0.95), cmp, best_cosine=0.93))
    assert p >= default_thresholds().contradict_probability


def test_a_quote_about_something_else_does_not_contradict():
    cmp = Comparison(conflicts=["the source says 1998; the claim says 2004"], conflict_kinds=["date"],
                     coverage=0.2, missing_words=["vaccine", "trial", "children", "efficacy"])
    p = default_scorer().contradict.probability(features(candidate(0.35, 0.3), cmp, best_cosine=0.6))
    assert p < default_thresholds().contradict_probability
