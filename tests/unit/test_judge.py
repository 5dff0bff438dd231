"""The judge: candidates and the model's reading in, verdict, citation and reason out."""
from __future__ import annotations

import pytest

from verifier.compare import Comparison
from verifier.judge import Assessed, Combined, combined_candidates, decide, to_read
from verifier.retrieve import Candidate
from verifier.sources import Document, segment
from verifier.thresholds import Thresholds, default_thresholds
from verifier.verdicts import Reading

TEXT = ("The drills began in Lachin on September 6. The weather was fine. Lunch was served at noon. "
        "They involved 300 servicemen. The ministry said so.")


@pytest.fixture
def doc():
    from verifier.sources import Document

    return Document(path="seeds/a.txt", text=TEXT, sentences=segment(TEXT, "seeds/a.txt"))


def cand(doc, first, last=None, cosine=0.8, fuzzy=0.6):
    return Candidate(doc, first, first if last is None else last, cosine, fuzzy)


def probs(e, n, c):
    return Reading(e, n, c)


TH = Thresholds(**{**default_thresholds().__dict__, "entail_probability": 0.5, "support_coverage": 0.0, "nli_contradict": 0.5,
                   "conflict_neutral": 0.5, "support_cosine": 0.3, "window_margin": 0.08})


def test_the_smallest_supporting_quote_is_cited(doc):
    one, window = cand(doc, 0), cand(doc, 0, 1, cosine=0.85)
    v = decide("The drills started in Lachin.", [Assessed(window, Comparison()), Assessed(one, Comparison())],
               [probs(0.95, 0.03, 0.02), probs(0.9, 0.05, 0.05)], TH)
    assert v.verdict == "supported" and v.evidence[0] is one and v.confidence == 0.9
    assert "in other words" in v.reason  # "started" is not the source's word


def test_a_clearly_better_window_is_cited_over_its_sentence(doc):
    one, window = cand(doc, 0), cand(doc, 0, 1, cosine=0.85)
    v = decide("The drills began in Lachin.", [Assessed(window, Comparison()), Assessed(one, Comparison())],
               [probs(0.95, 0.03, 0.02), probs(0.6, 0.3, 0.1)], TH)
    assert v.evidence[0] is window and "2 adjacent sentences" in v.reason


def test_missing_or_conflicting_facts_block_support(doc):
    missing, conflict = Comparison(missing=["the number 300"]), Comparison()
    conflict.conflict("date", "the source says September 6; the claim says September 7")
    for cmp in (missing, conflict):
        v = decide("The drills began in Lachin on September 7 with 300 troops.", [Assessed(cand(doc, 0), cmp)],
                   [probs(0.99, 0.005, 0.005)], TH)
        assert v.verdict != "supported"


def test_a_conflict_in_a_quote_the_model_reads_as_unrelated_is_no_contradiction(doc):
    cmp = Comparison(coverage=0.9)
    cmp.conflict("name", "the source names Lachin, not Shusha")
    v = decide("Lunch was served in Shusha.", [Assessed(cand(doc, 0), cmp)], [probs(0.05, 0.9, 0.05)], TH)
    assert v.verdict == "unsupported"
    v = decide("The drills began in Shusha.", [Assessed(cand(doc, 0), cmp)], [probs(0.1, 0.2, 0.7)], TH)
    assert v.verdict == "contradicted" and "Lachin" in v.reason and v.confidence == pytest.approx(0.8)


def test_the_models_contradiction_from_a_quote_about_another_event_is_no_contradiction(doc):
    # The quote's date belongs to something else (events.py): the claim's date is missing there.
    other = Comparison(coverage=0.9, missing=["the date September 10"], other_events=["September 6"])
    v = decide("The drills end on September 10.", [Assessed(cand(doc, 0), other)], [probs(0.05, 0.1, 0.85)], TH)
    assert v.verdict == "unsupported" and "the date September 10" in v.reason
    # The same reading of a quote about the claim's own event contradicts it.
    v = decide("The drills end on September 10.", [Assessed(cand(doc, 0), Comparison(coverage=0.9))],
               [probs(0.05, 0.1, 0.85)], TH)
    assert v.verdict == "contradicted"


def test_a_contradiction_the_model_reads_is_explained_in_the_sources_words(doc):
    v = decide("The drills ended in Lachin on September 6.", [Assessed(cand(doc, 0), Comparison())],
               [probs(0.05, 0.1, 0.85)], TH)
    assert v.verdict == "contradicted"
    assert "began" in v.reason and "ended" in v.reason


def test_far_apart_sentences_are_read_together_and_both_cited(doc):
    a, b, c = cand(doc, 0, cosine=0.7), cand(doc, 3, cosine=0.6), cand(doc, 4, cosine=0.3)
    (combined,) = combined_candidates([a, b, c])
    assert isinstance(combined, Combined) and combined.parts == (a, b, c)[:len(combined.parts)]
    quotes = [a, b, combined]
    v = decide("The drills in Lachin involved 300 servicemen.", [Assessed(q, Comparison()) for q in quotes],
               [probs(0.3, 0.6, 0.1), probs(0.3, 0.6, 0.1), probs(0.9, 0.05, 0.05)], TH)
    assert v.verdict == "supported" and v.cited == len(combined.parts)
    assert v.evidence[: v.cited] == combined.parts and "together" in v.reason
    assert v.reason.endswith("(all on line 1)")  # an abstract: one line, three sentences
    lined = Document(path="seeds/b.txt", text=TEXT.replace(". ", ".\n"),
                     sentences=segment(TEXT.replace(". ", ".\n"), "seeds/b.txt"))
    quotes = [cand(lined, 0, cosine=0.7), cand(lined, 3, cosine=0.6)]
    (combined,) = combined_candidates(quotes)
    v = decide("The drills in Lachin involved 300 servicemen.", [Assessed(combined, Comparison())],
               [probs(0.9, 0.05, 0.05)], TH)
    assert v.reason.endswith("(lines 1 and 4)")


def test_a_heading_joins_no_premise_read_together():
    """Read after "Author: Daniel Holth", the heading "PEP Acceptance" made Holth the one who accepted."""
    from verifier.formats import plain

    text = ("Author: Daniel Holth\nStatus: Final\n\nPEP Acceptance\n\nThis PEP was accepted by Alyssa Coghlan.\n\n"
            "Rationale\n\nPython needs a package format.")
    headed = Document(path="pep.txt", text=text, sentences=segment(text, "pep.txt"),
                      extracted=plain.extract(text.encode(), "pep.txt"))
    assert [s.text for s in headed.sentences][2] == "PEP Acceptance"
    assert combined_candidates([cand(headed, 0, cosine=0.7), cand(headed, 2, cosine=0.6)]) == []
    (combined,) = combined_candidates([cand(headed, i, cosine=0.7 - i / 10) for i in range(6)])
    assert [p.first for p in combined.parts] == [0, 1, 3]


def test_adjacent_sentences_are_left_to_windows(doc):
    assert combined_candidates([cand(doc, 0), cand(doc, 1)]) == []


def test_the_model_reads_the_best_candidates_only(doc):
    many = [cand(doc, i % 5, cosine=0.9 - i / 100) for i in range(12)]
    read = to_read(many)
    assert read[:8] == many[:8] and all(not isinstance(q, Combined) for q in read[:8])


def test_unsupported_names_what_the_quote_lacks(doc):
    v = decide("The drills began in Lachin with F-16 jets.", [Assessed(cand(doc, 0), Comparison(missing_words=["F-16", "jets"]))],
               [probs(0.2, 0.75, 0.05)], TH)
    assert v.verdict == "unsupported" and v.confidence == pytest.approx(0.8)
    assert v.reason.endswith("(nothing for \u2018F-16\u2019, \u2018jets\u2019)")
    # A word the fact check matched (a form, a synonym) is not named, though the quote lacks it as written.
    v = decide("The drills began in Lachin with F-16 jets.", [Assessed(cand(doc, 0), Comparison(missing_words=["F-16"]))],
               [probs(0.2, 0.75, 0.05)], TH)
    assert v.reason.endswith("(nothing for \u2018F-16\u2019)")


def _assessed(text: str, claim: str, first: int, last: int):
    from verifier.facts import analyze
    from verifier.judge import assess
    from verifier.sources import Document

    doc = Document(path="bio.txt", text=text, sentences=segment(text, "bio.txt"))
    facts = {("bio.txt", s.index): analyze(s.text) for s in doc.sentences}
    quote = Candidate(doc, first, last, 0.8, 0.6)
    (x,) = assess(analyze(claim), [quote], facts)
    return quote, x.comparison


@pytest.mark.slow  # spaCy reads the texts
def test_a_name_the_quote_leaves_to_a_pronoun_counts_when_the_sentence_before_names_it():
    text = "Maria Lopez grew up in Seville. She won the national chess title in 2005."
    claim = "Maria Lopez won the national chess title in 2005."
    quote, cmp = _assessed(text, claim, 1, 1)
    assert not cmp.missing and cmp.named_elsewhere == ["Maria Lopez"]
    v = decide(claim, [Assessed(quote, cmp)], [probs(0.9, 0.05, 0.05)], TH)
    assert v.verdict == "supported" and "the sentence before the quote names Maria Lopez" in v.reason
    _, cmp = _assessed(text, "Ana Ruiz won the national chess title in 2005.", 1, 1)
    assert cmp.missing and not cmp.named_elsewhere  # a name the document never states still blocks support


@pytest.mark.slow
def test_a_name_anywhere_else_in_the_document_is_not_the_quotes_antecedent():
    # Named two sentences up, with another person in between: "She" is not Maria Lopez for certain.
    text = "Maria Lopez grew up in Seville. Her rival Ana Ruiz moved there in 1999. She won the national title in 2005."
    _, cmp = _assessed(text, "Maria Lopez won the national title in 2005.", 2, 2)
    assert "Maria Lopez" in cmp.missing and not cmp.named_elsewhere
    # No pronoun at all: the quote is about someone it names itself.
    text = "Maria Lopez grew up in Seville. The national title went to Ana Ruiz in 2005."
    _, cmp = _assessed(text, "Maria Lopez won the national title in 2005.", 1, 1)
    assert "Maria Lopez" in cmp.missing


@pytest.mark.slow
def test_a_window_never_gives_one_sentences_date_to_the_subject_of_the_next():
    text = ("The ceasefire statement was signed on November 10, 2020. "
            "The Shusha Declaration followed in Shusha, eight months later.")
    _, cmp = _assessed(text, "The Shusha Declaration was signed on November 10, 2020.", 0, 1)
    # The signing sentence lacks the declaration, the declaration's sentence lacks the date: either way short.
    assert cmp.missing
    # Joined by a reference back, the two sentences are about one thing and the date is its own.
    text = "The Shusha Declaration was drafted in Baku. It was signed on November 10, 2020."
    _, cmp = _assessed(text, "The Shusha Declaration was signed on November 10, 2020.", 0, 1)
    assert not cmp.missing and not cmp.conflicts


@pytest.mark.slow
def test_a_window_never_counts_a_name_from_a_sentence_about_something_else():
    text = ("Turkey sent servicemen to the joint monitoring centre. "
            "The peace agreement was signed by Azerbaijan, Russia and Armenia.")
    _, cmp = _assessed(text, "The peace agreement was signed by Azerbaijan, Russia and Turkey.", 0, 1)
    assert "the source says Azerbaijan, Russia and Armenia; the claim says Turkey" in cmp.conflicts


@pytest.mark.slow
def test_a_name_the_window_shows_only_apart_from_the_statement_is_missing_there_and_said_so():
    text = ("Azerbaijan hosted the talks in Baku. "
            "The agreement was signed by Russia in Moscow on June 15.")
    _, cmp = _assessed(text, "The agreement was signed by Azerbaijan on June 15.", 0, 1)
    # Not "the source names Russia, not Azerbaijan": the quote does name Azerbaijan, about the talks.
    assert not any("not Azerbaijan" in c for c in cmp.conflicts)
    assert "Azerbaijan in the sentence that states the rest" in cmp.missing


def test_an_unsupported_claims_reason_names_no_negation_of_another_clause(doc):
    # "didn't have a lot of money" beside "was bullied": the negation is no account of what is missing.
    cmp = Comparison(coverage=0.6, missing_words=["bullied"])
    cmp.conflict("polarity", "the source says 'n't', the claim has no negation to match it")
    v = decide("The drills began in Lachin.", [Assessed(cand(doc, 0), cmp)], [probs(0.2, 0.7, 0.1)], TH)
    assert v.verdict == "unsupported" and "affirms" not in v.reason
    # A direction word that differs is kept: it says why.
    cmp.conflict("direction", "the source says 'after'; the claim says 'before'")
    v = decide("The drills began in Lachin.", [Assessed(cand(doc, 0), cmp)], [probs(0.2, 0.7, 0.1)], TH)
    assert "the source says 'after'; the claim says 'before'" in v.reason and "affirms" not in v.reason


def test_an_unsupported_claims_closest_quote_is_one_about_it_when_there_is_one(doc):
    # The model half-reads the unrelated quote as entailing; the reason must not say that no quote is close.
    far, near = cand(doc, 2, cosine=0.2), cand(doc, 0, cosine=0.7)
    v = decide("The drills began in Lachin on September 6.", [Assessed(far, Comparison(coverage=0.9)),
                                                             Assessed(near, Comparison(coverage=0.3))],
               [probs(0.5, 0.45, 0.05), probs(0.3, 0.6, 0.1)], TH)
    assert v.verdict == "unsupported" and v.evidence[0] == near
    assert "close enough" not in v.reason
    alone = decide("The drills began in Lachin on September 6.", [Assessed(far, Comparison(coverage=0.9))],
                   [probs(0.5, 0.45, 0.05)], TH)
    assert alone.reason == "no quote is close enough to the claim (best similarity 0.20)"


def test_an_unsupported_claims_reason_says_where_the_model_leans_to_the_opposite(doc):
    # Words the quote lacks would mislead: it may say the opposite in words of its own.
    v = decide("The drills ended in Lachin.", [Assessed(cand(doc, 0, cosine=0.7), Comparison(coverage=0.5))],
               [probs(0.1, 0.3, 0.6)], Thresholds(**{**TH.__dict__, "nli_contradict": 0.9}))
    assert v.verdict == "unsupported" and "more likely contradicting the claim than not" in v.reason
