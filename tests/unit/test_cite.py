"""The reports of `verifier cite`: the draft with footnotes (markdown), or one result per draft sentence (json)."""
from __future__ import annotations

import json

from verifier.claims import Claim
from verifier.drafts import draft_sentences, strip_citations
from verifier.report.cite import CITE_REPORTERS, json_report, markdown
from verifier.result import ClaimResult, Evidence, Run

DRAFT = ("# Notes\n\nThe drills began in **Lachin** on Monday. Caf\u00e9 owners watched them closely.\r\n\r\n"
         "Some 3,000 servicemen took part in them.\n")


def run_for(sentences, verdicts) -> Run:
    results = []
    for n, (s, verdict) in enumerate(zip(sentences, verdicts)):
        quote = f"Quote number {n}."
        ev = Evidence(source="seeds/s.txt", start=0, end=len(quote), line=n + 1, column=1, quote=quote, score=0.7)
        results.append(ClaimResult(claim=Claim(id=f"s{n}", text=s.claim, file="draft.md", line=s.line),
                                   verdict=verdict, confidence=0.8, reason=f"reason {n}", evidence=(ev,)))
    return Run(tuple(results))


def test_the_json_report_gives_each_sentence_its_offsets_in_the_draft():
    sentences = draft_sentences(DRAFT)
    run = run_for(sentences, ["supported", "unsupported", "contradicted"])
    out = json_report("notes.md", DRAFT, sentences, run)
    data = json.loads(out)
    assert data["version"] == 1 and data["draft"] == "notes.md" and data["summary"] == run.summary
    assert [r["claim"] for r in data["results"]] == [s.claim for s in sentences]
    for r in data["results"]:
        assert r["claim"] in " ".join(DRAFT[r["start"]:r["end"]].replace("**", "").split())
    assert "Caf\u00e9" in out and out.endswith("}\n")


def test_the_json_report_is_the_same_bytes_for_the_same_run():
    sentences = draft_sentences(DRAFT)
    run = run_for(sentences, ["supported"] * 3)
    assert json_report("d.md", DRAFT, sentences, run) == json_report("d.md", DRAFT, sentences, run)


def test_the_markdown_report_is_the_draft_plus_citations_and_nothing_else():
    sentences = draft_sentences(DRAFT)
    out = markdown("notes.md", DRAFT, sentences, run_for(sentences, ["supported", "unsupported", "contradicted"]))
    assert strip_citations(out) == DRAFT
    assert out.count("[^verifier-") == 6  # a marker and a footnote for each sentence
    assert "**[unsupported]**[^verifier-2]" in out and "**[contradicted]**[^verifier-3]" in out


def test_a_draft_without_sentences_comes_back_unchanged():
    assert markdown("d.md", "# Only a heading\n", [], Run(())) == "# Only a heading\n"
    assert json.loads(json_report("d.md", "# Only a heading\n", [], Run(())))["results"] == []


def test_both_formats_are_registered():
    assert CITE_REPORTERS == {"markdown": markdown, "json": json_report}
