"""Write the PDF, Word and web-page sources the tests read: real files, made by the libraries people make them with."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path


def write_pdf(path: Path, pages: list[list[str]], title: str | None = None, header: str | None = None,
              numbers: bool = True, encrypt: str | None = None) -> Path:
    """A PDF with one line of text per string, page after page, in a TrueType font with ligature glyphs.

    ``header`` is drawn at the top of every page and the page number at the foot, as in a report.
    """
    import reportlab
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
    pdfmetrics.registerFont(TTFont("Vera", font))
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if title:
        c.setTitle(title)
    for n, lines in enumerate(pages, 1):
        c.setFont("Vera", 11)
        if header:
            c.drawString(72, 800, header)
        y = 760
        for line in lines:
            if line:
                c.drawString(72, y, line)
            y -= 16
        if numbers:
            c.drawString(290, 40, str(n))
        c.showPage()
    c.save()
    return path


def write_image_pdf(path: Path) -> Path:
    """A PDF whose pages hold only drawings, as a scan without OCR does: no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.rect(72, 400, 300, 200, fill=1)
        c.showPage()
    c.save()
    return path


def looping_pdf() -> bytes:
    """A PDF whose page tree lists itself as its own kid: a naive reader walks it forever."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def write_docx(path: Path, blocks: list[tuple[str, object]], title: str | None = None,
               created: str | None = None) -> Path:
    """A Word file of ("h1"/"h2"/"p", text) and ("table", rows) blocks, with core properties."""
    import datetime as dt

    import docx

    d = docx.Document()
    if title:
        d.core_properties.title = title
    if created:
        d.core_properties.created = dt.datetime.fromisoformat(created)
    for kind, value in blocks:
        if kind in ("h1", "h2"):
            d.add_heading(str(value), level=int(kind[1]))
        elif kind == "p":
            d.add_paragraph(str(value))
        elif kind == "table":
            rows = list(value)  # type: ignore[call-overload]
            t = d.add_table(rows=0, cols=len(rows[0]))
            for row in rows:
                for cell, text in zip(t.add_row().cells, row):
                    cell.text = text
    d.save(str(path))
    return path


def zip_bomb_docx(path: Path, unpacked: int = 300 << 20) -> Path:
    """A "Word file" whose document part unpacks from a few hundred KB to ``unpacked`` bytes of zeros."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 20)
            for _ in range(unpacked >> 20):
                fh.write(block)
    return path


NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Drills begin in Lachin | Example News</title>
<meta property="article:published_time" content="2021-09-07T09:30:00+04:00">
<style>body::after {{ content: "Styles never reach the text." }}</style>
<script>var note = "Scripts never reach the text.";</script>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/region">Region</a></li><li><a href="/world">World</a></li></ul></nav></header>
<div class="cookie-banner"><p>We use cookies to give you the best experience on our website.</p><button>Accept</button></div>
<main><article>
<h1>Drills begin in Lachin</h1>
<p class="byline">By Desk Reporter, <time datetime="2021-09-07">7 September 2021</time></p>
{body}
</article>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Russian peacekeepers leave the monitoring centre in Aghdam.</a></li>
<li><a href="/b">Armenia signs a new arms deal with France.</a></li></ul></aside>
</main>
<footer><p>Sign up for our daily newsletter and never miss a story.</p><p>&copy; 2026 Example News. All rights reserved.</p></footer>
</body></html>
"""
