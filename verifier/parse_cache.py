"""What the parser finds in a text, cached on disk by content hash, so that a warm run never loads spaCy's parser.

Two stages read the dependency tree of a quote: what each date is said of (:mod:`verifier.events`)
and who does what to whom (:mod:`verifier.roles`). Each keeps its findings per text under the
SHA-256 of the text and a version naming its module and the spaCy model, as JSON rows of the
store's SQLite file (:mod:`verifier.store`); a damaged row is reported and the text parsed again.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Generic, TypeVar

from . import events, roles
from .facts_cache import code_version
from .roles import Arg, Role
from .store import Store, key

T = TypeVar("T")


class ParseCache(Generic[T]):
    """One parser-reading function of a text behind the store: each text is parsed once, then read back."""

    def __init__(self, cache_dir: Path | None, kind: str, module: str, find: Callable[[str], T],
                 encode: Callable[[T], Any], decode: Callable[[Any], T], what: str) -> None:
        self.store = Store.at(cache_dir)
        self.memory: dict[str, T] = {}
        self.kind, self.module, self.find, self.encode, self.decode, self.what = kind, module, find, encode, decode, what

    def get(self, text: str) -> T:
        if text not in self.memory:
            self.memory[text] = self._stored(text)
        return self.memory[text]

    def _stored(self, text: str) -> T:
        if self.store is None:
            return self.find(text)
        k = key(self.kind, code_version(self.module), text)
        stored = self.store.get_rows(self.kind, [k], self._decode, what=self.what, then="parsing that text again")
        if k in stored:
            return stored[k]
        found = self.find(text)
        self.store.put_rows(self.kind, {k: json.dumps(self.encode(found), ensure_ascii=True,
                                                      sort_keys=True).encode("ascii")})
        return found

    def _decode(self, body: bytes) -> T:
        return self.decode(json.loads(body.decode("ascii")))


def _dated_rows(found: dict[str, frozenset[str] | None]) -> dict[str, list[str] | None]:
    return {d: sorted(w) if w is not None else None for d, w in found.items()}


def _dated(rows: Any) -> dict[str, frozenset[str] | None]:
    """The dated words of a stored row; raises ValueError on anything else."""
    if not isinstance(rows, dict) or not all(
            isinstance(d, str) and (w is None or isinstance(w, list) and all(isinstance(x, str) for x in w))
            for d, w in rows.items()):
        raise ValueError("not a map of dates to words")
    return {d: frozenset(w) if w is not None else None for d, w in rows.items()}


class EventCache:
    """:func:`verifier.events.event_words` behind the store: each text is parsed once, for all its dates."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.cache = ParseCache(cache_dir, "events", "events.py", lambda t: events.dated_words(t),
                                _dated_rows, _dated, "dated words")

    def __call__(self, text: str, date_text: str) -> frozenset[str] | None:
        found = self.cache.get(text)
        return found[date_text] if date_text in found else events.event_words(text, date_text)


def _role_rows(found: tuple[Role, ...]) -> list[dict[str, Any]]:
    def arg(a: Arg) -> dict[str, Any]:
        return {"head": a.head, "words": sorted(a.words), "subtree": sorted(a.subtree), "text": a.text,
                "aka": [[h, sorted(w)] for h, w in a.aka]}
    return [{"verb": r.verb, "doer": arg(r.doer), "done_to": arg(r.done_to), "text": r.text} for r in found]


def _roles(rows: Any) -> tuple[Role, ...]:
    """The roles of a stored row; raises ValueError, KeyError or TypeError on anything else."""
    def arg(a: dict[str, Any]) -> Arg:
        aka = tuple((str(h), frozenset(w)) for h, w in a["aka"])
        if not all(isinstance(w, str) for w in (*a["words"], *a["subtree"], *(x for _, v in aka for x in v))):
            raise ValueError("not a list of words")
        return Arg(str(a["head"]), frozenset(a["words"]), frozenset(a["subtree"]), str(a["text"]), aka)
    if not isinstance(rows, list):
        raise ValueError("not a list of roles")
    return tuple(Role(str(r["verb"]), arg(r["doer"]), arg(r["done_to"]), str(r["text"])) for r in rows)


class RoleCache:
    """:func:`verifier.roles.roles` behind the store: who does what to whom in each text, parsed once."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.cache = ParseCache(cache_dir, "roles", "roles.py", lambda t: roles.roles(t), _role_rows, _roles, "roles")

    def __call__(self, text: str) -> tuple[Role, ...]:
        return self.cache.get(text)
