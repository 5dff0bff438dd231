"""Vector indexes for large source sets: compact float16 storage, exact or approximate top-k, per-file entries."""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tempfile
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence

import numpy as np

from .embed import Embedder, atomic_write_bytes, model_fingerprint
from .errors import ModelError, VerifierWarning
from .sources import SEGMENTER_VERSION, Document, Sentence, decode_source, segment

# Above this many sentences an approximate (HNSW) index replaces the exact matrix product:
# measured in benchmarks/scale.py, exact search over 256-dim float16 rows passes ~25 ms a query there.
ANN_LIMIT = 250_000
# The exact index keeps a float32 copy in memory up to this many bytes: the float16 -> float32
# conversion otherwise costs more than the product itself on every query.
EXACT_F32_BUDGET = 256 << 20
STATIC_PCA_DIMS = 256
INDEX_FORMAT = "1"


class VectorIndex(Protocol):
    """Top-k by inner product over L2-normalised rows; row ids are their order of addition.

    Anything that can add rows and return the k nearest (a local HNSW graph, OpenSearch k-NN,
    Qdrant, pgvector) fits behind this.
    """

    dim: int

    def __len__(self) -> int: ...

    def add(self, vectors: np.ndarray) -> None: ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, scores), each of shape (len(queries), k), best first; ids are -1 where fewer rows exist."""
        ...


def _top_k(scores: np.ndarray, base: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best columns per row, ties broken by the lower id so results never depend on order."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k] if k < scores.shape[1] else \
        np.tile(np.arange(scores.shape[1]), (scores.shape[0], 1))
    vals = np.take_along_axis(scores, part, 1)
    order = np.lexsort((part, -vals), axis=1)
    return np.take_along_axis(part, order, 1) + base, np.take_along_axis(vals, order, 1)


class ExactIndex:
    """Exact top-k by a matrix product over float16 rows (in memory or memory-mapped)."""

    def __init__(self, dim: int, vectors: np.ndarray | None = None) -> None:
        self.dim = dim
        self.vectors = vectors if vectors is not None else np.zeros((0, dim), np.float16)
        self._f32: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    def add(self, vectors: np.ndarray) -> None:
        self.vectors = np.concatenate([np.asarray(self.vectors), vectors.astype(np.float16)])
        self._f32 = None

    def save(self, path: Path) -> None:
        np.save(path, np.asarray(self.vectors, dtype=np.float16), allow_pickle=False)

    @classmethod
    def load(cls, path: Path) -> "ExactIndex":
        vecs = np.load(path, mmap_mode="r", allow_pickle=False)
        return cls(int(vecs.shape[1]), vecs)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        q = np.asarray(queries, np.float32)
        n = len(self)
        ids = np.full((len(q), k), -1, np.int64)
        scores = np.full((len(q), k), -np.inf, np.float32)
        if n == 0 or len(q) == 0:
            return ids, scores
        if self._f32 is None and n * self.dim * 4 <= EXACT_F32_BUDGET:
            self._f32 = np.asarray(self.vectors, np.float32)
        chunk = 1 << 16
        best_i, best_s = ids[:, :0], scores[:, :0]
        for s in range(0, n, chunk):
            block = self._f32[s : s + chunk] if self._f32 is not None else \
                np.asarray(self.vectors[s : s + chunk], np.float32)
            i, v = _top_k(q @ block.T, s, k)
            # Merge with the best so far; ids are unique across blocks, so ties resolve by id.
            cat_i, cat_s = np.concatenate([best_i, i], 1), np.concatenate([best_s, v], 1)
            order = np.lexsort((cat_i, -cat_s), axis=1)[:, :k]
            best_i, best_s = np.take_along_axis(cat_i, order, 1), np.take_along_axis(cat_s, order, 1)
        ids[:, : best_i.shape[1]] = best_i
        scores[:, : best_s.shape[1]] = best_s
        return ids, scores


class ANNIndex:
    """Approximate top-k from a usearch HNSW graph with int8 rows; saved and memory-mapped back."""

    def __init__(self, dim: int, dtype: str = "i8", connectivity: int = 16, expansion_add: int = 64,
                 expansion_search: int = 128, index: object | None = None) -> None:
        from usearch.index import Index

        self.dim = dim
        self._index = index if index is not None else Index(
            ndim=dim, metric="ip", dtype=dtype, connectivity=connectivity,
            expansion_add=expansion_add, expansion_search=expansion_search)

    def __len__(self) -> int:
        return len(self._index)  # type: ignore[arg-type]

    def add(self, vectors: np.ndarray, threads: int = 0) -> None:
        start = len(self)
        keys = np.arange(start, start + len(vectors), dtype=np.uint64)
        self._index.add(keys, np.asarray(vectors, np.float32), threads=threads)  # type: ignore[attr-defined]

    def save(self, path: Path) -> None:
        self._index.save(str(path))  # type: ignore[attr-defined]

    @classmethod
    def load(cls, path: Path, expansion_search: int = 128) -> "ANNIndex":
        from usearch.index import Index

        index = Index.restore(str(path), view=True)  # memory-mapped: nothing is copied into RAM
        if index is None:
            raise ValueError(f"{path.name}: not a usearch index")
        index.expansion_search = expansion_search
        return cls(index.ndim, index=index)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        q = np.asarray(queries, np.float32)
        ids = np.full((len(q), k), -1, np.int64)
        scores = np.full((len(q), k), -np.inf, np.float32)
        if len(self) == 0 or len(q) == 0:
            return ids, scores
        m = self._index.search(q, k, threads=0)  # type: ignore[attr-defined]
        keys = np.asarray(m.keys).reshape(len(q), -1).astype(np.int64)
        dist = np.asarray(m.distances, np.float32).reshape(len(q), -1)
        # One query comes back as Matches, several as BatchMatches with a count per query.
        counts = np.asarray(m.counts).reshape(-1) if hasattr(m, "counts") else np.array([keys.shape[1]])
        for r in range(len(q)):
            c = int(counts[r])
            # usearch's "ip" distance is 1 - inner product; sort again so ties break by id.
            order = np.lexsort((keys[r, :c], dist[r, :c]))
            ids[r, :c] = keys[r, :c][order]
            scores[r, :c] = 1.0 - dist[r, :c][order]
        return ids, scores


# ---------------------------------------------------------------- the static first pass


class StaticEmbedder:
    """A model2vec static model distilled from the sentence model: ~40x faster, used to short-list.

    Distilled offline from the local model folder once, then cached under the cache folder,
    keyed by that folder's content hash.
    """

    def __init__(self, model_path: Path, cache_dir: Path | None) -> None:
        self.model_path = Path(model_path)
        fp = model_fingerprint(self.model_path)
        self.model_id = f"model2vec-pca{STATIC_PCA_DIMS}-{fp}"
        self.folder = (cache_dir or Path(tempfile.gettempdir()) / "verifier-static") / "static" / self.model_id
        self._model = None

    def _load(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            try:
                from model2vec import StaticModel
            except ImportError as e:
                raise ModelError("large source sets need model2vec; run `pip install model2vec skeletoken`") from e
            if not (self.folder / "model.safetensors").is_file():
                self._distill()
            self._model = StaticModel.from_pretrained(str(self.folder))
        return self._model

    def _distill(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is on disk: never reach a hub
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from model2vec.distill import distill

            with _no_progress_bars():
                model = distill(model_name=str(self.model_path), pca_dims=STATIC_PCA_DIMS, device="cpu")
        except Exception as e:  # the distiller raises many kinds for a folder it cannot read
            raise ModelError(f"{self.model_path}: cannot distill a static model from it: {e}") from e
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=self.folder.parent, prefix=f".{self.folder.name}."))
        model.save_pretrained(str(tmp))
        try:
            os.replace(tmp, self.folder)  # another run may have won the race; its model is as good
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, STATIC_PCA_DIMS), np.float32)
        vecs = np.asarray(self._load().encode(list(texts), batch_size=2048), np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)


@contextlib.contextmanager
def _no_progress_bars() -> Iterator[None]:
    """Silence the progress bars of distilling: the report is the only output a run should print.

    transformers ("Loading weights") has a switch for its bars; model2vec's "Encoding tokens" bar has
    none, so its module's ``tqdm`` is swapped for a disabled one for the duration. Warnings and
    errors still reach the user: only the bars are turned off, not stderr.
    """
    from functools import partial

    from model2vec.distill import inference
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    bar = getattr(inference, "tqdm", None)
    if bar is not None:
        inference.tqdm = partial(bar, disable=True)
    try:
        yield
    finally:
        if bar is not None:
            inference.tqdm = bar
        if was_enabled:
            hf_logging.enable_progress_bar()


# ---------------------------------------------------------------- the corpus


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pack(*arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    for a in arrays:
        np.save(buf, a, allow_pickle=False)
    payload = buf.getvalue()
    return hashlib.sha256(payload).digest() + payload


def _unpack(path: Path, count: int) -> list[np.ndarray] | None:
    """The arrays of an entry, or None when missing; a damaged entry is reported and ignored."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(raw[32:]).digest() == raw[:32]:
        try:
            buf = io.BytesIO(raw[32:])
            return [np.load(buf, allow_pickle=False) for _ in range(count)]
        except (ValueError, OSError):
            pass
    warnings.warn(f"index entry {path.name} is damaged; indexing that file again", VerifierWarning, stacklevel=3)
    return None


def _file_checksum(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


class CorpusIndex:
    """The sentences of many source files, searchable by a first-pass embedding.

    Each file's sentence spans and vectors form one entry, cached by the file's content hash,
    so an edited file is the only one embedded again. The entries are assembled into one
    float16 matrix (exact search) or an HNSW graph (above ``ann_limit``), both memory-mapped.
    Spans live in numpy arrays: a million Sentence objects would cost more memory than the vectors.
    """

    def __init__(self, files: list[Path], shown: list[str], offsets: np.ndarray, spans: np.ndarray,
                 vectors: np.ndarray, index: VectorIndex) -> None:
        self.files, self.shown, self.offsets, self.spans = files, shown, offsets, spans
        self.vectors, self.index = vectors, index
        self._docs: OrderedDict[int, Document] = OrderedDict()

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
            progress: called with the number of sentences of each file as it is indexed.
        """
        from .paths import display_path

        root = cache_dir / "index" / f"{embedder.model_id}-{SEGMENTER_VERSION}-v{INDEX_FORMAT}"
        hashes = [_sha(Path(f).read_bytes()) for f in files]
        kind = "ann" if ann_limit is not None else "exact"
        key = _sha("\0".join([kind, str(ann_limit), *hashes]).encode())[:32]
        folder = root / "corpus" / key
        opened = cls._open(folder, ann_limit)
        if opened is None:
            cls._assemble(folder, files, hashes, root, embedder, ann_limit, progress)
            opened = cls._open(folder, ann_limit)
            if opened is None:
                raise OSError(f"{folder}: the index just written cannot be read back")
        offsets, spans, vectors, index = opened
        return cls([Path(f) for f in files], [display_path(Path(f)) for f in files], offsets, spans, vectors, index)

    @staticmethod
    def _open(folder: Path, ann_limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, VectorIndex] | None:
        manifest = folder / "manifest.json"
        if not manifest.is_file():
            return None
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
            for name, digest in meta["checksums"].items():
                if _file_checksum(folder / name) != digest:
                    raise ValueError(f"{name} does not match its checksum")
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
            warnings.warn(f"index {folder.name} is damaged ({e}); building it again", VerifierWarning, stacklevel=3)
            shutil.rmtree(folder, ignore_errors=True)
            return None

    @staticmethod
    def _assemble(folder: Path, files: Sequence[Path], hashes: list[str], root: Path, embedder: Embedder,
                  ann_limit: int, progress: Callable[[int], None] | None) -> None:
        """Write the corpus folder from per-file entries, embedding the files that have none."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
        try:
            counts, entry_paths = [], []
            dim = 0
            for f, h in zip(files, hashes):
                path = root / "files" / h[:2] / f"{h}.bin"
                got = _unpack(path, 2)
                if got is None:
                    got = _index_file(Path(f), embedder)
                    try:
                        atomic_write_bytes(path, _pack(*got))
                    except OSError:
                        pass  # a full cache folder must not fail the run: the corpus holds the vectors
                spans, vecs = got
                counts.append(len(spans))
                dim = dim or (vecs.shape[1] if len(vecs) else 0)
                entry_paths.append((path, got if not path.is_file() else None))
                if progress:
                    progress(len(spans))
            total = sum(counts)
            dim = dim or 1
            offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
            spans_out = np.lib.format.open_memmap(tmp / "spans.npy", "w+", np.int32, (total, 5))
            vecs_out = np.lib.format.open_memmap(tmp / "vectors.npy", "w+", np.float16, (total, dim))
            # A second pass over the entries, one at a time, keeps at most one file's arrays in memory.
            for (path, kept), a, b in zip(entry_paths, offsets[:-1], offsets[1:]):
                got = kept or _unpack(path, 2)
                if got is None:
                    raise OSError(f"{path}: index entry vanished while assembling")
                spans_out[a:b], vecs_out[a:b] = got[0], got[1]
            spans_out.flush()
            vecs_out.flush()
            np.save(tmp / "offsets.npy", offsets, allow_pickle=False)
            del spans_out
            names = ["offsets.npy", "spans.npy", "vectors.npy"]
            if total > ann_limit:
                ann = ANNIndex(dim)
                chunk = 1 << 15
                for s in range(0, total, chunk):
                    ann.add(np.asarray(vecs_out[s : s + chunk], np.float32))
                ann.save(tmp / "ann.usearch")
                names.append("ann.usearch")
            del vecs_out
            meta = {"sentences": total, "files": len(files), "checksums": {n: _file_checksum(tmp / n) for n in names}}
            (tmp / "manifest.json").write_text(json.dumps(meta, sort_keys=True), encoding="utf-8")
            shutil.rmtree(folder, ignore_errors=True)
            os.replace(tmp, folder)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.index.search(queries, k)

    def locate(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(file number, sentence number in that file) of global sentence ids."""
        f = np.searchsorted(self.offsets, ids, side="right") - 1
        return f, ids - self.offsets[f]

    def first_pass_vectors(self, file_no: int, local: Sequence[int]) -> np.ndarray:
        return np.asarray(self.vectors[self.offsets[file_no] + np.asarray(local, np.int64)], np.float32)

    def document(self, file_no: int) -> Document:
        """The file as a Document, rebuilt from its stored spans without segmenting it again."""
        doc = self._docs.get(file_no)
        if doc is None:
            shown, text = self.shown[file_no], decode_source(self.files[file_no])
            rows = np.asarray(self.spans[self.offsets[file_no] : self.offsets[file_no + 1]]).tolist()
            sents = tuple(Sentence(shown, i, s, e, text[s:e], ln, col, blk)
                          for i, (s, e, ln, col, blk) in enumerate(rows))
            doc = Document(shown, text, sents)
            self._docs[file_no] = doc
            if len(self._docs) > 256:  # a bounded cache: claims tend to hit the same few files
                self._docs.popitem(last=False)
        else:
            self._docs.move_to_end(file_no)
        return doc


def _index_file(path: Path, embedder: Embedder) -> list[np.ndarray]:
    """Segment one file and embed its sentences: its spans (start, end, line, column, block) and vectors."""
    text = decode_source(path)
    sents = segment(text)
    spans = np.array([(s.start, s.end, s.line, s.column, s.block) for s in sents], np.int32).reshape(-1, 5)
    texts = [s.text for s in sents]
    parts = [embedder.embed(texts[i : i + 8192]) for i in range(0, len(texts), 8192)]
    vecs = np.concatenate(parts).astype(np.float16) if parts else np.zeros((0, 1), np.float16)
    return [spans, vecs]
