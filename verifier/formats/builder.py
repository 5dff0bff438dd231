"""Assemble an extracted text from blocks (headings, paragraphs, table rows, pages), noting where each starts."""
from __future__ import annotations

import re

from . import Extracted

# Typographic ligatures a PDF's text layer or a pasted text may hold, as the letters they stand for:
# a quote must read "first", not "ﬁrst", or no one can search for it.
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st"})
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n")


def clean_block(text: str) -> str:
    """A block's text as it is kept: ligatures spelled out, runs of spaces one space, no blank lines inside.

    Line breaks inside a block are kept (the sentence splitter reads a hard-wrapped line as going
    on), but not blank lines, which would make two blocks of one.
    """
    text = text.translate(LIGATURES).replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()


class TextBuilder:
    """Blocks joined by blank lines, so no sentence ever runs from one block into the next."""

    def __init__(self, format: str) -> None:
        self.format = format
        self.parts: list[str] = []
        self.length = 0
        self.pages: list[int] = []
        self.sections: list[tuple[int, str]] = []

    def _add(self, text: str, sep: str = "\n\n") -> int | None:
        text = clean_block(text)
        if not text:
            return None
        if self.parts:
            self.parts.append(sep)
            self.length += len(sep)
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def paragraph(self, text: str) -> None:
        self._add(text)

    def heading(self, text: str) -> None:
        start = self._add(text)
        if start is not None:
            self.sections.append((start, self.parts[-1]))

    def row(self, cells: list[str]) -> None:
        """A table row, its cells side by side: a row is read as one statement ("Turkey | 1,000")."""
        self._add(" | ".join(c for c in (clean_block(c).replace("\n", " ") for c in cells) if c))

    def page(self, text: str) -> None:
        """A PDF page: its lines follow the last page's after one line break.

        One line break, not a blank line, so a sentence that runs on over the page break is read
        whole; the splitter decides from the lines, as for any hard-wrapped text.
        """
        start = self._add(text, sep="\n")
        self.pages.append(self.length if start is None else start)

    def build(self, title: str | None = None, date: str | None = None) -> Extracted:
        pages = tuple(self.pages)
        if pages:
            pages = (0, *pages[1:])
        return Extracted(text="".join(self.parts), format=self.format, pages=pages,
                         sections=tuple(self.sections), title=(title or "").strip() or None,
                         date=(date or "").strip() or None)
