"""Sources to documents: find the files of each source list, read each once, and decide what an unreadable one means."""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Sequence

from .errors import SourceError, VerifierWarning
from .formats.reader import parsed_format, read_sources
from .paths import display_path
from .result import SourceInfo
from .sources import Document, document, find_source_files


def load_documents(source_lists: Sequence[tuple[Path, ...]], limit: int | None = None,
                   cache: Path | None = None,
                   skipped: dict[str, str] | None = None) -> dict[tuple[Path, ...], list[Document] | None]:
    """Expand each distinct list of sources once and read every file once.

    Returns, for each list, its documents in order; a file named by several lists is one Document.
    A list with more than ``limit`` sentences maps to None: it is too large to hold as Documents.

    A file named in a list that cannot be read is an error. One found in a folder is left out with
    a warning, and its reason put in ``skipped``: one damaged PDF must not stop a check against an
    archive of hundreds, but nor may it pass unnoticed.
    """
    by_file: dict[Path, Document | None] = {}
    failed: dict[Path, SourceError] = {}  # files that could not be read: a list that names one is told so
    out: dict[tuple[Path, ...], list[Document] | None] = {}
    for sources in dict.fromkeys(source_lists):
        named = _named(sources)
        files = find_source_files(sources)
        # Pages, PDFs and Word files are parsed in one go, sharing one child process; text files are
        # read one at a time, so a list too large to hold is given up before all of it is read.
        parsed = [f for f in files if f.resolve() not in by_file and parsed_format(f)]
        texts = dict(zip((f.resolve() for f in parsed), read_sources(parsed, cache)))
        docs: list[Document] | None = []
        total = 0
        for f in files:
            key = f.resolve()
            if key in failed:
                _skip(failed[key], f, named, skipped)
            if key not in by_file:
                got = texts.pop(key) if key in texts else read_sources([f], cache)[0]
                if isinstance(got, SourceError):
                    failed[key] = got
                    _skip(got, f, named, skipped)
                    by_file[key] = None
                    continue
                # Read no further than the limit needs: a huge file is never held as Sentences.
                doc = document(got, display_path(f), None if limit is None else limit - total + 1)
                if doc is None:
                    docs = None
                    break
                by_file[key] = doc
            doc = by_file[key]
            assert docs is not None
            if doc is not None and doc not in docs:
                docs.append(doc)
                total += len(doc.sentences)
            if limit is not None and total > limit:
                docs = None
                break
        out[sources] = docs
    return out


def readable_files(sources: tuple[Path, ...], cache: Path | None, skipped: dict[str, str]) -> list[Path]:
    """The files of a large source list that can be read: a named one that cannot is an error, as in
    :func:`load_documents`, one in a folder a warning. Texts are read one at a time and dropped (parsed
    ones stay cached for the index to read)."""
    named = _named(sources)
    out = []
    for f in find_source_files(sources):
        got = read_sources([f], cache)[0]
        if isinstance(got, SourceError):
            _skip(got, f, named, skipped)
        else:
            out.append(f)
    return out


def _named(sources: tuple[Path, ...]) -> set[Path]:
    """The files a source list names itself, as against those found in its folders."""
    return {Path(p).resolve() for p in sources if Path(p).is_file()}


def _skip(error: SourceError, path: Path, named: set[Path], skipped: dict[str, str] | None) -> None:
    """A source that cannot be read: an error when the list names it, else a warning, and left out."""
    if path.resolve() in named:
        raise error
    shown = display_path(path)
    if skipped is not None and shown in skipped:
        return
    warnings.warn(f"{error}; skipped: the other sources are still used", VerifierWarning, stacklevel=3)
    if skipped is not None:
        why = str(error)
        skipped[shown] = why[len(shown) + 2:] if why.startswith(shown + ": ") else why


def source_infos(docs: Sequence[Document], skipped: dict[str, str]) -> tuple[SourceInfo, ...]:
    """The report's list of sources: the documents read, and the files left out and why."""
    out = []
    for d in docs:
        x = d.extracted
        out.append(SourceInfo(path=d.path, format=x.format if x else "text", title=x.title if x else None,
                              date=x.date if x else None, pages=len(x.pages) if x and x.pages else None,
                              sentences=len(d.sentences)))
    out += [SourceInfo(path=p, format="unreadable", skipped=why) for p, why in skipped.items()]
    return tuple(sorted(out, key=lambda i: i.path))


def check_readable(claims_sources: Sequence[tuple[Path, ...]], docs_for: dict[tuple[Path, ...], list[Document] | None],
                   skipped: dict[str, str]) -> None:
    """Stop with a clear error when no source of any claim holds text to check against."""
    all_docs = {d.path: d for docs in docs_for.values() if docs is not None for d in docs}
    if claims_sources and all(d is not None for d in docs_for.values()) and \
            not any(d.sentences for d in all_docs.values()):
        if not all_docs and skipped:
            raise SourceError("no source could be read (" + ", ".join(sorted(skipped)) +
                              "; see the warnings above): fix or replace those files, or name readable ones")
        raise SourceError("the sources hold no text to check claims against: " + ", ".join(sorted(all_docs)))
