"""Decide a claim from its candidate quotes: entailment model and fact checks combined, verdict and reason out.

Candidates in: single sentences, windows of adjacent ones, and a premise made of the best few
sentences of one document that stand apart. The entailment model reads each as a premise for the
claim. The fact checks (numbers, dates, names, polarity) stay as guards: a quote that conflicts
with the claim, or lacks one of its names, numbers or dates, never supports it. Out: the verdict,
the probability of that verdict, the quote cited and a reason a person can check against it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Sequence

from . import events, roles
from .aliases import other_names
from .compare import Comparison, compare
from .events import EventWords
from .explain import contradiction_reason, unstated
from .facts import Facts, code_key
from .links import refers_back
from .retrieve import Candidate, headings
from .roles import RoleReader
from .sources import Document, Sentence, normalize
from .thresholds import COMBINED_MOST, READ_BY_MODEL, Thresholds, default_thresholds
from .verdicts import CONTRADICTED, SUPPORTED, UNSUPPORTED, Reading, VerdictName

FACT_CONFLICTS = {"date", "number", "ordinal", "name", "comparison", "role"}

SimilarWords = Callable[[Sequence[str], Sequence[str]], dict[str, set[str]]]


@dataclass(frozen=True)
class Combined:
    """Sentences of one document that are not adjacent, read together as one premise."""

    parts: tuple[Candidate, ...]

    @property
    def doc(self) -> Document:  # the parts' document
        return self.parts[0].doc

    @property
    def first(self) -> int:
        return self.parts[0].first

    @property
    def last(self) -> int:
        return self.parts[-1].last

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.parts for s in p.sentences)

    @property
    def quote(self) -> str:
        return " ".join(p.quote for p in self.parts)

    @property
    def size(self) -> int:
        return sum(p.size for p in self.parts)

    @property
    def cosine(self) -> float:
        return max(p.cosine for p in self.parts)

    @property
    def fuzzy(self) -> float:
        return max(p.fuzzy for p in self.parts)

    @property
    def score(self) -> float:
        return max(p.score for p in self.parts)


Quote = Candidate | Combined


@dataclass(frozen=True)
class Assessed:
    """A candidate quote with its facts compared against the claim's."""

    quote: Quote
    comparison: Comparison


@dataclass(frozen=True)
class Read:
    """A quote the model read: its comparison, the model's reading, and the probability that counts."""

    quote: Quote
    comparison: Comparison
    reading: Reading
    probability: float = 0.0


@dataclass(frozen=True)
class PartVerdict:
    """One part of a claim (see parts.py), its verdict, and the quotes that state or contradict it."""

    text: str
    kind: str
    verdict: VerdictName
    quotes: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class Verdict:
    verdict: VerdictName
    confidence: float
    reason: str
    evidence: tuple[Candidate, ...] = ()
    comparison: Comparison | None = field(default=None, compare=False)
    cited: int = 1  # how many of the first evidence quotes together are the citation
    parts: tuple[PartVerdict, ...] = ()  # for a claim of several parts: each part's verdict


def combined_candidates(cands: Sequence[Candidate], most: int = COMBINED_MOST) -> list[Combined]:
    """The claim's best single sentences of one document that stand apart, as one premise.

    Windows already read adjacent sentences together; this covers evidence spread over a
    paragraph or a page (a name in one sentence, the fact about it three sentences on). A heading
    joins none: it names what follows and states nothing, yet read after "Author: Daniel Holth",
    "PEP Acceptance" lets a model take Holth for the one who accepted.
    """
    singles = [c for c in cands if c.size == 1]
    heads = {path: headings(doc, [c.first for c in singles if c.doc.path == path])
             for path, doc in {c.doc.path: c.doc for c in singles}.items()}
    singles = [c for c in singles if c.first not in heads[c.doc.path]]
    by_doc: dict[str, list[Candidate]] = {}
    for c in singles:
        by_doc.setdefault(c.doc.path, []).append(c)
    out = []
    for doc_cands in by_doc.values():
        best = sorted(doc_cands, key=lambda c: -c.score)[:most]
        best.sort(key=lambda c: c.first)
        if len(best) >= 2 and any(b.first - a.last > 1 for a, b in zip(best, best[1:])):
            out.append(Combined(tuple(best)))
    return out[:1]


def _anchor(cand: Quote, claim: Facts, sentence_facts: dict[tuple[str, int], Facts]) -> int:
    """The position in the quote of the sentence that states most of the claim's statement.

    The claim's own words (its verb, its nouns) and its values (dates, numbers) weigh twice its
    names: a sentence that only mentions the claim's names is not the one that says what the
    claim says of them.
    """
    claim_names = {w for e in claim.entities for w in e.norm.split()}
    claim_words = {w.lemma for w in claim.words}
    best, best_score = 0, -1
    for n, s in enumerate(cand.sentences):
        f = sentence_facts[(cand.doc.path, s.index)]
        values = sum(any(d.covered_by(e) for e in f.dates) for d in claim.dates) + sum(
            any(abs(q.value - e.value) < 1e-9 for e in f.quantities) for q in claim.quantities)
        score = 2 * len((claim_words - claim_names) & f.vocab) + len(claim_words & claim_names & f.vocab) + 2 * values
        if score > best_score:
            best, best_score = n, score
    return best


def _linked(cand: Quote, at: int) -> tuple[int, int]:
    """The run of the quote's sentences around ``at`` joined by references back ("He ...", "Its ...")."""
    sents = cand.sentences
    first = last = at
    while first > 0 and sents[first - 1].index == sents[first].index - 1 and refers_back(sents[first].text):
        first -= 1
    while last + 1 < len(sents) and sents[last + 1].index == sents[last].index + 1 and refers_back(sents[last + 1].text):
        last += 1
    return first, last


def _stated(cand: Quote, claim: Facts,
            sentence_facts: dict[tuple[str, int], Facts]) -> tuple[Facts, str, list[str], int]:
    """What a quote states about the claim's statement: its facts and their sentence, the texts its names may come from, its first sentence.

    A single sentence states its own facts. A quote of several states those of the sentence that
    says most of what the claim says (its anchor); the sentences joined to the anchor by a reference
    back ("He ...", "the two countries ...") lend it their names, and nothing else: a date, number
    or word of a sentence about something else is never given to the claim's subject.
    """
    sents = cand.sentences
    if len(sents) == 1:
        return sentence_facts[(cand.doc.path, sents[0].index)], sents[0].text, [], sents[0].index
    at = _anchor(cand, claim, sentence_facts)
    first, last = _linked(cand, at)
    lenders = [s.text for n, s in enumerate(sents) if first <= n <= last and n != at]
    return sentence_facts[(cand.doc.path, sents[at].index)], sents[at].text, lenders, sents[first].index


def _with_names(facts: Facts, names: list[str]) -> Facts:
    """The facts with these names stated too (their words added), as when a pronoun stands for them."""
    words = {w for n in names for w in normalize(n).split()}
    words |= {code_key(w) for w in words}  # a code's name is kept without hyphens ("F-16" as "f16")
    return replace(facts, vocab=facts.vocab | words)


def _clip(x: float) -> float:
    return round(min(0.99, max(0.01, x)), 4)


def assess(
    claim: Facts,
    cands: Sequence[Quote],
    sentence_facts: dict[tuple[str, int], Facts],
    similar: SimilarWords | None = None,
    claim_text: str = "",
    event_words: EventWords = events.event_words,
    role_reader: RoleReader = roles.roles,
) -> list[Assessed]:
    """Compare the claim's facts with every candidate quote, in the candidates' order.

    ``claim_text``, the claim as written, lets a date conflict stand only where the quote's date
    is said of the claim's event (verifier/events.py, ``event_words`` finding what each date is
    said of); without it every differing date conflicts.
    """
    scored: list[Assessed] = []
    names = {e.text for e in claim.entities} | {w.text for w in claim.words if w.pos == "PROPN"}
    for cand in cands:
        facts, stated_in, lenders, first = _stated(cand, claim, sentence_facts)
        # Every sentence of a window lends plain words to the share stated, never values or names.
        window = [sentence_facts[(cand.doc.path, s.index)] for s in cand.sentences] if len(cand.sentences) > 1 else []
        context = frozenset(v for f in window for v in f.vocab)
        quote_words = [w.text.lower() for f in (window or [facts]) for w in f.words]
        sims = similar([w.text.lower() for w in claim.words], quote_words) if similar else None
        cmp = compare(claim, facts, sims, context)
        missing_names = [m for m in cmp.missing if m in names]
        # A name the anchor leaves to a reference back is stated where the reference points: in the
        # quote's own sentence before it ...
        lent = [m for m in missing_names if any(_mentions(_normalized(t), normalize(m)) for t in lenders)]
        # ... or, when the quote opens with one, in the sentence just before the quote (pages about
        # someone name them once and say "he" after that).
        elsewhere: list[str] = []
        if first > 0 and refers_back(cand.doc.sentences[first].text):
            before = _normalized(cand.doc.sentences[first - 1].text)
            elsewhere = [m for m in missing_names if m not in lent and _mentions(before, normalize(m))]
        # ... or under the other name the document gave it in brackets ("A20 (TNFAIP3)").
        left = [m for m in missing_names if m not in lent and m not in elsewhere]
        said = _normalized(stated_in) if left else ""
        aliased = [m for m in left if any(_mentions(said, a) for a in other_names(cand.doc.text, m))]
        if lent or elsewhere or aliased:
            cmp = compare(claim, _with_names(facts, lent + elsewhere + aliased), sims, context)
            cmp = replace(cmp, named_elsewhere=[m for m in elsewhere if m not in cmp.missing])
        if len(cand.sentences) > 1:
            cmp = _apart(cmp, _normalized(cand.quote), names)
        if claim_text:
            cmp = events.dates_of_other_events(cmp, claim_text, claim, stated_in, facts, sims, event_words)
            cmp = roles.swapped_roles(cmp, claim_text, stated_in, facts.vocab, role_reader)
        scored.append(Assessed(cand, cmp))
    return scored


APART = " in the sentence that states the rest"


def _apart(cmp: Comparison, quote: str, names: set[str]) -> Comparison:
    """A claim's name that the quote has, but only in a sentence about something else, is missing there, said so.

    The name is not stated about the claim's subject (values and names never cross sentences), so
    the quote still cannot support the claim; but "the source names X, not Y" would be untrue of a
    quote that shows Y, so the reason says where Y is missing.
    """
    clashes, missing = [], list(cmp.missing)
    for clash in cmp.clashes:
        if clash.kind == "name" and clash.claimed and _mentions(quote, normalize(clash.claimed)):
            missing.append(clash.claimed + APART)
            continue
        clashes.append(clash)
    missing = [x + APART if x in names and _mentions(quote, normalize(x)) else x for x in missing]
    if missing == cmp.missing and clashes == cmp.clashes:
        return cmp
    return replace(cmp, clashes=clashes, missing=missing)


@lru_cache(maxsize=16)
def _normalized(text: str) -> str:
    # Once per document, not once per claim and candidate: sources can be long.
    return normalize(text)


def _mentions(text: str, name: str) -> bool:
    return bool(name) and re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text) is not None


def to_read(cands: Sequence[Candidate]) -> list[Quote]:
    """The quotes the model reads for a claim: its best candidates and one combined premise."""
    return [*cands[:READ_BY_MODEL], *combined_candidates(cands)]


def evidence_of(c: Quote) -> tuple[Candidate, ...]:
    return c.parts if isinstance(c, Combined) else (c,)


def _runners_up(scored: Sequence[Assessed], chosen: Quote, n: int = 2) -> tuple[Candidate, ...]:
    taken = set(evidence_of(chosen))
    out: list[Candidate] = []
    for x in scored:
        c = x.quote
        if isinstance(c, Combined) or c in taken:
            continue
        out.append(c)
        if len(out) == n:
            break
    return tuple(out)


def _lines(c: Combined) -> str:
    """Where a combined premise's sentences are: "lines 17 and 21", or "all on line 1" (an abstract)."""
    lines = sorted({part.sentences[0].line for part in c.parts})
    if len(lines) == 1:
        return f"all on line {lines[0]}"
    return "lines " + ", ".join(map(str, lines[:-1])) + f" and {lines[-1]}"


def _facts_text(n: int) -> str:
    if n == 1:
        return " and matches its one name, number or date"
    return f" and matches all {n} of its names, numbers and dates" if n > 1 else ""


def _supporting(read: Sequence[Read], th: Thresholds) -> list[Read]:
    """The quotes that support a statement: about it, no conflicting or missing fact, read as entailing it."""
    return [x for x in read if x.quote.cosine >= th.support_cosine and not x.comparison.conflicts
            and not x.comparison.missing and x.reading.entail >= th.entail_probability
            and x.comparison.coverage >= th.support_coverage]


def supporting_quotes(scored: Sequence[Assessed], readings: Sequence[Reading | None],
                      th: Thresholds) -> list[Quote]:
    """Every read quote that supports the statement on its own, under ``th``."""
    return [x.quote for x in _supporting([Read(x.quote, x.comparison, r) for x, r in zip(scored, readings)
                                          if r is not None], th)]


def decide(claim_text: str, scored: Sequence[Assessed], readings: Sequence[Reading | None],
           th: Thresholds | None = None) -> Verdict:
    """Decide a claim from its compared candidate quotes and the model's reading of each.

    Args:
        claim_text: the claim, for the reason's wording.
        scored: each candidate compared with the claim, as :func:`assess` gives them.
        readings: the entailment model's reading of each candidate (None where it did not read it).
        th: thresholds; the shipped ones by default.

    Supported: a quote with no conflicting or missing name, number, date or polarity that the
    model reads as entailing the claim; the smallest such quote is cited. Contradicted: a quote
    the model reads as contradicting the claim, or one about the same thing (similarity, words
    in common, and the model not reading it as unrelated) whose value or name conflicts. Anything
    else is unsupported. The confidence is the probability of the verdict given.
    """
    th = th or default_thresholds()
    if not scored:
        return Verdict(UNSUPPORTED, 0.99, "the sources have no text to check against")
    read = [Read(x.quote, x.comparison, r) for x, r in zip(scored, readings) if r is not None]
    if not read:
        return Verdict(UNSUPPORTED, 0.99, "no quote was read by the entailment model",
                       _runners_up(scored, scored[0].quote, 3), scored[0].comparison)
    about = [x for x in read if x.quote.cosine >= th.support_cosine]
    related = [x for x in read if x.quote.cosine >= th.contradict_cosine]

    supporting = _supporting(read, th)
    if supporting:
        top = max(x.reading.entail for x in supporting)
        # The smallest quote that supports nearly as well as the best: nothing unrelated padded in.
        near = [x for x in supporting if x.reading.entail >= top - th.window_margin]
        # A quote that names what the claim names beats one that leaves it to a pronoun.
        best = min(near, key=lambda x: (bool(x.comparison.named_elsewhere), x.quote.size, -x.reading.entail,
                                        x.quote.doc.path, x.quote.first))
        c, cmp = best.quote, best.comparison
        why = "the quote states the claim"
        if unstated(claim_text, c.quote):
            why += " in other words"
        why += _facts_text(cmp.facts_matched)
        if cmp.named_elsewhere:
            why += "; the sentence before the quote names " + ", ".join(cmp.named_elsewhere) + ", which the quote refers back to"
        if isinstance(c, Combined):
            why += f", read together across {len(c.parts)} sentences of the same source ({_lines(c)})"
        elif c.size > 1:
            why += f", across {c.size} adjacent sentences"
        ev = evidence_of(c)
        return Verdict(SUPPORTED, _clip(best.reading.entail), why, ev + _runners_up(scored, c), cmp, len(ev))

    # The model reads a contradiction (antonyms, comparatives, negation) ...
    # A quote whose dates are those of other events is about something else: a small model reads the
    # differing date as a contradiction ("moved there in 1972" against "died in 2019").
    by_model = [replace(x, probability=x.reading.contradict) for x in related
                if x.reading.contradict >= th.nli_contradict and not isinstance(x.quote, Combined)
                and not x.comparison.other_events]
    # ... or a checked value or name differs in a quote about the same thing.
    by_facts = [replace(x, probability=1.0 - x.reading.neutral) for x in related
                if set(x.comparison.conflict_kinds) & FACT_CONFLICTS and not isinstance(x.quote, Combined)
                and x.comparison.coverage >= th.contradict_coverage and x.reading.neutral < th.conflict_neutral]
    if by_model or by_facts:
        found = by_model + by_facts
        top = max(x.probability for x in found)
        # As for support: the smallest quote that contradicts nearly as surely as the best.
        best = min((x for x in found if x.probability >= top - th.window_margin),
                   key=lambda x: (x.quote.size, -x.probability, x.quote.doc.path, x.quote.first))
        c, cmp = best.quote, best.comparison
        fact_reasons = [c.message for c in cmp.clashes if c.kind in FACT_CONFLICTS]
        # A negation or direction word on one side only is too often in another clause to contradict by
        # itself, but it is a true account of where the texts differ.
        worded = [c.message for c in cmp.clashes if c.kind in ("polarity", "direction")]
        reason = ("; ".join(dict.fromkeys(fact_reasons)) if fact_reasons
                  else contradiction_reason(claim_text, c.quote, list(dict.fromkeys(worded))))
        return Verdict(CONTRADICTED, _clip(best.probability), reason, evidence_of(c) + _runners_up(scored, c), cmp)

    # Unsupported: show the quote that came closest to supporting the claim, of those about it if any
    # is (a quote the model half-reads as entailing but that is about something else explains nothing).
    # A combined premise is never shown as the closest quote: its sentences stand apart.
    shown = [x for x in read if not isinstance(x.quote, Combined)] or read
    shown = [x for x in shown if x.quote.cosine >= th.support_cosine] or shown
    closest = max(shown, key=lambda x: (x.reading.entail, -x.quote.size, x.quote.score))
    c, cmp = closest.quote, closest.comparison
    if cmp.missing:
        reason = "the closest quote does not state " + "; ".join(dict.fromkeys(cmp.missing))
    elif c.cosine < th.support_cosine:
        reason = f"no quote is close enough to the claim (best similarity {max(x.quote.cosine for x in read):.2f})"
    elif stated := [c.message for c in cmp.clashes if c.kind != "polarity"]:
        # A negation of its own in such a quote is most often in another clause ("didn't have a lot
        # of money" beside "was bullied"): no account of why the claim is unsupported.
        reason = "; ".join(dict.fromkeys(stated)) + ", in a quote that is not clearly about the same thing"
    elif closest.reading.contradict >= 0.5:
        # Missing words would mislead here: the quote may say the opposite in words of its own.
        reason = ("the closest quote is about the claim, and the model reads it as more likely contradicting the "
                  "claim than not, though not surely enough to say so")
    # The words compare found missing (no form, synonym or demonym of them in the quote) that are
    # not in the quote's text either: a word the reason names must be absent where it says.
    elif words := [w for w in unstated(claim_text, c.quote, most=12) if w in cmp.missing_words][:3]:
        reason = ("the closest quote is about the claim but the model does not read it as stating all of it "
                  "(nothing for " + ", ".join(f"\u2018{w}\u2019" for w in words) + ")")
    else:
        reason = "the closest quote is about the claim but the model does not read it as stating all of it"
    likeliest = max([x.reading.entail for x in about if not x.comparison.conflicts and not x.comparison.missing]
                    + [x.reading.contradict for x in related], default=0.0)
    ev = evidence_of(c) + _runners_up(scored, c)
    return Verdict(UNSUPPORTED, _clip(1.0 - likeliest), reason, ev[:3], cmp)
