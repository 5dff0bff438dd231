"""GitHub Actions annotations; past GitHub's ten per kind, the rest go to $GITHUB_STEP_SUMMARY."""
from __future__ import annotations

import os
from typing import TextIO

from ..claims import NOT_FILES
from ..result import Run
from ..verdicts import CONTRADICTED, SUPPORTED
from .markdown import markdown_summary

# GitHub shows at most this many annotations of each kind for a step.
MAX_ANNOTATIONS = 10


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def write(run: Run, stream: TextIO, color: bool = False) -> None:
    failed = [r for r in run.results if not r.passed]
    for r in failed[:MAX_ANNOTATIONS]:
        kind = "error" if r.verdict == CONTRADICTED or r.claim.expect != SUPPORTED else "warning"
        e = r.evidence[0] if r.evidence else None
        message = f"{r.claim.text}\nexpected {r.claim.expect}, got {r.verdict}: {r.reason}"
        if e:
            message += f"\nquote: {' '.join(e.quote.split())} ({e.where})"
        title = f"{r.claim.id}: {r.verdict}"
        where = "" if r.claim.file in NOT_FILES else f"file={_escape_property(r.claim.file)},line={r.claim.line},"
        stream.write(f"::{kind} {where}title={_escape_property(title)}::{_escape_data(message)}\n")
    # A source skipped in a folder (a scan without text, a damaged file) is annotated on that file:
    # claims that needed it came out unsupported, and the reviewer should see why.
    for src in run.skipped[:MAX_ANNOTATIONS]:
        stream.write(f"::warning file={_escape_property(src.path)},title=source skipped::"
                     f"{_escape_data(src.skipped or '')}\n")
    s = run.summary
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        with open(summary_path, "a", encoding="utf-8") as fh:
            fh.write(markdown_summary(run) + "\n")
    more = len(failed) - MAX_ANNOTATIONS
    if more > 0:
        where = "in the step summary" if summary_path else "with --format text or markdown"
        stream.write(f"::notice title=verifier::{more} more failed claims are not annotated; see them {where}\n")
    stream.write(f"{s['claims']} claims: {s['passed']} passed, {s['failed']} failed\n")
