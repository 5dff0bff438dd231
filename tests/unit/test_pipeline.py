from __future__ import annotations

import json
from dataclasses import replace

import jsonschema
import pytest

from verifier.claims import Claim, load_schema
from verifier.errors import SourceError
from verifier.pipeline import verify
from verifier.report import REPORTERS, write
from verifier.report.json_report import report_dict

from ..conftest import SEED, Said


def claim(id: str, text: str, expect: str = "supported", sources=(SEED,)) -> Claim:
    return Claim(id=id, text=text, expect=expect, sources=tuple(sources), file="claims/x.yaml", line=3)


def test_supported_claim_cites_the_right_sentence(settings, components):
    run = verify([claim("a", "Military cooperation between Azerbaijan and Turkey first emerged in 1992.")], settings, components)
    (r,) = run.results
    assert r.verdict == "supported", r.reason
    e = r.evidence[0]
    assert e.line == 15 and e.quote.startswith("Military cooperation between Azerbaijan and Turkey")
    assert SEED.read_text(encoding="utf-8")[e.start:e.end] == e.quote


def test_contradicted_claim_names_both_values(settings, components):
    run = verify([claim("b", "The two countries signed a memorandum of alliance on June 16.", "contradicted")], settings, components)
    (r,) = run.results
    assert r.verdict == "contradicted"
    assert "June 15" in r.reason and "June 16" in r.reason
    assert r.passed


def test_unsupported_claim_says_what_is_missing(settings, components):
    (r,) = verify([claim("c", "NATO observers monitored the joint drills.", "unsupported")], settings, components).results
    assert r.verdict == "unsupported" and "NATO" in r.reason
    assert r.evidence  # the closest quote is still reported


def test_claim_needing_two_sentences_quotes_both(settings, components):
    (r,) = verify([claim("d", "The Shusha Declaration affirms joint efforts by the two armies in the face of foreign threats.")],
                  settings, components).results
    assert r.verdict == "supported", r.reason
    assert r.evidence[0].quote.startswith("The Shusha Declaration") and "foreign threats" in r.evidence[0].quote


def test_json_report_matches_schema_and_is_deterministic(settings, components, fake_embedder):
    claims = [claim("a", "Military cooperation between Azerbaijan and Turkey first emerged in 1992."),
              claim("b", "The memorandum was signed on June 16.", "contradicted")]
    first = report_dict(verify(claims, settings, components))
    jsonschema.Draft7Validator(load_schema("report")).validate(first)
    second = report_dict(verify(claims, settings, components))
    assert json.dumps(first) == json.dumps(second)
    assert first["summary"]["claims"] == 2


def test_second_run_embeds_nothing_new(settings, components, fake_embedder):
    claims = [claim("a", "Military cooperation first emerged in 1992.")]
    verify(claims, settings, components)
    calls = fake_embedder.calls
    verify(claims, settings, components)
    assert fake_embedder.calls == calls


def test_sources_with_no_text_are_an_error(settings, components, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n")
    with pytest.raises(SourceError, match="no text"):
        verify([claim("a", "Anything.", sources=(empty,))], settings, components)


def test_every_reporter_writes(settings, components, capsys):
    import sys

    run = verify([claim("a", "Military cooperation first emerged in 1992.")], settings, components)
    for name in REPORTERS:
        write(name, run, sys.stdout)
    out = capsys.readouterr().out
    assert "Military cooperation" in out and '"version": 1' in out


class StubNLI:
    model_id = "stub"

    def __init__(self, probs):
        self.probs = probs

    def probabilities(self, pairs):
        return [dict(self.probs) for _ in pairs]


@pytest.mark.parametrize("probs,expected", [
    ({"entail": 0.9, "contradict": 0.05, "neutral": 0.05}, "supported"),
    ({"entail": 0.2, "contradict": 0.1, "neutral": 0.7}, "unsupported"),
    ({"entail": 0.05, "contradict": 0.9, "neutral": 0.05}, "contradicted"),
])
def test_the_entailment_model_decides_the_verdict(settings, components, probs, expected):
    components = replace(components, entailment=StubNLI(probs))
    c = claim("a", "Military cooperation between Azerbaijan and Turkey first emerged in 1992.")
    (r,) = verify([c], settings, components).results
    assert r.verdict == expected
    # The confidence is the probability of the verdict shown (for a contradiction, at least the
    # model's own; a conflicting year in a quote about the same thing counts as one too).
    if expected == "supported":
        assert r.confidence == pytest.approx(probs["entail"])
    elif expected == "contradicted":
        assert r.confidence >= probs["contradict"]


def test_a_conflicting_date_never_supports_however_sure_the_model_is(settings, components):
    components = replace(components, entailment=StubNLI({"entail": 0.99, "contradict": 0.005, "neutral": 0.005}))
    (r,) = verify([claim("a", "Military cooperation between Azerbaijan and Turkey first emerged in 1993.")], settings, components).results
    assert r.verdict == "contradicted"
    assert "1992" in r.reason and "1993" in r.reason


def test_offsets_and_lines_survive_unusual_characters_and_crlf(settings, components, tmp_path):
    text = ("Intro line with an emoji \U0001F600 and a zero\u200bwidth space.\r\n\r\n"
            "\u05e9\u05dc\u05d5\u05dd is written right to left, and cafe\u0301 has a combining accent.\r\n\r\n"
            "Military cooperation between Azerbaijan and Turkey first emerged in 1992.\r\n")
    src = tmp_path / "odd.txt"
    src.write_bytes(text.encode("utf-8"))
    (r,) = verify([claim("a", "Military cooperation between Azerbaijan and Turkey first emerged in 1992.",
                         sources=(src,))], settings, components).results
    e = r.evidence[0]
    assert r.verdict == "supported", r.reason
    assert text[e.start:e.end] == e.quote and e.line == 5 and e.column == 1


def test_each_slow_stage_says_so_and_reading_counts_only_what_the_model_reads(settings, components):
    progress = Said()
    said = progress.lines
    claims = [claim("a", "Military cooperation first emerged in 1992."), claim("b", "The drills began in Lachin.")]
    verify(claims, settings, components, progress)
    assert said[:2] == ["indexing 1 source files", "checking 2 claims"]
    # The claims' quotes, then their parts' (both claims have parts: a time and a place).
    assert len(said) == 4 and all(s.startswith("reading ") and s.endswith(" quotes with the entailment model")
                                  for s in said[2:])
    said.clear()
    verify(claims, settings, components, progress)  # every score is cached now: the model reads nothing
    assert not any(s.startswith("reading") for s in said)


def test_sources_and_quotes_fed_in_pieces_give_the_same_report(settings, components, monkeypatch, tmp_path):
    import verifier.corpus as corpus
    import verifier.progress as progress

    claims = [claim("a", "Military cooperation between Azerbaijan and Turkey first emerged in 1992."),
              claim("b", "The memorandum was signed on June 16.", "contradicted"),
              claim("c", "NATO observers monitored the joint drills.", "unsupported")]
    whole = report_dict(verify(claims, settings, components))
    sizes: list[int] = []
    model = components.entailment

    class Counting:
        model_id = model.model_id

        def probabilities(self, pairs):
            sizes.append(len(pairs))
            return model.probabilities(pairs)

    monkeypatch.setattr(corpus, "EMBED_CHUNK", 3)
    monkeypatch.setattr(progress, "READ_CHUNK", 2)
    pieces = replace(settings, cache_dir=tmp_path / "other")
    assert json.dumps(report_dict(verify(claims, pieces, replace(components, entailment=Counting())))) == json.dumps(whole)
    assert len(sizes) > 1 and max(sizes) == 2
