"""The JSON report: the shape schemas/report.schema.json promises, optional keys only where they hold, the same bytes every time."""
from __future__ import annotations

import io
import json

import jsonschema

from verifier.claims import Claim, load_schema
from verifier.report import json_report
from verifier.report.json_report import evidence_dict, report_dict, result_dict, source_dict
from verifier.result import ClaimResult, Evidence, PartResult, Run, SourceInfo

from .sample_runs import RUN, render


def ev(**kw) -> Evidence:
    base = dict(source="seeds/r.pdf", start=5, end=20, line=2, column=6, quote="The drills began.", score=0.123456789)
    return Evidence(**{**base, **kw})


def test_every_run_matches_the_schema():
    sources = (SourceInfo(path="seeds/a.pdf", format="pdf", title="A report", date="2021-09-07", pages=3, sentences=40),
               SourceInfo(path="seeds/b.pdf", format="unreadable", skipped="this PDF has no text layer"))
    cited = ClaimResult(claim=Claim(id="t", text="Two quotes.", file="c.yaml", line=1), verdict="supported",
                        confidence=0.9, reason="together", evidence=(ev(page=1, section="Intro"), ev(line=9)), cited=2)
    parted = ClaimResult(claim=Claim(id="p", text="A and B signed.", file="c.yaml", line=1), verdict="unsupported",
                         confidence=0.8, reason="nothing in the sources states \u201cB signed\u201d", evidence=(ev(),),
                         parts=(PartResult("A signed.", "subject", "supported", (0,)),
                                PartResult("B signed.", "subject", "unsupported")))
    validator = jsonschema.Draft7Validator(load_schema("report"))
    for run in (Run(()), RUN, Run((cited,), sources=sources), Run((parted,))):
        validator.validate(report_dict(run))


def test_parts_are_written_only_for_a_claim_checked_part_by_part():
    claim = Claim(id="c", text="A and B signed.", file="c.yaml", line=4)
    whole = ClaimResult(claim=claim, verdict="supported", confidence=0.9, reason="r", evidence=(ev(),))
    assert "parts" not in result_dict(whole)
    parted = ClaimResult(claim=claim, verdict="supported", confidence=0.9, reason="r", evidence=(ev(), ev(line=7)),
                         cited=2, parts=(PartResult("A signed.", "subject", "supported", (0,)),
                                         PartResult("B signed.", "subject", "supported", (1,))))
    assert result_dict(parted)["parts"] == [
        {"text": "A signed.", "kind": "subject", "verdict": "supported", "evidence": [0]},
        {"text": "B signed.", "kind": "subject", "verdict": "supported", "evidence": [1]}]


def test_evidence_has_page_and_section_only_where_the_source_has_them():
    assert evidence_dict(ev()) == {"source": "seeds/r.pdf", "start": 5, "end": 20, "line": 2, "column": 6,
                                   "quote": "The drills began.", "score": 0.1235}
    assert evidence_dict(ev(page=3, section="Results")) == {**evidence_dict(ev()), "page": 3, "section": "Results"}
    assert "section" not in evidence_dict(ev(section=""))


def test_cited_is_written_only_for_a_citation_of_several_quotes():
    claim = Claim(id="c", text="A claim.", file="c.yaml", line=4)
    one = ClaimResult(claim=claim, verdict="supported", confidence=0.87654, reason="r", evidence=(ev(),))
    two = ClaimResult(claim=claim, verdict="supported", confidence=0.9, reason="r", evidence=(ev(), ev()), cited=2)
    assert "cited" not in result_dict(one) and result_dict(two)["cited"] == 2
    assert result_dict(one)["confidence"] == 0.8765
    assert list(result_dict(one)) == ["id", "claim", "file", "line", "verdict", "expect", "passed", "confidence",
                                      "reason", "evidence"]


def test_a_source_lists_only_what_is_known_of_it():
    assert source_dict(SourceInfo(path="a.txt", format="text", sentences=0)) == {"path": "a.txt", "format": "text",
                                                                                 "sentences": 0}
    assert source_dict(SourceInfo(path="b.pdf", format="unreadable", skipped="damaged")) == {
        "path": "b.pdf", "format": "unreadable", "skipped": "damaged"}


def test_sources_are_listed_only_when_the_run_has_them():
    assert "sources" not in report_dict(RUN)
    run = Run(RUN.results, sources=(SourceInfo(path="seeds/s.txt", format="text"),))
    assert report_dict(run)["sources"] == [{"path": "seeds/s.txt", "format": "text"}]


def test_the_report_is_the_same_bytes_every_time_and_keeps_unicode_as_it_is():
    claim = Claim(id="u", text="Caf\u00e9 \u05e9\u05dc\u05d5\u05dd \U0001F600.", file="c.yaml", line=1)
    run = Run((ClaimResult(claim=claim, verdict="unsupported", confidence=0.5, reason="\u201cnone\u201d",
                           evidence=()),))
    out = render("json", run)
    assert out == render("json", run) and out.endswith("}\n")
    assert "Caf\u00e9 \u05e9\u05dc\u05d5\u05dd \U0001F600." in out and "\\u" not in out
    assert json.loads(out) == report_dict(run)


def test_write_is_report_dict_as_indented_json():
    buf = io.StringIO()
    json_report.write(RUN, buf)
    assert buf.getvalue() == json.dumps(report_dict(RUN), indent=2, ensure_ascii=False) + "\n"
