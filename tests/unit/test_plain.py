"""Plain text and Markdown read as they are: UTF-8 (a byte-order mark dropped), Markdown headings as sections."""
from __future__ import annotations

import pytest

from verifier.errors import SourceError
from verifier.formats.plain import decode, extract
from verifier.sources import read_document


def test_markdown_headings_are_sections(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nFirst part.\n\n```\n# not a heading\n```\n\n## Later\n\nSecond part.\n", encoding="utf-8")
    doc = read_document(path)
    second = next(s for s in doc.sentences if s.text == "Second part.")
    assert doc.section_at(second.start) == "Later"
    assert doc.extracted.title == "Notes"
    assert [h for _, h in doc.extracted.sections] == ["Notes", "Later"]



def md(text: str):
    return extract(text.encode("utf-8"), "notes.md", "markdown")


def test_text_is_decoded_as_it_is_and_a_byte_order_mark_is_dropped():
    assert decode("caf\u00e9\r\nline\rend".encode("utf-8"), "a.txt") == "caf\u00e9\r\nline\rend"
    assert decode(b"\xef\xbb\xbfHello", "a.txt") == "Hello"
    assert decode(b"", "a.txt") == ""


@pytest.mark.parametrize("data,line,byte", [
    (b"\xff starts badly", 1, 0),
    (b"line one\nline two \xe9t\xe9\n", 2, 18),
    (b"line one\r\nline two\r\n\x80", 3, 20),
])
def test_text_that_is_not_utf8_names_the_line_and_byte(data, line, byte):
    with pytest.raises(SourceError, match=rf"^seeds/a\.txt:{line}: source is not valid UTF-8 \(byte {byte}\); re-save it"):
        decode(data, "seeds/a.txt")


def test_a_bad_byte_after_a_byte_order_mark_is_named_where_it_is_in_the_file():
    with pytest.raises(SourceError, match=r"a\.txt:2: source is not valid UTF-8 \(byte 6\)"):
        decode(b"\xef\xbb\xbfab\n\xff", "a.txt")


def test_a_bad_byte_in_a_file_with_old_mac_line_endings_is_on_the_line_verifier_numbers():
    with pytest.raises(SourceError, match=r"a\.txt:3: "):
        decode(b"one\rtwo\r\xff", "a.txt")


def test_plain_text_has_no_sections_even_with_hash_lines():
    x = extract(b"# Not a heading in a .txt\n\nText.\n", "a.txt", "text")
    assert (x.format, x.sections, x.title, x.pages) == ("text", (), None, ())


def test_markdown_heading_offsets_index_the_text():
    text = "# Title #\n\nIntro.\n\n   ### Indented three, closing hashes ###   \n\n##\tTab heading\n\nEnd.\n"
    x = md(text)
    assert [h for _, h in x.sections] == ["Title", "Indented three, closing hashes", "Tab heading"]
    assert all(text[at:at + len(h)] == h for at, h in x.sections)
    assert x.text == text and x.format == "markdown"


@pytest.mark.parametrize("line", ["#hashtag", "    # four spaces is code", "####### seven", "#"])
def test_what_is_not_an_atx_heading_is_no_section(line):
    assert md(f"{line}\n\nText.\n").sections == ()


def test_the_title_is_the_first_level_one_heading_wherever_it_is():
    assert md("## Part\n\n# The title\n\n# Another\n").title == "The title"
    assert md("## Only parts\n").title is None


def test_headings_in_a_tilde_fence_or_an_unclosed_fence_are_code():
    assert [h for _, h in md("~~~\n# code\n~~~\n\n# Real\n").sections] == ["Real"]
    assert [h for _, h in md("# Real\n\n```\n# never closed\n").sections] == ["Real"]


def test_crlf_headings_are_read_without_their_line_ending():
    text = "# Title\r\n\r\nIntro.\r\n## Later\r\n"
    x = md(text)
    assert [h for _, h in x.sections] == ["Title", "Later"] and x.title == "Title"
    assert all(text[at:at + len(h)] == h for at, h in x.sections)


def test_crlf_headings_lose_their_closing_hashes_too():
    assert [h for _, h in md("# Title #\r\n\r\n## Later ##\r\n").sections] == ["Title", "Later"]


def test_plain_text_headings_are_short_capitalised_lines_set_apart_by_blank_lines():
    text = ("Title Line\n\nA paragraph that ends.\n\nPEP Acceptance\n\nAuthor: Daniel Holth\nStatus: Final\n\n"
            "lower case line\n\nResults:\n\n```\nCode Block Line\n```\n\n"
            "A line of more than eight words that never ends here\n\n  Indented Heading\r\n\r\nEnd")
    got = extract(text.encode(), "a.txt").sections
    assert [h for _, h in got] == ["Title Line", "PEP Acceptance", "Indented Heading", "End"]
    assert all(text[at:at + len(h)] == h for at, h in got)
    assert extract(text.encode(), "a.md", "markdown").sections == ()  # Markdown has its own
