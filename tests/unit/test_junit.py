"""JUnit XML: one test case per claim, grouped by claims file, and XML that parses whatever the texts hold."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from verifier.claims import Claim
from verifier.report import junit
from verifier.result import ClaimResult, Evidence, Run

from .sample_runs import render, result


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



def junit_root(run: Run) -> ET.Element:
    buf = io.StringIO()
    junit.write(run, buf)
    text = buf.getvalue()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(text.encode("utf-8"))


def test_characters_xml_cannot_carry_are_dropped_and_the_rest_kept():
    claim = Claim(id="odd", text="A bell \x07, an escape \x1b[31m, a NUL \x00 and caf\u00e9 \U0001F600.",
                  expect="unsupported", file="claims/c.yaml", line=2)
    ev = Evidence(source="s.txt", start=0, end=5, line=1, column=1, quote="lone \ud800 surrogate", score=0.5)
    r = ClaimResult(claim=claim, verdict="supported", confidence=0.5, reason="why \x0b not", evidence=(ev,))
    root = junit_root(Run((r,)))
    failure = root.find("./testsuite/testcase/failure")
    assert failure is not None
    assert "A bell , an escape [31m, a NUL  and caf\u00e9 \U0001F600." in failure.text
    assert "lone  surrogate" in failure.text
    assert failure.get("message") == "expected unsupported, got supported: why  not"


def test_claims_are_grouped_by_their_file_with_counts_per_file():
    a = result(1, "supported")
    b = ClaimResult(claim=Claim(id="b", text="B.", file="claims/other.yaml", line=7), verdict="unsupported",
                    confidence=0.4, reason="none", evidence=())
    root = junit_root(Run((a, b, result(2, "contradicted"))))
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures")) for s in suites] == [
        ("claims/a, b.yaml", "2", "1"), ("claims/other.yaml", "1", "1")]
    case = suites[1].find("testcase")
    assert (case.get("classname"), case.get("file"), case.get("line")) == ("claims/other.yaml", "claims/other.yaml", "7")
    assert "quote:" not in case.find("failure").text  # no evidence, no quote line


def test_a_passed_claim_has_its_detail_as_output_and_no_failure():
    root = junit_root(Run((result(1, "supported"),)))
    (case,) = root.iter("testcase")
    assert case.find("failure") is None
    out = case.find("system-out").text
    assert out.startswith("claim: Claim number 1") and "verdict: supported (confidence 0.75)" in out
    assert "source: seeds/s.txt, line 2" in out
