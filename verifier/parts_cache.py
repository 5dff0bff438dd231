"""Claim parts cached on disk by content hash, so that a warm run over claims seen before never loads spaCy's parser."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

from . import parts
from .facts_cache import code_version
from .parts import Part
from .store import Store, key

KIND = "parts"  # the store's kind; its version is in verifier.store.VERSIONS


def split_version() -> str:
    """What a claim's parts depend on besides its text: parts.py and the spaCy model (as for facts)."""
    return code_version("parts.py")


def _body(found: list[Part]) -> bytes:
    return json.dumps([[p.text, p.kind, p.added] for p in found], ensure_ascii=True).encode("ascii")


def _decode(body: bytes) -> list[Part]:
    """The parts of a stored row; raises ValueError or TypeError on anything else."""
    rows = json.loads(body.decode("ascii"))
    if not isinstance(rows, list) or not all(isinstance(r, list) and len(r) == 3 and all(isinstance(x, str) for x in r)
                                             for r in rows):
        raise ValueError("not a list of parts")
    return [Part(*r) for r in rows]


def split_many(texts: Sequence[str], cache_dir: Path | None) -> list[list[Part]]:
    """Each claim's parts, in order: from the store where split before, else split and stored."""
    store = Store.at(cache_dir)
    texts = list(texts)
    if store is None or not texts:
        return parts.split_many(texts)
    keys = {t: key(KIND, split_version(), t) for t in dict.fromkeys(texts)}
    stored = store.get_rows(KIND, list(keys.values()), _decode, what="claim parts", then="splitting those claims again")
    found = {t: stored[k] for t, k in keys.items() if k in stored}
    todo = [t for t in keys if t not in found]
    if todo:
        fresh = parts.split_many(todo)
        found.update(zip(todo, fresh))
        store.put_rows(KIND, {keys[t]: _body(p) for t, p in zip(todo, fresh)})
    return [found[t] for t in texts]
