"""Source formats: which one a file is, and the text verifier reads from it with its pages and headings.

Every format becomes one plain text (an :class:`Extracted`); quotes, offsets, lines and columns all
index that text, which ``verifier extract FILE`` prints. Plain text and Markdown are read as they are;
saved web pages, PDFs and Word files are parsed by a library made for each (see docs/formats.md),
in a child process with bounded time and memory, and the result is cached by the file's content.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Format:
    """A source format: its file endings, how messages name it, and the library that parses it."""

    name: str
    suffixes: tuple[str, ...]
    listed: str                  # how --help and messages name it
    library: str | None = None   # the distribution that parses it, in a child process; None: read as text
    module: str | None = None    # the module under verifier/formats/ with its ``extract``


# The one registry of source formats, in the order --help lists them. The claims schema's
# description and the pre-commit hook's file pattern repeat it; a test keeps them in step.
FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("text", (".txt", ".text"), ".txt"),
    Format("markdown", (".md", ".markdown"), ".md"),
    Format("html", (".html", ".htm", ".xhtml"), ".html", "trafilatura", "html"),
    Format("pdf", (".pdf",), ".pdf", "pypdfium2", "pdf"),
    Format("docx", (".docx",), ".docx", "python-docx", "docx"),
)}
SUFFIXES: dict[str, tuple[str, ...]] = {f.name: f.suffixes for f in FORMATS.values()}
ALL_SUFFIXES = tuple(s for group in SUFFIXES.values() for s in group)
# What a folder is searched for, as users read it in messages.
LISTED = ", ".join(f.listed for f in FORMATS.values())
# Formats parsed in a child process: parsers of binary and markup formats are where hostile files bite.
PARSED = tuple(f.name for f in FORMATS.values() if f.library)


@dataclass(frozen=True)
class Extracted:
    """The text of a source, and where its pages and sections start in it.

    ``pages`` holds the offset at which each page starts (page 1 at 0); empty for formats without
    pages. ``sections`` holds (offset, heading) for each heading, in order.
    """

    text: str
    format: str
    pages: tuple[int, ...] = ()
    sections: tuple[tuple[int, str], ...] = field(default=())
    title: str | None = None
    date: str | None = None

    def page_at(self, offset: int) -> int | None:
        """The 1-based page the character at ``offset`` is on, or None for formats without pages."""
        if not self.pages:
            return None
        return bisect.bisect_right(self.pages, offset)

    def section_at(self, offset: int) -> str | None:
        """The nearest heading at or above ``offset``, or None."""
        i = bisect.bisect_right([s for s, _ in self.sections], offset)
        return self.sections[i - 1][1] if i else None

    def to_json(self) -> dict:
        return {"text": self.text, "format": self.format, "pages": list(self.pages),
                "sections": [list(s) for s in self.sections], "title": self.title, "date": self.date}

    @classmethod
    def from_json(cls, d: dict) -> "Extracted":
        return cls(text=d["text"], format=d["format"], pages=tuple(int(p) for p in d["pages"]),
                   sections=tuple((int(o), str(h)) for o, h in d["sections"]),
                   title=d.get("title"), date=d.get("date"))


def format_of(path: Path, head: bytes) -> str:
    """The format of a file from its first bytes and, where they do not decide, its ending.

    Content wins for formats with a signature, so a PDF saved without an ending, or as ``.txt``,
    is read as a PDF. A file whose ending promises a binary format it does not hold is named by
    what it holds ("html" for an error page saved as ``report.pdf``), for the caller to refuse.
    """
    sniffed = sniff(head)
    suffix = path.suffix.lower()
    if sniffed == "zip" and suffix in SUFFIXES["docx"]:
        return "docx"  # a damaged Word file is still one: its reader says what is wrong with it
    if sniffed in ("pdf", "docx", "zip", "ole", "binary"):
        return sniffed
    for name, suffixes in SUFFIXES.items():
        if suffix in suffixes:
            return "unknown-" + name if name in ("pdf", "docx") else name
    return sniffed or "text"


def sniff(head: bytes) -> str | None:
    """What the first bytes of a file say it is: pdf, docx, zip, ole, html, binary, or None for text."""
    # The PDF signature may follow up to 1 KB of junk (the spec allows it; readers accept it).
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        # A .docx is a zip whose first entries name Word's parts; other zips are not sources.
        return "docx" if b"word/" in head or b"[Content_Types].xml" in head else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # Word 97-2003, or any Office file with a password
    start = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head[:4096].lower():
        return "html"
    if b"\x00" in head[:8192]:
        return "binary"
    return None
