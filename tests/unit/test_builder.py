"""Blocks to one text: each cleaned, joined so no sentence runs from one into the next, pages and headings at their offsets."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.formats.builder import TextBuilder, clean_block


def test_a_block_is_cleaned_of_ligatures_soft_hyphens_odd_spaces_and_blank_lines():
    assert clean_block("e\ufb00ect \ufb01rst \ufb02ow o\ufb03ce ba\ufb04e \ufb05 \ufb06") == "effect first flow office baffle st st"
    assert clean_block("co\u00adoperation") == "cooperation"
    assert clean_block("a\u00a0\u2009\u202f\u3000 \tb") == "a b"
    assert clean_block("  one\r\ntwo\rthree\n\n\n  four  ") == "one\ntwo\nthree\nfour"
    assert clean_block(" \n\t\u00a0\n ") == ""


def test_paragraphs_are_joined_by_a_blank_line_and_empty_ones_leave_no_trace():
    b = TextBuilder("html")
    for text in ("", "First paragraph.", "  \n ", "Second\r\nparagraph."):
        b.paragraph(text)
    x = b.build()
    assert x.text == "First paragraph.\n\nSecond\nparagraph." and x.format == "html"


def test_a_heading_is_a_section_at_its_offset():
    b = TextBuilder("docx")
    b.paragraph("Before.")
    b.heading("  Training\u00a0 goals ")
    b.heading("")
    b.paragraph("After.")
    x = b.build()
    assert x.sections == ((9, "Training goals"),) and x.text[9:23] == "Training goals"
    assert x.section_at(x.text.index("After.")) == "Training goals" and x.section_at(0) is None


def test_a_table_row_is_one_line_of_its_cells():
    b = TextBuilder("docx")
    b.row(["Country", "", " Service\nmen ", "\ufb01ve"])
    b.row(["", "  "])
    assert b.build().text == "Country | Service men | five"


def test_pages_follow_one_another_after_one_line_break_and_page_one_starts_at_zero():
    b = TextBuilder("pdf")
    b.page("   ")  # an empty first page
    b.page("The drills began on page two,")
    b.page("")
    b.page("and went on over the page.")
    x = b.build(title="  Report ", date=" ")
    assert x.text == "The drills began on page two,\nand went on over the page."
    assert x.pages == (0, 0, 29, 30)
    assert x.page_at(0) == 2 and x.page_at(x.text.index("and went")) == 4
    assert (x.title, x.date) == ("Report", None)


BLOCK = st.text(alphabet=st.sampled_from(list("ab \n\r\t\u00a0\u00ad\ufb01.")), max_size=12)
STEP = st.tuples(st.sampled_from(["paragraph", "heading", "page", "row"]), BLOCK)


@settings(max_examples=200, deadline=None)
@given(steps=st.lists(STEP, max_size=10))
def test_every_heading_and_page_offset_indexes_the_text_built(steps):
    b = TextBuilder("pdf")
    for kind, text in steps:
        if kind == "row":
            b.row([text, text])
        else:
            getattr(b, kind)(text)
    x = b.build()
    assert all(x.text[at:at + len(h)] == h and h for at, h in x.sections)
    assert list(x.pages) == sorted(x.pages) and all(0 <= p <= len(x.text) for p in x.pages)
    assert "\n\n\n" not in x.text and x.text == x.text.strip()
    assert not any(ch in x.text for ch in "\r\u00a0\u00ad\ufb01")
