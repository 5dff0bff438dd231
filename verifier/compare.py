"""Compare a claim's facts with a quote's: which numbers, dates, names and words conflict, are missing, or match."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .facts import Entity, Facts, Quantity, stem
from .sources import normalize


@dataclass(frozen=True)
class Conflict:
    """One fact the quote states otherwise: its kind (date, number, name, ...), the reason, and the claim's side."""

    kind: str
    message: str
    claimed: str = ""  # the claim's date or name the source disagrees with, for checks that look again


@dataclass
class Comparison:
    """How a claim's facts fare against a candidate quote's."""

    clashes: list[Conflict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    missing_words: list[str] = field(default_factory=list)
    coverage: float = 1.0
    facts_matched: int = 0
    polarity_flipped: bool = False
    named_elsewhere: list[str] = field(default_factory=list)  # claim names the quote leaves to a pronoun, named just before it
    other_events: list[str] = field(default_factory=list)  # the quote's dates that differ from the claim's, said of something else

    @property
    def conflicts(self) -> list[str]:
        return [c.message for c in self.clashes]

    @property
    def conflict_kinds(self) -> list[str]:
        return [c.kind for c in self.clashes]

    def conflict(self, kind: str, message: str, claimed: str = "") -> None:
        self.clashes.append(Conflict(kind, message, claimed))


def _has_phrase(norm_words: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", norm_words) is not None


_DEMONYM_ENDINGS = {"", "n", "an", "ian", "ish", "i", "ese", "ic", "y", "ey", "ia", "a", "e", "s", "'s"}


def same_name(a: str, b: str) -> bool:
    """Two forms of one name: equal, or a place and its people (Turkey ~ Turkish, Armenia ~ Armenian)."""
    if a == b:
        return True
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n >= 4 and a[n:] in _DEMONYM_ENDINGS and b[n:] in _DEMONYM_ENDINGS


def _entity_found(ent: Entity, ev: Facts) -> bool:
    if _has_phrase(ev.text, ent.norm):
        return True
    return all(p in ev.vocab or any(same_name(p, v) for v in ev.vocab) for p in ent.norm.split())


def _abbreviation(norm: str, claim: Facts) -> bool:
    """Whether the claim writes this in brackets after what it abbreviates: "diastolic blood pressure (DBP)"."""
    return _has_phrase(claim.text, f"({norm})") and not claim.text.startswith(f"({norm})")


def _stated(ent: Entity, claim: Facts, ev: Facts) -> bool:
    """A name of the claim in the quote, or its abbreviation where the claim gives one: "Apolipoprotein E4 (APOE4)"."""
    if _entity_found(ent, ev):
        return True
    m = re.search(rf"(?<!\w)(?:{re.escape(normalize(ent.text))}|{re.escape(ent.norm)})\s*\(([^()]{{1,20}})\)", claim.text)
    return m is not None and _has_phrase(ev.text, m.group(1))


def _list_conflicts(claim: Facts, ev: Facts) -> list[str]:
    """A name swapped inside a list: the claim's list and the quote's share all but one name."""
    out = []
    for crun in claim.lists:
        for erun in ev.lists:
            # Lists of the same length in the same role ("signed by A, B and C"): "between A and B"
            # against "along with C, B" is two lists about different things.
            # "the Turkish and Russian contingents" against "the Azerbaijani and Turkish governments":
            # an article marks no role, so only a role word does ("by", "between").
            if len(crun) != len(erun) or crun[0].before != erun[0].before or crun[0].before not in _SLOT_WORDS:
                continue
            only_claim = [c for c in crun if not any(same_name(c.norm, e.norm) for e in erun)]
            only_ev = [e for e in erun if not any(same_name(c.norm, e.norm) for c in crun)]
            if only_claim and only_ev and len(only_claim) < len(crun):
                # The source's whole list, and the claim's names it lacks: each named where it is written
                # (the claim's name may occur in the quote in another role, outside the list).
                out.append(f"the source says {_listed(erun)}; the claim says {_listed(only_claim)}")
    return out


def _listed(names: tuple[Entity, ...] | list[Entity]) -> str:
    texts = [n.text for n in names]
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def _same_unit(a: str, b: str) -> bool:
    """Units agree when either is unstated or both name the same thing ("days" ~ "day")."""
    return not a or not b or a == b or stem(a) == stem(b)


def _unit_alike(q: Quantity, e: Quantity, similar_words: dict[str, set[str]] | None) -> bool:
    """The same unit, or words of the same meaning ("the two countries" against "the two nations")."""
    if _same_unit(q.unit, e.unit):
        return True
    said, theirs = (x.text.split()[-1].lower() if x.text.split() else "" for x in (q, e))
    return bool(q.unit and e.unit) and theirs in (similar_words or {}).get(said, set())


def compare(claim: Facts, ev: Facts, similar_words: dict[str, set[str]] | None = None,
            context: frozenset[str] = frozenset()) -> Comparison:
    """Check every fact of the claim against a candidate quote.

    Args:
        claim: facts of the claim.
        ev: facts of the candidate quote (one sentence or a window of them).
        similar_words: for claim words, the quote's words a word model judged to mean the same.
        context: the plain words of the quote's other sentences (a window read whole): they count
            for the share of the claim's words stated, never for a name, number or date.
    """
    out = Comparison()

    # Dates: each date of the claim must be stated by the quote.
    for d in claim.dates:
        if any(d.covered_by(e) for e in ev.dates):
            out.facts_matched += 1
        elif any(not d.compatible(e) for e in ev.dates):
            other = next(e for e in ev.dates if not d.compatible(e))
            out.conflict("date", f"the source says {other.text}; the claim says {d.text}", d.text)
        else:
            out.missing.append(f"the date {d.text}")

    # Numbers, with the thing they count when there is one.
    ev_years = {float(e.year) for e in ev.dates if e.year}
    for q in claim.quantities:
        if any(abs(q.value - e.value) < 1e-9 and _unit_alike(q, e, similar_words) for e in ev.quantities) \
                or (not q.unit and q.value in ev_years):
            out.facts_matched += 1
            continue
        same_unit = [e for e in ev.quantities if q.unit and e.unit == q.unit]
        if same_unit:
            out.conflict("number", f"the source says {same_unit[0].text}; the claim says {q.text}")
        else:
            out.missing.append(f"the number {q.text}")

    # Ordinals: "first" against "second", when they put the same thing in order ("the fifth season"
    # is no rival of "the second half"); an ordinal of nothing named ("finished second") rivals any.
    # One the claim states of the same thing is no rival ("renewed for a fifth season before the
    # fourth season aired").
    ev_ords = {v for v, _, _ in ev.ordinals}
    claim_ords = {(v, n) for v, _, n in claim.ordinals}
    for v, word, noun in claim.ordinals:
        if v in ev_ords:
            out.facts_matched += 1
        elif rival_ords := [w for ov, w, n in ev.ordinals
                            if (ov, n) not in claim_ords and (not noun or not n or n == noun)]:
            out.conflict("ordinal", f"the source says {rival_ords[0].lower()}; the claim says {word.lower()}")
        else:
            out.missing.append(f"'{word.lower()}'")

    # Names and places: each must be in the quote; a different name in the same role conflicts.
    claim_norms = {e.norm for e in claim.entities}
    # Each name once: stated by the quote, or an abbreviation of words the claim gives before it.
    stated = [_stated(ent, claim, ev) for ent in claim.entities]
    abbreviated = [_abbreviation(ent.norm, claim) for ent in claim.entities]
    for ent, found, abbreviation in zip(claim.entities, stated, abbreviated):
        if found:
            out.facts_matched += 1
            continue
        if abbreviation:
            continue  # "(DBP)": it stands for the words before it, which are checked as words
        # "Edwin" is no rival of "Edwin Tooth": a shorter form of the claim's own name.
        rivals = [e for e in ev.entities if e.norm not in claim_norms and not _entity_found(e, claim)
                  and not set(e.norm.split()) <= set(ent.norm.split())
                  and e.before == ent.before and e.before in _SLOT_WORDS]
        if rivals:
            out.conflict("name", f"the source names {rivals[0].text}, not {ent.text}", ent.text)
        else:
            out.missing.append(ent.text)
    for message in _list_conflicts(claim, ev):
        out.conflict("name", message)

    # Polarity: an odd number of negations on one side only.
    if len(claim.negations) % 2 != len(ev.negations) % 2:
        out.polarity_flipped = True
        if claim.negations:
            out.conflict("polarity", f"the claim says '{claim.negations[0]}', the quote has no negation to match it")
        else:
            out.conflict("polarity", f"the source says '{ev.negations[0]}', the claim has no negation to match it")

    # Direction words: "increase" against "decrease".
    ev_dirs = {(p, s) for p, s, _ in ev.directions}
    for p, s, word in claim.directions:
        if (p, s) in ev_dirs:
            continue
        if (p, 1 - s) in ev_dirs:
            said = next(w for pp, ss, w in ev.directions if pp == p and ss == 1 - s)
            out.conflict("direction", f"the source says '{said}'; the claim says '{word}'")

    # Comparisons of amount: "more servicemen than Russia" against "an equal number of servicemen".
    # A text that says both ("twice as many ... as") says they differ.
    said_unequal, claimed_unequal = _inequality(ev.text), _inequality(claim.text)
    said_equal = "" if said_unequal else _equality(ev.text)
    claimed_equal = "" if claimed_unequal else _equality(claim.text)
    # "does not have fewer ... than" is true of an equal number: a negation leaves it to the model.
    negated = bool(claim.negations or ev.negations)
    if not negated and claimed_unequal and said_equal:
        out.conflict("comparison", f"the source says '{said_equal}'; the claim says '{claimed_unequal}'")
    elif not negated and claimed_equal and said_unequal:
        out.conflict("comparison", f"the source says '{said_unequal}'; the claim says '{claimed_equal}'")

    # Content words: each must be in the quote, as the same word, a form of it, or a synonym.
    # Names count too, so a claim that is mostly names is judged on them.
    total = 0.0
    matched = 0.0
    vocab = ev.vocab | context if context else ev.vocab  # the window's plain words count for coverage only
    for found, abbreviation in zip(stated, abbreviated):
        total += 1.0
        matched += 1.0 if found or abbreviation else 0.0
    fact_words = {w for e in claim.entities for w in e.norm.split()}
    fact_words |= {q.unit for q in claim.quantities if q.unit}  # "44 days": checked with the number
    for w in claim.words:
        low = w.text.lower()
        if low in fact_words or w.lemma in fact_words:
            continue
        weight = 0.5 if w.pos == "ADV" else 1.0
        total += weight
        if (low in vocab or w.lemma in vocab or stem(low) in vocab or stem(w.lemma) in vocab
                or (similar_words and similar_words.get(low))):
            matched += weight
        else:
            out.missing_words.append(w.text)
            # A name the tagger saw but NER did not is still a name, unless it is an abbreviation in brackets.
            if w.pos == "PROPN" and not _abbreviation(low, claim):
                out.missing.append(w.text)
    out.coverage = matched / total if total else 1.0
    return out


# An amount said to be the same on both sides, and one said to differ between two things ("more X
# than Y", "twice as many"); "more than 100" bounds a number and compares nothing.
_EQUAL = re.compile(r"\b(?:an? |the )?(?:equal|same|identical) (?:number|numbers|amount|amounts|size|share)\b"
                    r"|\bas (?:many|much|large|big)\b(?: \w+){0,3} as\b|\bequal in (?:number|size)\b", re.I)
_UNEQUAL = re.compile(r"\b(?:more|fewer|less|greater|larger|smaller|bigger)\b(?: [\w-]+){0,3} than (?!\W*\d)"
                      r"|\b(?:twice|half|(?:two|three|four|five|ten|\w+) times) as (?:many|much|large)\b"
                      r"|\boutnumber\w*", re.I)


def _equality(text: str) -> str:
    m = _EQUAL.search(text)
    return m.group().strip() if m else ""


def _inequality(text: str) -> str:
    m = _UNEQUAL.search(text)
    return m.group().strip() if m else ""


# Words before a name that mark the same role in two sentences ("in Shusha" / "in Lachin").
_SLOT_WORDS = {"in", "at", "from", "by", "with", "to", "near", "president", "minister", "of", "between", "and"}
