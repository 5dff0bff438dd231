from __future__ import annotations

import json
from dataclasses import fields, replace

from verifier.calibrate import calibrate, grids
from verifier.claims import Claim
from verifier.thresholds import Thresholds, default_thresholds, thresholds_to_json

from ..conftest import SEED


def claim(i: int, text: str, expect: str = "supported") -> Claim:
    return Claim(id=f"c{i}", text=text, expect=expect, sources=(SEED,), file="x/claims.yaml", line=i)


def test_calibration_never_passes_fewer_claims_and_prefers_strict(settings, components):
    settings = replace(settings, thresholds=replace(default_thresholds(), support_cosine=0.95, support_coverage=1.0))
    claims = [
        claim(1, "Military cooperation between Azerbaijan and Turkey first emerged in 1992."),
        claim(2, "On June 15, the two countries signed a memorandum of alliance."),
        claim(3, "NATO observers monitored the joint drills.", "unsupported"),
        claim(4, "Military cooperation between Azerbaijan and Turkey first emerged in 1995.", "contradicted"),
    ]
    result = calibrate(claims, settings, components)
    assert result.passed_after >= result.passed_before
    assert result.passed_after == 4
    assert result.after.support_cosine < 0.95
    assert result.figures_after.reject_rate == 1.0
    json.loads(thresholds_to_json(result.after))


def test_the_search_covers_every_threshold():
    searched = {key for grid in grids() for change in grid for key in change}
    assert searched == {f.name for f in fields(Thresholds)}
