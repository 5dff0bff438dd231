"""Read a plain-text or Markdown source as it is: UTF-8, its headings (Markdown's, or plain lines set apart) as sections."""
from __future__ import annotations

import bisect
import re

from ..errors import SourceError
from . import Extracted
from .dating import content_date

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*\r?$", re.MULTILINE)
# Line ends as verifier numbers lines everywhere: \r\n, a lone \n, or a lone \r.
_LINE_END = re.compile(rb"\r\n|\r|\n")
_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)


def decode(data: bytes, shown: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or a SourceError naming the line of the first bad byte.

    Binary files never get here: the reader refuses them by their first bytes.
    """
    skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as e:
        at = skip + e.start  # where the byte is in the file, the mark counted
        line = len(_LINE_END.findall(data[:at])) + 1
        raise SourceError(f"{shown}:{line}: source is not valid UTF-8 (byte {at}); re-save it as UTF-8") from e


def extract(data: bytes, shown: str, format: str = "text") -> Extracted:
    text = decode(data, shown)
    if format != "markdown":
        return Extracted(text=text, format=format, sections=lone_line_headings(text), date=content_date(text))
    fences = [m.start() for m in _FENCE.finditer(text)]
    headings = [(m.start(2), len(m.group(1)), m.group(2).strip()) for m in _HEADING.finditer(text)
                if bisect.bisect_left(fences, m.start()) % 2 == 0]  # not inside a fenced block
    return Extracted(text=text, format=format, sections=tuple((at, h) for at, _, h in headings),
                     title=next((h for _, level, h in headings if level == 1), None), date=content_date(text))


# Closing punctuation: a line that ends with it is a sentence or a label ("Results:"), not a heading.
_CLOSING = tuple(".!?:;,\"'”’)]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def reads_as_heading(line: str) -> bool:
    """Whether a line, set apart, reads as a heading: at most 8 words, capitalised, no closing punctuation."""
    words = line.strip()
    return bool(words) and len(words.split()) <= 8 and not words.endswith(_CLOSING) and words[0].isupper()


def lone_line_headings(text: str) -> tuple[tuple[int, str], ...]:
    """Plain text's headings: short capitalised lines without closing punctuation, set apart by blank lines.

    Plain text marks no headings; it sets them apart ("PEP Acceptance" above its paragraph). A run
    of short lines ("Author: Daniel Holth", "Status: Final") is not one, nor is a line inside a
    fenced block. Each is (offset of its first character, the heading), as Markdown's sections.
    Three lines at a time, so that a source of a million lines holds no list of them.
    """
    out = []
    in_fence = False
    before = ""  # the line above the one looked at ("" above the first)
    held: tuple[int, str] | None = None  # a line that may be a heading, waiting for the line below it
    for m in _LINE.finditer(text):
        line = m.group(0).rstrip("\r\n")
        if held is not None:
            if not line.strip():
                out.append(held)
            held = None
        if not m.group(0):
            break
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and not before.strip() and reads_as_heading(line):
            held = (m.start() + len(line) - len(line.lstrip()), line.strip())
        before = line
    if held is not None:
        out.append(held)
    return tuple(out)
