"""Segment source texts into sentences with offsets into the text read, and read source files as Documents."""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .errors import SourceError
from .formats import ALL_SUFFIXES, LISTED, Extracted, sniff
from .paths import display_path, expand_paths, read_error

SOURCE_SUFFIXES = ALL_SUFFIXES

_TERMINAL = tuple(".!?:;\"'”’)]")
_MARKER = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,3}[.)][ \t]+|>[ \t]*)+", re.MULTILINE)
# A dateline or byline ("date 2021-09-07 By Vugar Khalilov", "By Jane Roe", "Posted on 7 September
# 2021"): a line of its own, never glued to the title above it or the first sentence below it.
_DATELINE = re.compile(r"^(?:(?i:date|dated|posted|published|updated)\b.*\d|(?i:by)\s+[A-Z][a-z]+\s+[A-Z]|\d{4}-\d{2}-\d{2}\b)")


def _is_dateline(line: str) -> bool:
    return len(line) < 80 and _DATELINE.match(line) is not None
_STRUCTURAL = re.compile(r"^[ \t]*(?:#{1,6}[ \t]|[-*+][ \t]|\d{1,3}[.)][ \t]|>|\|)")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
# The sentence splitter gets at most this many characters at once: far more than any paragraph of an
# ordinary file, so those are split whole; a block longer than this is split window by window.
SPLIT_WINDOW = 1 << 20


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document: ``document.text[start:end] == text`` always holds."""

    doc: str
    index: int
    start: int
    end: int
    text: str
    line: int
    column: int
    block: int


@dataclass(frozen=True)
class Document:
    """A source file's text as read (see verifier/formats) and its sentences."""

    path: str
    text: str
    sentences: tuple[Sentence, ...] = field(default=())
    extracted: Extracted | None = None  # its pages, sections and metadata

    def page_at(self, offset: int) -> int | None:
        return self.extracted.page_at(offset) if self.extracted else None

    def section_at(self, offset: int) -> str | None:
        return self.extracted.section_at(offset) if self.extracted else None


# ---------------------------------------------------------------- normalisation

_CHAR_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
}
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalise for matching (NFKC, case, quotes, dashes, white space) keeping a map back.

    Returns the normalised string and, for each of its characters, the index of the
    original character it came from, so any match can be mapped to original offsets.
    """
    out: list[str] = []
    origin: list[int] = []
    last_space = True
    for i, ch in enumerate(text):
        if ch in _INVISIBLE or unicodedata.category(ch) == "Mn":
            continue
        piece = _CHAR_MAP.get(ch)
        if piece is None:
            piece = unicodedata.normalize("NFKC", ch).casefold()
            piece = "".join(_CHAR_MAP.get(c, c) for c in piece)
        for c in piece:
            if c.isspace():
                if last_space:
                    continue
                c = " "
                last_space = True
            else:
                last_space = False
            out.append(c)
            origin.append(i)
    while out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


class _Pieces(dict):
    """What each character becomes in a normalised text, worked out once per character.

    A ``str.translate`` table: exactly the per-character steps of :func:`normalize_with_map`.
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in _INVISIBLE or unicodedata.category(ch) == "Mn":
            piece = ""
        else:
            piece = _CHAR_MAP.get(ch)  # type: ignore[assignment]
            if piece is None:
                piece = "".join(_CHAR_MAP.get(c, c) for c in unicodedata.normalize("NFKC", ch).casefold())
        self[code] = piece
        return piece


_PIECES = _Pieces()


def normalize(text: str) -> str:
    """The normalised form of ``text`` used for every comparison: ``normalize_with_map(text)[0]``.

    Computed without the map, by a cached translation table and one split, since it runs on every
    sentence a claim is scored against: ~20 times as fast as the character loop.
    """
    # str.split() and str.isspace() share one definition of white space, so this collapses
    # and trims exactly the characters the loop in normalize_with_map does.
    return " ".join(text.translate(_PIECES).split())


# ---------------------------------------------------------------- segmentation


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line, without its line break (\\n, \\r\\n or \\r)."""
    for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", text):
        if m.start() == len(text) and m.end() == m.start():
            break
        line = m.group(0).rstrip("\r\n")
        yield m.start(), m.start() + len(line)


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Spans of text that sentences never cross: paragraphs, headings, list items, lines.

    A single line break joins two lines only when it looks like hard-wrapped prose: the
    line does not end a sentence and the next one goes on in lower case, or the line is long.
    """
    start = end = -1
    prev = ""
    in_fence = False
    for ls, le in _lines(text):
        line = text[ls:le]
        if _FENCE.match(line):
            in_fence = not in_fence
            if start >= 0:
                yield start, end
            start = -1
            continue
        if in_fence:
            continue
        stripped = line.strip()
        if not stripped:
            if start >= 0:
                yield start, end
            start = -1
            continue
        joins = start >= 0 and _continues(prev, line)
        if joins:
            end = le
        else:
            if start >= 0:
                yield start, end
            start, end = ls, le
        prev = line
    if start >= 0:
        yield start, end


def _continues(prev: str, line: str) -> bool:
    """Whether ``line`` carries on the sentence of ``prev`` (hard-wrapped prose or a list item)."""
    if _STRUCTURAL.match(line) or prev.rstrip().endswith(_TERMINAL):
        return False
    if _is_dateline(line.strip()) or _is_dateline(prev.strip()):
        return False
    first = line.strip()[0]
    if _STRUCTURAL.match(prev):
        return line[:1] in (" ", "\t") or first.islower()
    return first.islower() or len(prev) >= 60


def _split_sentences(chunk: str) -> list[tuple[int, int]]:
    import blingfire

    if not chunk.strip():
        return []
    _, offsets = blingfire.text_to_sentences_and_offsets(chunk)
    return [(int(a), int(b)) for a, b in offsets]


def _block_sentences(text: str, bs: int, be: int) -> Iterator[tuple[int, int]]:
    """Sentence spans of ``text[bs:be]`` (offsets into ``text``), at most SPLIT_WINDOW characters at a time.

    A block of any ordinary file fits one window and is split whole, as it always was. A longer one
    (a file that is one line of a million sentences) is split window by window: the last sentence of
    a window may be cut, so it is split again at the start of the next window. The splitter and its
    output never hold more than one window.
    """
    pos = bs
    while pos < be:
        end = min(be, pos + SPLIT_WINDOW)
        # Line breaks inside a block become spaces of the same length, so offsets hold.
        spans = _split_sentences(re.sub(r"[\r\n]", " ", text[pos:end]))
        if end < be and len(spans) > 1:
            yield from ((pos + a, pos + b) for a, b in spans[:-1])
            pos += spans[-1][0]
        else:
            yield from ((pos + a, pos + b) for a, b in spans)
            pos = end


def iter_spans(text: str) -> Iterator[tuple[int, int, int, int, int]]:
    """(start, end, line, column, block) of each sentence of ``text``, one at a time.

    :func:`segment` makes Sentences of them; the index of a large source keeps them in an array,
    since a Sentence object per sentence takes far more memory than five integers.
    """
    line_starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    for block_no, (bs, be) in enumerate(_blocks(text)):
        m = _MARKER.match(text, bs, be)
        if m:
            bs = m.end()
        for s, e in _block_sentences(text, bs, be):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s >= e or not any(ch.isalnum() for ch in text[s:e]):
                continue
            line = bisect.bisect_right(line_starts, s)
            yield s, e, line, s - line_starts[line - 1] + 1, block_no


def segment(text: str, doc: str = "") -> tuple[Sentence, ...]:
    """Split ``text`` into sentences whose offsets index the original string."""
    sentences = segment_upto(text, doc, None)
    assert sentences is not None
    return sentences


def segment_upto(text: str, doc: str, limit: int | None) -> tuple[Sentence, ...] | None:
    """:func:`segment`, or None as soon as there are more than ``limit`` sentences, before making the rest."""
    sentences: list[Sentence] = []
    for s, e, line, column, block in iter_spans(text):
        if limit is not None and len(sentences) >= limit:
            return None
        sentences.append(Sentence(doc=doc, index=len(sentences), start=s, end=e, text=text[s:e],
                                  line=line, column=column, block=block))
    return tuple(sentences)


# ---------------------------------------------------------------- reading


def find_source_files(paths: Iterable[Path]) -> list[Path]:
    """Expand files and folders into source files, each once, in a stable order.

    A folder gives the files with a source ending, and files with no ending whose first bytes say
    they are a PDF, a Word file or a web page (a download saved without its name).
    """
    return expand_paths(
        paths, SOURCE_SUFFIXES,
        empty_folder=lambda p: SourceError(f"{display_path(p)}: no source files ({LISTED}) in this folder"),
        missing=lambda p: SourceError(f"{display_path(p)}: source not found: no such file or folder"),
        unreadable=lambda p, e: SourceError(f"{display_path(p)}: cannot read the folder: {read_error(e)}"),
        also=_signed_source,
    )


def _signed_source(path: Path) -> bool:
    if path.suffix:
        return False
    try:
        with path.open("rb") as fh:
            return sniff(fh.read(8192)) in ("pdf", "docx", "html")
    except OSError:
        return False


def read_text(path: Path, cache: Path | None = None) -> Extracted:
    """The text verifier reads from one source file of any format, or a SourceError that says why not."""
    from .formats.reader import read_source

    return read_source(path, cache)


def document(extracted: Extracted, shown: str, limit: int | None = None) -> Document | None:
    """A Document of an extracted text, or None when it has more than ``limit`` sentences.

    Segmenting stops at the first sentence over the limit, so a huge file costs its text, not
    a Sentence object per sentence.
    """
    sentences = segment_upto(extracted.text, shown, limit)
    if sentences is None:
        return None
    return Document(path=shown, text=extracted.text, sentences=sentences, extracted=extracted)


def read_document(path: Path, cache: Path | None = None) -> Document:
    """Read and segment one source file."""
    doc = document(read_text(path, cache), display_path(path))
    assert doc is not None
    return doc


def read_document_upto(path: Path, limit: int | None, cache: Path | None = None) -> Document | None:
    """:func:`read_document`, or None when the file has more than ``limit`` sentences."""
    return document(read_text(path, cache), display_path(path), limit)
