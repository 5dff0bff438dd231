"""The reporter registry: every format writes every run; each format's own rules are in tests/unit/test_<format>.py."""
from __future__ import annotations

import pytest

from verifier.result import Run

from .sample_runs import render


@pytest.mark.parametrize("name", ["text", "json", "markdown", "junit", "sarif", "github"])
def test_every_reporter_handles_an_empty_run(name):
    assert render(name, Run(()))


def test_the_parts_of_a_claim_not_supported_are_shown_by_the_human_formats():
    from dataclasses import replace

    from verifier.result import PartResult

    from .sample_runs import RUN

    parts = (PartResult("Claim number 3 was made.", "main", "supported", (0,)),
             PartResult("Claim number 3 was made with a comma.", "instrument", "unsupported"))
    unsupported = replace(RUN.results[2], parts=parts)
    supported = replace(RUN.results[0], parts=(replace(parts[0], text="A stated part."),
                                               replace(parts[1], text="Another stated part.", verdict="supported")))
    run = Run((supported, unsupported))
    text, md, html = render("text", run), render("markdown", run), render("html", run)
    assert "part:   stated: Claim number 3 was made." in text
    assert "part:   not stated: Claim number 3 was made with a comma." in text
    assert "✗ not stated: Claim number 3 was made with a comma." in md
    assert '<li class="unsupported">Claim number 3 was made with a comma. <span class="verdict">not stated</span></li>' in html
    for out in (text, md, html):
        assert "A stated part." not in out  # a supported claim's parts are not listed
