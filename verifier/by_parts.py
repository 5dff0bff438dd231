"""Decide a claim of several parts: supported only when every part is, contradicted when any part is.

A claim's parts (parts.py) are each decided as a statement of their own by :func:`judge.decide`,
against the quotes the model read for them. The claim is then:

- contradicted when the whole claim or any part is (a quote about the same thing says otherwise);
- supported when every part is supported; the citation is the fewest of the read quotes that
  together state every part, preferring the quote that states the whole claim;
- unsupported otherwise, and the reason names the first part that nothing states.

A claim whose every part is supported is supported even when no single quote states it whole: its
parts may be stated in different places of one source. A claim that a quote seems to state whole
but one of whose parts nothing states is not: that is the false support this guards against
("Turkish F-16 jets took part in the drills" from a long sentence about the drills).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

from .judge import Assessed, PartVerdict, Quote, Verdict, decide, evidence_of, supporting_quotes
from .parts import MEMBER_KINDS, WITH_MAIN, Part
from .retrieve import Candidate
from .thresholds import Thresholds
from .verdicts import CONTRADICTED, SUPPORTED, UNSUPPORTED, Reading


@dataclass
class PartCase:
    """One part of a claim on its way through: its compared quotes and the model's readings of them."""

    part: Part
    assessed: list[Assessed]
    readings: list[Reading | None]


def _said(text: str) -> str:
    return "\u201c" + text.rstrip(".!?") + "\u201d"


def _cited(v: Verdict) -> tuple[Candidate, ...]:
    return v.evidence[:v.cited] if v.verdict != UNSUPPORTED else ()


def decide_claim(claim_text: str, scored: Sequence[Assessed], readings: Sequence[Reading | None],
                 parts: Sequence[PartCase], th: Thresholds) -> Verdict:
    """The claim's verdict from its own reading and its parts'; one part or none: the claim's reading alone."""
    read_whole = any(r is not None for r in readings)
    whole = decide(claim_text, scored, readings, th) if read_whole or not parts else None
    if not parts:
        assert whole is not None
        return whole
    decided = [decide(p.part.text, p.assessed, p.readings, th) for p in parts]
    decided = _members_from_main(parts, _main_from_modifiers(parts, decided))

    def part_verdicts(quotes_of: Sequence[tuple[Candidate, ...]]) -> tuple[PartVerdict, ...]:
        return tuple(PartVerdict(p.part.text, p.part.kind, v.verdict, q)
                     for p, v, q in zip(parts, decided, quotes_of))

    if whole is not None and whole.verdict == CONTRADICTED:
        return replace(whole, parts=part_verdicts([_cited(v) for v in decided]))
    against = [(n, v) for n, v in enumerate(decided) if v.verdict == CONTRADICTED]
    if against:
        n, v = max(against, key=lambda nv: nv[1].confidence)
        reason = f"{v.reason} (the part {_said(parts[n].part.text)})"
        return replace(v, reason=reason, parts=part_verdicts([_cited(x) for x in decided]))

    if all(v.verdict == SUPPORTED for v in decided):
        return _supported(whole, decided, parts, part_verdicts, th)

    # Unsupported: the first part nothing states is named; the parts that are stated keep their quotes.
    n = next(i for i, v in enumerate(decided) if v.verdict != SUPPORTED)
    failing = decided[n]
    reason = f"nothing in the sources states {_said(parts[n].part.text)}: {failing.reason}"
    stated = tuple(dict.fromkeys(c for v in decided if v.verdict == SUPPORTED for c in _cited(v)))
    shown = failing.evidence[:1] + tuple(c for c in (*stated, *failing.evidence[1:]) if c not in failing.evidence[:1])
    # The probability that this part is unsupported: one minus the likeliest reading of it either way.
    return Verdict(UNSUPPORTED, failing.confidence, reason, shown[:4], failing.comparison, 1,
                   part_verdicts([_cited(v) for v in decided]))


def _main_from_modifiers(parts: Sequence[PartCase], decided: list[Verdict]) -> list[Verdict]:
    """The main statement is stated wherever a part that contains it is ("began in Lachin" states "began").

    The model reads a short main statement less surely than the same words with their detail; a
    quote that states the longer part states the shorter one.
    """
    if parts[0].part.kind != "main" or decided[0].verdict != UNSUPPORTED:
        return decided
    fuller = [v for p, v in zip(parts[1:], decided[1:]) if p.part.kind in WITH_MAIN and v.verdict == SUPPORTED]
    if not fuller:
        return decided
    best = max(fuller, key=lambda v: v.confidence)
    return [replace(best, reason=best.reason + ", with the detail the main statement leaves out")] + decided[1:]


def _members_from_main(parts: Sequence[PartCase], decided: list[Verdict]) -> list[Verdict]:
    """Each member of a list is stated wherever the main statement, which holds the whole list, is.

    "Azerbaijan, Russia and Armenia concluded their peace deal" states "Russia concluded their peace
    deal", which the model may read as unsupported alone (whose deal?). Lists of alternatives are
    never split (parts.py), so the main statement implies each member.
    """
    if parts[0].part.kind != "main" or decided[0].verdict != SUPPORTED:
        return decided
    main = decided[0]
    return [replace(main, reason=main.reason + ", with the rest of its list")
            if p.part.kind in MEMBER_KINDS and v.verdict == UNSUPPORTED else v
            for p, v in zip(parts, decided)]


PartVerdicts = Callable[[Sequence[tuple[Candidate, ...]]], tuple[PartVerdict, ...]]


def _supported(whole: Verdict | None, decided: Sequence[Verdict], parts: Sequence[PartCase],
               part_verdicts: PartVerdicts, th: Thresholds) -> Verdict:
    """Every part is stated: cite the fewest quotes that state them all, the whole claim's own quote first."""
    whole_quote = _quote_of(whole, parts) if whole is not None and whole.verdict == SUPPORTED else None
    chosen: list[Quote] = []
    per_part: list[Quote | tuple[Candidate, ...]] = []  # the quote that states each part, else its own evidence
    for p, v in zip(parts, decided):
        states = supporting_quotes(p.assessed, p.readings, th)
        prefer = ([whole_quote] if whole_quote is not None else []) + chosen
        mine = next((q for q in prefer if q in states), None)
        if mine is None:
            mine = next((q for q in states if evidence_of(q) == v.evidence[:v.cited]), states[0] if states else None)
        if mine is not None and mine not in chosen:
            chosen.append(mine)
        per_part.append(mine if mine is not None else v.evidence[:v.cited])
    # A quote inside another chosen one adds nothing to the citation: the larger one is cited for it.
    inner = {q: o for q in chosen for o in chosen if _within(q, o)}
    chosen = [q for q in chosen if q not in inner]
    stated = [ev if isinstance(ev, tuple) else evidence_of(_outermost(ev, inner)) for ev in per_part]
    cited = tuple(dict.fromkeys(c for q in chosen for c in evidence_of(q)))
    if not cited:
        cited = tuple(dict.fromkeys(c for v in decided for c in v.evidence[:v.cited]))
    confidence = min(v.confidence for v in decided)
    if whole is not None and whole.verdict == SUPPORTED and cited == whole.evidence[:whole.cited]:
        reason = whole.reason + f", and each of its {len(parts)} parts"
        confidence = min(confidence, whole.confidence)
    elif len(chosen) == 1:
        reason = f"the quote states each of the claim's {len(parts)} parts"
    else:
        reason = f"the {len(chosen)} quotes together state each of the claim's {len(parts)} parts"
    runners = whole.evidence[whole.cited:] if whole is not None else ()
    runners = tuple(c for c in runners if c not in cited)[:2]
    return Verdict(SUPPORTED, confidence, reason, cited + runners, whole.comparison if whole else None,
                   len(cited), part_verdicts(stated))


def _within(q: Quote, o: Quote) -> bool:
    """Whether quote ``q``'s sentences are some of quote ``o``'s (a sentence inside a window)."""
    return q.doc.path == o.doc.path and set(q.sentences) < set(o.sentences)


def _outermost(q: Quote, inner: dict[Quote, Quote]) -> Quote:
    while q in inner:
        q = inner[q]
    return q


def _quote_of(whole: Verdict, parts: Sequence[PartCase]) -> Quote | None:
    """The quote the whole claim's verdict cites, as the parts' readings know it (a sentence, window or combined)."""
    cited = whole.evidence[:whole.cited]
    for p in parts:
        for x in p.assessed:
            if evidence_of(x.quote) == cited:
                return x.quote
    return None
