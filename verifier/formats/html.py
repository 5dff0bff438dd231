"""Read the article of a saved web page with trafilatura: its headings and paragraphs, none of the page around it."""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from ..errors import SourceError
from . import Extracted
from .builder import TextBuilder
from .dating import content_date

# Larger saved pages are refused: an article is well under 1 MB of HTML, and parsing builds a
# tree ~10 times the file's size. A page this large is an archive or a data dump.
MAX_BYTES = 20 << 20
_BLOCK = {"p", "quote", "code"}


def extract(data: bytes, shown: str) -> Extracted:
    if len(data) > MAX_BYTES:
        raise SourceError(f"{shown}: this saved page is {len(data) / (1 << 20):.0f} MB of HTML, over the "
                          f"{MAX_BYTES >> 20} MB verifier reads; save just the article (your browser's "
                          "reader view, or copy its text into a .txt file) and check that")
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    try:
        doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False, include_tables=True,
                                          include_formatting=False, include_links=False, config=_config())
    except (ValueError, TypeError) as e:  # what lxml raises on markup it cannot parse at all
        raise SourceError(f"{shown}: cannot parse this page as HTML ({e}); save it again from a browser") from e
    b = TextBuilder("html")
    body = getattr(doc, "body", None)  # bare_extraction gives a Document (a dict only when asked for one)
    if body is not None:
        _walk(body, b)
    if not b.parts:  # the builder keeps no empty block
        raise SourceError(f"{shown}: found no article text in this page; it may be drawn by JavaScript: save it "
                          "again after it has loaded, or save its reader view, and check that")
    built = b.build(title=getattr(doc, "title", None), date=getattr(doc, "date", None))
    return built if built.date else replace(built, date=content_date(built.text))


def _config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    # By default an article under 250 characters sends trafilatura to its fallback extractors, which
    # run the page's text together (the heading glued to the first sentence); a short article is
    # still an article. Its own timer is off: the reader's deadline bounds the parse.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    config.set("DEFAULT", "MAX_FILE_SIZE", str(MAX_BYTES))
    return config


def _text(el: Any) -> str:
    """An element's text with <lb/> as a line break."""
    parts = [el.text or ""]
    for child in el:
        parts.append("\n" if child.tag == "lb" else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _walk(el: Any, b: TextBuilder) -> None:
    for child in el:
        tag = child.tag
        if tag == "head":
            b.heading(_text(child))
        elif tag in _BLOCK:
            b.paragraph(_text(child))
        elif tag == "list":
            for item in child.findall("item"):
                b.paragraph(_text(item))
        elif tag == "table":
            for row in child.iter("row"):
                cells = list(row.iter("cell"))
                if any(c.find(t) is not None for c in cells for t in ("p", "head", "list", "table")):
                    for cell in cells:  # a layout table: its cells hold the page's blocks
                        _walk(cell, b)
                else:
                    b.row([_text(cell) for cell in cells])
        elif tag in ("div", "body", "main", "section", "cell"):
            _walk(child, b)
        elif tag not in ("graphic", "lb"):
            b.paragraph(_text(child))
