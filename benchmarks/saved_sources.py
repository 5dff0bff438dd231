"""Write an article the way people keep their sources: a saved news page, a PDF report, a Word file.

Used by benchmarks/formats.py to compare extraction libraries and to check that verdicts on the
bundled claims are the same whichever format holds the article. The pages carry what real saved
pages carry around an article (navigation, a cookie banner, share buttons, related headlines that
read like statements, comments, a footer, scripts and styles); the PDF is laid out line by line as
a report is (running header, page numbers, words hyphenated at line ends, ligatures); the Word file
has headings, core properties and a table. Every piece of page furniture is listed in BOILERPLATE,
so a measurement can check that none of it is read as the article.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

BOILERPLATE = (
    "We use cookies to give you the best experience on our website.",
    "By continuing to browse, you agree to our use of cookies.",
    "Sign up for our daily newsletter and never miss a story.",
    "Turkey and Azerbaijan will expand defence ties next year, the minister says.",
    "Russian peacekeepers leave the monitoring centre in Aghdam.",
    "Armenia signs a new arms deal with France.",
    "Great article, thanks for sharing the details of the drills.",
    "The drills were cancelled because of bad weather.",  # a comment that contradicts the article
    "All rights reserved.",
    "Share this article on social media.",
)
# Text that sits in <script>/<style>/JSON-LD: it must never reach the extracted text.
HIDDEN = ("window.dataLayer has been loaded for the drills page", "The exercises were postponed until May")


@dataclass
class Article:
    title: str
    date: str  # ISO date
    author: str
    paragraphs: list[str]
    # Headings placed before the paragraph with that index.
    headings: dict[int, str] = field(default_factory=dict)


def from_text(text: str, title: str, headings: dict[int, str] | None = None) -> Article:
    """An Article from a plain-text source whose first line is " date YYYY-MM-DD By NAME" (the seed's form)."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    date, author = "", ""
    m = re.match(r"date (\d{4}-\d{2}-\d{2})(?: By (.+))?$", blocks[0])
    if m:
        date, author = m.group(1), m.group(2) or ""
    return Article(title=title, date=date, author=author, paragraphs=blocks, headings=headings or {})


# ---------------------------------------------------------------- HTML


def _article_html(a: Article, tag_p: str = "p") -> str:
    out = []
    for i, p in enumerate(a.paragraphs):
        if i in a.headings:
            out.append(f"<h2>{html.escape(a.headings[i])}</h2>")
        out.append(f"<{tag_p}>{html.escape(p)}</{tag_p}>")
    return "\n".join(out)


def _related() -> str:
    items = "".join(f'<li><a href="/news/{i}">{html.escape(t)}</a></li>' for i, t in enumerate(BOILERPLATE[3:6]))
    return f'<aside class="related"><h3>Related stories</h3><ul>{items}</ul></aside>'


def _head(a: Article) -> str:
    return f"""<head><meta charset="utf-8"><title>{html.escape(a.title)} | Example News</title>
<meta name="viewport" content="width=device-width">
<meta property="article:published_time" content="{a.date}T09:30:00+04:00">
<meta name="author" content="{html.escape(a.author)}">
<style>.cookie-banner{{position:fixed}} body::after{{content:"{HIDDEN[0]}"}}</style>
<script>window.dataLayer = []; console.log("{HIDDEN[0]}");</script>
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{html.escape(a.title)}",
 "description": "{HIDDEN[1]}", "datePublished": "{a.date}"}}</script>
</head>"""


def _nav() -> str:
    links = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in ("Home", "Politics", "Region", "World",
                                                                            "Business", "Sport", "Opinion"))
    return f'<nav class="main-menu"><ul>{links}</ul></nav>'


def _cookie() -> str:
    return f'<div class="cookie-banner" id="cookies"><p>{BOILERPLATE[0]} {BOILERPLATE[1]}</p><button>Accept</button></div>'


def _footer() -> str:
    return (f'<footer><p>{BOILERPLATE[2]}</p><form><input type="email"><button>Subscribe</button></form>'
            f'<p>&copy; 2026 Example News. {BOILERPLATE[8]}</p>'
            '<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li>'
            '<li><a href="/privacy">Privacy policy</a></li></ul></footer>')


def _comments() -> str:
    return ('<section class="comments"><h3>Comments (2)</h3>'
            f'<div class="comment"><span class="user">reader42</span><p>{BOILERPLATE[6]}</p></div>'
            f'<div class="comment"><span class="user">anon</span><p>{BOILERPLATE[7]}</p></div></section>')


def news_page(a: Article, template: int = 0) -> str:
    """The article as a saved news page; ``template`` picks one of three page layouts seen in the wild."""
    byline = f'<p class="byline">By {html.escape(a.author)} · <time datetime="{a.date}">{a.date}</time></p>'
    share = f'<div class="share"><span>{BOILERPLATE[9]}</span><a href="#">Facebook</a><a href="#">X</a></div>'
    if template == 0:  # semantic HTML5
        body = (f"<header>{_nav()}</header>{_cookie()}<main><article><h1>{html.escape(a.title)}</h1>{byline}"
                f"{share}{_article_html(a)}</article>{_related()}</main>{_comments()}{_footer()}")
    elif template == 1:  # div soup, as many CMSs write it
        body = (f'<div id="top">{_nav()}</div>{_cookie()}<div class="wrapper"><div class="col-left">'
                f'<div class="story"><div class="story-title"><h1>{html.escape(a.title)}</h1></div>{byline}{share}'
                f'<div class="story-body">{_article_html(a)}</div></div>{_comments()}</div>'
                f'<div class="col-right">{_related()}<div class="ad">Advertisement</div></div></div>{_footer()}')
    else:  # an old table layout
        body = (f'<table width="100%"><tr><td colspan="2">{_nav()}</td></tr><tr><td valign="top" width="70%">'
                f'<h1>{html.escape(a.title)}</h1>{byline}{_article_html(a)}{_comments()}</td>'
                f'<td valign="top">{_related()}{_cookie()}</td></tr><tr><td colspan="2">{_footer()}</td></tr></table>')
    return f'<!DOCTYPE html>\n<html lang="en">{_head(a)}<body>{body}</body></html>\n'


# ---------------------------------------------------------------- PDF


def _hyphen_point(word: str) -> int:
    """Where a long word may be broken at a line end: after a vowel, leaving 3+ letters either side."""
    for i in range(len(word) // 2, 2, -1):
        if word[i - 1] in "aeiou" and word[i].isalpha() and word[i:].isalpha() and len(word) - i >= 3:
            return i
    return 0


def _ligatures(text: str) -> str:
    # Typeset text uses ligature glyphs; a PDF's text layer then holds U+FB01 and friends. Only the
    # two the bundled font has: a typesetter never uses a ligature its font lacks.
    return text.replace("fi", "\ufb01").replace("fl", "\ufb02")


def pdf_file(a: Article, path: Path, width: float = 70.0) -> None:
    """The article as a report PDF laid out line by line: hyphenated line ends, page header and numbers."""
    import reportlab
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    # DejaVu where the system has it (it has Greek letters, as abstracts do), else reportlab's Vera.
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    if (dejavu / "DejaVuSans.ttf").is_file() and (dejavu / "DejaVuSans-Bold.ttf").is_file():
        regular, bold = dejavu / "DejaVuSans.ttf", dejavu / "DejaVuSans-Bold.ttf"
    else:
        fonts = Path(reportlab.__file__).parent / "fonts"
        regular, bold = fonts / "Vera.ttf", fonts / "VeraBd.ttf"
    pdfmetrics.registerFont(TTFont("Vera", str(regular)))
    pdfmetrics.registerFont(TTFont("VeraBd", str(bold)))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle(a.title)
    c.setAuthor(a.author)
    c.setCreator("Example News desk")
    page = [1]
    y = [0.0]

    def new_page() -> None:
        if y[0]:
            c.setFont("Vera", 8)
            c.drawString(290, 30, str(page[0]))
            c.showPage()
            page[0] += 1
        c.setFont("Vera", 8)
        c.drawString(72, 810, "Example News · Region")
        y[0] = 780

    def line(text: str, font: str = "Vera", size: float = 10.5) -> None:
        if y[0] < 60:
            new_page()
        c.setFont(font, size)
        c.drawString(72, y[0], _ligatures(text))
        y[0] -= size * 1.45

    new_page()
    line(a.title, "VeraBd", 15)
    y[0] -= 8
    for i, p in enumerate(a.paragraphs):
        if i in a.headings:
            y[0] -= 6
            line(a.headings[i], "VeraBd", 12)
        words, cur = p.split(), ""
        for w in words:
            if len(cur) + 1 + len(w) <= width:
                cur = f"{cur} {w}".strip()
                continue
            room = int(width - len(cur) - 2)
            cut = _hyphen_point(w)
            if cur and 0 < cut <= room:
                line(f"{cur} {w[:cut]}-")
                cur = w[cut:]
            else:
                line(cur)
                cur = w
        if cur:
            line(cur)
        y[0] -= 7
    c.setFont("Vera", 8)
    c.drawString(290, 30, str(page[0]))
    c.showPage()
    c.save()


# ---------------------------------------------------------------- DOCX


def docx_file(a: Article, path: Path, table: list[list[str]] | None = None) -> None:
    """The article as a Word file: a title heading, section headings, core properties, an optional table."""
    import datetime as dt

    import docx

    d = docx.Document()
    d.core_properties.title = a.title
    d.core_properties.author = a.author
    if a.date:
        d.core_properties.created = dt.datetime.fromisoformat(a.date)
    d.add_heading(a.title, level=1)
    for i, p in enumerate(a.paragraphs):
        if i in a.headings:
            d.add_heading(a.headings[i], level=2)
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = t.add_row().cells
            for cell, value in zip(cells, row):
                cell.text = value
    d.save(str(path))
