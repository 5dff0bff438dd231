"""The default human-readable report: one block per claim, then a summary line."""
from __future__ import annotations

import os
import shutil
import textwrap
from typing import TextIO

from ..result import Run
from ..verdicts import CONTRADICTED, SUPPORTED, UNSUPPORTED

_STYLE = {SUPPORTED: "green", CONTRADICTED: "red", UNSUPPORTED: "yellow"}
_MARK = {True: "PASS", False: "FAIL"}
# A part's verdict as the first word of its line.
_PART_MARK = {SUPPORTED: "stated:", CONTRADICTED: "contradicted:", UNSUPPORTED: "not stated:"}
INDENT = 13  # the continuation lines, under "     claim:  ", "     quote:  ", "     reason: "
FALLBACK_WIDTH = 100
MIN_WIDTH = INDENT + 20  # below this, a line would hold a word or two


def _style(text: str, color: bool, **kw: object) -> str:
    if not color:
        return text
    import click

    return click.style(text, **kw)  # type: ignore[arg-type]


def width(stream: TextIO) -> int:
    """The columns to wrap to: the terminal's for a terminal, else $COLUMNS, else 100."""
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty():
        columns = shutil.get_terminal_size((FALLBACK_WIDTH, 24)).columns
    else:
        # A file or a pipe has no width of its own; a fixed one keeps the report the same everywhere.
        try:
            columns = int(os.environ.get("COLUMNS", ""))
        except ValueError:
            columns = FALLBACK_WIDTH
    return max(MIN_WIDTH, columns if columns > 0 else FALLBACK_WIDTH)


def _fill(label: str, text: str, columns: int) -> str:
    """A labelled line, ``text`` wrapped to ``columns`` and continued under it; words are never split."""
    head = f"     {label} "
    wrapped = textwrap.fill(text, width=columns, initial_indent=head, subsequent_indent=" " * INDENT,
                            break_long_words=False, break_on_hyphens=False)
    return wrapped or head.rstrip()


def write(run: Run, stream: TextIO, color: bool = False) -> None:
    columns = width(stream)
    for r in run.results:
        mark = _style(_MARK[r.passed], color, fg="green" if r.passed else "red", bold=True)
        verdict = _style(r.verdict, color, fg=_STYLE[r.verdict])
        expect = "" if r.passed else f" (expected {r.claim.expect})"
        stream.write(f"{mark} {r.claim.file}:{r.claim.line} {r.claim.id}: {verdict}{expect} "
                     f"[{r.confidence:.2f}]\n")
        stream.write(_fill("claim: ", r.claim.text, columns) + "\n")
        label = "quote: " if r.verdict != UNSUPPORTED else "closest:"
        for e in r.evidence[: max(1, r.cited)]:
            quote = " ".join(e.quote.split())
            stream.write(_fill(label, f"\u201c{quote}\u201d", columns) + "\n")
            stream.write(f"{' ' * INDENT}({e.where})\n")
            label = "  and: "
        stream.write(_fill("reason:", r.reason, columns) + "\n")
        if r.verdict != SUPPORTED:
            for part in r.parts:
                stream.write(_fill("part:  ", f"{_PART_MARK[part.verdict]} {part.text}", columns) + "\n")
        stream.write("\n")
    s = run.summary
    line = (f"{s['claims']} claims: {s['supported']} supported, {s['contradicted']} contradicted, "
            f"{s['unsupported']} unsupported; {s['passed']} passed, {s['failed']} failed")
    skipped = len(run.skipped)
    if skipped:
        line += f"; {skipped} source{'s' if skipped != 1 else ''} skipped (see the warnings)"
    stream.write(_style(line, color, bold=True, fg="green" if run.passed else "red") + "\n")
