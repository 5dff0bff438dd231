"""Tell whether a claim's date and a quote's are said of the same event: the verb (or noun) each is attached to.

A source states many dates, and the one beside the claim's words may belong to something else:
"Behring died on June 25, 2019" against "Mr. Behring moved to the Bay Area in 1972" is no
contradiction, only a quote that does not give the date of his death. The parser finds the word a
date is said of: the first noun or verb above it in the dependency tree ("the 2015 game", "the
premiere on Aug. 6", "died on June 25"), with the verb's subject ("the signing took place"). Two
dates conflict only when those words agree: "signed on June 16" against "signed on June 15",
"cooperation began in 1995" against "cooperation emerged in 1992". Where the parse does not
place a date, the conflict stands, as it did without this check.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable

from .compare import Comparison
from .facts import DateFact, Facts, _spacy_text, dates_in, parsed, stem

# Verbs that say nothing of which event a date is about ("it was in 1972", "it has a date").
_LIGHT = {"be", "is", "was", "were", "been", "being", "are", "have", "has", "had", "do", "does", "did"}


def event_words(text: str, date_text: str) -> frozenset[str] | None:
    """The words (lower case) a date in ``text`` is said of: the first noun or verb above it, and the verb's subject.

    None when the text does not hold the date, or the parse gives it no verb or noun to belong to.
    """
    plain = _spacy_text(text)
    start = plain.find(date_text)
    if start < 0:
        return None
    doc = parsed(text)  # read as plain is: with the same characters replaced
    span = doc.char_span(start, start + len(date_text), alignment_mode="expand")
    if span is None:
        return None
    inside = range(span.start, span.end)
    words: set[str] = set()
    tok = span.root
    while tok.head.i != tok.i:
        tok = tok.head
        if tok.i in inside:
            continue
        if tok.pos_ == "VERB" and tok.lower_ not in _LIGHT:
            words.add(tok.lower_)
            # Its subject when a common noun: "the signing took place", "cooperation began" ~ "emerged".
            words |= {c.lower_ for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"
                      and not c.ent_type_}
            break
        if tok.pos_ == "NOUN" and not tok.ent_type_:
            # "the 2015 game", "the election in 1926", "ahead of the premiere on Aug. 6": what it dates.
            words.add(tok.lower_)
            break
    return frozenset(words) or None


def dated_words(text: str) -> dict[str, frozenset[str] | None]:
    """For each date the text states (as :func:`verifier.facts.dates_in` gives them): what it is said of."""
    return {d.text: event_words(text, d.text) for d in dates_in(text)}


EventWords = Callable[[str, str], "frozenset[str] | None"]


def _agree(claim_words: frozenset[str], quote_words: frozenset[str], similar: dict[str, set[str]] | None) -> bool:
    """Whether one of the claim's event words is one of the quote's: the same stem, or a word of the same meaning."""
    stems = {stem(w) for w in quote_words}
    return any(stem(w) in stems or quote_words & (similar or {}).get(w, set()) for w in claim_words)


def same_event(claim_text: str, claim_date: DateFact, quote_text: str, quote_date: DateFact,
               similar: dict[str, set[str]] | None = None, words: EventWords = event_words) -> bool:
    """Whether the two dates are said of the same event (True where either parse cannot tell)."""
    mine = words(claim_text, claim_date.text)
    theirs = words(quote_text, quote_date.text)
    return mine is None or theirs is None or _agree(mine, theirs, similar)


def dates_of_other_events(cmp: Comparison, claim_text: str, claim: Facts, quote_text: str, quote: Facts,
                          similar: dict[str, set[str]] | None = None, words: EventWords = event_words) -> Comparison:
    """The comparison with each date conflict kept only where a differing date is said of the claim's event.

    A conflict whose differing dates all belong to other events becomes a missing date: the quote
    does not state the claim's date, and says nothing against it. Where one of them does belong to
    the claim's event, the conflict names that one. ``words`` finds what a date is said of
    (:class:`verifier.parse_cache.EventCache` keeps the answers, so a warm run parses nothing).
    """
    if "date" not in cmp.conflict_kinds:
        return cmp
    clashes, missing, elsewhere = [], list(cmp.missing), list(cmp.other_events)
    for clash in cmp.clashes:
        d = next((x for x in claim.dates if x.text == clash.claimed), None) if clash.kind == "date" else None
        if d is not None:
            rivals = [e for e in quote.dates if not d.compatible(e)]
            same = [e for e in rivals if same_event(claim_text, d, quote_text, e, similar, words)]
            if not same:
                missing.append(f"the date {d.text}")
                elsewhere += [e.text for e in rivals]
                continue
            clash = replace(clash, message=f"the source says {same[0].text}; the claim says {d.text}")
        clashes.append(clash)
    return replace(cmp, clashes=clashes, missing=missing, other_events=elsewhere)
