"""A shared first-pass index in PostgreSQL with pgvector: sentence rows keyed by file content hash and model.

A team points every ``verifier`` run at one database (``--index postgresql://...``). Each source
file is indexed once for everyone: its sentences' first-pass vectors and spans (start, end, line,
column, paragraph) go into one table, under a ``verifier_files`` row keyed by (model, content key),
all in one transaction, so a run killed mid-insert leaves nothing behind and two runs indexing the
same file at once leave one copy. The k-nearest search runs in the server, over an HNSW index,
filtered to the claim's own source files; the client then re-scores the short-list with the
sentence model, as it does with the local index (:func:`verifier.retrieve.shortlist_candidates`).
The source files themselves stay where they are: quotes are read from them.
"""
from __future__ import annotations

import re
from array import array
from itertools import chain
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from .errors import IndexServerError, SourceError
from .formats.reader import content_key
from .index import SpanDocuments, locate
from .models.embed import Embedder
from .paths import display_path
from .pg_server import (  # noqa: F401
    FILES,
    _failed,
    _graph_missing,
    _has_files,
    connect,
    is_index_url,
    mask,
    prune,
    sentences_table,
    status,
)
from .sources import Document, iter_spans, read_text
from .store import version

# Sentences embedded and copied to the server at a time.
CHUNK_ROWS = 8192
# Up to this many sentences in a claim's files, the search scores them all (exact, as the local
# index does below its HNSW size); above it, it walks the HNSW graph.
EXACT_ROWS = 50_000
EF_SEARCH = 200
# New sentences in one run from which the graph is rebuilt once instead of grown row by row.
BULK_ROWS = 50_000
CHARS_PER_SENTENCE = 120  # prose, about: for the estimate only


# ---------------------------------------------------------------- the URL, never shown with its password


def ensure_tables(conn: Any, dim: int) -> str:
    """Create the tables and the HNSW index if they are not there; returns the sentence table's name."""
    table = sentences_table(dim)
    with conn.transaction():
        # One run at a time creates them: CREATE ... IF NOT EXISTS races with itself.
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('verifier schema', 0))")
        conn.execute(f"""CREATE TABLE IF NOT EXISTS {FILES} (
            id bigserial PRIMARY KEY,
            model text NOT NULL,
            content text NOT NULL,
            sentences integer NOT NULL,
            dim integer NOT NULL,
            indexed_at timestamptz NOT NULL DEFAULT now(),
            used_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (model, content))""")
        existed = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()[0]
        conn.execute(f"""CREATE TABLE IF NOT EXISTS {table} (
            file_id bigint NOT NULL REFERENCES {FILES} (id) ON DELETE CASCADE,
            n integer NOT NULL,
            start_at integer NOT NULL, end_at integer NOT NULL,
            line integer NOT NULL, col integer NOT NULL, block integer NOT NULL,
            embedding halfvec({dim}) NOT NULL,
            PRIMARY KEY (file_id, n))""")
        if not existed:
            # With the table only: a bulk load (add_files) drops the graph while it loads, and a
            # run indexing a file meanwhile must not build it again row by row.
            conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_hnsw ON {table} USING hnsw (embedding halfvec_ip_ops)")
    return table


def build_graph(conn: Any, table: str, memory: str = "1GB") -> None:
    """(Re)build the HNSW graph over every row: after a bulk load, several times as fast as row by row."""
    if not re.fullmatch(r"\d+(kB|MB|GB)", memory):
        raise IndexServerError(f"{memory!r} is not a PostgreSQL memory size such as '1GB'")
    with conn.transaction():
        conn.execute(f"SET LOCAL maintenance_work_mem = '{memory}'")
        conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_hnsw ON {table} USING hnsw (embedding halfvec_ip_ops)")


def add_files(url: str, files: Sequence[Path], embedder: Embedder, cache: Path | None, bulk: bool = False,
              progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Index files ahead of any check; returns (files now in the index, sentences of theirs).

    ``bulk`` drops the HNSW graph for the load and builds it again over all rows at the end, which
    is several times as fast as keeping it up row by row when millions of sentences are new.
    Meanwhile searches still answer, by scoring rows without the graph. A bulk load that dies
    leaves the rows and no graph (``verifier index status`` says so): the next run that opens the
    index builds it. ``check --index`` loads this way by itself when a run brings many new rows.
    """
    conn = connect(url)
    try:
        corpus = PgCorpus.build(conn, url, files, embedder, cache, progress, bulk=bulk or None)
        return len(set(corpus.file_ids)), len(corpus)
    finally:
        conn.close()


def model_key(embedder: Embedder) -> str:
    """What the server's rows of a file depend on besides its content key: the model, and the segmenter's version."""
    return f"{embedder.model_id}-{version('segmenter')}"


class PgCorpus:
    """The sentences of a claim's source files, as the short-list reads them, from the shared index.

    Offers what :func:`verifier.retrieve.shortlist_candidates` needs of a corpus: ``shown``,
    ``offsets``, ``search``, ``locate``, ``first_pass_vectors`` and ``document``. Row ids are
    local to the corpus: file number ``f``'s sentence ``n`` is ``offsets[f] + n``, as in
    :class:`verifier.index.CorpusIndex`.
    """

    def __init__(self, conn: Any, url: str, table: str, files: list[Path], file_ids: list[int],
                 counts: list[int], cache: Path | None) -> None:
        self.conn, self.url, self.table, self.cache = conn, url, table, cache
        self._dim = int(table.rsplit("_", 1)[1])
        self.files = files
        self.shown = [display_path(f) for f in files]
        self.file_ids = file_ids
        self.offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self._file_no: dict[int, int] = {}
        for f, fid in enumerate(file_ids):
            self._file_no.setdefault(fid, f)  # a file named twice (copies) is quoted from its first name
        self._docs = SpanDocuments(self.files, self.shown, cache, self._spans)

    def __len__(self) -> int:
        return int(self.offsets[-1])

    @classmethod
    def build(cls, conn: Any, url: str, files: Sequence[Path], embedder: Embedder, cache: Path | None,
              progress: Callable[[int], None] | None = None, bulk: bool | None = None) -> "PgCorpus":
        """Index the files the server does not hold yet, then open the corpus of all of them.

        ``bulk``: load the new rows as :func:`add_files` does with ``bulk``; None (the default)
        does so when they are many (see :func:`_worth_a_bulk_load`).
        """
        import psycopg

        model = model_key(embedder)
        keys = [content_key(Path(f)) for f in files]
        table: str | None = None
        try:
            known: dict[str, tuple[int, int, int]] = {}
            if _has_files(conn):
                for content, fid, n, dim in conn.execute(
                        f"SELECT content, id, sentences, dim FROM {FILES} WHERE model = %s AND content = ANY(%s)",
                        (model, sorted(set(keys)))).fetchall():
                    known[content] = (int(fid), int(n), int(dim))
            missing = {k: Path(f) for f, k in zip(files, keys) if k not in known}
            if bulk is None:
                bulk = bool(missing) and _worth_a_bulk_load(conn, list(missing.values()), cache)
            locked = False
            if bulk and missing:
                table = ensure_tables(conn, int(embedder.embed(["x"]).shape[1]))
                locked = _take_bulk_lock(conn)
                if locked:
                    conn.execute(f"DROP INDEX IF EXISTS {table}_hnsw")
            try:
                for f, key in zip(files, keys):
                    got = known.get(key)
                    if got is None:
                        got = known[key] = _index_file(conn, Path(f), key, model, embedder, cache, progress)
                    elif progress:
                        progress(got[1])
                    table = table or sentences_table(got[2])
            finally:
                if locked and table is not None:
                    try:
                        build_graph(conn, table)
                    finally:
                        _release_bulk_lock(conn)
            if table is not None and not locked and _graph_missing(conn, table) and _take_bulk_lock(conn):
                # A bulk load that died left the rows without their graph: the next run builds it.
                try:
                    build_graph(conn, table)
                finally:
                    _release_bulk_lock(conn)
        except psycopg.Error as e:
            raise _failed(url, "indexing the sources", e) from e
        ids = [known[k][0] for k in keys]
        counts = [known[k][1] for k in keys]
        if table is None:  # no files: nothing to search, but a valid corpus
            table = sentences_table(int(embedder.embed(["x"]).shape[1]))
        try:
            with conn.transaction():
                conn.execute(f"UPDATE {FILES} SET used_at = now() WHERE id = ANY(%s)", (ids,))
        except psycopg.Error as e:
            raise _failed(url, "marking the files used", e) from e
        return cls(conn, url, table, [Path(f) for f in files], ids, counts, cache)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest sentences of these files to each query, by inner product, found in the server."""
        import psycopg
        from pgvector import HalfVector

        ids = np.full((len(queries), k), -1, np.int64)
        scores = np.full((len(queries), k), -np.inf, np.float32)
        files = sorted(set(self.file_ids))
        exact = len(self) <= EXACT_ROWS
        # Exact: the distance plus zero cannot use the HNSW index, so every row of these files is
        # scored (found through the primary key). Otherwise the graph is walked, iteratively, until
        # k rows of these files are found.
        order = "(embedding <#> %(q)s) + 0" if exact else "embedding <#> %(q)s"
        sql = (f"SELECT file_id, n, embedding <#> %(q)s AS d FROM {self.table} "
               f"WHERE file_id = ANY(%(files)s) ORDER BY {order}, file_id, n LIMIT %(k)s")
        try:
            with self.conn.transaction():
                if not exact:
                    # The graph holds every file's rows; the scan goes on until k rows of these files
                    # turn up, for as many rows as their share of the table makes likely, and more.
                    total = self.conn.execute(f"SELECT coalesce(sum(sentences), 0) FROM {FILES} WHERE dim = %s",
                                              (self._dim,)).fetchone()[0]
                    budget = min(50_000_000, max(20_000, int(8 * k * int(total) / max(1, len(self)))))
                    self.conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
                    self.conn.execute(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, 2 * int(k))}")
                    self.conn.execute(f"SET LOCAL hnsw.max_scan_tuples = {budget}")
                for qi, q in enumerate(np.asarray(queries, np.float32)):
                    rows = self.conn.execute(sql, {"q": HalfVector(q), "files": files, "k": int(k)}).fetchall()
                    # relaxed_order may return rows slightly out of order: sort them as the local index does.
                    got = sorted(((-float(d), self._id(fid, n)) for fid, n, d in rows), key=lambda t: (-t[0], t[1]))
                    for j, (score, rid) in enumerate(got[:k]):
                        ids[qi, j], scores[qi, j] = rid, score
        except psycopg.Error as e:
            raise _failed(self.url, "searching", e) from e
        return ids, scores

    def _id(self, file_id: int, n: int) -> int:
        return int(self.offsets[self._file_no[file_id]] + n)

    def locate(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return locate(self.offsets, ids)

    def first_pass_vectors(self, file_no: int, local: Sequence[int]) -> np.ndarray:
        import psycopg

        wanted = [int(i) for i in local]
        try:
            with self.conn.transaction():
                rows = self.conn.execute(f"SELECT n, embedding FROM {self.table} WHERE file_id = %s AND n = ANY(%s)",
                                         (self.file_ids[file_no], wanted)).fetchall()
        except psycopg.Error as e:
            raise _failed(self.url, "reading vectors", e) from e
        by_n = {int(n): np.asarray(v.to_numpy(), np.float32) for n, v in rows}
        return np.stack([by_n[i] for i in wanted]) if wanted else np.zeros((0, 1), np.float32)

    def document(self, file_no: int) -> Document:
        """The file as a Document: its text read from the file, its sentence spans from the server."""
        return self._docs[file_no]

    def _spans(self, file_no: int) -> np.ndarray:
        import psycopg

        try:
            with self.conn.transaction():
                rows = self.conn.execute(
                    f"SELECT start_at, end_at, line, col, block FROM {self.table} WHERE file_id = %s ORDER BY n",
                    (self.file_ids[file_no],)).fetchall()
        except psycopg.Error as e:
            raise _failed(self.url, "reading sentence spans", e) from e
        return np.asarray(rows, np.int32).reshape(-1, 5)


def _take_bulk_lock(conn: Any) -> bool:
    """The session lock of bulk loads, if no other run holds it: one bulk load at a time."""
    return conn.execute("SELECT pg_try_advisory_lock(hashtextextended('verifier bulk load', 0))").fetchone()[0]


def _release_bulk_lock(conn: Any) -> None:
    conn.execute("SELECT pg_advisory_unlock(hashtextextended('verifier bulk load', 0))")


def _worth_a_bulk_load(conn: Any, files: list[Path], cache: Path | None) -> bool:
    """Whether these new files hold enough sentences that building the graph once beats growing it.

    Growing the graph row by row indexed 406 sentences/s at 1M rows; loading the rows and then
    building the graph over the whole table, 2,549 (benchmarks/scale.py). A rebuild pays off from
    BULK_ROWS new sentences that are a tenth of the table or more. Sentences are estimated from
    the length of the text.
    """
    from .formats.reader import parsed_format

    estimate = 0
    for f in files:
        try:
            chars = len(read_text(f, cache).text) if parsed_format(f) else f.stat().st_size
        except (OSError, SourceError):
            continue
        estimate += chars // CHARS_PER_SENTENCE
    if estimate < BULK_ROWS:
        return False
    held = conn.execute(f"SELECT coalesce(sum(sentences), 0) FROM {FILES}").fetchone()[0] if _has_files(conn) else 0
    return estimate * 10 >= int(held)


def _index_file(conn: Any, path: Path, key: str, model: str, embedder: Embedder, cache: Path | None,
                progress: Callable[[int], None] | None) -> tuple[int, int, int]:
    """Insert one file's rows in one transaction, unless another run holds (or just wrote) them.

    The advisory lock on (model, key) makes a second run indexing the same file wait for the first
    and then find its rows, instead of embedding the file again; the unique key on (model, content)
    would keep one copy even without it. Until the transaction commits nobody sees any of the rows,
    and if the run dies the server drops them all.
    """
    from pgvector import HalfVector

    text = read_text(path, cache).text
    spans = np.frombuffer(array("i", chain.from_iterable(iter_spans(text))), np.int32).reshape(-1, 5)
    first = embedder.embed([text[a:b] for a, b in spans[:CHUNK_ROWS, :2].tolist()]) if len(spans) else None
    dim = int(first.shape[1]) if first is not None else int(embedder.embed(["x"]).shape[1])
    table = ensure_tables(conn, dim)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{model} {key}",))
        got = conn.execute(f"SELECT id, sentences, dim FROM {FILES} WHERE model = %s AND content = %s",
                           (model, key)).fetchone()
        if got is not None:
            if progress:
                progress(int(got[1]))
            return int(got[0]), int(got[1]), int(got[2])
        file_id = conn.execute(f"INSERT INTO {FILES} (model, content, sentences, dim) VALUES (%s, %s, %s, %s) "
                               "RETURNING id", (model, key, len(spans), dim)).fetchone()[0]
        with conn.cursor() as cur:
            with cur.copy(f"COPY {table} (file_id, n, start_at, end_at, line, col, block, embedding) "
                          "FROM STDIN WITH (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "int4", "int4", "int4", "int4", "int4", "int4", "halfvec"])
                for i, vecs in _chunks(text, spans, embedder, first):
                    for j, (row, v) in enumerate(zip(spans[i : i + len(vecs)].tolist(), vecs)):
                        copy.write_row((file_id, i + j, *row, HalfVector(np.asarray(v, np.float16))))
                    if progress:
                        progress(len(vecs))
    return int(file_id), len(spans), dim


def _chunks(text: str, spans: np.ndarray, embedder: Embedder, first: np.ndarray | None) -> Iterator[tuple[int, Any]]:
    for i in range(0, len(spans), CHUNK_ROWS):
        if i == 0 and first is not None:
            yield 0, first
        else:
            yield i, embedder.embed([text[a:b] for a, b in spans[i : i + CHUNK_ROWS, :2].tolist()])


# ---------------------------------------------------------------- upkeep


