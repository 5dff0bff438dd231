from __future__ import annotations

import json
from dataclasses import fields, replace

from verifier.calibrate import calibrate, folds_of, grids
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


def test_folds_hold_some_claims_of_every_verdict():
    expect = ["supported"] * 6 + ["contradicted"] * 5 + ["unsupported"] * 7
    fold = folds_of(expect, 5)
    for f in range(5):
        held = {e for e, n in zip(expect, fold) if n == f}
        assert held == {"supported", "contradicted", "unsupported"}


def test_too_few_claims_of_a_verdict_are_refused_and_say_which(settings, components):
    claims = [claim(1, "Military cooperation between Azerbaijan and Turkey first emerged in 1992."),
              claim(2, "NATO observers monitored the joint drills.", "unsupported")]
    result = calibrate(claims, settings, components)
    assert result.held is None
    assert "1 supported" in result.refusal and "0 contradicted" in result.refusal and "--force" in result.refusal


SUPPORTED_TEXTS = ["Military cooperation between Azerbaijan and Turkey first emerged in 1992.",
                   "On June 15, the two countries signed a memorandum of alliance.",
                   "The joint drills are held on Azerbaijan's liberated lands for the first time.",
                   "The Azerbaijani-Turkish joint tactical drills have kicked off in Lachin region.",
                   "Turkey is represented with an equal number of servicemen in the joint centre."]
CONTRADICTED_TEXTS = ["Military cooperation between Azerbaijan and Turkey first emerged in 1995.",
                      "On June 16, the two countries signed a memorandum of alliance.",
                      "The joint drills are held on Azerbaijan's liberated lands for the second time.",
                      "Military cooperation between Azerbaijan and Turkey first emerged in 1990.",
                      "On June 17, the two countries signed a memorandum of alliance."]
UNSUPPORTED_TEXTS = ["NATO observers monitored the joint drills.", "The drills cost four million dollars.",
                     "Greek ships joined the exercises.", "The drills were filmed for television.",
                     "Snow delayed the start of the drills."]


def test_enough_claims_are_cross_validated_beside_todays_thresholds(settings, components):
    claims = [claim(i, t, e) for i, (t, e) in enumerate(
        [(t, "supported") for t in SUPPORTED_TEXTS] + [(t, "contradicted") for t in CONTRADICTED_TEXTS]
        + [(t, "unsupported") for t in UNSUPPORTED_TEXTS])]
    result = calibrate(claims, settings, components)
    assert result.held is not None and result.held.folds == 5
    # Today's thresholds are judged on the very same claims, so the two counts compare.
    assert result.held.passed_before == result.passed_before
    assert 0 <= result.held.passed_after <= len(claims)
    assert bool(result.refusal) == (result.held.passed_after < result.held.passed_before)
