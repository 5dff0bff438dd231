"""Thresholds files: reading, writing, the shipped values, legacy keys and bad files."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from verifier.errors import UsageError
from verifier.thresholds import Thresholds, default_thresholds, thresholds_from_json, thresholds_to_json


def test_thresholds_round_trip():
    th = replace(default_thresholds(), support_cosine=0.4)
    assert thresholds_from_json(thresholds_to_json(th, source="test"), "t.json") == th


def test_partial_file_keeps_the_other_values_of_its_base():
    base = default_thresholds()
    th = thresholds_from_json('{"version": 1, "support_cosine": 0.3}', "t.json", base)
    assert th == replace(base, support_cosine=0.3)
    # Without a base, the keys a file leaves out take the shipped values.
    assert thresholds_from_json('{"version": 1, "support_cosine": 0.3}', "t.json") == replace(base, support_cosine=0.3)


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




def test_the_defaults_are_the_shipped_file():
    assert Thresholds() == default_thresholds()  # the cascade's


def test_each_shipped_file_reads():
    assert all(0 <= v <= 1 for small in (False, True) for v in default_thresholds(small=small).__dict__.values())


def test_files_from_before_the_entailment_model_still_read():
    old = {"version": 1, "support_cosine": 0.45, "close_cosine": 0.85, "close_coverage": 0.6,
           "contradict_probability": 0.275}
    assert thresholds_from_json(json.dumps(old), "old.json") == replace(default_thresholds(), support_cosine=0.45)
    assert "close_cosine" not in thresholds_to_json(default_thresholds())
