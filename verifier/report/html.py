"""A self-contained HTML page: summary bar, filters, and each quote highlighted in its paragraph."""
from __future__ import annotations

from typing import TextIO

from .. import __version__
from ..result import Evidence, Run
from ..verdicts import VERDICTS


def _context(e: Evidence, limit: int) -> tuple[str, str]:
    """The paragraph around a quote, with "…" only where it was cut short, at a word boundary.

    A context shorter than ``limit`` reaches the paragraph's edge; one of exactly ``limit``
    characters was cut there, usually inside a word.
    """
    before, after = e.before, e.after
    if len(before) >= limit:
        head, sep, rest = before.partition(" ")
        before = "…" + (rest if sep and rest.strip() else before)
    if len(after) >= limit:
        rest, sep, tail = after.rpartition(" ")
        after = (rest if sep and rest.strip() else after) + "…"
    return before, after


def render(run: Run) -> str:
    """The page; every piece of claim and source text is escaped by the template engine."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("verifier", "report/templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    from ..citation import CONTEXT_CHARS

    files = sorted({r.claim.file for r in run.results})
    return env.get_template("report.html.j2").render(
        s=run.summary, run_passed=run.passed, results=run.results, files=files, version=__version__,
        sources=run.sources,
        verdicts=VERDICTS, context=lambda e: _context(e, CONTEXT_CHARS),
    )


def write(run: Run, stream: TextIO, color: bool = False) -> None:
    stream.write(render(run))
