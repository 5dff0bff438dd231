"""Other names a document defines in brackets: "Gas Exporting Countries Forum (GECF)", "A20 (TNFAIP3)".

A source that writes a name once with its other name in brackets goes on with either: an abstract
defines "A20 (TNFAIP3)" and later says only "A20"; a report names "the Gas Exporting Countries Forum
(GECF)" and a claim says "GECF". Where a claim's name is missing from a quote but the quote states
the other name this document gave it, the name is stated there. Two kinds of definition count,
both a single word in brackets: an abbreviation whose letters are the initials of the words just
before it, and a code of letters and digits beside another such code or name (one word each),
since these are the ways sources write one thing's two names. Texts are compared normalised
(:func:`verifier.sources.normalize`).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .facts import is_code
from .sources import normalize

# A word or a few, then one word in brackets.
_DEFINED = re.compile(r"((?:[\w'-]+ ){0,7}[\w'-]+) \(([\w-]{2,15})\)")
_TOKEN = re.compile(r"[\w-]+")
_SMALL = {"of", "and", "the", "for", "in", "on", "to", "a", "an", "de"}


@lru_cache(maxsize=16)  # once per document, not once per claim and quote
def aliases(text: str) -> dict[str, frozenset[str]]:
    """Each name the text defines in brackets, normalised, with its other names (both ways round)."""
    found: dict[str, set[str]] = {}
    plain = normalize(text)
    codes: set[str] | None = None  # the codes the text writes (lower case), found once and only if needed
    for m in _DEFINED.finditer(plain):
        before, short = m.group(1).split(), m.group(2)
        long = _spelled(before, short)
        if not long:
            if codes is None:
                codes = {w.lower() for w in _TOKEN.findall(text) if is_code(w)}
            # "a20 (tnfaip3)": two codes, one word each, for one thing (codes have capitals, so as written)
            long = before[-1] if before[-1] in codes and short in codes else ""
        if long:
            found.setdefault(short, set()).add(long)
            found.setdefault(long, set()).add(short)
    return {k: frozenset(v) for k, v in found.items()}


def _spelled(before: list[str], short: str) -> str:
    """The words just before the brackets whose initials spell the abbreviation ("gas exporting countries forum")."""
    letters = [c for c in short if c.isalpha()]
    if not 2 <= len(letters) <= 8 or len(letters) < len(short) - 2:
        return ""
    words: list[str] = []
    want = len(letters)
    for w in reversed(before):
        if w in _SMALL and words:
            words.insert(0, w)
            continue
        words.insert(0, w)
        want -= 1
        if want == 0:
            break
    initials = [w[0] for w in words if w not in _SMALL or w == words[0]]
    if want or initials != letters:
        return ""
    return " ".join(words)


def other_names(text: str, name: str) -> frozenset[str]:
    """The other names the document ``text`` gives ``name`` (normalised), if any."""
    return aliases(text).get(normalize(name), frozenset())
