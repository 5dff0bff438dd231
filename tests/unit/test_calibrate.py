from __future__ import annotations

import json

import pytest

from verifier.calibrate import calibrate
from verifier.claims import Claim
from verifier.errors import UsageError
from dataclasses import replace

from verifier.judge import default_thresholds, thresholds_from_json, thresholds_to_json

from ..conftest import SEED


def claim(i: int, text: str, expect: str = "supported") -> Claim:
    return Claim(id=f"c{i}", text=text, expect=expect, sources=(SEED,), file="x/claims.yaml", line=i)


def test_thresholds_round_trip():
    th = replace(default_thresholds(), support_cosine=0.4)
    assert thresholds_from_json(thresholds_to_json(th, source="test"), "t.json") == th


def test_partial_file_keeps_the_other_values_of_its_base():
    base = default_thresholds()
    th = thresholds_from_json('{"version": 1, "support_cosine": 0.3}', "t.json", base)
    assert th == replace(base, support_cosine=0.3)
    with pytest.raises(UsageError, match="is missing"):
        thresholds_from_json('{"version": 1, "support_cosine": 0.3}', "t.json")


def test_shipped_thresholds_say_where_they_came_from():
    import json
    from importlib import resources

    data = json.loads(resources.files("verifier").joinpath("data", "thresholds.json").read_text())
    assert data["source"]
    assert thresholds_from_json(json.dumps(data), "x") == default_thresholds()


@pytest.mark.parametrize("text,message", [
    ("{", "t.json:1:2: not valid JSON"),
    ('{"support_cosine": 0.5}', 'needs "version": 1'),
    ('{"version": 1, "support_cosin": 0.5}', "unknown key 'support_cosin'"),
    ('{"version": 1, "support_cosine": 2}', "support_cosine must be a number from 0 to 1"),
    ('{"version": 1, "support_cosine": true}', "support_cosine must be a number from 0 to 1"),
])
def test_bad_thresholds_files(text, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        thresholds_from_json(text, "t.json")


def test_calibration_never_passes_fewer_claims_and_prefers_strict(options):
    options.thresholds = replace(default_thresholds(), support_cosine=0.95, support_coverage=1.0, close_cosine=0.99)
    claims = [
        claim(1, "Military cooperation between Azerbaijan and Turkey first emerged in 1992."),
        claim(2, "On June 15, the two countries signed a memorandum of alliance."),
        claim(3, "NATO observers monitored the joint drills.", "unsupported"),
        claim(4, "Military cooperation between Azerbaijan and Turkey first emerged in 1995.", "contradicted"),
    ]
    result = calibrate(claims, options)
    assert result.passed_after >= result.passed_before
    assert result.passed_after == 4
    assert result.after.support_cosine < 0.95
    assert result.figures_after.reject_rate == 1.0
    json.loads(thresholds_to_json(result.after))
