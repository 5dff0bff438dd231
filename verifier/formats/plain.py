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
CLOSING = tuple(".!?:;,\"'”’)]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def lone_line_headings(text: str) -> tuple[tuple[int, str], ...]:
    """Plain text's headings: short capitalised lines without closing punctuation, set apart by blank lines.

    Plain text marks no headings; it sets them apart ("PEP Acceptance" above its paragraph). A run
    of short lines ("Author: Daniel Holth", "Status: Final") is not one, nor is a line inside a
    fenced block. Each is (offset of its first character, the heading), as Markdown's sections.
    """
    lines = [(m.start(), m.group(0).rstrip("\r\n")) for m in _LINE.finditer(text) if m.group(0)]
    out = []
    in_fence = False
    for n, (start, line) in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        words = line.strip()
        if in_fence or not words or len(words.split()) > 8 or words.endswith(CLOSING) or not words[0].isupper():
            continue
        if (n == 0 or not lines[n - 1][1].strip()) and (n + 1 == len(lines) or not lines[n + 1][1].strip()):
            out.append((start + len(line) - len(line.lstrip()), words))
    return tuple(out)
