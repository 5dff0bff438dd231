"""The JSON reports of the bundled claims, every source format and two benchmark slices stay byte-identical.

The reports were recorded through the command line with the real models (tests/golden/cases.py);
a change meant to alter verdicts records them again, on purpose, and says so in its commit.
"""
from __future__ import annotations

import difflib

import pytest

from ..golden.cases import HERE, cases, run_case


@pytest.mark.slow
def test_reports_are_byte_identical_to_the_golden_ones(tmp_path):
    differ = []
    for name, (cwd, args) in cases(tmp_path).items():
        got = run_case(cwd, args, tmp_path / "cache")
        want = (HERE / f"{name}.json").read_text(encoding="utf-8")
        if got != want:
            diff = difflib.unified_diff(want.splitlines(), got.splitlines(), f"golden/{name}.json", "now", lineterm="", n=1)
            differ.append("\n".join(list(diff)[:40]))
    assert not differ, "\n\n".join(differ)
