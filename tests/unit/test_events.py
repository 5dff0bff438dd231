"""A date conflicts only with a date said of the same event: the parse finds the verb (or noun) each belongs to."""
from __future__ import annotations

import pytest

from verifier.compare import compare
from verifier.events import dates_of_other_events, event_words, same_event
from verifier.facts import analyze, dates_in

pytestmark = pytest.mark.slow  # spaCy parses the texts


def _same(claim: str, quote: str) -> bool:
    (d,), (e,) = dates_in(claim), dates_in(quote)
    return same_event(claim, d, quote, e)


def test_a_date_belongs_to_the_verb_above_it_and_its_subject():
    assert event_words("Behring died on June 25, 2019 in Contra Costa County.", "June 25, 2019") >= {"died"}
    assert event_words("Cooperation between the two armies began in 1995.", "1995") == {"began", "cooperation"}
    # No verb above it: the noun the date is said of.
    assert event_words("Seattle's first female mayor since Bertha Landes' election in 1926.", "1926") == {"election"}
    assert event_words("The treaty was signed in 1990.", "1985") is None  # not in the text


def test_dates_of_the_same_event_conflict_and_those_of_another_do_not():
    assert _same("The memorandum was signed on June 16.", "On June 15, the two countries signed a memorandum.")
    assert _same("Military cooperation began in 1995.", "Military cooperation first emerged in 1992.")
    assert _same("The signing took place on June 16.", "The signing of the memorandum happened on June 15.")
    assert not _same("Behring died on June 25, 2019.", "Mr. Behring moved to the San Francisco Bay Area in 1972.")
    assert not _same("The series was renewed for a fifth season on July 28, 2018.",
                     "The renewal comes ahead of the Season 4 premiere on Aug. 6.")


def test_a_date_of_another_event_is_missing_not_in_conflict():
    claim = "Behring died on June 25, 2019 in Contra Costa County."
    quote = "Mr. Behring moved to the San Francisco Bay Area in 1972 and built upscale developments."
    cmp = compare(analyze(claim), analyze(quote))
    assert cmp.conflict_kinds == ["date"]  # the plain fact check sees two dates that differ
    out = dates_of_other_events(cmp, claim, analyze(claim), quote, analyze(quote))
    assert out.conflicts == [] and "the date June 25, 2019" in out.missing and out.other_events == ["1972"]


def test_the_conflict_names_the_date_of_the_claims_event():
    claim = "The memorandum was signed on June 16."
    quote = "After talks that opened on June 2, the memorandum was signed on June 15."
    cmp = compare(analyze(claim), analyze(quote))
    out = dates_of_other_events(cmp, claim, analyze(claim), quote, analyze(quote))
    assert out.conflicts == ["the source says June 15; the claim says June 16"] and out.conflict_kinds == ["date"]


def test_what_each_date_is_said_of_is_kept_so_a_warm_run_parses_nothing(tmp_path, monkeypatch):
    from verifier import events
    from verifier.parse_cache import EventCache

    quote = "Mr. Behring moved to the San Francisco Bay Area in 1972 and built upscale developments."
    assert EventCache(tmp_path)(quote, "1972") == {"moved"}

    def no_parse(text):
        raise AssertionError("parsed again")

    monkeypatch.setattr(events, "dated_words", no_parse)
    assert EventCache(tmp_path)(quote, "1972") == {"moved"}  # a new run, read from the store
    with pytest.raises(AssertionError):
        EventCache(None)(quote, "1972")  # no store: parsed
