"""Read a PDF's text layer page by page with PDFium, without its running headers, footers and page numbers."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ..errors import SourceError
from . import Extracted
from .builder import TextBuilder
from .dating import content_date

# A line that is only a page number: "7", "- 7 -", "Page 7", "7 of 12", "7/12", "iv".
_PAGE_NUMBER = re.compile(r"^\W*(?:page\s*)?(?:\d{1,4}|[ivxlc]{1,6})(?:\s*(?:/|of)\s*\d{1,4})?\W*$", re.IGNORECASE)
# PDFium marks a hyphen it found at a line end (and joined the lines at) with U+FFFE; a hyphen
# it did not recognise stays as "-" and a line break.
_MARKED = re.compile(r"(\w+)\ufffe(\w+)")
_HYPHEN_EOL = re.compile(r"(\w+)-\n([a-z]\w*)")
# Lines looked at for running headers and footers at the top and the bottom of each page.
EDGE_LINES = 2


def extract(data: bytes, shown: str) -> Extracted:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        message = str(e).lower()
        if "password" in message:
            raise SourceError(f"{shown}: this PDF is encrypted with a password; save an unlocked copy "
                              "(print it to PDF, or `qpdf --decrypt`) and check that one") from e
        raise SourceError(f"{shown}: cannot read this PDF ({e}); it is damaged or not a PDF: "
                          "download it again or re-save it from a PDF viewer") from e
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
        meta = doc.get_metadata_dict(skip_empty=True)
    except pdfium.PdfiumError as e:  # a page that cannot be loaded: a damaged page tree
        raise SourceError(f"{shown}: cannot read the pages of this PDF ({e}); it is damaged: download it again "
                          "or re-save it from a PDF viewer") from e
    finally:
        doc.close()
    if not pages:
        raise SourceError(f"{shown}: this PDF has no pages that can be read (its page tree is damaged or "
                          "loops); download it again or re-save it from a PDF viewer")
    if not any(p.strip() for p in pages):
        raise SourceError(f"{shown}: this PDF has no text layer ({len(pages)} page{'s' if len(pages) != 1 else ''}"
                          " of images, a scan?); run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`) "
                          "and check the result")
    pages = _without_furniture([p.split("\n") for p in pages])
    hyphenated = {w for lines in pages for line in lines for w in re.findall(r"\w+-\w+", line)}
    b = TextBuilder("pdf")
    for lines in pages:
        b.page(_dehyphenate("\n".join(lines), hyphenated))
    title = meta.get("Title")
    if title and title.strip().lower() in ("untitled", "untitled document"):
        title = None  # what writers of PDFs put there when they know nothing better
    # The text's own dateline. CreationDate says when the PDF was made (printed from a page, exported),
    # not when the text was written; it is shown only by a viewer's document properties.
    built = b.build(title=title)
    return replace(built, date=content_date(built.text))


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _edges(lines: list[str]) -> list[tuple[int, int]]:
    """(index, place) of the lines where headers and footers sit: place 0, 1 from the top, -1, -2 from the foot."""
    n = min(EDGE_LINES, len(lines))
    return [(k, k) for k in range(n)] + [(len(lines) - 1 - k, -1 - k) for k in range(n)]


def _without_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Pages without page-number lines and without headers and footers repeated on most pages."""
    pages = [[line for line in p if line.strip()] for p in pages]
    counts: Counter[tuple[str, int]] = Counter(
        (_key(lines[i]), place) for lines in pages for i, place in _edges(lines))
    repeated = {key for key, n in counts.items() if n >= max(2, (len(pages) + 1) // 2)} if len(pages) >= 2 else set()
    out = []
    for lines in pages:
        drop = {i for i, place in _edges(lines) if (_key(lines[i]), place) in repeated or _PAGE_NUMBER.match(lines[i])}
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


def _dehyphenate(text: str, hyphenated: set[str]) -> str:
    """Join words split over a line end: "coop-\\neration" is "cooperation".

    A hyphen that belongs to the word ("well-\\nknown") stays when the document spells that word with
    its hyphen somewhere else (``hyphenated``); otherwise a line-end hyphen before a lower-case
    letter is taken to be the typesetter's.
    """
    def join(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        return f"{a}-{b}" if f"{a}-{b}" in hyphenated else a + b

    text = _MARKED.sub(join, text).replace("\ufffe", "")
    return _HYPHEN_EOL.sub(join, text)
