"""Read a Word file's paragraphs, headings and tables in document order with python-docx."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from typing import Any

from ..errors import SourceError
from . import LISTED, Extracted
from .builder import TextBuilder
from .dating import content_date, real_created

# A Word file's parts, unpacked, are rarely over a few MB; these bound what a zip bomb can cost.
MAX_UNPACKED = 256 << 20
MAX_PARTS = 10_000
MAX_RATIO = 200  # unpacked / packed, over the whole file; text compresses ~10x


def extract(data: bytes, shown: str) -> Extracted:
    _check_container(data, shown)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        d = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise SourceError(f"{shown}: cannot read this Word file ({e or type(e).__name__}); open it in Word or "
                          "LibreOffice and save it again as .docx") from e
    except Exception as e:  # lxml's XMLSyntaxError and friends: a damaged part
        if type(e).__module__.startswith(("lxml", "docx")):
            raise SourceError(f"{shown}: this Word file is damaged ({e}); open it in Word or LibreOffice and "
                              "save it again as .docx") from e
        raise
    b = TextBuilder("docx")
    # Style names by id, looked up once: python-docx's paragraph.style searches the styles each time.
    styles = {s.style_id: s.name or "" for s in d.styles}
    for block in d.iter_inner_content():
        if hasattr(block, "rows"):
            _table(block, b)
        elif _is_heading(block, styles):
            b.heading(block.text)
        else:
            b.paragraph(block.text)
    props = d.core_properties
    title = props.title or (b.sections[0][1] if b.sections else None)
    # A dateline in the text first; then the file's creation time, unless a generator's default.
    when = real_created(props.created)
    built = b.build(title=title)
    return replace(built, date=content_date(built.text) or (when.date().isoformat() if when else None))


def _check_container(data: bytes, shown: str) -> None:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise SourceError(f"{shown}: this .docx is damaged (its zip container cannot be read: {e}); "
                          "open it in Word or LibreOffice and save it again") from e
    infos = z.infolist()
    unpacked = sum(i.file_size for i in infos)
    if len(infos) > MAX_PARTS or unpacked > MAX_UNPACKED or unpacked > MAX_RATIO * max(len(data), 1):
        raise SourceError(f"{shown}: refused: this .docx would unpack to {unpacked / (1 << 20):.0f} MB from "
                          f"{len(data) / (1 << 20):.1f} MB in {len(infos)} parts, which no Word document does "
                          "(a zip bomb?); if you trust it, save it again from Word and check that")
    if "word/document.xml" not in z.namelist():
        raise SourceError(f"{shown}: this zip is not a Word document (it has no word/document.xml); "
                          f"sources are {LISTED} files")


def _is_heading(p: Any, styles: dict[str, str]) -> bool:
    ppr = p._p.pPr
    style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
    name = styles.get(style_id, "") if style_id else ""
    return name.startswith(("Heading", "heading")) or name in ("Title", "title")


def _table(table: Any, b: TextBuilder) -> None:
    for row in table.rows:
        cells, last = [], None
        for cell in row.cells:
            if cell._tc is not last:  # a merged cell is returned once for each column it spans
                cells.append(cell.text)
            last = cell._tc
        b.row(cells)
