"""Who does what to whom: a quote that gives the claim's roles otherwise conflicts, one that keeps them does not."""
from __future__ import annotations

import pytest

from verifier.compare import compare
from verifier.facts import analyze
from verifier.roles import conflict, roles, swapped_roles

pytestmark = pytest.mark.slow  # spaCy parses the texts


def _sides(text: str) -> set[tuple[str, str, str]]:
    return {(r.verb, r.doer.text, r.done_to.text) for r in roles(text)}


def _why(claim: str, quote: str) -> str:
    return conflict(roles(claim), roles(quote))


def test_the_parse_finds_doers_and_what_they_act_on_in_active_passive_and_relative_clauses():
    assert _sides("The committee rejected the second proposal.") == {("reject", "committee", "second proposal")}
    # A passive's "by" phrase is its doer; names joined by "and" each do it.
    assert _sides("The treaty was ratified by France and Spain.") == {("ratify", "France", "treaty"),
                                                                   ("ratify", "Spain", "treaty")}
    # A relative pronoun stands for the noun before it.
    assert ("write", "Maria Lopez", "report") in _sides("Tom Baker approved the report, which Maria Lopez wrote.")
    # A pronoun is no one in particular: no role for it.
    assert _sides("She praised the plan.") == set()


def test_roles_the_other_way_round_conflict():
    why = _why("The home team defeated the visitors.", "The visitors defeated the home team in extra time.")
    assert why == "the source says 'visitors defeated the home team': the claim has the roles the other way round"


def test_pairs_crossed_between_two_clauses_conflict_and_the_right_pairing_does_not():
    quote = "The old format keeps keys in a header; the new format keeps checksums in a footer."
    assert _why("The old format keeps checksums.", quote) == ("the source says 'old format keeps keys' and 'new "
                                                               "format keeps checksums': the claim pairs them otherwise")
    assert _why("The new format keeps checksums.", quote) == ""
    assert _why("The old format keeps keys.", quote) == ""


def test_a_doer_named_inside_the_other_role_conflicts():
    why = _why("The manual lists the options of every plugin.", "Every plugin lists the options of the manual.")
    assert "roles the other way round" in why or "on the other side" in why


def test_the_same_roles_in_other_words_or_a_fuller_name_do_not_conflict():
    assert _why("Turkey signed the agreement.", "The government of Turkey signed the agreement with Azerbaijan.") == ""
    assert _why("France ratified the treaty.", "The treaty was ratified by France in 1992.") == ""
    assert _why("The visitors lost the match.", "The home team defeated the visitors.") == ""  # no verb in common


def test_a_role_conflict_joins_the_comparison_only_where_the_quote_has_the_claims_verb():
    claim, quote = "The visitors defeated the home team.", "The home team defeated the visitors."
    out = swapped_roles(compare(analyze(claim), analyze(quote)), claim, quote, analyze(quote).vocab)
    assert out.conflict_kinds == ["role"]

    def no_parse(text: str):
        raise AssertionError("parsed a quote without the claim's verb")

    calls: list[str] = []

    def read(text: str):
        calls.append(text)
        return roles(text) if text == claim else no_parse(text)

    other = "The home team drew with the visitors."
    assert swapped_roles(compare(analyze(claim), analyze(other)), claim, other, analyze(other).vocab,
                         read).conflicts == []
    assert calls == [claim]


def test_roles_are_kept_so_a_warm_run_parses_nothing(tmp_path, monkeypatch):
    from verifier import roles as module
    from verifier.parse_cache import RoleCache

    quote = "The visitors defeated the home team in extra time."
    found = RoleCache(tmp_path)(quote)
    assert {(r.verb, r.doer.text, r.done_to.text) for r in found} == {("defeat", "visitors", "home team")}

    def no_parse(text):
        raise AssertionError("parsed again")

    monkeypatch.setattr(module, "roles", no_parse)
    assert RoleCache(tmp_path)(quote) == found  # a new run, read from the store
    with pytest.raises(AssertionError):
        RoleCache(None)(quote)  # no store: parsed
