"""Reporters: one module per output format, registered by name; ``--format`` choices come from here."""
from __future__ import annotations

from typing import Callable, TextIO

from ..result import Run
from . import github, html, json_report, junit, markdown, sarif, text

Reporter = Callable[[Run, TextIO, bool], None]

REPORTERS: dict[str, Reporter] = {
    "text": text.write,
    "json": json_report.write,
    "markdown": markdown.write,
    "junit": junit.write,
    "sarif": sarif.write,
    "github": github.write,
    "html": html.write,
}


def write(name: str, run: Run, stream: TextIO, color: bool = False) -> None:
    """Write ``run`` to ``stream`` in the named format."""
    REPORTERS[name](run, stream, color)
