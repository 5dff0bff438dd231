"""GitHub Actions annotations: the documented workflow-command syntax, at most ten, the rest in the step summary."""
from __future__ import annotations

import re

import pytest

from verifier.claims import COMMAND_LINE, STDIN, Claim
from verifier.result import ClaimResult, Run, SourceInfo

from .sample_runs import render, result


@pytest.fixture(autouse=True)
def no_step_summary(monkeypatch):
    """Outside a GitHub runner: a test that wants a step summary sets one."""
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


ANNOTATION = re.compile(r"^::(error|warning|notice) (?:file=[^,:\n]+,line=\d+,)?title=[^,:\n]+::[^\n]*$")


def test_github_annotations_follow_the_documented_syntax():
    lines = render("github").splitlines()
    annotations = [ln for ln in lines if ln.startswith("::")]
    assert len(annotations) == 2
    assert all(ANNOTATION.match(a) for a in annotations), annotations
    assert "file=claims/a%2C b.yaml,line=5,title=claim-2%3A contradicted::" in annotations[0]
    assert "%0A" in annotations[0] and "15%25" in annotations[0]


def test_github_sends_the_rest_to_the_step_summary(tmp_path, monkeypatch):
    many = Run(tuple(result(i, "unsupported") for i in range(14)))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    out = render("github", many)
    assert sum(ln.startswith("::warning") for ln in out.splitlines()) == 10
    assert "::notice title=verifier::4 more failed claims are not annotated; see them in the step summary" in out
    assert summary.read_text().count("| **FAIL** |") == 14



def annotations(run: Run) -> list[str]:
    return [ln for ln in render("github", run).splitlines() if ln.startswith("::")]


def test_a_contradiction_or_an_unexpected_verdict_is_an_error_and_a_missing_quote_a_warning():
    run = Run((result(1, "contradicted"), result(2, "supported", expect="unsupported"), result(3, "unsupported"),
               result(4, "supported")))
    assert [a.split(" ", 1)[0] for a in annotations(run)] == ["::error", "::error", "::warning"]


@pytest.mark.parametrize("file", [STDIN, COMMAND_LINE])
def test_a_claim_with_no_file_is_annotated_without_one(file):
    r = ClaimResult(claim=Claim(id="c", text="A claim.", file=file, line=1), verdict="unsupported",
                    confidence=0.5, reason="no quote", evidence=())
    (a,) = annotations(Run((r,)))
    assert a == "::warning title=c%3A unsupported::A claim.%0Aexpected supported, got unsupported: no quote"
    assert ANNOTATION.match(a)


def test_a_skipped_source_is_annotated_on_that_file():
    run = Run((result(1, "supported"),), sources=(
        SourceInfo(path="seeds/a.txt", format="text"),
        SourceInfo(path="seeds/scan, 2.pdf", format="unreadable", skipped="this PDF has no text layer\r\nrun OCR")))
    (a,) = annotations(run)
    assert a == "::warning file=seeds/scan%2C 2.pdf,title=source skipped::this PDF has no text layer%0D%0Arun OCR"


def test_without_a_step_summary_the_rest_are_pointed_at_other_formats():
    out = render("github", Run(tuple(result(i, "unsupported") for i in range(12))))
    assert sum(ln.startswith("::warning") for ln in out.splitlines()) == 10
    assert "::notice title=verifier::2 more failed claims are not annotated; see them with --format text or markdown" in out
    assert out.endswith("12 claims: 0 passed, 12 failed\n")


def test_a_passing_run_writes_only_its_count():
    assert render("github", Run((result(1, "supported"),))) == "1 claims: 1 passed, 0 failed\n"
