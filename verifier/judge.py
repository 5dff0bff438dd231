"""Decide a claim from its candidate quotes: entailment model and fact checks combined, verdict and reason out.

Candidates in: single sentences, windows of adjacent ones, and a premise made of the best few
sentences of one document that stand apart. The entailment model reads each as a premise for the
claim. The fact checks (numbers, dates, names, polarity) stay as guards: a quote that conflicts
with the claim, or lacks one of its names, numbers or dates, never supports it. Out: the verdict,
the probability of that verdict, the quote cited and a reason a person can check against it.
"""
from __future__ import annotations

import re
from dataclasses import MISSING, asdict, dataclass, field, fields, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Mapping, Sequence

from .explain import contradiction_reason, unstated
from .facts import Comparison, Facts, compare
from .retrieve import Candidate
from .sources import normalize

SUPPORTED, CONTRADICTED, UNSUPPORTED = "supported", "contradicted", "unsupported"
FACT_CONFLICTS = {"date", "number", "ordinal", "name"}
# The model reads this many of a claim's best candidates (plus one combined premise): it is the
# slow part, and quotes further down the list were never the one cited on the benchmarks.
READ_BY_MODEL = 8

SimilarWords = Callable[[Sequence[str], Sequence[str]], dict[str, set[str]]]
Probabilities = Mapping[str, float]  # entail, neutral, contradict


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds. The shipped ones are fitted on public benchmarks (benchmarks/fit_thresholds.py).

    ``verifier calibrate`` refits them on a user's labelled claims and writes them to
    ``verifier-thresholds.json`` beside the claims, where ``verifier check`` reads them.
    """

    support_cosine: float             # no quote less similar than this supports the claim
    support_coverage: float           # ... and states this share of its content words (as such, another form, or a synonym)
    close_cosine: float               # kept for files calibrated before the entailment model (unused)
    close_coverage: float             # kept for files calibrated before the entailment model (unused)
    contradict_cosine: float          # nor contradicts it; a conflicting value counts only in a quote about the same thing ...
    contradict_coverage: float        # ... that states this share of the claim's content words ...
    contradict_probability: float     # kept for files calibrated before the entailment model (unused)
    window_margin: float = 0.08       # a longer quote is cited only when its entailment is this much higher
    entail_probability: float = 0.5   # a clean quote supports the claim at this entailment probability
    nli_contradict: float = 0.5       # the model reads a contradiction at this probability
    conflict_neutral: float = 0.5     # ... and a conflicting value contradicts while the model's neutral stays below this


@dataclass(frozen=True)
class Combined:
    """Sentences of one document that are not adjacent, read together as one premise."""

    parts: tuple[Candidate, ...]

    @property
    def doc(self):  # the parts' document
        return self.parts[0].doc

    @property
    def first(self) -> int:
        return self.parts[0].first

    @property
    def last(self) -> int:
        return self.parts[-1].last

    @property
    def sentences(self):
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
class Verdict:
    verdict: str
    confidence: float
    reason: str
    evidence: tuple[Candidate, ...] = ()
    comparison: Comparison | None = field(default=None, compare=False)
    cited: int = 1  # how many of the first evidence quotes together are the citation


def combined_candidates(cands: Sequence[Candidate], most: int = 3) -> list[Combined]:
    """The claim's best single sentences of one document that stand apart, as one premise.

    Windows already read adjacent sentences together; this covers evidence spread over a
    paragraph or a page (a name in one sentence, the fact about it three sentences on).
    """
    singles = [c for c in cands if c.size == 1]
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


def _facts_of(cand: Quote, sentence_facts: dict[tuple[str, int], Facts]) -> Facts:
    facts = [sentence_facts[(cand.doc.path, s.index)] for s in cand.sentences]
    merged = facts[0]
    for f in facts[1:]:
        merged = merged.merge(f)
    return merged


def _best_sentence(cand: Quote, claim: Facts, sentence_facts: dict[tuple[str, int], Facts]) -> Facts:
    """The facts of the window's sentence that shares most words with the claim.

    Polarity and direction are properties of one statement; a "not" or a "decreased" in a
    neighbouring sentence of a window says nothing about the claim.
    """
    best, best_overlap = None, -1
    claim_words = {w.lemma for w in claim.words}
    for s in cand.sentences:
        f = sentence_facts[(cand.doc.path, s.index)]
        overlap = len(claim_words & f.vocab)
        if overlap > best_overlap:
            best, best_overlap = f, overlap
    assert best is not None
    return best


def _clip(x: float) -> float:
    return round(min(0.99, max(0.01, x)), 4)


def assess(
    claim: Facts,
    cands: Sequence[Quote],
    sentence_facts: dict[tuple[str, int], Facts],
    similar: SimilarWords | None = None,
) -> list[tuple[Quote, Comparison]]:
    """Compare the claim's facts with every candidate quote, in the candidates' order."""
    scored: list[tuple[Quote, Comparison]] = []
    names = {e.text for e in claim.entities} | {w.text for w in claim.words if w.pos == "PROPN"}
    for cand in cands:
        facts = _facts_of(cand, sentence_facts)
        if cand.size > 1:
            best = _best_sentence(cand, claim, sentence_facts)
            facts = replace(facts, negations=best.negations, directions=best.directions)
        sims = similar([w.text.lower() for w in claim.words], [w.text.lower() for w in facts.words]) if similar else None
        cmp = compare(claim, facts, sims)
        # A name the quote leaves to a pronoun ("He won in 2005") is no missing fact when the same
        # document names it: pages about someone name them once and say "he" after that.
        missing_names = [m for m in cmp.missing if m in names]
        if missing_names:
            elsewhere = [m for m in missing_names if _mentions(_normalized(cand.doc.text), normalize(m))]
            if elsewhere:
                cmp = replace(cmp, missing=[m for m in cmp.missing if m not in elsewhere], named_elsewhere=elsewhere)
        scored.append((cand, cmp))
    return scored


@lru_cache(maxsize=16)
def _normalized(text: str) -> str:
    # Once per document, not once per claim and candidate: sources can be long.
    return normalize(text)


def _mentions(text: str, name: str) -> bool:
    return bool(name) and re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text) is not None


def to_read(cands: Sequence[Candidate]) -> list[Quote]:
    """The quotes the model reads for a claim: its best candidates and one combined premise."""
    return [*cands[:READ_BY_MODEL], *combined_candidates(cands)]


def _evidence_of(c: Quote) -> tuple[Candidate, ...]:
    return c.parts if isinstance(c, Combined) else (c,)


def _runners_up(scored: Sequence[tuple[Quote, Comparison]], chosen: Quote, n: int = 2) -> tuple[Candidate, ...]:
    taken = set(_evidence_of(chosen))
    out: list[Candidate] = []
    for c, _ in scored:
        if isinstance(c, Combined) or c in taken:
            continue
        out.append(c)
        if len(out) == n:
            break
    return tuple(out)


def _facts_text(n: int) -> str:
    if n == 1:
        return " and matches its one name, number or date"
    return f" and matches all {n} of its names, numbers and dates" if n > 1 else ""


def decide(claim_text: str, scored: Sequence[tuple[Quote, Comparison]],
           probs: Sequence[Probabilities | None], th: Thresholds | None = None) -> Verdict:
    """Decide a claim from its compared candidate quotes and the model's reading of each.

    Args:
        claim_text: the claim, for the reason's wording.
        scored: (quote, comparison) per candidate, as :func:`assess` gives them.
        probs: the entailment model's probabilities per candidate (None where it did not read it).
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
    read = [(c, cmp, p) for (c, cmp), p in zip(scored, probs) if p is not None]
    if not read:
        return Verdict(UNSUPPORTED, 0.99, "no quote was read by the entailment model",
                       _runners_up(scored, scored[0][0], 3), scored[0][1])
    about = [x for x in read if x[0].cosine >= th.support_cosine]
    related = [x for x in read if x[0].cosine >= th.contradict_cosine]

    supporting = [x for x in about if not x[1].conflicts and not x[1].missing and x[2]["entail"] >= th.entail_probability
                  and x[1].coverage >= th.support_coverage]
    if supporting:
        top = max(x[2]["entail"] for x in supporting)
        # The smallest quote that supports nearly as well as the best: nothing unrelated padded in.
        near = [x for x in supporting if x[2]["entail"] >= top - th.window_margin]
        # A quote that names what the claim names beats one that leaves it to a pronoun.
        c, cmp, p = min(near, key=lambda x: (bool(x[1].named_elsewhere), x[0].size, -x[2]["entail"],
                                             x[0].doc.path, x[0].first))
        why = "the quote states the claim"
        if unstated(claim_text, c.quote):
            why += " in other words"
        why += _facts_text(cmp.facts_matched)
        if cmp.named_elsewhere:
            why += "; the source names " + ", ".join(cmp.named_elsewhere) + " elsewhere, not in the quote"
        if isinstance(c, Combined):
            lines = ", ".join(str(part.sentences[0].line) for part in c.parts)
            why += f", read together across {len(c.parts)} sentences of the same source (lines {lines})"
        elif c.size > 1:
            why += f", across {c.size} adjacent sentences"
        ev = _evidence_of(c)
        return Verdict(SUPPORTED, _clip(p["entail"]), why, ev + _runners_up(scored, c), cmp, len(ev))

    # The model reads a contradiction (antonyms, comparatives, negation) ...
    by_model = [(c, cmp, p, p["contradict"]) for c, cmp, p in related
                if p["contradict"] >= th.nli_contradict and not isinstance(c, Combined)]
    # ... or a checked value or name differs in a quote about the same thing.
    by_facts = [(c, cmp, p, 1.0 - p["neutral"]) for c, cmp, p in related
                if set(cmp.conflict_kinds) & FACT_CONFLICTS and not isinstance(c, Combined)
                and cmp.coverage >= th.contradict_coverage and p["neutral"] < th.conflict_neutral]
    if by_model or by_facts:
        found = by_model + by_facts
        top = max(x[3] for x in found)
        # As for support: the smallest quote that contradicts nearly as surely as the best.
        c, cmp, p, prob = min((x for x in found if x[3] >= top - th.window_margin),
                              key=lambda x: (x[0].size, -x[3], x[0].doc.path, x[0].first))
        fact_reasons = [m for m, k in zip(cmp.conflicts, cmp.conflict_kinds) if k in FACT_CONFLICTS]
        reason = "; ".join(dict.fromkeys(fact_reasons)) if fact_reasons else contradiction_reason(claim_text, c.quote)
        return Verdict(CONTRADICTED, _clip(prob), reason, _evidence_of(c) + _runners_up(scored, c), cmp)

    # Unsupported: show the quote that came closest to supporting the claim.
    # A combined premise is never shown as the closest quote: its sentences stand apart.
    shown = [x for x in read if not isinstance(x[0], Combined)] or read
    c, cmp, p = max(shown, key=lambda x: (x[2]["entail"], -x[0].size, x[0].score))
    if cmp.missing:
        reason = "the closest quote does not state " + "; ".join(dict.fromkeys(cmp.missing))
    elif c.cosine < th.support_cosine:
        reason = f"no quote is close enough to the claim (best similarity {max(x[0].cosine for x in read):.2f})"
    elif cmp.conflicts:
        reason = "; ".join(dict.fromkeys(cmp.conflicts)) + ", in a quote that is not clearly about the same thing"
    elif words := unstated(claim_text, c.quote):
        reason = ("the closest quote is about the claim but does not state all of it (nothing for "
                  + ", ".join(f"\u2018{w}\u2019" for w in words) + ")")
    else:
        reason = "the closest quote is about the claim but does not state all of it"
    likeliest = max([x[2]["entail"] for x in about if not x[1].conflicts and not x[1].missing]
                    + [x[2]["contradict"] for x in related], default=0.0)
    ev = _evidence_of(c) + _runners_up(scored, c)
    return Verdict(UNSUPPORTED, _clip(1.0 - likeliest), reason, ev[:3], cmp)


# `verifier calibrate` writes this file beside the claims; `verifier check` uses it for them.
LOCAL_THRESHOLDS = "verifier-thresholds.json"


DEFAULT_THRESHOLDS_FILE = Path(__file__).resolve().parent / "data" / "thresholds.json"


def thresholds_from_json(text: str, origin: str, base: Thresholds | None = None) -> Thresholds:
    """Read a thresholds file, checking every value; keys it leaves out keep ``base``'s values."""
    import json

    from .errors import UsageError

    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise UsageError(f"{origin}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from e
    known = {f.name for f in fields(Thresholds)}
    if not isinstance(data, dict) or data.get("version") != 1:
        raise UsageError(f"{origin}: not a thresholds file (it needs \"version\": 1); rerun `verifier calibrate`")
    values = {k: v for k, v in data.items() if k not in ("version", "source")}
    unknown = sorted(set(values) - known)
    if unknown:
        raise UsageError(f"{origin}: unknown key {unknown[0]!r}; rerun `verifier calibrate`")
    bad = [k for k, v in values.items() if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v <= 1]
    if bad:
        raise UsageError(f"{origin}: {bad[0]} must be a number from 0 to 1")
    if base is None:
        optional = {f.name for f in fields(Thresholds) if f.default is not MISSING}
        missing = sorted(known - set(values) - optional)
        if missing:
            raise UsageError(f"{origin}: {missing[0]} is missing")
        return Thresholds(**{k: float(v) for k, v in values.items()})
    return replace(base, **{k: float(v) for k, v in values.items()})


def thresholds_to_json(th: Thresholds, source: str = "") -> str:
    import json

    data: dict[str, object] = {"version": 1, **asdict(th)}
    if source:
        data["source"] = source
    return json.dumps(data, indent=2) + "\n"


@lru_cache(maxsize=1)
def default_thresholds() -> Thresholds:
    """The shipped thresholds (verifier/data/thresholds.json)."""
    text = resources.files("verifier").joinpath("data", "thresholds.json").read_text("utf-8")
    return thresholds_from_json(text, "verifier/data/thresholds.json")


def thresholds_near(folder: Path) -> Thresholds | None:
    """The calibrated thresholds in a claims file's folder, if there are any."""
    path = folder / LOCAL_THRESHOLDS
    if not path.is_file():
        return None
    from .paths import display_path

    return thresholds_from_json(path.read_text(encoding="utf-8"), display_path(path), default_thresholds())
