"""The reporter registry: every format writes every run; each format's own rules are in tests/unit/test_<format>.py."""
from __future__ import annotations

import pytest

from verifier.result import Run

from .sample_runs import render


@pytest.mark.parametrize("name", ["text", "json", "markdown", "junit", "sarif", "github"])
def test_every_reporter_handles_an_empty_run(name):
    assert render(name, Run(()))
