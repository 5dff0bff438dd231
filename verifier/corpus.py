"""Candidate quotes from the sources: every sentence scored for small source lists, a short-list from an index for large ones.

Small lists (up to ``Settings.exact_limit`` sentences) are held as Documents, each sentence and
window embedded and scored (verifier/retrieve.py). Larger ones are searched through a
:class:`Corpus`: the local memory-mapped index (verifier/index.py) or the shared one in PostgreSQL
(verifier/pg_index.py), which give a short-list that the sentence model then re-scores.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Protocol, Sequence

import numpy as np

from .components import Built
from .documents import readable_files
from .models.embed import Embedder
from .retrieve import Candidate, DocIndex, build_index, candidates, shortlist_candidates
from .sources import Document

# Sentences of one source embedded at a time: what the indexing bar moves by. The default model
# takes one text a call, so this changes no result.
EMBED_CHUNK = 1024


class Corpus(Protocol):
    """An index of many files' sentences that a short-list is searched in."""

    @property
    def shown(self) -> Sequence[str]:
        """Each file as reports name it."""
        ...

    @property
    def offsets(self) -> np.ndarray:
        """The first sentence id of each file, and the total at the end."""
        ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest sentence ids of each query and their scores (-1 where there are fewer)."""
        ...

    def locate(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(file number, sentence number in that file) of each sentence id."""
        ...

    def first_pass_vectors(self, file_no: int, local: Sequence[int]) -> np.ndarray:
        """The first-pass vectors of some sentences of one file."""
        ...

    def document(self, file_no: int) -> Document:
        """A file as a Document (its sentences, for quotes and windows)."""
        ...


def index_documents(docs: Sequence[Document], built: Built) -> dict[str, DocIndex]:
    """Embed every sentence of the documents (cached by content) and index sentences and windows."""
    embedder = built.embedder
    if docs:
        built.progress.say(f"indexing {len(docs)} source files")
    bar = built.progress.bar("indexing sources", "sentence", sum(len(d.sentences) for d in docs))
    indexes: dict[str, DocIndex] = {}
    for doc in docs:
        texts = [s.text for s in doc.sentences]
        chunks = []
        # In pieces, so the bar moves through a long source too (a source's pieces are cached as such).
        for i in range(0, len(texts), EMBED_CHUNK):
            chunks.append(embedder.embed(texts[i : i + EMBED_CHUNK]))
            bar.update(len(chunks[-1]))
        vecs = np.concatenate(chunks) if chunks else np.zeros((0, 1), np.float32)
        indexes[doc.path] = build_index(doc, vecs)
    bar.close()
    return indexes


def exact_candidates(text: str, vector: np.ndarray, docs: Sequence[Document],
                     indexes: dict[str, DocIndex]) -> list[Candidate]:
    """A claim's candidates from a source list held whole."""
    return candidates(text, vector, [indexes[d.path] for d in docs])


def shortlisted(texts: Sequence[str], vectors: np.ndarray, sources: tuple[Path, ...], built: Built,
                skipped: dict[str, str], conn: Any = None) -> list[list[Candidate]]:
    """The candidates of claims that share one large source list, from its index's short-list."""
    s = built.settings
    first = built.first_pass
    files = readable_files(sources, s.cache_dir, skipped)
    from . import pg_index

    where = f" in {pg_index.mask(s.index_url)}" if conn is not None and s.index_url else ""
    built.progress.say(f"indexing {len(files)} source files for the short-list{where}")
    with tempfile.TemporaryDirectory(prefix="verifier-index-") as scratch:
        bar = built.progress.bar("indexing sources", "sentence")
        corpus = open_corpus(files, first, built, Path(scratch), conn, bar.update)
        bar.close()
        return shortlist_candidates(texts, vectors, first.embed(list(texts)), corpus, built.embedder,
                                    shortlist=s.shortlist, rerank=s.rerank)


def open_corpus(files: Sequence[Path], first: Embedder, built: Built, scratch: Path, conn: Any,
                progress: Any) -> Corpus:
    """The index of ``files``: given by the components, the shared one where the settings name it, else local."""
    s = built.settings
    if built.given.index is not None:
        return built.given.index(files, first)
    if conn is not None and s.index_url:
        from .pg_index import PgCorpus

        return PgCorpus.build(conn, s.index_url, files, first, s.cache_dir, progress=progress)
    from .index import CorpusIndex

    # Without a cache the index still needs a folder to be memory-mapped from: a temporary one.
    return CorpusIndex.build(files, first, s.cache_dir or scratch, s.ann_limit, progress=progress)
