"""The default report: one block per claim wrapped to the terminal or to 100 columns, then a summary line."""
from __future__ import annotations

import io

import pytest

from verifier.claims import Claim
from verifier.pipeline import verify
from verifier.report import write
from verifier.report.text import INDENT
from verifier.result import ClaimResult, Evidence, Run, SourceInfo

from ..conftest import SEED


def claim(id: str, text: str, expect: str = "supported", sources=(SEED,)) -> Claim:
    return Claim(id=id, text=text, expect=expect, sources=tuple(sources), file="claims/x.yaml", line=3)


LONG = Run((ClaimResult(
    claim=Claim(id="long", text="The joint drills of the two armies began in the liberated Lachin region on September 6 "
                                "and went on for five days.", file="claims/a.yaml", line=3),
    verdict="unsupported", confidence=0.5,
    reason="the closest quote does not state the number 3,000 servicemen, nor the five days the claim gives",
    evidence=(Evidence(source="seeds/s.txt", start=0, end=10, line=2, column=1, score=0.7,
                       quote="The Azerbaijani-Turkish joint tactical drills have kicked off in Lachin region "
                             "liberated from Armenia's occupation in the last year's 44-day war."),)),))


def text_lines(run: Run = LONG, stream=None) -> list[str]:
    stream = stream or io.StringIO()
    write("text", run, stream)
    return stream.getvalue().splitlines()


def test_text_report_wraps_to_100_columns_in_a_file_or_pipe(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    lines = text_lines()
    assert max(len(ln) for ln in lines) <= 100
    assert lines[1].startswith("     claim:  The joint drills") and lines[2].startswith(" " * 13 + "and went")
    assert lines[3].startswith("     closest: \u201cThe Azerbaijani-Turkish")


@pytest.mark.parametrize("columns", [50, 72, 200])
def test_text_report_wraps_claim_quote_and_reason_to_the_terminal_width(monkeypatch, columns):
    import os
    import shutil

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(shutil, "get_terminal_size", lambda fallback=(100, 24): os.terminal_size((columns, 24)))
    lines = text_lines(stream=Terminal())
    body = [ln for ln in lines if ln.startswith("     ")]  # all but the heading and the summary
    assert max(len(ln) for ln in body) <= columns
    assert (len(body) > 4) == (columns < 200)  # claim, quote, source and reason: one line each at 200

    def under(label: str) -> str:
        """The text of a label, joined from its wrapped lines."""
        i = next(n for n, ln in enumerate(body) if ln.startswith(f"     {label}"))
        parts = [body[i][5 + len(label):].strip()]
        for ln in body[i + 1:]:
            if not ln.startswith(" " * 13) or ln.strip().startswith("(seeds/"):
                break
            parts.append(ln.strip())
        return " ".join(parts)

    assert under("claim:") == LONG.results[0].claim.text
    assert under("closest:") == f"\u201c{LONG.results[0].evidence[0].quote}\u201d"
    assert under("reason:") == LONG.results[0].reason


def test_text_report_width_from_columns_and_a_floor(monkeypatch):
    from verifier.report.text import MIN_WIDTH, width

    monkeypatch.setenv("COLUMNS", "60")
    assert width(io.StringIO()) == 60
    monkeypatch.setenv("COLUMNS", "5")
    assert width(io.StringIO()) == MIN_WIDTH
    monkeypatch.setenv("COLUMNS", "wide")
    assert width(io.StringIO()) == 100



def test_text_report_has_no_colour_unless_asked(settings, components):
    import io

    run = verify([claim("a", "Military cooperation between Azerbaijan and Turkey first emerged in 1992.")], settings, components)
    plain, coloured = io.StringIO(), io.StringIO()
    write("text", run, plain, False)
    write("text", run, coloured, True)
    assert "\x1b[" not in plain.getvalue() and "\x1b[" in coloured.getvalue()
    assert "1 claims: 1 supported" in plain.getvalue()



@pytest.fixture
def no_columns(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)


def ev(quote: str, line: int, **kw) -> Evidence:
    return Evidence(source="seeds/s.txt", start=0, end=len(quote), line=line, column=1, quote=quote, score=0.7, **kw)


def test_a_citation_of_several_quotes_shows_each_with_where_it_is(no_columns):
    r = ClaimResult(claim=Claim(id="c", text="Two sentences together.", file="claims/c.yaml", line=5),
                    verdict="supported", confidence=0.9, reason="read together",
                    evidence=(ev("First part.", 2, page=1), ev("Second  part.", 9, section="Results"),
                              ev("A runner-up.", 12)), cited=2)
    lines = text_lines(Run((r,)))
    assert lines[0] == "PASS claims/c.yaml:5 c: supported [0.90]"
    assert lines[2:6] == ["     quote:  \u201cFirst part.\u201d", " " * INDENT + "(seeds/s.txt, page 1, line 2)",
                          "       and:  \u201cSecond part.\u201d", " " * INDENT + "(seeds/s.txt, \u201cResults\u201d, line 9)"]
    assert "A runner-up." not in "\n".join(lines)


def test_a_failed_claim_says_what_was_expected_and_a_claim_without_quotes_still_has_its_reason(no_columns):
    r = ClaimResult(claim=Claim(id="c", text="A claim.", expect="contradicted", file="<stdin>", line=1),
                    verdict="unsupported", confidence=0.25, reason="", evidence=())
    assert text_lines(Run((r,))) == [
        "FAIL <stdin>:1 c: unsupported (expected contradicted) [0.25]",
        "     claim:  A claim.",
        "     reason:",
        "",
        "1 claims: 0 supported, 0 contradicted, 1 unsupported; 0 passed, 1 failed",
    ]


def test_a_word_longer_than_the_line_is_never_split(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    url = "https://example.org/" + "a" * 60
    r = ClaimResult(claim=Claim(id="c", text=f"See {url} for it.", file="c.yaml", line=1), verdict="unsupported",
                    confidence=0.5, reason="none", evidence=())
    lines = text_lines(Run((r,)))
    assert any(ln.strip() == url for ln in lines)


@pytest.mark.parametrize("skipped,says", [(1, "; 1 source skipped (see the warnings)"),
                                          (2, "; 2 sources skipped (see the warnings)")])
def test_the_summary_counts_skipped_sources(no_columns, skipped, says):
    sources = tuple(SourceInfo(path=f"seeds/{n}.pdf", format="unreadable", skipped="no text") for n in range(skipped))
    lines = text_lines(Run((), sources=(SourceInfo(path="seeds/a.txt", format="text"), *sources)))
    assert lines == ["0 claims: 0 supported, 0 contradicted, 0 unsupported; 0 passed, 0 failed" + says]
