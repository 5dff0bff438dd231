"""What each date of a text is said of, cached on disk by content hash, so that a warm run never loads spaCy's parser."""
from __future__ import annotations

import json
from pathlib import Path

from . import events
from .facts_cache import code_version
from .store import Store, key

KIND = "events"  # the store's kind; its version is in verifier.store.VERSIONS


def events_version() -> str:
    """What a text's dated words depend on besides the text: events.py and the spaCy model (as for facts)."""
    return code_version("events.py")


def _body(found: dict[str, frozenset[str] | None]) -> bytes:
    rows = {d: sorted(w) if w is not None else None for d, w in found.items()}
    return json.dumps(rows, ensure_ascii=True, sort_keys=True).encode("ascii")


def _decode(body: bytes) -> dict[str, frozenset[str] | None]:
    """The dated words of a stored row; raises ValueError or TypeError on anything else."""
    rows = json.loads(body.decode("ascii"))
    if not isinstance(rows, dict) or not all(
            isinstance(d, str) and (w is None or isinstance(w, list) and all(isinstance(x, str) for x in w))
            for d, w in rows.items()):
        raise ValueError("not a map of dates to words")
    return {d: frozenset(w) if w is not None else None for d, w in rows.items()}


class EventCache:
    """:func:`verifier.events.event_words` behind the store: each text is parsed once, for all its dates."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.store = Store.at(cache_dir)
        self.memory: dict[str, dict[str, frozenset[str] | None]] = {}

    def __call__(self, text: str, date_text: str) -> frozenset[str] | None:
        found = self.memory.get(text)
        if found is None:
            found = self.memory[text] = self._dated(text)
        return found[date_text] if date_text in found else events.event_words(text, date_text)

    def _dated(self, text: str) -> dict[str, frozenset[str] | None]:
        if self.store is None:
            return events.dated_words(text)
        k = key(KIND, events_version(), text)
        stored = self.store.get_rows(KIND, [k], _decode, what="dated words", then="parsing that text again")
        if k in stored:
            return stored[k]
        found = events.dated_words(text)
        self.store.put_rows(KIND, {k: _body(found)})
        return found
