"""The default human-readable report: one block per claim, then a summary line."""
from __future__ import annotations

import textwrap
from typing import TextIO

from ..result import Run

_STYLE = {"supported": "green", "contradicted": "red", "unsupported": "yellow"}
_MARK = {True: "PASS", False: "FAIL"}


def _style(text: str, color: bool, **kw: object) -> str:
    if not color:
        return text
    import click

    return click.style(text, **kw)  # type: ignore[arg-type]


def write(run: Run, stream: TextIO, color: bool = False) -> None:
    for r in run.results:
        mark = _style(_MARK[r.passed], color, fg="green" if r.passed else "red", bold=True)
        verdict = _style(r.verdict, color, fg=_STYLE[r.verdict])
        expect = "" if r.passed else f" (expected {r.claim.expect})"
        stream.write(f"{mark} {r.claim.file}:{r.claim.line} {r.claim.id}: {verdict}{expect} "
                     f"[{r.confidence:.2f}]\n")
        stream.write(f"     claim:  {r.claim.text}\n")
        label = "quote: " if r.verdict != "unsupported" else "closest:"
        for e in r.evidence[: max(1, r.cited)]:
            quote = " ".join(e.quote.split())
            indent = " " * 13
            wrapped = textwrap.fill(f"\u201c{quote}\u201d", width=100, initial_indent=indent,
                                    subsequent_indent=indent)[len(indent):]
            stream.write(f"     {label} {wrapped}\n")
            stream.write(f"             ({e.source}, line {e.line})\n")
            label = "  and: "
        stream.write(f"     reason: {r.reason}\n\n")
    s = run.summary
    line = (f"{s['claims']} claims: {s['supported']} supported, {s['contradicted']} contradicted, "
            f"{s['unsupported']} unsupported; {s['passed']} passed, {s['failed']} failed")
    stream.write(_style(line, color, bold=True, fg="green" if run.passed else "red") + "\n")
