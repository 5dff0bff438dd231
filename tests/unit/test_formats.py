"""Source formats: what is read from saved pages, PDFs and Word files, and that every offset indexes it."""
from __future__ import annotations

import warnings

import pytest

from verifier.errors import SourceError
from verifier.formats import Extracted, format_of, reader, sniff
from verifier.formats.builder import clean_block
from verifier.paths import display_path
from verifier.sources import find_source_files, read_document, read_text

from ..conftest import cache_blobs
from ..make_sources import NEWS_PAGE, looping_pdf, write_docx, write_image_pdf, write_pdf, zip_bomb_docx

# ---------------------------------------------------------------- PDF


def test_pdf_pages_are_numbered_across_a_page_break(tmp_path):
    pdf = write_pdf(tmp_path / "r.pdf", [
        ["The drills began in Lachin on Monday.", "The ministry reported it on September 6."],
        ["Turkey sent as many servicemen as Russia.", "The centre monitors the ceasefire."],
        ["A third page closes the report."],
    ], title="Drills report")
    doc = read_document(pdf)
    by_text = {s.text: s for s in doc.sentences}
    assert doc.page_at(by_text["The drills began in Lachin on Monday."].start) == 1
    assert doc.page_at(by_text["Turkey sent as many servicemen as Russia."].start) == 2
    assert doc.page_at(by_text["A third page closes the report."].start) == 3
    assert doc.extracted.title == "Drills report"
    # The page numbers at the foot of each page are not text of the report.
    assert all(s.text not in ("1", "2", "3") for s in doc.sentences)


def test_a_sentence_over_two_lines_and_over_a_page_break_is_one_sentence(tmp_path):
    pdf = write_pdf(tmp_path / "r.pdf", [
        ["The joint drills are aimed at improving interaction and combat", "coordination between the servicemen.",
         "This sentence starts on the first page and goes on"],
        ["onto the second page of the report.", "Another sentence follows it."],
    ])
    texts = [s.text for s in read_document(pdf).sentences]
    assert "The joint drills are aimed at improving interaction and combat\ncoordination between the servicemen." in texts
    whole = next(t for t in texts if t.startswith("This sentence starts"))
    assert whole == "This sentence starts on the first page and goes on\nonto the second page of the report."


def test_words_hyphenated_at_a_line_end_are_joined_and_real_hyphens_kept(tmp_path):
    pdf = write_pdf(tmp_path / "r.pdf", [[
        "The drills strengthen military coop-",
        "eration between the two countries.",
        "The well-known agreement was signed in 1992, a well-",
        "known date.",
    ]])
    text = read_text(pdf).text
    assert "military cooperation between" in text
    assert "coop-" not in text
    # "well-known" is spelled with its hyphen elsewhere in the document, so the split one keeps it.
    assert "a well-known date" in text


def test_ligatures_are_spelled_out(tmp_path):
    # The test font has glyphs for fi and fl; the others are spelled out all the same.
    pdf = write_pdf(tmp_path / "r.pdf", [["The \ufb01rst \ufb02ight left on time."]])
    assert "The first flight left on time." in read_text(pdf).text
    assert clean_block("e\ufb00ect, o\ufb03ce, ba\ufb04e") == "effect, office, baffle"


def test_running_headers_and_footers_are_dropped(tmp_path):
    body = ["The drills began in Lachin.", "The ministry reported them.", "Turkey sent servicemen.",
            "Russia sent as many.", "The centre monitors the ceasefire.", "The report ends here."]
    pages = [body[0:2], body[2:4], body[4:6]]
    pdf = write_pdf(tmp_path / "r.pdf", pages, header="Example Ministry of Defence - Annual report")
    text = read_text(pdf).text
    assert "Annual report" not in text
    assert text == "\n".join(body)


def test_a_pdf_without_a_text_layer_is_refused_with_what_to_do(tmp_path):
    with pytest.raises(SourceError, match=r"s\.pdf: this PDF has no text layer .*run OCR"):
        read_text(write_image_pdf(tmp_path / "s.pdf"))


def test_an_encrypted_pdf_is_refused_with_what_to_do(tmp_path):
    pdf = write_pdf(tmp_path / "locked.pdf", [["Secret text."]], encrypt="secret")
    with pytest.raises(SourceError, match=r"locked\.pdf: this PDF is encrypted with a password; save an unlocked"):
        read_text(pdf)


def test_a_pdf_whose_page_tree_loops_is_refused(tmp_path):
    (tmp_path / "loop.pdf").write_bytes(looping_pdf())
    with pytest.raises(SourceError, match=r"loop\.pdf: "):
        read_text(tmp_path / "loop.pdf")


# ---------------------------------------------------------------- HTML


def _page(tmp_path, body: str, name: str = "page.html"):
    path = tmp_path / name
    path.write_text(NEWS_PAGE.format(body=body), encoding="utf-8")
    return path


BODY = """<p>The Azerbaijani-Turkish joint tactical drills have kicked off in Lachin region.</p>
<p>The exercises are held under a military cooperation agreement.</p>
<h2>Training goals</h2>
<p>The drills aim to improve interaction between the servicemen.</p>
<p>Special attention has been paid to difficult terrain.</p>"""


def test_a_saved_page_gives_its_article_and_none_of_the_page_around_it(tmp_path):
    got = read_text(_page(tmp_path, BODY))
    for furniture in ("cookies", "Russian peacekeepers", "arms deal", "newsletter", "All rights reserved",
                      "Scripts never", "Styles never", "Home", "Related stories"):
        assert furniture not in got.text, furniture
    assert "The drills aim to improve interaction between the servicemen." in got.text
    assert got.title == "Drills begin in Lachin"
    assert got.date == "2021-09-07"


def test_headings_keep_their_boundaries_and_name_the_section(tmp_path):
    doc = read_document(_page(tmp_path, BODY))
    texts = [s.text for s in doc.sentences]
    assert "Training goals" in texts  # a sentence of its own, not glued to the next paragraph
    aim = next(s for s in doc.sentences if s.text.startswith("The drills aim"))
    assert doc.section_at(aim.start) == "Training goals"
    first = next(s for s in doc.sentences if s.text.startswith("The Azerbaijani"))
    assert doc.section_at(first.start) == "Drills begin in Lachin"


def test_an_html_table_is_read_row_by_row(tmp_path):
    body = BODY + "<table><tr><th>Country</th><th>Servicemen</th></tr><tr><td>Turkey</td><td>60</td></tr></table>"
    assert "Turkey | 60" in read_text(_page(tmp_path, body)).text


def test_a_page_of_50_mb_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("<html><body>")
        chunk = "<p>" + "The drills began. " * 50 + "</p>\n"
        for _ in range((50 << 20) // len(chunk)):
            fh.write(chunk)
        fh.write("</body></html>")
    with pytest.raises(SourceError, match=r"huge\.html: this saved page is 50 MB of HTML, over the 20 MB"):
        read_text(path)


# ---------------------------------------------------------------- DOCX


def test_a_word_file_gives_paragraphs_headings_tables_and_properties(tmp_path):
    path = write_docx(tmp_path / "brief.docx", [
        ("h1", "Press release"),
        ("p", "The joint drills began in Lachin."),
        ("h2", "Forces"),
        ("p", "Both countries sent servicemen."),
        ("table", [["Country", "Servicemen"], ["Turkey", "60"], ["Russia", "60"]]),
        ("p", "The drills last five days."),
    ], title="Drills press release", created="2021-09-07T10:00:00")
    doc = read_document(path)
    text = doc.text
    assert "Country | Servicemen\n\nTurkey | 60\n\nRussia | 60" in text
    assert doc.extracted.title == "Drills press release"
    assert doc.extracted.date == "2021-09-07"
    row = next(s for s in doc.sentences if s.text == "Turkey | 60")
    assert doc.section_at(row.start) == "Forces"
    assert "Press release" in [s.text for s in doc.sentences]


def test_a_corrupt_word_file_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    with pytest.raises(SourceError, match=r"broken\.docx: this \.docx is damaged .*save it again"):
        read_text(path)


def test_a_zip_bomb_named_docx_is_refused_without_unpacking_it(tmp_path):
    path = zip_bomb_docx(tmp_path / "bomb.docx")
    assert path.stat().st_size < 2 << 20
    with pytest.raises(SourceError, match=r"bomb\.docx: refused: this \.docx would unpack to 300 MB"):
        read_text(path)


def test_an_old_word_file_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(SourceError, match=r"old\.doc: this is an old-format \(\.doc\) or password-protected"):
        read_text(path)


# ---------------------------------------------------------------- formats by content


def test_formats_are_chosen_by_content_as_well_as_ending(tmp_path):
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff(b"\r\n<!DOCTYPE html><html>") == "html"
    pdf = write_pdf(tmp_path / "download", [["A report saved without its ending."]])
    assert format_of(pdf, pdf.read_bytes()[:8192]) == "pdf"
    assert read_text(pdf).text == "A report saved without its ending."
    # A folder finds it too, and leaves other files without an ending alone.
    (tmp_path / "LICENSE").write_text("MIT License\n", encoding="utf-8")
    assert find_source_files([tmp_path]) == [pdf]
    # A .txt that holds a PDF is read as the PDF it is.
    copy = tmp_path / "saved.txt"
    copy.write_bytes(pdf.read_bytes())
    assert read_text(copy).format == "pdf"


def test_a_pdf_that_is_really_an_error_page_is_refused(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_text("<!DOCTYPE html><html><body>404 Not Found</body></html>", encoding="utf-8")
    with pytest.raises(SourceError, match=r"report\.pdf: named as a PDF but it is not one .*download it again"):
        read_text(path)


# ---------------------------------------------------------------- bounded work and the cache


def test_a_parse_past_its_deadline_is_stopped_with_a_clear_message(tmp_path, monkeypatch):
    pdf = write_pdf(tmp_path / "r.pdf", [["Some text."]])
    monkeypatch.setattr(reader, "TIMEOUT_S", 0.001)  # the child cannot even start in that time
    with pytest.raises(SourceError, match=r"r\.pdf: this PDF took over 0 s to read; it may be damaged or built to loop"):
        reader.read_source(pdf, tmp_path / "cache")
    # A stopped parse is not cached as the file's answer: with time, it is read.
    monkeypatch.setattr(reader, "TIMEOUT_S", 60.0)
    assert reader.read_source(pdf, tmp_path / "cache").text == "Some text."


def test_a_parsed_text_is_cached_by_content_and_never_parsed_again(tmp_path, monkeypatch):
    pdf = write_pdf(tmp_path / "r.pdf", [["Some text on page one."], ["More on page two."]])
    cache = tmp_path / "cache"
    first = reader.read_source(pdf, cache)

    def no_child():
        raise AssertionError("a warm read started a parser")

    monkeypatch.setattr(reader, "_Child", no_child)
    assert reader.read_source(pdf, cache) == first
    # The same bytes under another name are the same entry.
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(pdf.read_bytes())
    assert reader.read_source(copy, cache) == first


def test_a_damaged_cache_entry_is_reported_and_parsed_again(tmp_path):
    pdf = write_pdf(tmp_path / "r.pdf", [["Some text."]])
    cache = tmp_path / "cache"
    first = reader.read_source(pdf, cache)
    [entry] = cache_blobs(cache, reader.KIND)
    entry.write_bytes(entry.read_bytes()[:-5])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert reader.read_source(pdf, cache) == first
    assert [str(w.message) for w in caught] == [
        f"cache entry extracted/{entry.name[:16]} (the text of {display_path(pdf)}) is damaged "
        "(its checksum does not match); reading the file again"]


def test_many_files_are_parsed_by_one_child_and_a_bad_one_does_not_stop_the_rest(tmp_path):
    good = [write_pdf(tmp_path / f"{n}.pdf", [[f"Report number {n}."]]) for n in range(3)]
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing else")
    got = reader.read_sources([good[0], bad, good[1], good[2]], None)
    assert [g.text if isinstance(g, Extracted) else "error" for g in got] == [
        "Report number 0.", "error", "Report number 1.", "Report number 2."]
    assert str(got[1]).startswith("bad.pdf: cannot read this PDF") or "bad.pdf" in str(got[1])


def test_the_format_registry_is_what_the_schema_the_hook_and_the_reports_name():
    import json
    import re
    from pathlib import Path

    from verifier.formats import FORMATS, LISTED

    root = Path(__file__).resolve().parents[2]
    for schema in (root / "schemas" / "claims.schema.json", root / "verifier" / "schemas" / "claims.schema.json"):
        assert f"({LISTED})" in schema.read_text(encoding="utf-8")
    report = json.loads((root / "verifier" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    enum = json.dumps(report)
    assert all(f'"{name}"' in enum for name in FORMATS)
    hook = (root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    pattern = re.search(r"seeds/\.\*\\\.\(([^)]*)\)", hook).group(1)
    for f in FORMATS.values():
        for suffix in f.suffixes:
            assert re.fullmatch(pattern, suffix[1:]), (suffix, pattern)


def test_a_sources_date_is_its_dateline_never_a_generators_default(tmp_path):
    from datetime import datetime

    from verifier.formats.dating import PYTHON_DOCX_TEMPLATE, content_date, real_created

    assert content_date(" date 2021-09-07 By Vugar Khalilov\n\nThe drills began.") == "2021-09-07"
    assert content_date("BAKU, September 7, 2021. The drills began.") == "2021-09-07"
    assert content_date("The drills began in 2021.") is None           # a year is no dateline
    assert content_date("x" * 500 + " On 7 September 2021 they met.") is None  # far from the opening lines
    assert real_created(PYTHON_DOCX_TEMPLATE) is None
    assert real_created(datetime(2021, 9, 7, 10)) == datetime(2021, 9, 7, 10)
    # A Word file made from python-docx's template, with no date of its own: no date, not 2013-12-23.
    path = write_docx(tmp_path / "plain.docx", [("p", "The joint drills began in Lachin.")])
    assert read_document(path).extracted.date is None
    path = write_docx(tmp_path / "dated.docx", [("p", "Baku, 7 September 2021"), ("p", "The drills began.")])
    assert read_document(path).extracted.date == "2021-09-07"
