"""A Markdown summary fit for a pull-request comment or $GITHUB_STEP_SUMMARY."""
from __future__ import annotations

from typing import TextIO

from ..result import ClaimResult, Run
from ..verdicts import CONTRADICTED, SUPPORTED, UNSUPPORTED

_ICON = {SUPPORTED: "✅", CONTRADICTED: "❌", UNSUPPORTED: "⚠️"}
_PART_ICON = {SUPPORTED: "✓ stated:", CONTRADICTED: "✗ contradicted:", UNSUPPORTED: "✗ not stated:"}


def _cell(text: str) -> str:
    """Table-safe text: pipes escaped, lines joined."""
    return " ".join(text.split()).replace("|", "\\|")


def _row(r: ClaimResult) -> str:
    e = r.evidence[0] if r.evidence else None
    quote = f"“{_cell(e.quote)}” ({_cell(e.where)})" if e else ""
    expect = "" if r.passed else f" (expected {r.claim.expect})"
    reason = _cell(r.reason)
    if r.parts and r.verdict != SUPPORTED:
        reason += "<br>" + "<br>".join(f"{_PART_ICON[p.verdict]} {_cell(p.text)}" for p in r.parts)
    return (f"| {'pass' if r.passed else '**FAIL**'} | `{r.claim.id}` | {_cell(r.claim.file)}:{r.claim.line} | "
            f"{_ICON[r.verdict]} {r.verdict}{expect} | {reason} | {quote} |")


def markdown_summary(run: Run) -> str:
    s = run.summary
    status = "all claims passed" if run.passed else f"{s['failed']} of {s['claims']} claims failed"
    lines = [
        f"## verifier: {status}",
        "",
        f"{s['claims']} claims: {s['supported']} supported, {s['contradicted']} contradicted, "
        f"{s['unsupported']} unsupported; {s['passed']} passed, {s['failed']} failed.",
        "",
    ]
    header = ["| | claim | where | verdict | reason | quote |", "|---|---|---|---|---|---|"]
    failed = [r for r in run.results if not r.passed]
    if failed:
        lines += ["### Failed", "", *header, *(_row(r) for r in failed), ""]
    if run.skipped:
        lines += ["### Sources skipped", "", "| source | why |", "|---|---|",
                  *(f"| {_cell(x.path)} | {_cell(x.skipped or '')} |" for x in run.skipped), ""]
    passed = [r for r in run.results if r.passed]
    if passed:
        lines += ["<details><summary>Passed claims</summary>", "", *header, *(_row(r) for r in passed), "",
                  "</details>", ""]
    return "\n".join(lines)


def write(run: Run, stream: TextIO, color: bool = False) -> None:
    stream.write(markdown_summary(run))
