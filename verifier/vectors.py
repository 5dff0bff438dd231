"""Nearest rows by inner product over memory-mapped float16 vectors: an exact product, or an HNSW graph above a size."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

# The exact index keeps a float32 copy in memory up to this many bytes: the float16 -> float32
# conversion otherwise costs more than the product itself on every query.
EXACT_F32_BUDGET = 256 << 20


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
        index.expansion_search = expansion_search  # type: ignore[misc]  # settable, though its stub says not
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
