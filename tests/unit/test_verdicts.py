"""The verdict names and the model's reading of a quote."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from verifier.claims import load_schema
from verifier.verdicts import CONTRADICTED, SUPPORTED, UNSUPPORTED, VERDICTS, Reading


def test_the_verdict_names_are_those_of_the_claims_file_and_the_report():
    assert VERDICTS == (SUPPORTED, CONTRADICTED, UNSUPPORTED) == ("supported", "contradicted", "unsupported")
    assert tuple(load_schema("report")["definitions"]["verdict"]["enum"]) == VERDICTS
    assert tuple(load_schema("claims")["definitions"]["claim"]["properties"]["expect"]["enum"]) == VERDICTS


def test_a_reading_is_made_of_plain_floats_from_any_numbers():
    r = Reading.of({"entail": np.float32(0.25), "neutral": np.float64(0.5), "contradict": 0, "other": 9})
    assert r == Reading(0.25, 0.5, 0.0)
    assert all(type(x) is float for x in (r.entail, r.neutral, r.contradict))


def test_a_reading_without_one_of_the_three_is_an_error():
    with pytest.raises(KeyError, match="contradict"):
        Reading.of({"entail": 0.5, "neutral": 0.5})


def test_a_reading_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Reading(0.1, 0.2, 0.7).entail = 1.0  # type: ignore[misc]
