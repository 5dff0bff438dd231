"""Say in words where a claim and a quote differ: the reasons a person can check against the quote."""
from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from .facts import stem

_WORD = re.compile(r"[\w][\w'’.-]*[\w]|[\w]")
# Words whose presence or absence alone does not make a difference worth naming.
_FILLER = {"the", "a", "an", "of", "that", "which", "who", "to", "in", "on", "at", "and", "is", "are", "was",
           "were", "has", "have", "had", "be", "been", "its", "their", "his", "her", "by", "for", "with", "as"}


# A difference is named only with a shared word of substance at most this many claim words from it.
_ANCHOR = 4


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _phrase(words: list[str]) -> str:
    return " ".join(words)


def differences(claim: str, quote: str, most: int = 2) -> list[tuple[str, str]]:
    """Pairs (what the source says, what the claim says) where the claim's words replace the quote's.

    The claim is aligned with the quote word by word; each stretch where both sides have words of
    their own is a difference ("an equal number", "more"), when the quote has a third or more of the claim's
    words of substance in the same order. Stretches with only filler words, and
    stretches longer than six words (no longer one statement against another), are skipped, and so
    is a stretch with no word of substance that both share within a few words of it: between two
    sentences about different things the alignment pairs words at random ("When" against "Surah Ya
    Sin"), and naming those pairs would explain nothing.
    """
    shown_a, shown_b = _words(quote), _words(claim)
    # Aligned on stems: "apologised" against "apologized", or "signs" against "signed", is no difference.
    a = [stem(w) for w in shown_a]
    b = [stem(w) for w in shown_b]
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    opcodes = matcher.get_opcodes()
    shared = [j for op, _, _, j1, j2 in opcodes if op == "equal" for j in range(j1, j2)
              if shown_b[j].lower() not in _FILLER]
    # Word differences explain only a quote that says a good share of the claim in its words; otherwise the
    # alignment pairs words of two different statements ("adaptive" against "microbial products suppresses").
    substance = sum(w.lower() not in _FILLER for w in shown_b)
    if 3 * len(shared) < substance:
        return []
    for op, i1, i2, j1, j2 in opcodes:
        if op != "replace":
            continue
        src, clm = shown_a[i1:i2], shown_b[j1:j2]
        if not 0 < len(src) <= 6 or not 0 < len(clm) <= 6:
            continue
        # Both sides must say something: "The" against "Never before had joint" is no difference to name.
        if {w.lower() for w in src} <= _FILLER or {w.lower() for w in clm} <= _FILLER:
            continue
        if not any(j1 - _ANCHOR <= j < j1 or j2 <= j < j2 + _ANCHOR for j in shared):
            continue
        # A stretch of several words whose words the other text has elsewhere was paired out of order,
        # not replaced ("To assess whether" against "visual impairment screening", where the quote
        # says "impaired vision" later); a single word found elsewhere is a swap of roles, and is named.
        if _misaligned(a[i1:i2], b[:j1] + b[j2:], src) or _misaligned(b[j1:j2], a[:i1] + a[i2:], clm):
            continue
        # A value on one side only is something one text adds, not words the other says differently
        # ("have partnered" against "in 2018").
        if any(ch.isdigit() for w in src for ch in w) != any(ch.isdigit() for w in clm for ch in w):
            continue
        out.append((_phrase(src), _phrase(clm)))
        if len(out) >= most:
            break
    return out


def _misaligned(stems: list[str], elsewhere: list[str], shown: list[str]) -> bool:
    substance = [st for st, w in zip(stems, shown) if w.lower() not in _FILLER]
    return len(substance) > 1 and any(st in elsewhere for st in substance)


# Comparisons of amount: word order differs between "A has more than B" and "B has as many as A",
# so these are found by pattern rather than by alignment.
_COMPARATIVE = re.compile(
    r"\b(?:an? )?(?:equal|same|similar) (?:number|amount|share|size)\b|\bas (?:many|much) as\b|\bequal(?:ly)?\b"
    r"|\b(?:more|fewer|less|greater|larger|smaller|higher|lower|bigger|better|worse)\b(?: than)?"
    r"|\b(?:most|fewest|least|largest|smallest|highest|lowest)\b", re.IGNORECASE)


def _comparatives(text: str) -> list[str]:
    return list(dict.fromkeys(m.group().lower() for m in _COMPARATIVE.finditer(text)))


def contradiction_reason(claim: str, quote: str, worded: Sequence[str] = ()) -> str:
    """Why the model reads a contradiction, in the first of these that applies.

    Comparatives that differ ('the source says "an equal number", the claim says "more"'); the
    differences of negation or direction that the fact check found (``worded``); the stretches of
    words that differ; or, when none does, the model's reading plainly.
    """
    in_claim, in_quote = _comparatives(claim), _comparatives(quote)
    if in_claim and in_quote and set(in_claim) != set(in_quote):
        return f"the source says \u201c{', '.join(in_quote)}\u201d, the claim says \u201c{', '.join(in_claim)}\u201d"
    if worded:
        return "; ".join(worded)
    diffs = differences(claim, quote)
    if not diffs:
        # Only the model's reading says so: no invented word difference.
        return "the model reads the quote as contradicting the claim"
    return "; ".join(f"the source says \u201c{s}\u201d, the claim says \u201c{c}\u201d" for s, c in diffs)


def unstated(claim: str, quote: str, most: int = 3) -> list[str]:
    """Content words of the claim that the quote does not have, in the claim's order."""
    have = {w.lower() for w in _words(quote)}
    seen: dict[str, str] = {}  # lower-cased word -> the claim's first spelling of it
    for w in _words(claim):
        lw = w.lower()
        if lw not in have and lw not in _FILLER and lw not in seen and len(lw) > 2:
            seen[lw] = w
    return list(seen.values())[:most]
