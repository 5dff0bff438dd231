"""Talk to the PostgreSQL server of the shared index: connect, keep passwords out of every message, and look after its tables."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .errors import IndexServerError

FILES = "verifier_files"


def sentences_table(dim: int) -> str:
    """The table of sentence rows for vectors of ``dim`` numbers: a fixed name, never user text."""
    if not isinstance(dim, int) or not 0 < dim <= 4000:
        raise IndexServerError(f"vectors of {dim!r} dimensions cannot be indexed (1 to 4000)")
    return f"verifier_sentences_{dim}"



def is_index_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def mask(url: str) -> str:
    """The URL as it may be shown: any password replaced by ***."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<an index URL that cannot be parsed>"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if ":" in userinfo and userinfo.split(":", 1)[1]:
            userinfo = userinfo.split(":", 1)[0] + ":***"
        netloc = f"{userinfo}@{host}"
    query = re.sub(r"(^|&)(password)=[^&]*", r"\1\2=***", parts.query, flags=re.IGNORECASE)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _secrets(url: str) -> list[str]:
    from urllib.parse import parse_qs, unquote

    out = []
    try:
        parts = urlsplit(url)
        if parts.password:
            out += [parts.password, unquote(parts.password)]
        for value in parse_qs(parts.query).get("password", []):
            out.append(value)
    except ValueError:
        pass
    return [s for s in out if s]


def _scrub(message: str, url: str) -> str:
    for secret in _secrets(url):
        message = message.replace(secret, "***")
    return " ".join(message.split())


# ---------------------------------------------------------------- connecting


def connect(url: str) -> Any:
    """An open connection to the index database with pgvector's types, or an IndexServerError that says why not."""
    if not is_index_url(url):
        raise IndexServerError(f"{mask(url)}: not a PostgreSQL URL; give postgresql://USER@HOST[:PORT]/DATABASE")
    try:
        import psycopg
        from pgvector.psycopg import register_vector
    except ImportError as e:
        raise IndexServerError("an index on PostgreSQL needs psycopg and pgvector: "
                               "run `pip install 'verifier[postgres]'`") from e
    try:
        # Autocommit: every multi-statement step below is its own explicit transaction.
        conn = psycopg.connect(url, connect_timeout=10, application_name="verifier", autocommit=True)
    except psycopg.Error as e:
        raise IndexServerError(f"cannot connect to the index at {mask(url)}: {_scrub(str(e), url)}; check that "
                               "the server is running and that the URL, user and password are right") from e
    try:
        _ensure_extension(conn, url)
        register_vector(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _ensure_extension(conn: Any, url: str) -> None:
    import psycopg

    try:
        have = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
        if have is None:
            with conn.transaction():
                # Two runs creating it at once would collide, IF NOT EXISTS or not.
                conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('verifier schema', 0))")
                conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    except psycopg.Error as e:
        raise IndexServerError(f"the database at {mask(url)} has no pgvector extension and verifier cannot create "
                               f"it ({_scrub(str(e), url)}); ask its owner to run `CREATE EXTENSION vector;` "
                               "in it") from e


def _failed(url: str, what: str, e: Exception) -> IndexServerError:
    return IndexServerError(f"the index at {mask(url)} failed while {what}: {_scrub(str(e), url)}")


# ---------------------------------------------------------------- the corpus


def _has_files(conn: Any) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NOT NULL", (FILES,)).fetchone()[0]


def _graph_missing(conn: Any, table: str) -> bool:
    return conn.execute("SELECT to_regclass(%s) IS NULL", (f"{table}_hnsw",)).fetchone()[0]


def prune(url: str, keep: set[tuple[str, str]], dry_run: bool = False) -> tuple[int, int]:
    """Remove every file's rows whose (model, content key) is not in ``keep``; returns (files, sentences)."""
    import psycopg

    conn = connect(url)
    try:
        with conn.transaction():
            if not _has_files(conn):
                return 0, 0
            rows = conn.execute(f"SELECT id, model, content, sentences FROM {FILES}").fetchall()
            gone = [(fid, n) for fid, model, content, n in rows if (model, content) not in keep]
            if gone and not dry_run:
                conn.execute(f"DELETE FROM {FILES} WHERE id = ANY(%s)", ([fid for fid, _ in gone],))
        return len(gone), sum(n for _, n in gone)
    except psycopg.Error as e:
        raise _failed(url, "pruning", e) from e
    finally:
        conn.close()


def status(url: str) -> dict[str, Any]:
    """What the index holds: files and sentences per model, and the tables' size on the server's disk."""
    import psycopg

    conn = connect(url)
    try:
        with conn.transaction():
            if not _has_files(conn):
                return {"files": 0, "sentences": 0, "models": {}, "bytes": 0, "graphs": {}}
            models = {m: {"files": int(f), "sentences": int(s or 0)} for m, f, s in conn.execute(
                f"SELECT model, count(*), sum(sentences) FROM {FILES} GROUP BY model ORDER BY model").fetchall()}
            graphs = {r[0]: r[1] for r in conn.execute(
                "SELECT c.relname, EXISTS (SELECT 1 FROM pg_index i JOIN pg_class x ON x.oid = i.indexrelid "
                "JOIN pg_am a ON a.oid = x.relam WHERE i.indrelid = c.oid AND a.amname = 'hnsw') "
                "FROM pg_class c WHERE c.relname LIKE 'verifier\\_sentences\\_%' AND c.relkind = 'r'").fetchall()}
            size = conn.execute(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "WHERE c.relname LIKE 'verifier\\_%' AND c.relkind = 'r'").fetchone()[0]
        return {"files": sum(m["files"] for m in models.values()),
                "sentences": sum(m["sentences"] for m in models.values()), "models": models, "bytes": int(size),
                "graphs": graphs}
    except psycopg.Error as e:
        raise _failed(url, "reading its status", e) from e
    finally:
        conn.close()
