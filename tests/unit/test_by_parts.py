"""A claim of several parts: supported only when every part is, contradicted when any is, the failing part named."""
from __future__ import annotations

import pytest

from verifier.by_parts import PartCase, decide_claim
from verifier.compare import Comparison
from verifier.judge import Assessed
from verifier.parts import Part
from verifier.retrieve import Candidate
from verifier.sources import Document, segment
from verifier.thresholds import Thresholds, default_thresholds
from verifier.verdicts import Reading

from ..reasons import reason_problems

TEXT = ("Azerbaijan and Turkey began joint drills in Lachin. The drills last five days. "
        "Turkey sent servicemen to the monitoring centre.")
TH = Thresholds(**{**default_thresholds().__dict__, "entail_probability": 0.5, "support_coverage": 0.0,
                   "nli_contradict": 0.5, "support_cosine": 0.3})
CLAIM = "Azerbaijan and Turkey began joint drills in Lachin with F-16 jets."
MAIN = Part("Azerbaijan and Turkey began joint drills.", "main", "")
PLACE = Part("Azerbaijan and Turkey began joint drills in Lachin.", "place", "in Lachin")
JETS = Part("Azerbaijan and Turkey began joint drills with F-16 jets.", "instrument", "with F-16 jets")


@pytest.fixture
def quotes():
    doc = Document(path="a.txt", text=TEXT, sentences=segment(TEXT, "a.txt"))
    return [Candidate(doc, i, i, 0.8, 0.6) for i in range(3)]


def read(quotes, *readings):
    """The quotes compared (cleanly) and read as given: one (entail, neutral, contradict) per quote, or None."""
    return ([Assessed(q, Comparison()) for q in quotes],
            [Reading(*r) if r else None for r in readings])


def part(p, quotes, *readings):
    assessed, got = read(quotes, *readings)
    return PartCase(p, assessed, got)


def as_report(v, claim=CLAIM):
    """The verdict as the JSON report has it, for the reason rule."""
    from verifier.citation import claim_result
    from verifier.claims import Claim
    from verifier.report.json_report import result_dict

    return result_dict(claim_result(Claim("c", claim), v))


def test_one_part_or_none_is_the_claims_own_verdict(quotes):
    assessed, readings = read(quotes, (0.9, 0.05, 0.05), None, None)
    v = decide_claim(CLAIM, assessed, readings, [], TH)
    assert v.verdict == "supported" and not v.parts


def test_a_whole_claim_read_as_entailed_is_unsupported_when_a_part_is_not(quotes):
    assessed, readings = read(quotes, (0.9, 0.05, 0.05), None, None)
    parts = [part(MAIN, quotes, (0.95, 0.03, 0.02), None, None),
             part(PLACE, quotes, (0.9, 0.05, 0.05), None, None),
             part(JETS, quotes, (0.2, 0.75, 0.05), (0.1, 0.8, 0.1), None)]
    v = decide_claim(CLAIM, assessed, readings, parts, TH)
    assert v.verdict == "unsupported"
    assert v.reason.startswith("nothing in the sources states \u201cAzerbaijan and Turkey began joint drills with F-16 jets\u201d")
    assert [p.verdict for p in v.parts] == ["supported", "supported", "unsupported"]
    report = as_report(v)
    assert [p["evidence"] for p in report["parts"]][:2] == [[0], [0]] and report["parts"][2]["evidence"] == []
    assert reason_problems(report) == []


def test_parts_stated_in_different_places_support_the_claim_together(quotes):
    claim = "Azerbaijan and Turkey began joint drills that last five days."
    last = Part("The drills last five days.", "relative", "that last five days")
    assessed, readings = read(quotes, (0.4, 0.5, 0.1), (0.3, 0.6, 0.1), None)  # no quote states it whole
    parts = [part(MAIN, quotes, (0.95, 0.03, 0.02), (0.2, 0.7, 0.1), None),
             part(last, quotes, (0.1, 0.8, 0.1), (0.97, 0.02, 0.01), None)]
    v = decide_claim(claim, assessed, readings, parts, TH)
    assert v.verdict == "supported" and v.cited == 2
    assert v.evidence[:2] == (quotes[0], quotes[1])
    assert "the 2 quotes together state each of the claim's 2 parts" in v.reason
    assert [p.quotes for p in v.parts] == [(quotes[0],), (quotes[1],)]
    assert v.confidence == pytest.approx(0.95)


def test_one_quote_stating_the_whole_claim_and_each_part_is_the_only_citation(quotes):
    assessed, readings = read(quotes, (0.9, 0.05, 0.05), (0.7, 0.2, 0.1), None)
    parts = [part(p, quotes, (0.9, 0.05, 0.05), (0.8, 0.1, 0.1), None) for p in (MAIN, PLACE)]
    v = decide_claim(CLAIM, assessed, readings, parts, TH)
    assert v.verdict == "supported" and v.cited == 1 and v.evidence[0] == quotes[0]
    assert v.reason.endswith("and each of its 2 parts")


def test_a_contradicted_part_contradicts_the_claim_and_is_named(quotes):
    assessed, readings = read(quotes, (0.5, 0.4, 0.1), None, None)
    parts = [part(MAIN, quotes, (0.9, 0.05, 0.05), None, None),
             part(PLACE, quotes, (0.02, 0.03, 0.95), None, None)]
    v = decide_claim(CLAIM, assessed, readings, parts, TH)
    assert v.verdict == "contradicted"
    assert v.reason.endswith("(the part \u201cAzerbaijan and Turkey began joint drills in Lachin\u201d)")
    assert [p.verdict for p in v.parts] == ["supported", "contradicted"]


def test_a_claim_too_long_to_read_whole_is_decided_by_its_parts_alone(quotes):
    assessed, readings = read(quotes, None, None, None)
    parts = [part(p, quotes, (0.9, 0.05, 0.05), None, None) for p in (MAIN, PLACE)]
    v = decide_claim(CLAIM, assessed, readings, parts, TH)
    assert v.verdict == "supported" and v.reason == "the quote states each of the claim's 2 parts"


def test_the_main_statement_is_stated_where_a_part_that_contains_it_is(quotes):
    assessed, readings = read(quotes, (0.9, 0.05, 0.05), None, None)
    # The model reads the bare main statement as neutral, the same words with "in Lachin" as entailed.
    parts = [part(MAIN, quotes, (0.3, 0.6, 0.1), None, None), part(PLACE, quotes, (0.9, 0.05, 0.05), None, None)]
    v = decide_claim("Azerbaijan and Turkey began joint drills in Lachin.", assessed, readings, parts, TH)
    assert v.verdict == "supported"
    assert [p.verdict for p in v.parts] == ["supported", "supported"]
    # Never the other way round: a stated main statement does not state the detail.
    parts = [part(MAIN, quotes, (0.9, 0.05, 0.05), None, None), part(PLACE, quotes, (0.3, 0.6, 0.1), None, None)]
    v = decide_claim("Azerbaijan and Turkey began joint drills in Lachin.", assessed, readings, parts, TH)
    assert v.verdict == "unsupported" and "in Lachin" in v.reason


def test_each_member_of_a_list_is_stated_where_the_main_statement_is(quotes):
    claim = "Azerbaijan and Turkey began joint drills."
    members = [Part("Azerbaijan began joint drills.", "subject", "Azerbaijan"),
               Part("Turkey began joint drills.", "subject", "Turkey")]
    assessed, readings = read(quotes, (0.9, 0.05, 0.05), None, None)
    # The model reads the main statement as entailed, one member alone as neutral.
    parts = [part(MAIN, quotes, (0.9, 0.05, 0.05), None, None), part(members[0], quotes, (0.9, 0.05, 0.05), None, None),
             part(members[1], quotes, (0.3, 0.6, 0.1), None, None)]
    v = decide_claim(claim, assessed, readings, parts, TH)
    assert v.verdict == "supported" and [p.verdict for p in v.parts] == ["supported"] * 3
    assert reason_problems(as_report(v, claim)) == []
    # Never the other way round: members stated apart do not make the main statement's reading.
    parts = [part(MAIN, quotes, (0.3, 0.6, 0.1), None, None), part(members[0], quotes, (0.9, 0.05, 0.05), None, None),
             part(members[1], quotes, (0.3, 0.6, 0.1), None, None)]
    v = decide_claim(claim, assessed, readings, parts, TH)
    assert v.verdict == "unsupported"


def test_a_quote_inside_another_cited_one_is_not_cited_again(quotes):
    # One part is stated by the window of the first two sentences, the other by its first sentence
    # alone: the window is the citation, not "the 2 quotes together".
    window = Candidate(quotes[0].doc, 0, 1, 0.8, 0.6)
    both = [window, quotes[0]]
    v = decide_claim("Azerbaijan and Turkey began joint drills in Lachin, which last five days.",
                     *read(both, (0.3, 0.6, 0.1), (0.3, 0.6, 0.1)),
                     [part(MAIN, both, (0.2, 0.7, 0.1), (0.9, 0.05, 0.05)),
                      part(Part("The drills last five days.", "relative", "which last five days"), both,
                           (0.9, 0.05, 0.05), (0.1, 0.8, 0.1))], TH)
    assert v.verdict == "supported" and v.evidence[:v.cited] == (window,)
    assert v.reason == "the quote states each of the claim's 2 parts"
    assert [p.quotes for p in v.parts] == [(window,), (window,)]
