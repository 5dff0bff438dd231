"""Source lists to documents: every file read once, a named file that cannot be read an error, one in a folder a warning."""
from __future__ import annotations

from pathlib import Path

import pytest

from verifier.documents import check_readable, load_documents, readable_files, source_infos
from verifier.errors import SourceError, VerifierWarning
from verifier.formats import Extracted
from verifier.sources import Document


@pytest.fixture
def src(tmp_path, monkeypatch):
    """A folder of two readable sources and one that is not UTF-8, with the working folder above it."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "a.txt").write_text("The drills began in Lachin. They lasted five days.\n", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"Bad \xff byte here.\n")
    (folder / "c.md").write_text("# Notes\n\nTurkey sent servicemen.\n", encoding="utf-8")
    return Path("src")


def test_a_file_named_by_several_lists_is_one_document_read_once(src):
    one, two = (src / "a.txt",), (src / "c.md", src / "a.txt")
    got = load_documents([one, two, one])
    assert list(got) == [one, two]
    assert [d.path for d in got[two]] == ["src/c.md", "src/a.txt"]
    assert got[one][0] is got[two][1]
    assert [s.text for s in got[one][0].sentences] == ["The drills began in Lachin.", "They lasted five days."]


def test_a_list_over_the_sentence_limit_is_not_held(src):
    lists = [(src / "a.txt",), (src / "a.txt", src / "c.md")]
    got = load_documents(lists, limit=2)
    assert got[lists[0]] is not None and got[lists[1]] is None
    assert load_documents(lists, limit=1) == {lists[0]: None, lists[1]: None}
    assert all(v is not None for v in load_documents(lists, limit=4).values())
    assert load_documents(lists, limit=3)[lists[1]] is None  # four sentences: one over


def test_a_named_file_that_cannot_be_read_is_an_error(src):
    with pytest.raises(SourceError, match=r"^src/b\.txt:1: source is not valid UTF-8") as e:
        load_documents([(src / "a.txt", src / "b.txt")])
    assert e.value.exit_code == 2


def test_a_file_in_a_folder_that_cannot_be_read_is_left_out_with_a_warning_once(src):
    skipped: dict[str, str] = {}
    with pytest.warns(VerifierWarning, match=r"src/b\.txt:1: source is not valid UTF-8.*; skipped: the other sources"
                      ) as caught:
        got = load_documents([(src,), (src, src / "a.txt")], skipped=skipped)
    assert len(caught) == 1
    assert [d.path for d in got[(src,)]] == ["src/a.txt", "src/c.md"]
    assert list(skipped) == ["src/b.txt"] and "not valid UTF-8" in skipped["src/b.txt"]


def test_a_named_file_is_an_error_even_after_a_folder_skipped_it(src):
    with pytest.warns(VerifierWarning):
        with pytest.raises(SourceError, match=r"src/b\.txt"):
            load_documents([(src,), (src / "b.txt",)])


def test_readable_files_keeps_the_files_that_read_and_judges_the_rest_the_same_way(src):
    skipped: dict[str, str] = {}
    with pytest.warns(VerifierWarning, match=r"src/b\.txt"):
        assert readable_files((src,), None, skipped) == [src / "a.txt", src / "c.md"]
    assert list(skipped) == ["src/b.txt"]
    with pytest.raises(SourceError, match=r"src/b\.txt"):
        readable_files((src / "b.txt",), None, {})


def test_the_source_list_of_a_report_is_sorted_and_names_what_was_skipped(src):
    docs = load_documents([(src / "c.md", src / "a.txt")])[(src / "c.md", src / "a.txt")]
    pdf = Document(path="src/r.pdf", text="x", extracted=Extracted(text="x", format="pdf", pages=(0, 1, 1),
                                                                   title="Report", date="2021-09-07"))
    infos = source_infos([*docs, pdf], {"src/b.txt": "not valid UTF-8"})
    assert [(i.path, i.format, i.sentences, i.skipped) for i in infos] == [
        ("src/a.txt", "text", 2, None), ("src/b.txt", "unreadable", None, "not valid UTF-8"),
        ("src/c.md", "markdown", 2, None), ("src/r.pdf", "pdf", 0, None)]
    assert (infos[3].title, infos[3].date, infos[3].pages) == ("Report", "2021-09-07", 3)
    assert infos[0].pages is None and infos[2].title == "Notes"


def test_sources_without_any_text_stop_the_run_with_a_clear_error(src):
    (src / "empty.txt").write_text("  \n\n", encoding="utf-8")
    lists = [(src / "empty.txt",)]
    with pytest.raises(SourceError, match=r"^the sources hold no text to check claims against: src/empty\.txt$"):
        check_readable(lists, load_documents(lists), {})


def test_sources_that_all_failed_to_read_name_the_files(src):
    lists = [(Path("only"),)]
    with pytest.raises(SourceError, match=r"^no source could be read \(only/b\.txt, only/c\.pdf; see the warnings"):
        check_readable(lists, {lists[0]: []}, {"only/c.pdf": "scan", "only/b.txt": "damaged"})


def test_readable_text_a_list_too_large_to_hold_or_no_claims_are_no_error(src):
    lists = [(src / "a.txt",)]
    check_readable(lists, load_documents(lists), {})
    check_readable(lists, {lists[0]: None}, {})
    check_readable([], {}, {"src/b.txt": "damaged"})
