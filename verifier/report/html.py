"""A self-contained HTML page: summary bar, filters, and each quote highlighted in its paragraph."""
from __future__ import annotations

from typing import TextIO

from .. import __version__
from ..result import Run


def render(run: Run) -> str:
    """The page; every piece of claim and source text is escaped by the template engine."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("verifier", "report/templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    files = sorted({r.claim.file for r in run.results})
    return env.get_template("report.html.j2").render(
        s=run.summary, run_passed=run.passed, results=run.results, files=files, version=__version__,
        verdicts=("supported", "contradicted", "unsupported"),
    )


def write(run: Run, stream: TextIO, color: bool = False) -> None:
    stream.write(render(run))
