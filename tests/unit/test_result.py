"""The results of a run as plain data: where a quote is, whether a claim passed, and the run's counts."""
from __future__ import annotations

import pytest

from verifier.claims import Claim
from verifier.result import ClaimResult, Evidence, Run, SourceInfo


def ev(**kw) -> Evidence:
    return Evidence(**{"source": "seeds/report.pdf", "start": 0, "end": 4, "line": 41, "column": 1, "quote": "Text",
                       "score": 0.5, **kw})


def res(verdict: str, expect: str = "supported") -> ClaimResult:
    return ClaimResult(claim=Claim(id="c", text="A claim.", expect=expect), verdict=verdict, confidence=0.5,
                       reason="r", evidence=())


@pytest.mark.parametrize("kw,where", [
    ({}, "seeds/report.pdf, line 41"),
    ({"page": 3}, "seeds/report.pdf, page 3, line 41"),
    ({"section": "Results"}, "seeds/report.pdf, \u201cResults\u201d, line 41"),
    ({"page": 1, "section": "Training\n   goals"}, "seeds/report.pdf, page 1, \u201cTraining goals\u201d, line 41"),
    ({"section": ""}, "seeds/report.pdf, line 41"),
])
def test_where_names_the_file_page_section_and_line(kw, where):
    assert ev(**kw).where == where


def test_a_long_section_is_cut_at_a_word_and_marked():
    section = "The joint drills of the two armies in the liberated region and what the ministry said of them"
    where = ev(section=section).where
    shown = where.split("\u201c")[1].split("\u201d")[0]
    assert len(shown) <= 60 and shown.endswith("\u2026")
    assert section.startswith(shown[:-1]) and section[len(shown) - 1] == " "


def test_a_long_section_of_one_word_is_cut_at_60_characters():
    shown = ev(section="x" * 100).where.split("\u201c")[1].split("\u201d")[0]
    assert shown == "x" * 59 + "\u2026"


@pytest.mark.parametrize("verdict,expect,passed", [
    ("supported", "supported", True), ("contradicted", "contradicted", True), ("unsupported", "supported", False),
    ("supported", "unsupported", False),
])
def test_a_claim_passes_when_its_verdict_is_the_one_expected(verdict, expect, passed):
    assert res(verdict, expect).passed is passed


def test_the_summary_counts_every_verdict_and_every_pass():
    run = Run((res("supported"), res("contradicted", "contradicted"), res("unsupported"), res("unsupported")))
    assert run.summary == {"claims": 4, "supported": 1, "contradicted": 1, "unsupported": 2, "passed": 2, "failed": 2}
    assert not run.passed
    assert list(run.summary) == ["claims", "supported", "contradicted", "unsupported", "passed", "failed"]


def test_an_empty_run_passes_with_zero_counts():
    assert Run(()).summary == {"claims": 0, "supported": 0, "contradicted": 0, "unsupported": 0, "passed": 0,
                               "failed": 0}
    assert Run(()).passed


def test_skipped_lists_only_the_sources_left_out_in_order():
    a, b, c = (SourceInfo(path="a.txt", format="text"), SourceInfo(path="b.pdf", format="unreadable", skipped="scan"),
               SourceInfo(path="c.docx", format="unreadable", skipped="damaged"))
    assert Run((), sources=(a, b, c)).skipped == (b, c)
    assert Run(()).skipped == ()
