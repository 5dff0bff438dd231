"""The one cache store: its folder, checksummed blobs, keyed rows in one SQLite file, and the version in every key.

Everything verifier derives from its inputs and keeps between runs lives here, under one folder
(:func:`default_cache_dir`), in three shapes:

- **blobs**, one file each, ``blobs/<kind>/<key[:2]>/<key>``: the SHA-256 of the content, then the
  content, written atomically (a temporary file in the same folder, fsync, rename). A blob whose
  checksum does not match is reported once, as a :class:`VerifierWarning`, and treated as missing.
- **rows**, in one SQLite file, ``store.sqlite``, one table per kind: a key, the SHA-256 of the
  body, the body. The file is opened on first use and waits for another process's write lock
  (a busy timeout, not WAL, so that a cache folder a run may not write can still be read). A file
  SQLite cannot read is set aside as ``store.sqlite.damaged``, with a warning, and started afresh.
- **folders**, ``folders/<kind>/<key>/``, for what must stay files to be memory-mapped or loaded by
  a library: the assembled arrays and HNSW graph of a large source set, the distilled static model.

Every key is made by :func:`key` from the kind, the kind's version in :data:`VERSIONS` and what
the entry depends on, so bumping a version retires every entry of that kind at once. Every source
file is keyed the same way, by :func:`source_key`. A cache folder that cannot be written (read
only, full, a file in its place) never fails a run: writes are skipped and the run goes on.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Callable, Iterator, Mapping, Sequence, TypeVar

from .atomic import atomic_writer
from .errors import VerifierWarning

if TYPE_CHECKING:
    import sqlite3

CACHE_ENV = "VERIFIER_CACHE_DIR"

# The version of each kind of entry, in every one of its keys. Bump a kind's version when what it
# stores changes shape or meaning in a way its key does not already capture (the keys of facts and
# extracted texts also carry a hash of the code that makes them, and library versions).
VERSIONS: dict[str, str] = {
    "embeddings": "1",  # vectors of a batch of texts, by model id
    "onnx-graph": "2",  # the export and quantisation recipe of an embedding model's graph; in its model id too
    # What the format readers produce: bump it whenever any extractor's output changes. It is in every
    # parsed source's content key too, so index entries and shared index rows are not reused either.
    "extracted": "2",
    "facts": "4",  # Facts and its JSON form, and what counts as a fact
    "parts": "1",  # a claim's parts (verifier.parts_cache) and their JSON form
    "events": "1",  # what each date of a text is said of (verifier.parse_cache) and its JSON form
    "roles": "1",  # who does what to whom in a text (verifier.parse_cache) and its JSON form
    "language": "1",  # a text's language code ("" for English or unsure), by verifier.language
    "entail": "1",  # entailment probabilities of a (premise, claim) pair, by model id
    "index": "1",  # per-file index entries (spans and first-pass vectors) and assembled corpora
    "static": "1",  # the static first-pass model distilled from the embedding model
    # How texts are cut into sentences (verifier.sources): bump it whenever segmentation changes. It is
    # in the keys of index entries and corpora, and of the shared index's rows (verifier.pg_index).
    "segmenter": "blingfire-blocks-2",
}

DB_FILE = "store.sqlite"
BLOBS = "blobs"
FOLDERS = "folders"
DIGEST = 32  # bytes of SHA-256 in front of every blob
BUSY_TIMEOUT_S = 30.0  # how long a write waits for another process's lock before it is skipped
_BATCH = 500  # keys per query, well under SQLite's limit on bound parameters
_BLOCK = 1 << 22
T = TypeVar("T")


def default_cache_dir() -> Path:
    """$VERIFIER_CACHE_DIR, else $XDG_CACHE_HOME/verifier, else ~/.cache/verifier."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "verifier"


def version(kind: str) -> str:
    """The registered version of ``kind``; a kind that is not registered is a KeyError."""
    return VERSIONS[kind]


def key(kind: str, *parts: str | bytes) -> str:
    """The name of an entry of ``kind``: the hex SHA-256 of the kind, its version and ``parts``.

    Each part goes in with its length, so no two lists of parts give the same key.
    """
    h = hashlib.sha256()
    for part in (kind, VERSIONS[kind], *parts):
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as hex, read in blocks so that a file of any size costs one block."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            h.update(block)
    return h.hexdigest()


def source_key(path: Path, reader: str = "", data: bytes | None = None) -> str:
    """The key of everything derived from a source file's content: its text, index entries, shared index rows.

    Args:
        path: the source file.
        reader: the version of what reads its text ("" for plain text), so a new reader never
            meets old offsets.
        data: the file's bytes, when they are already in memory; else the file is read in blocks.
    """
    digest = hashlib.sha256(data).hexdigest() if data is not None else file_sha256(path)
    return hashlib.sha256((digest + reader).encode()).hexdigest()


# ---------------------------------------------------------------- blobs as files


class DamagedError(ValueError):
    """A blob whose checksum does not match its content."""


class _HashingWriter:
    """Writes to a file and keeps the SHA-256 of everything written."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh, self.sha = fh, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        return self.fh.write(data)


@contextlib.contextmanager
def blob_writer(path: Path) -> Iterator[Any]:
    """A blob written as it goes, atomically, its SHA-256 put in front when the block ends; raises OSError."""
    with atomic_writer(path) as fh:
        fh.write(bytes(DIGEST))  # the checksum, once the rest is written
        out = _HashingWriter(fh)
        yield out
        fh.seek(0)
        fh.write(out.sha.digest())


def open_blob(path: Path) -> BinaryIO:
    """A blob's file, its checksum checked (block by block) and positioned after it.

    Raises:
        FileNotFoundError: there is no such blob.
        DamagedError: its checksum does not match.
        OSError: it cannot be read.
    """
    fh = path.open("rb")
    try:
        digest = fh.read(DIGEST)
        sha = hashlib.sha256()
        for block in iter(lambda: fh.read(_BLOCK), b""):
            sha.update(block)
        if len(digest) < DIGEST or sha.digest() != digest:
            raise DamagedError("its checksum does not match")
        fh.seek(DIGEST)
        return fh
    except BaseException:
        fh.close()
        raise


def read_blob(path: Path) -> bytes:
    """A blob's content, its checksum checked; raises as :func:`open_blob` does."""
    raw = path.read_bytes()
    if len(raw) < DIGEST or hashlib.sha256(memoryview(raw)[DIGEST:]).digest() != raw[:DIGEST]:
        raise DamagedError("its checksum does not match")
    return raw[DIGEST:]


def folder_beside(folder: Path) -> Path:
    """A new, empty folder beside ``folder``, to be filled and renamed into its place; raises OSError.

    It gets the mode a plain mkdir would give (mkdtemp's is private), so that a cache folder shared
    with other users can be read by them as a whole.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name[:16]}."))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)
    return tmp


# ---------------------------------------------------------------- the store


class Store:
    """The cache folder ``root``: blobs, rows and folders of each kind, and what to do when one is damaged.

    Nothing is created until something is written; rows open the SQLite file on first use. Reads
    of what is missing or damaged return nothing, writes that fail return False: a cache is only
    ever a shortcut.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.db_path = self.root / DB_FILE
        self._db: sqlite3.Connection | None = None
        self._db_off = False  # set when a damaged file cannot even be set aside
        self._tables: set[str] = set()
        self._lock = threading.Lock()
        self._reported: set[tuple[str, str]] = set()

    @classmethod
    def at(cls, cache_dir: Path | None) -> "Store | None":
        """The store in ``cache_dir``, or None for none (``--no-cache``)."""
        return None if cache_dir is None else cls(cache_dir)

    # ------------------------------------------------------------ damage

    def damaged(self, kind: str, name: str, why: str, then: str, what: str | None = None) -> None:
        """Report a damaged entry once (the caller treats it as missing and makes it again)."""
        if (kind, name) in self._reported:
            return
        self._reported.add((kind, name))
        about = f" ({what})" if what else ""
        warnings.warn(f"cache entry {kind}/{name[:16]}{about} is damaged ({why}); {then}", VerifierWarning,
                      stacklevel=3)

    # ------------------------------------------------------------ blobs

    def blob_path(self, kind: str, name: str) -> Path:
        """Where the blob ``name`` (a :func:`key` of ``kind``) lives."""
        VERSIONS[kind]  # an unregistered kind has no place in the store
        return self.root / BLOBS / kind / name[:2] / name

    def has(self, kind: str, name: str) -> bool:
        """Whether the blob is there (its checksum is checked when it is read)."""
        return self.blob_path(kind, name).is_file()

    def get(self, kind: str, name: str, decode: Callable[[bytes], T], what: str | None = None,
            then: str = "making it again") -> T | None:
        """The blob, decoded; None when it is missing, or damaged (reported once).

        ``decode`` raising ValueError, KeyError, TypeError or OSError counts as damage too.
        """
        try:
            data = read_blob(self.blob_path(kind, name))
        except DamagedError as e:
            self.damaged(kind, name, str(e), then, what)
            return None
        except OSError:
            return None  # missing, or unreadable: as good as missing
        try:
            return decode(data)
        except (ValueError, KeyError, TypeError, OSError) as e:
            self.damaged(kind, name, str(e) or type(e).__name__, then, what)
            return None

    def put(self, kind: str, name: str, data: bytes) -> bool:
        """Write a blob atomically, its checksum in front; False when the folder cannot take it."""
        try:
            with blob_writer(self.blob_path(kind, name)) as out:
                out.write(data)
            return True
        except OSError:
            return False  # read-only, full, or a file where a folder should be: the run goes on

    def writer(self, kind: str, name: str) -> contextlib.AbstractContextManager[Any]:
        """:func:`blob_writer` for a blob of this store, for content written piece by piece; raises OSError."""
        return blob_writer(self.blob_path(kind, name))

    # ------------------------------------------------------------ folders

    def folder(self, kind: str, name: str) -> Path:
        """Where the folder ``name`` of ``kind`` lives (not created here)."""
        VERSIONS[kind]
        return self.root / FOLDERS / kind / name

    # ------------------------------------------------------------ rows

    def get_rows(self, kind: str, names: Sequence[str], decode: Callable[[bytes], T], what: str | None = None,
                 then: str = "making them again") -> dict[str, T]:
        """The stored rows of those keys that have one, decoded; damaged rows are reported and left out."""
        names = list(dict.fromkeys(names))
        rows: list[tuple[str, bytes, bytes]] = []

        def read(db: sqlite3.Connection) -> None:
            rows.clear()
            for i in range(0, len(names), _BATCH):
                part = names[i:i + _BATCH]
                rows.extend(db.execute(f'SELECT key, sha256, body FROM "{kind}" WHERE key IN '
                                       f"({','.join('?' * len(part))})", part).fetchall())

        if not names or not self._run(kind, read):
            return {}
        out: dict[str, T] = {}
        damaged = 0
        for name, sha, body in rows:
            try:
                if not isinstance(body, bytes) or hashlib.sha256(body).digest() != sha:
                    raise ValueError("checksum mismatch")
                out[name] = decode(body)
            except (KeyError, TypeError, ValueError):
                damaged += 1
        if damaged:
            warnings.warn(f"{damaged} damaged {what or kind} {'row' if damaged == 1 else 'rows'} in the cache "
                          f"database {DB_FILE}; {then}", VerifierWarning, stacklevel=2)
        return out

    def put_rows(self, kind: str, rows: Mapping[str, bytes]) -> bool:
        """Write rows in one transaction: all of them or none; False when they could not be written."""
        if not rows:
            return True
        params = [(name, hashlib.sha256(body).digest(), body) for name, body in rows.items()]

        def write(db: sqlite3.Connection) -> None:
            db.execute("BEGIN IMMEDIATE")  # the write lock up front: a second writer waits out the busy timeout
            try:
                db.executemany(f'INSERT OR REPLACE INTO "{kind}" (key, sha256, body) VALUES (?, ?, ?)', params)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:  # never leave the connection inside a failed transaction
                    with contextlib.suppress(Exception):
                        db.execute("ROLLBACK")
                raise

        return self._run(kind, write)

    def _run(self, kind: str, work: Callable[[sqlite3.Connection], None]) -> bool:
        """Run ``work`` on the database with ``kind``'s table; False when it could not (and why is handled)."""
        import sqlite3

        VERSIONS[kind]
        with self._lock:
            for attempt in range(2):
                try:
                    db = self._connect()
                    if db is None:
                        return False
                    if kind not in self._tables:
                        db.execute(f'CREATE TABLE IF NOT EXISTS "{kind}" '
                                   "(key TEXT PRIMARY KEY, sha256 BLOB NOT NULL, body BLOB NOT NULL) WITHOUT ROWID")
                        self._tables.add(kind)
                    work(db)
                    return True
                except sqlite3.OperationalError:
                    return False  # locked past the timeout, read-only, full, cannot be opened: skip it
                except sqlite3.DatabaseError as e:
                    if attempt or not self._set_aside(e):
                        return False
                except OSError:
                    return False
        return False

    def _connect(self) -> sqlite3.Connection | None:
        import sqlite3

        if self._db is None and not self._db_off:
            self.root.mkdir(parents=True, exist_ok=True)
            # Autocommit: writes take the lock up front (BEGIN IMMEDIATE), so a second process's
            # writer waits out the busy timeout instead of failing half-way through a transaction.
            self._db = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                       check_same_thread=False)
            self._tables.clear()
        return self._db

    def _set_aside(self, error: Exception) -> bool:
        """Move a file SQLite cannot read out of the way, with a warning; True when a fresh one can be started."""
        self.close()
        try:
            os.replace(self.db_path, self.db_path.with_name(DB_FILE + ".damaged"))
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.db_path.with_name(DB_FILE + "-journal"))  # it belongs to the damaged file
        except OSError:
            self._db_off = True  # cannot move it: no rows for this run, which goes on without them
            warnings.warn(f"the cache database {DB_FILE} is damaged ({error}) and cannot be set aside; "
                          "going on without it", VerifierWarning, stacklevel=4)
            return False
        warnings.warn(f"the cache database {DB_FILE} is damaged ({error}); set aside as {DB_FILE}.damaged "
                      "and started afresh", VerifierWarning, stacklevel=4)
        return True

    def close(self) -> None:
        """Close the database, if it was opened; the next use opens it again."""
        if self._db is not None:
            self._db.close()
            self._db = None
            self._tables.clear()

    def clear(self, kind: str) -> None:
        """Delete every entry of ``kind``: its blobs, its folders and its rows."""
        import shutil

        shutil.rmtree(self.root / BLOBS / kind, ignore_errors=True)
        shutil.rmtree(self.root / FOLDERS / kind, ignore_errors=True)
        def delete(db: sqlite3.Connection) -> None:
            db.execute(f'DELETE FROM "{kind}"')

        if self.db_path.is_file():
            self._run(kind, delete)
            self.close()
