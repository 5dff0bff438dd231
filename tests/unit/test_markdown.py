"""The Markdown summary: a table of failed claims, one of skipped sources, the passed ones folded away."""
from __future__ import annotations

import re

from verifier.claims import Claim
from verifier.report.markdown import markdown_summary
from verifier.result import ClaimResult, Run, SourceInfo

from .sample_runs import RUN, render, result


def test_markdown_summary_table():
    md = render("markdown")
    assert md.startswith("## verifier: 2 of 4 claims failed")
    assert "| **FAIL** | `claim-2` | claims/a, b.yaml:5 | ❌ contradicted (expected supported) |" in md
    assert "A quote \\| with a pipe and a line" in md
    assert "<details><summary>Passed claims</summary>" in md



def table_rows(md: str) -> list[str]:
    return [ln for ln in md.splitlines() if ln.startswith("| ") and not ln.startswith("| |")]


def cells(row: str) -> list[str]:
    """A table row's cells, as a Markdown renderer splits them: at pipes that are not escaped."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_a_run_that_passes_says_so_and_lists_no_failures():
    md = markdown_summary(Run((result(1, "supported"), result(3, "unsupported", expect="unsupported"))))
    assert md.startswith("## verifier: all claims passed\n")
    assert "### Failed" not in md and "### Sources skipped" not in md
    assert md.count("| pass |") == 2 and md.rstrip().endswith("</details>")


def test_every_row_has_six_cells_whatever_the_texts_hold():
    for row in table_rows(render("markdown")):
        assert len(cells(row)) == 6, row


def test_a_claim_without_a_quote_has_an_empty_quote_cell():
    r = ClaimResult(claim=Claim(id="c", text="A claim.", file="claims/c.yaml", line=4), verdict="unsupported",
                    confidence=0.5, reason="no quote | at all", evidence=())
    (row,) = table_rows(markdown_summary(Run((r,))))
    assert cells(row) == ["**FAIL**", "`c`", "claims/c.yaml:4", "⚠️ unsupported (expected supported)",
                          "no quote \\| at all", ""]


def test_skipped_sources_are_listed_with_why():
    run = Run((result(1, "supported"),), sources=(
        SourceInfo(path="seeds/a.txt", format="text"),
        SourceInfo(path="seeds/b|c.pdf", format="unreadable", skipped="this PDF has no text layer;\nrun OCR")))
    md = markdown_summary(run)
    assert "### Sources skipped\n\n| source | why |\n|---|---|\n| seeds/b\\|c.pdf | this PDF has no text layer; run OCR |" in md
    assert "seeds/a.txt" not in md


def test_a_pipe_in_the_claims_file_name_stays_in_its_cell():
    r = ClaimResult(claim=Claim(id="c", text="A claim.", file="claims/a|b.yaml", line=2), verdict="unsupported",
                    confidence=0.5, reason="r", evidence=())
    (row,) = table_rows(markdown_summary(Run((r,))))
    assert len(cells(row)) == 6 and cells(row)[2] == "claims/a\\|b.yaml:2"


def test_write_is_the_summary():
    assert render("markdown") == markdown_summary(RUN)
