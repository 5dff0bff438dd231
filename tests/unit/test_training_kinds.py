"""The kinds of training pairs made from parsed documents (training/kinds.py), on spaCy's real parse."""
from __future__ import annotations

import random
import sys

import pytest

from ..conftest import ROOT

sys.path.insert(0, str(ROOT))
from training import kinds  # noqa: E402


@pytest.fixture(scope="module")
def nlp():
    import spacy

    from verifier.facts import SPACY_MODELS

    for name in SPACY_MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    pytest.skip("spaCy's English model is not installed")


def _only(doc_text, nlp, gen, **kw):
    doc = nlp(doc_text)
    sent = next(iter(doc.sents))
    return list(gen(sent, random.Random(0), names=kinds._names(doc), things=[], **kw))


def test_roles_are_reversed_between_two_names(nlp):
    [(premise, hypothesis, label, how)] = _only("Azerbaijan liberated Lachin from Armenia in 2020.", nlp,
                                                kinds.role_reversal)
    assert label == "contradiction" and how == "role reversal"
    assert hypothesis.startswith(("Armenia liberated Lachin from Azerbaijan", "Lachin liberated Azerbaijan"))
    assert premise == "Azerbaijan liberated Lachin from Armenia in 2020."


def test_a_list_member_is_replaced_by_another_name_of_the_document(nlp):
    text = "The statement was signed by Azerbaijan, Russia and Armenia. Turkey welcomed it."
    doc = nlp(text)
    sent = next(iter(doc.sents))
    out = list(kinds.list_members(sent, random.Random(1), names=kinds._names(doc)))
    labels = {how: (h, label) for _, h, label, how in out}
    replaced, label = labels["list member replaced"]
    assert label == "contradiction" and "Turkey" in replaced and replaced.count(",") + replaced.count(" and ") >= 2
    added, label = labels["list member added"]
    assert label == "neutral" and all(n in added for n in ("Azerbaijan", "Russia", "Armenia", "Turkey"))


def test_ratio_labels_follow_the_counts(nlp):
    doc = nlp("Turkey and Russia sent 60 servicemen to the centre in Aghdam.")
    sent = next(iter(doc.sents))
    seen = {}
    for seed in range(40):
        for premise, hypothesis, label, _ in kinds.ratio(sent, random.Random(seed), names=kinds._names(doc)):
            seen[(premise, hypothesis)] = label
    assert seen
    for (premise, hypothesis), label in seen.items():
        equal = "each" in premise or "an equal number" in premise
        if "same number" in hypothesis:
            assert label == ("entailment" if equal else "contradiction")
        if "twice as many" in hypothesis and equal:
            assert label == "contradiction"
        if " more " in hypothesis:
            assert label == ("contradiction" if equal else "entailment")


def test_existence_is_denied_only_of_counted_things(nlp):
    [(_, hypothesis, label, _)] = _only("Turkey deployed 60 servicemen to the monitoring centre.", nlp,
                                        kinds.existence_denied)
    assert label == "contradiction" and ("no servicemen" in hypothesis or "not a single serviceman" in hypothesis)
    assert _only("Patients with type 2 diabetes were enrolled for 3 years.", nlp, kinds.existence_denied) == []


def test_order_against_a_year_is_labelled_by_arithmetic(nlp):
    for seed in range(20):
        doc = nlp("The treaty was signed in 1992 by both sides.")
        for _, hypothesis, label, _ in kinds.order(next(iter(doc.sents)), random.Random(seed)):
            year = int(hypothesis.split("fore " if "before" in hypothesis else "after ")[1][:4])
            truth = (1992 < year) if "before" in hypothesis else (1992 > year)
            assert label == ("entailment" if truth else "contradiction")


def test_a_value_is_never_given_to_the_neighbour_as_entailed(nlp):
    doc = nlp("The memorandum was signed on June 15, 2021. The drills began in Lachin.")
    s1, s2 = list(doc.sents)
    [(premise, hypothesis, label, _)] = list(kinds.neighbour_value((s1, s2), random.Random(0)))
    assert premise == "The memorandum was signed on June 15, 2021. The drills began in Lachin."
    assert hypothesis.startswith("The drills began in Lachin") and "June 15" in hypothesis and label == "neutral"
