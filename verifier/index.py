"""Vector indexes for large source sets: compact float16 storage, exact or approximate top-k, per-file entries.

Everything here is kept in the store (:mod:`verifier.store`): each file's entry is a blob, and the
arrays assembled from the entries, which are memory-mapped, stay plain files in a folder the store
owns (``folders/index/<key>/``), as does the distilled static model (``folders/static/<key>/``).
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import weakref
from array import array
from collections import OrderedDict
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator, Sequence

import numpy as np

from .models.embed import Embedder
from .sources import Document, Sentence, iter_spans, read_text
from .store import DIGEST, Store, blob_writer, file_sha256, folder_beside, key, open_blob, version
from .vectors import ANNIndex, ExactIndex, VectorIndex

# Above this many sentences an approximate (HNSW) index replaces the exact matrix product:
# measured in benchmarks/scale.py, exact search over 256-dim float16 rows passes ~25 ms a query there.
ANN_LIMIT = 250_000
# The store's kind for per-file entries (blobs) and assembled corpora (folders).
INDEX = "index"
# Sentences embedded, and rows of vectors copied, at a time: what bounds the memory of indexing a
# file of any size to its text, its spans (20 bytes a sentence) and one chunk.
CHUNK_ROWS = 8192
# Decoded source texts kept for quoting, in characters: files of a few MB each fill the 256-document
# cache long before this; a file of hundreds of MB is kept alone.
DOC_CACHE_CHARS = 1 << 28


def _header(out: Any, dtype: str, shape: tuple[int, int]) -> None:
    """The .npy header np.save writes for a C-ordered array of this dtype and shape."""
    np.lib.format.write_array_header_1_0(out, {"descr": dtype, "fortran_order": False, "shape": shape})


def _write_entry(path: Path, source: Path, embedder: Embedder, progress: Callable[[int], None] | None = None,
                 cache: Path | None = None) -> None:
    """Segment one file and embed its sentences into an index entry, a blob written as it goes.

    An entry is the SHA-256 of the rest, then two .npy arrays: the spans (start, end, line, column,
    block; int32) and the float16 vectors. Vectors are embedded and written CHUNK_ROWS at a time,
    so a file of millions of sentences never has them all in memory (nor Sentence objects).
    Raises OSError when the blob cannot be written.
    """
    text = read_text(source, cache).text
    spans = np.frombuffer(array("i", chain.from_iterable(iter_spans(text))), np.int32).reshape(-1, 5)
    with blob_writer(path) as out:
        np.lib.format.write_array(out, spans, allow_pickle=False)
        if not len(spans):
            np.lib.format.write_array(out, np.zeros((0, 1), np.float16), allow_pickle=False)
        for i in range(0, len(spans), CHUNK_ROWS):
            vecs = embedder.embed([text[a:b] for a, b in spans[i : i + CHUNK_ROWS, :2].tolist()])
            if i == 0:
                _header(out, "<f2", (len(spans), int(vecs.shape[1])))
            out.write(np.ascontiguousarray(vecs, "<f2").tobytes())
            if progress:
                progress(len(vecs))


def _read_entry(path: Path) -> tuple[np.ndarray, tuple[int, int], int]:
    """An entry's spans, and its vectors' shape and byte offset in its file.

    The vectors stay on disk: the checksum is computed block by block, and _entry_vectors reads rows.

    Raises:
        FileNotFoundError: there is no entry.
        ValueError: the entry is damaged (its checksum, or arrays of another shape).
        OSError: it cannot be read.
    """
    with open_blob(path) as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(DIGEST)
        spans = np.lib.format.read_array(fh, allow_pickle=False)
        magic = np.lib.format.read_magic(fh)
        read_header = np.lib.format.read_array_header_1_0 if magic == (1, 0) else \
            np.lib.format.read_array_header_2_0
        shape, fortran, dtype = read_header(fh)
        offset = fh.tell()
    if (spans.dtype == np.int32 and spans.ndim == 2 and spans.shape[1] == 5 and not fortran
            and dtype == np.float16 and len(shape) == 2 and shape[0] == len(spans)
            and offset + shape[0] * shape[1] * 2 == size):
        return spans, (int(shape[0]), int(shape[1])), offset
    raise ValueError("its arrays are not those of an index entry")


def _entry_vectors(fh: BinaryIO, shape: tuple[int, int], offset: int) -> Iterator[np.ndarray]:
    """An entry's vectors, CHUNK_ROWS rows at a time, read from its open file."""
    fh.seek(offset)
    for start in range(0, shape[0], CHUNK_ROWS):
        rows = min(CHUNK_ROWS, shape[0] - start)
        yield np.frombuffer(fh.read(rows * shape[1] * 2), "<f2").reshape(rows, shape[1])


def _stored_entry(store: Store, name: str, path: Path) -> tuple[np.ndarray, tuple[int, int], int] | None:
    """The entry in the store, or None when there is none or it is damaged (reported once)."""
    try:
        return _read_entry(path)
    except ValueError as e:
        store.damaged(INDEX, name, str(e), "indexing that file again")
        return None
    except OSError:
        return None  # missing, or unreadable: as good as missing


def _written_entry(path: Path) -> tuple[np.ndarray, tuple[int, int], int]:
    """An entry this run wrote or found sound: one that cannot be read back now is an I/O error."""
    try:
        return _read_entry(path)
    except ValueError as e:
        raise OSError(f"{path}: the index entry cannot be read back ({e})") from e


def locate(offsets: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(file number, sentence number in that file) of corpus-wide sentence ids, given each file's first id."""
    f = np.searchsorted(offsets, ids, side="right") - 1
    return f, ids - offsets[f]


class SpanDocuments:
    """A corpus's files as Documents rebuilt from their stored spans, the most recently used kept.

    ``spans_of(file_no)`` gives a file's rows of (start, end, line, column, block); the text is read
    from the file (cached for parsed formats). A bounded cache: claims tend to hit the same few
    files, and a file of hundreds of MB is kept alone.
    """

    def __init__(self, files: Sequence[Path], shown: Sequence[str], cache: Path | None,
                 spans_of: Callable[[int], np.ndarray]) -> None:
        self.files, self.shown, self.cache, self.spans_of = files, shown, cache, spans_of
        self._docs: OrderedDict[int, Document] = OrderedDict()

    def __getitem__(self, file_no: int) -> Document:
        doc = self._docs.get(file_no)
        if doc is not None:
            self._docs.move_to_end(file_no)
            return doc
        shown, extracted = self.shown[file_no], read_text(self.files[file_no], self.cache)
        rows = self.spans_of(file_no)
        doc = Document(shown, extracted.text, SpanSentences(shown, extracted.text, rows),  # type: ignore[arg-type]
                       extracted)
        self._docs[file_no] = doc
        while len(self._docs) > 1 and (len(self._docs) > 256 or
                                       sum(len(d.text) for d in self._docs.values()) > DOC_CACHE_CHARS):
            self._docs.popitem(last=False)
        return doc


class CorpusIndex:
    """The sentences of many source files, searchable by a first-pass embedding.

    Each file's sentence spans and vectors form one entry, cached by the file's content hash,
    so an edited file is the only one embedded again. The entries are assembled into one
    float16 matrix (exact search) or an HNSW graph (above ``ann_limit``), both memory-mapped.
    Spans live in numpy arrays: a million Sentence objects would cost more memory than the vectors.
    """

    def __init__(self, files: list[Path], shown: list[str], offsets: np.ndarray, spans: np.ndarray,
                 vectors: np.ndarray, index: VectorIndex, cache: Path | None = None) -> None:
        self.files, self.shown, self.offsets, self.spans = files, shown, offsets, spans
        self.vectors, self.index = vectors, index
        self._docs = SpanDocuments(files, shown, cache, lambda f: np.asarray(self.spans[offsets[f] : offsets[f + 1]]))

    def __len__(self) -> int:
        return int(self.offsets[-1])

    @classmethod
    def build(cls, files: Sequence[Path], embedder: Embedder, cache_dir: Path, ann_limit: int = ANN_LIMIT,
              progress: Callable[[int], None] | None = None) -> "CorpusIndex":
        """Open the index of ``files``, embedding only files not indexed before.

        Args:
            files: source files, in a stable order.
            embedder: the first-pass embedder; its ``model_id`` keys every entry.
            cache_dir: where entries and assembled indexes live.
            ann_limit: sentences above which the HNSW graph replaces exact search.
            progress: called with the number of sentences indexed as it goes: each chunk of a file
                embedded now, each file found indexed at once.
        """
        from .formats.reader import content_key
        from .paths import display_path

        store = Store(cache_dir)
        hashes = [content_key(Path(f)) for f in files]
        # Entries and corpora depend on the first-pass model and on how texts are cut into sentences.
        model = (embedder.model_id, version("segmenter"))
        kind = "ann" if ann_limit is not None else "exact"
        name = key(INDEX, "corpus", *model, kind, str(ann_limit), *hashes)
        folder = store.folder(INDEX, name)
        opened = cls._open(store, name, folder)
        private = False
        if opened is None:
            folder, private = cls._assemble(store, folder, files, hashes, model, embedder, ann_limit, progress,
                                            cache_dir)
            opened = cls._open(store, name, folder)
            if opened is None:
                raise OSError(f"{folder}: the index just written cannot be read back")
        offsets, spans, vectors, index = opened
        corpus = cls([Path(f) for f in files], [display_path(Path(f)) for f in files], offsets, spans, vectors,
                     index, cache_dir)
        if private:  # assembled outside the store, which could not take it: gone with the index
            weakref.finalize(corpus, shutil.rmtree, folder, True)
        return corpus

    @staticmethod
    def _open(store: Store, name: str, folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, VectorIndex] | None:
        manifest = folder / "manifest.json"
        if not manifest.is_file():
            return None
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
            for file, digest in meta["checksums"].items():
                if file_sha256(folder / file) != digest:
                    raise ValueError(f"{file} does not match its checksum")
            offsets = np.load(folder / "offsets.npy", allow_pickle=False)
            spans = np.load(folder / "spans.npy", mmap_mode="r", allow_pickle=False)
            vectors = np.load(folder / "vectors.npy", mmap_mode="r", allow_pickle=False)
            index: VectorIndex
            if (folder / "ann.usearch").is_file():
                index = ANNIndex.load(folder / "ann.usearch")
            else:
                index = ExactIndex(int(vectors.shape[1]), vectors)
            return offsets, spans, vectors, index
        except (OSError, ValueError, KeyError, RuntimeError) as e:
            store.damaged(INDEX, name, str(e), "building it again", "an assembled index")
            shutil.rmtree(folder, ignore_errors=True)
            return None

    @staticmethod
    def _assemble(store: Store, folder: Path, files: Sequence[Path], hashes: list[str], model: tuple[str, str],
                  embedder: Embedder, ann_limit: int, progress: Callable[[int], None] | None,
                  cache_dir: Path | None = None) -> tuple[Path, bool]:
        """Write the corpus folder from per-file entries, embedding the files that have none.

        Returns the folder the index is in, and whether it is a private one outside the store (the
        store could not take it), to be deleted with the index.
        """
        try:
            tmp = folder_beside(folder)
        except OSError:  # a read-only or full cache folder must not fail the run
            tmp = Path(tempfile.mkdtemp(prefix="verifier-index-"))
        try:
            # First pass: an entry for every file, embedding those that have none. Only one file's
            # spans are in memory at a time, and its vectors never all at once.
            entries: list[tuple[Path, tuple[int, int], int]] = []
            aside: list[Path] = []
            for f, h in zip(files, hashes):
                name = key(INDEX, "entry", *model, h)
                path = store.blob_path(INDEX, name)
                got = _stored_entry(store, name, path)
                if got is None:
                    try:
                        _write_entry(path, Path(f), embedder, progress, cache_dir)
                    except OSError:
                        # A full or read-only store must not fail the run: keep this one aside.
                        path = tmp / f"{name}.entry"
                        aside.append(path)
                        _write_entry(path, Path(f), embedder, progress, cache_dir)
                    got = _written_entry(path)
                elif progress:
                    progress(got[1][0])
                entries.append((path, got[1], got[2]))
            counts = [shape[0] for _, shape, _ in entries]
            total = sum(counts)
            dim = next((shape[1] for _, shape, _ in entries if shape[0]), 1)
            offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
            np.save(tmp / "offsets.npy", offsets, allow_pickle=False)
            # Second pass: the arrays are written through file handles, not memory maps, whose
            # touched pages would count against the process's memory until the map is closed.
            ann = ANNIndex(dim) if total > ann_limit else None
            pending: list[np.ndarray] = []
            with open(tmp / "spans.npy", "wb") as spans_out, open(tmp / "vectors.npy", "wb") as vecs_out:
                _header(spans_out, "<i4", (total, 5))
                _header(vecs_out, "<f2", (total, dim))
                for path, shape, offset in entries:
                    if not shape[0]:
                        continue
                    got = _written_entry(path)
                    spans_out.write(np.ascontiguousarray(got[0], "<i4").tobytes())
                    with path.open("rb") as fh:
                        for vecs in _entry_vectors(fh, shape, offset):
                            vecs_out.write(vecs.tobytes())
                            if ann is not None:
                                pending.append(vecs)
                                if sum(len(p) for p in pending) >= 1 << 15:
                                    ann.add(np.concatenate(pending).astype(np.float32))
                                    pending = []
            names = ["offsets.npy", "spans.npy", "vectors.npy"]
            if ann is not None:
                if pending:
                    ann.add(np.concatenate(pending).astype(np.float32))
                ann.save(tmp / "ann.usearch")
                names.append("ann.usearch")
                del ann
            meta = {"sentences": total, "files": len(files), "checksums": {n: file_sha256(tmp / n) for n in names}}
            (tmp / "manifest.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
            for path in aside:
                path.unlink()
            try:
                shutil.rmtree(folder, ignore_errors=True)
                os.replace(tmp, folder)
            except OSError:
                return tmp, True  # the store cannot take it: the index is used from where it was built
            return folder, False
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.index.search(queries, k)

    def locate(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(file number, sentence number in that file) of global sentence ids."""
        return locate(self.offsets, ids)

    def first_pass_vectors(self, file_no: int, local: Sequence[int]) -> np.ndarray:
        return np.asarray(self.vectors[self.offsets[file_no] + np.asarray(local, np.int64)], np.float32)

    def document(self, file_no: int) -> Document:
        """The file as a Document, rebuilt from its stored spans without segmenting it again.

        Its sentences are made from the spans one at a time, when asked for: a file of a million
        sentences is quoted from without a million Sentence objects.
        """
        return self._docs[file_no]


class SpanSentences(Sequence[Sentence]):
    """A document's sentences, each made from its row of spans when it is asked for."""

    def __init__(self, doc: str, text: str, rows: np.ndarray) -> None:
        self.doc, self.text, self.rows = doc, text, rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return tuple(self[j] for j in range(*i.indices(len(self))))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        s, e, line, column, block = (int(x) for x in self.rows[i])
        return Sentence(self.doc, int(i), s, e, self.text[s:e], line, column, block)
