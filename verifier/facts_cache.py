"""Extracted facts cached on disk by content hash, so that a run over texts seen before never loads spaCy.

Importing and loading spaCy took most of an otherwise warm ``verifier check``. The facts of a text
depend only on the text, the extraction code and the spaCy model, so they are stored under the
SHA-256 of the text and a version naming those two, as JSON (a cache file must never be able to run
code, so no pickle). The store is one SQLite file: each batch of texts is looked up in one query and
its new facts written in one transaction, and SQLite's locking keeps two processes sharing it
consistent. Each row carries the SHA-256 of its JSON; a damaged row, or a damaged file, is reported
and rebuilt.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from . import facts
from .atomic import atomic_write_bytes
from .errors import VerifierWarning
from .facts import DateFact, Entity, Facts, Quantity, Word

# Bump when Facts or its JSON form changes; changes to the extraction code are caught by hashing it.
FACTS_VERSION = "1"
FILE_NAME = "facts.sqlite"
_BATCH = 500  # keys per query, well under SQLite's limit on bound parameters
_SCHEMA = "CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, body TEXT NOT NULL)"


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """What the facts of a text depend on besides the text: the extraction code and the spaCy model.

    The model's version comes from its package metadata, so that looking it up never imports spaCy.
    """
    from importlib import metadata
    from importlib.util import find_spec

    here = Path(__file__).parent
    # facts.py extracts; sources.normalize gives Facts.text.
    code = hashlib.sha256(b"".join((here / name).read_bytes() for name in ("facts.py", "sources.py")))
    model = "none"
    for name in facts.SPACY_MODELS:  # the order load_nlp tries them in
        if find_spec(name) is not None:
            model = f"{name}=={_dist_version(metadata, name)}"
            break
    return f"{FACTS_VERSION}/{code.hexdigest()[:16]}/{model}/spacy=={_dist_version(metadata, 'spacy')}"


def _dist_version(metadata: Any, name: str) -> str:
    try:
        return str(metadata.version(name))
    except metadata.PackageNotFoundError:
        return "unknown"


# ---------------------------------------------------------------- Facts <-> JSON


def _entity(e: Entity) -> list[Any]:
    return [e.text, e.norm, e.group, e.before, e.start, e.end]


def to_json(f: Facts) -> dict[str, Any]:
    """A Facts as plain JSON values (the frozenset of words sorted, so equal facts give equal JSON)."""
    return {
        "text": f.text,
        "quantities": [[q.value, q.unit, q.text] for q in f.quantities],
        "dates": [[d.year, d.month, d.day, d.text] for d in f.dates],
        "ordinals": [[v, w] for v, w in f.ordinals],
        "entities": [_entity(e) for e in f.entities],
        "negations": list(f.negations),
        "directions": [[p, s, w] for p, s, w in f.directions],
        "words": [[w.text, w.lemma, w.pos] for w in f.words],
        "vocab": sorted(f.vocab),
        "lists": [[_entity(e) for e in run] for run in f.lists],
    }


def from_json(d: dict[str, Any]) -> Facts:
    """The Facts that :func:`to_json` wrote; raises KeyError, TypeError or ValueError on anything else."""
    return Facts(
        text=_str(d["text"]),
        quantities=tuple(Quantity(value=float(v), unit=_str(u), text=_str(t)) for v, u, t in d["quantities"]),
        dates=tuple(DateFact(year=_opt_int(y), month=_opt_int(m), day=_opt_int(dd), text=_str(t))
                    for y, m, dd, t in d["dates"]),
        ordinals=tuple((_int(v), _str(w)) for v, w in d["ordinals"]),
        entities=tuple(_entity_from(e) for e in d["entities"]),
        negations=tuple(_str(w) for w in d["negations"]),
        directions=tuple((_int(p), _int(s), _str(w)) for p, s, w in d["directions"]),
        words=tuple(Word(text=_str(t), lemma=_str(lemma), pos=_str(pos)) for t, lemma, pos in d["words"]),
        vocab=frozenset(_str(w) for w in d["vocab"]),
        lists=tuple(tuple(_entity_from(e) for e in run) for run in d["lists"]),
    )


def _entity_from(e: list[Any]) -> Entity:
    text, norm, group, before, start, end = e
    return Entity(text=_str(text), norm=_str(norm), group=_str(group), before=_str(before),
                  start=_int(start), end=_int(end))


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError(f"expected a string, got {type(v).__name__}")
    return v


def _int(v: Any) -> int:
    if not isinstance(v, int) or isinstance(v, bool):
        raise TypeError(f"expected an integer, got {type(v).__name__}")
    return v


def _opt_int(v: Any) -> int | None:
    return None if v is None else _int(v)


def _body(f: Facts) -> str:
    # allow_nan: a number written with hundreds of digits parses to inf, which must survive the trip.
    # ensure_ascii: SQLite stores UTF-8, which a lone surrogate in a badly decoded text is not.
    return json.dumps(to_json(f), ensure_ascii=True, separators=(",", ":"), allow_nan=True)


def _sha(body: str) -> str:
    return hashlib.sha256(body.encode("ascii")).hexdigest()


# ---------------------------------------------------------------- the store


class FactsCache:
    """:func:`verifier.facts.analyze_many`, with the facts of texts seen before read back from disk.

    Args:
        cache_dir: the verifier cache folder; None (``--no-cache``) extracts every time.
    """

    def __init__(self, cache_dir: Path | None) -> None:
        self.path = cache_dir / FILE_NAME if cache_dir is not None else None
        self.hits = 0
        self.misses = 0

    def _key(self, text: str) -> str:
        h = hashlib.sha256(extraction_version().encode())
        h.update(b"\0")
        h.update(text.encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def analyze_many(self, texts: Sequence[str]) -> list[Facts]:
        """The facts of each text, in order: from the cache where stored, else extracted and stored."""
        texts = list(texts)
        if self.path is None or not texts:
            return facts.analyze_many(texts)
        keys = {t: self._key(t) for t in dict.fromkeys(texts)}
        found = self._read(keys)
        todo = [t for t in keys if t not in found]
        self.hits += len(keys) - len(todo)
        self.misses += len(todo)
        if todo:
            fresh = facts.analyze_many(todo)
            found.update(zip(todo, fresh))
            self._write([(keys[t], f) for t, f in zip(todo, fresh)])
        return [found[t] for t in texts]

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A second process holding the write lock is waited for, not failed on.
        con = sqlite3.connect(self.path, timeout=60)
        con.execute(_SCHEMA)
        return con

    def _read(self, keys: dict[str, str]) -> dict[str, Facts]:
        """The stored facts of those texts that have them; damaged rows are reported and left out."""
        text_of = {k: t for t, k in keys.items()}
        rows: list[tuple[str, str, str]] = []
        try:
            con = self._connect()
            try:
                ordered = list(text_of)
                for i in range(0, len(ordered), _BATCH):
                    chunk = ordered[i:i + _BATCH]
                    rows += con.execute(f"SELECT key, sha256, body FROM facts WHERE key IN "
                                        f"({','.join('?' * len(chunk))})", chunk).fetchall()
            finally:
                con.close()
        except sqlite3.OperationalError:
            return {}  # locked for too long, or a folder that cannot be written: extract instead
        except sqlite3.DatabaseError as e:
            self._replace_damaged(e)
            return {}
        except OSError:
            return {}
        out: dict[str, Facts] = {}
        damaged = 0
        for key, sha, body in rows:
            try:
                if not isinstance(body, str) or not body.isascii() or _sha(body) != sha:
                    raise ValueError("checksum mismatch")
                out[text_of[key]] = from_json(json.loads(body))
            except (KeyError, TypeError, ValueError):
                damaged += 1
        if damaged:
            warnings.warn(f"{damaged} damaged {'entry' if damaged == 1 else 'entries'} in the facts cache "
                          f"{FILE_NAME}; extracting those facts again and replacing them", VerifierWarning,
                          stacklevel=3)
        return out

    def _write(self, items: list[tuple[str, Facts]]) -> None:
        rows = []
        for key, f in items:
            body = _body(f)
            rows.append((key, _sha(body), body))
        try:
            con = self._connect()
            try:
                with con:  # one transaction: all the new rows, or none
                    con.executemany("INSERT OR REPLACE INTO facts (key, sha256, body) VALUES (?, ?, ?)", rows)
            finally:
                con.close()
        except sqlite3.OperationalError:
            pass  # a read-only, full or busy cache folder must not fail the run
        except sqlite3.DatabaseError as e:
            self._replace_damaged(e)
        except OSError:
            pass

    def _replace_damaged(self, error: Exception) -> None:
        """Swap a file SQLite cannot read for an empty store, atomically; the next run fills it again."""
        assert self.path is not None
        warnings.warn(f"the facts cache {FILE_NAME} is damaged ({error}); extracting facts again and "
                      "replacing it", VerifierWarning, stacklevel=4)
        try:
            # An empty file is an empty SQLite database; _connect creates the table in it.
            atomic_write_bytes(self.path, b"")
        except OSError:
            pass  # the run goes on without the cache
