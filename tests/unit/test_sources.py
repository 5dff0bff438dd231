from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.errors import SourceError
from verifier.sources import find_source_files, normalize, normalize_with_map, read_document, segment


def texts(t: str) -> list[str]:
    return [s.text for s in segment(t)]


def test_abbreviations_decimals_and_quotes_do_not_break_sentences():
    t = ('Dr. Smith moved to the U.S. in 1999. The rate rose by 3.5 percent. '
         '"We will not retreat," the minister said. Talks resumed.')
    assert texts(t) == ["Dr. Smith moved to the U.S. in 1999.", "The rate rose by 3.5 percent.",
                        '"We will not retreat," the minister said.', "Talks resumed."]


def test_markdown_blocks_headings_lists_and_code():
    t = "# A title\n\nSome prose that is\nhard-wrapped here. Second one.\n\n- first item\n- second item\n\n```\ncode. not text.\n```\n"
    assert texts(t) == ["A title", "Some prose that is\nhard-wrapped here.", "Second one.", "first item", "second item"]


def test_lines_without_punctuation_are_separate_sentences():
    assert texts("Eric Kohn\nJul 16, 2017\nThe crowd at Fantasia\n") == ["Eric Kohn", "Jul 16, 2017", "The crowd at Fantasia"]


def test_line_and_column_with_crlf():
    sents = segment("First line.\r\n\r\nSecond. Third.\r\n")
    assert [(s.line, s.column) for s in sents] == [(1, 1), (3, 1), (3, 9)]


def test_seed_offsets_and_curly_apostrophe(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    doc = read_document(root / "seeds" / "000_02d9999218a401c2.txt")
    assert len(doc.sentences) == 13
    for s in doc.sentences:
        assert doc.text[s.start:s.end] == s.text
    assert "Azerbaijan\u2019s victory" in doc.sentences[9].text
    assert "azerbaijan's victory" in normalize(doc.sentences[9].text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n\r-#*\u2019\u200b\u00e9\U0001F600 1,\"")), max_size=200))
def test_offsets_always_index_the_original(text):
    for s in segment(text):
        assert text[s.start:s.end] == s.text
        assert s.text == s.text.strip() and s.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_normalize_map_points_into_the_original(text):
    norm, origin = normalize_with_map(text)
    assert len(norm) == len(origin)
    assert origin == sorted(origin)
    assert all(0 <= i < len(text) for i in origin)


def test_normalize_folds_quotes_dashes_case_space():
    assert normalize("The \u201cBIG\u201d  war \u2014 it\u2019s\u00a0over") == "the \"big\" war - it's over"


def test_bad_sources(tmp_path):
    with pytest.raises(SourceError, match="source not found"):
        find_source_files([tmp_path / "missing.txt"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourceError, match="no source files"):
        find_source_files([tmp_path / "empty"])
    b = tmp_path / "bin.txt"
    b.write_bytes(b"abc\x00def")
    with pytest.raises(SourceError, match="binary"):
        read_document(b)
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"line one\ncaf\xe9\n")
    with pytest.raises(SourceError, match=r"latin.txt:2: source is not valid UTF-8"):
        read_document(latin)


def test_a_block_longer_than_the_window_is_split_as_if_whole(monkeypatch):
    import verifier.sources as sources

    line = "".join(f"Sample {i} of the series measured {i % 97} units. Dr. Smith agreed in 2.5 days! " for i in range(300))
    text = "Title\n\n" + line + "\nLast line here."
    whole = [(s.start, s.end, s.line, s.column, s.block) for s in segment(text)]
    monkeypatch.setattr(sources, "SPLIT_WINDOW", 250)
    windowed = [(s.start, s.end, s.line, s.column, s.block) for s in segment(text)]
    assert windowed == whole
    assert all(text[s.start : s.end] == s.text for s in segment(text))


def test_reading_stops_at_the_limit(tmp_path):
    from verifier.sources import read_document_upto

    f = tmp_path / "a.txt"
    f.write_text("The first one is here. The second one follows. The third ends it.\n")
    assert len(read_document_upto(f, 3).sentences) == 3
    assert read_document_upto(f, 2) is None


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=60))
def test_normalize_is_the_text_normalize_with_map_gives(text):
    assert normalize(text) == normalize_with_map(text)[0]


def test_normalize_agrees_with_the_map_on_every_character():
    for code in range(0, 0x110000, 7):  # every seventh code point, alone and between others
        for text in (chr(code), f"a{chr(code)}b", f" {chr(code)} \u00a0{chr(code)}"):
            assert normalize(text) == normalize_with_map(text)[0], hex(code)


def test_a_dateline_is_its_own_unit_never_glued_to_the_title_or_the_first_sentence():
    text = ("Azerbaijan and Turkey hold joint drills in Lachin\n"
            "date 2021-09-07 By Vugar Khalilov\n"
            "The Azerbaijani-Turkish joint tactical drills have kicked off in\n"
            "Lachin region.\n"
            "The report was\n"
            "dated and filed by the ministry.\n")
    assert [s.text for s in segment(text)] == [
        "Azerbaijan and Turkey hold joint drills in Lachin",
        "date 2021-09-07 By Vugar Khalilov",
        "The Azerbaijani-Turkish joint tactical drills have kicked off in\nLachin region.",
        "The report was\ndated and filed by the ministry.",  # prose that starts a line with "dated" stays whole
    ]
