"""Extracted facts cached on disk by content hash, so that a run over texts seen before never loads spaCy.

Importing and loading spaCy took most of an otherwise warm ``verifier check``. The facts of a text
depend only on the text, the extraction code and the spaCy model, so they are stored under the
SHA-256 of the text and a version naming those two, as JSON (a cache file must never be able to run
code, so no pickle). They are rows of the store's SQLite file (:mod:`verifier.store`): each batch of
texts is looked up in one query and its new facts written in one transaction, and SQLite's locking
keeps two processes sharing it consistent. Each row carries the SHA-256 of its JSON; a damaged row,
or a damaged file, is reported and rebuilt.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

from . import facts
from .facts import DateFact, Entity, Facts, Quantity, Word
from .store import Store, key

# The store's kind for facts. Its version (in verifier.store.VERSIONS) is bumped when Facts or its
# JSON form changes; changes to the extraction code are caught by hashing it.
KIND = "facts"


@lru_cache(maxsize=1)
def extraction_version() -> str:
    """What the facts of a text depend on besides the text and its kind's version: the code and the spaCy model.

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
    return f"{code.hexdigest()[:16]}/{model}/spacy=={_dist_version(metadata, 'spacy')}"


@lru_cache(maxsize=None)
def code_version(module: str) -> str:
    """What a cached result of a spaCy-reading module (``parts.py``, ``events.py``) depends on besides its
    input: that module's code, and what the facts depend on (the spaCy model)."""
    code = hashlib.sha256((Path(__file__).parent / module).read_bytes()).hexdigest()[:16]
    return f"{code}/{extraction_version()}"


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
        "ordinals": [[v, w, n] for v, w, n in f.ordinals],
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
        ordinals=tuple((_int(v), _str(w), _str(n)) for v, w, n in d["ordinals"]),
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


def _decode(body: bytes) -> Facts:
    """The Facts of a stored row; raises KeyError, TypeError or ValueError on anything else."""
    return from_json(json.loads(body.decode("ascii")))


# ---------------------------------------------------------------- the store


class FactsCache:
    """:func:`verifier.facts.analyze_many`, with the facts of texts seen before read back from the store.

    Args:
        cache_dir: the verifier cache folder; None (``--no-cache``) extracts every time.
    """

    def __init__(self, cache_dir: Path | None) -> None:
        self.store = Store.at(cache_dir)
        self.hits = 0
        self.misses = 0

    def _key(self, text: str) -> str:
        return key(KIND, extraction_version(), text)

    def analyze_many(self, texts: Sequence[str]) -> list[Facts]:
        """The facts of each text, in order: from the cache where stored, else extracted and stored."""
        texts = list(texts)
        if self.store is None or not texts:
            return facts.analyze_many(texts)
        keys = {t: self._key(t) for t in dict.fromkeys(texts)}
        stored = self.store.get_rows(KIND, list(keys.values()), _decode,
                                     then="extracting those facts again and replacing them")
        found = {t: stored[k] for t, k in keys.items() if k in stored}
        todo = [t for t in keys if t not in found]
        self.hits += len(keys) - len(todo)
        self.misses += len(todo)
        if todo:
            fresh = facts.analyze_many(todo)
            found.update(zip(todo, fresh))
            # A read-only, full or busy cache folder must not fail the run: the rows are then not written.
            self.store.put_rows(KIND, {keys[t]: _body(f).encode("ascii") for t, f in zip(todo, fresh)})
        return [found[t] for t in texts]
