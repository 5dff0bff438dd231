"""Read a plain-text or Markdown source as it is: UTF-8, with Markdown headings as its sections."""
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
        return Extracted(text=text, format=format, date=content_date(text))
    fences = [m.start() for m in _FENCE.finditer(text)]
    headings = [(m.start(2), len(m.group(1)), m.group(2).strip()) for m in _HEADING.finditer(text)
                if bisect.bisect_left(fences, m.start()) % 2 == 0]  # not inside a fenced block
    return Extracted(text=text, format=format, sections=tuple((at, h) for at, _, h in headings),
                     title=next((h for _, level, h in headings if level == 1), None), date=content_date(text))
