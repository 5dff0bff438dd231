"""Turn candidate quotes and fact checks into a verdict with a confidence and a reason."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

from .facts import Comparison, Facts, compare
from .retrieve import Candidate
from .scorer import Scorer, default_scorer, features

SUPPORTED, CONTRADICTED, UNSUPPORTED = "supported", "contradicted", "unsupported"
FACT_CONFLICTS = {"date", "number", "ordinal", "name"}

SimilarWords = Callable[[Sequence[str], Sequence[str]], dict[str, set[str]]]


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds. The shipped ones are fitted on public benchmarks (benchmarks/fit_scorer.py).

    ``verifier calibrate`` refits them on a user's labelled claims and writes them to
    ``verifier-thresholds.json`` beside the claims, where ``verifier check`` reads them.
    """

    support_cosine: float             # the quote must be about the claim ...
    support_coverage: float           # ... and state (nearly) every content word of it,
    close_cosine: float               # ... or be this close in meaning (a paraphrase) ...
    close_coverage: float             # ... with this share of its content words
    contradict_cosine: float          # a conflict counts only in a quote about the same thing ...
    contradict_coverage: float        # ... that states this share of the claim's content words,
    contradict_probability: float     # ... and, unless a value or name conflicts, at this fitted probability
    window_margin: float = 0.08       # a longer quote must score this much better, per extra sentence


@dataclass(frozen=True)
class Verdict:
    verdict: str
    confidence: float
    reason: str
    evidence: tuple[Candidate, ...] = ()
    comparison: Comparison | None = field(default=None, compare=False)


def _facts_of(cand: Candidate, sentence_facts: dict[tuple[str, int], Facts]) -> Facts:
    facts = [sentence_facts[(cand.doc.path, s.index)] for s in cand.sentences]
    merged = facts[0]
    for f in facts[1:]:
        merged = merged.merge(f)
    return merged


def _best_sentence(cand: Candidate, claim: Facts, sentence_facts: dict[tuple[str, int], Facts]) -> Facts:
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
    cands: Sequence[Candidate],
    sentence_facts: dict[tuple[str, int], Facts],
    similar: SimilarWords | None = None,
) -> list[tuple[Candidate, Comparison]]:
    """Compare the claim's facts with every candidate quote, in the candidates' order."""
    scored: list[tuple[Candidate, Comparison]] = []
    for cand in cands:
        facts = _facts_of(cand, sentence_facts)
        if cand.size > 1:
            best = _best_sentence(cand, claim, sentence_facts)
            facts = replace(facts, negations=best.negations, directions=best.directions)
        sims = similar([w.text.lower() for w in claim.words], [w.text.lower() for w in facts.words]) if similar else None
        scored.append((cand, compare(claim, facts, sims)))
    return scored


def judge(
    claim: Facts,
    cands: Sequence[Candidate],
    sentence_facts: dict[tuple[str, int], Facts],
    similar: SimilarWords | None = None,
    th: Thresholds | None = None,
    scorer: Scorer | None = None,
) -> Verdict:
    """Decide a claim from its candidate quotes (see :func:`decide`)."""
    return decide(assess(claim, cands, sentence_facts, similar), th, scorer)


def probabilities(scored: Sequence[tuple[Candidate, Comparison]], scorer: Scorer | None = None) -> list[float | None]:
    """For each candidate, the scorer's probability that it supports the claim (when it states all
    the claim's facts) or contradicts it (when it conflicts with them); None for the others."""
    scorer = scorer or default_scorer()
    if not scored:
        return []
    best_cosine = max(c.cosine for c, _ in scored)
    # A conflicting value does not count where a closer quote states the claim's own values:
    # the other date or number is then about something else (a byline, another event).
    agreeing = max((c.score for c, cmp in scored if not cmp.conflicts and not cmp.missing and cmp.facts_matched),
                   default=-1.0)
    out: list[float | None] = []
    for c, cmp in scored:
        if not cmp.conflicts and not cmp.missing:
            out.append(scorer.support.probability(features(c, cmp, best_cosine)))
        elif cmp.conflicts and c.score > agreeing:
            out.append(scorer.contradict.probability(features(c, cmp, best_cosine)))
        else:
            out.append(None)
    return out


def decide(scored: Sequence[tuple[Candidate, Comparison]], th: Thresholds | None = None,
           scorer: Scorer | None = None, probs: Sequence[float | None] | None = None) -> Verdict:
    """Decide a claim from its compared candidate quotes.

    Supported needs a quote about the claim (cosine) that states every fact of it and
    nearly all its content words. Contradicted needs a quote with an incompatible value,
    the opposite polarity or direction, that the fitted scorer finds likely enough to be
    about the same thing. Anything else is unsupported. Confidences are the scorer's
    probabilities (``probs``, from :func:`probabilities`, when they are already known).
    """
    th = th or default_thresholds()
    if not scored:
        return Verdict(UNSUPPORTED, 0.99, "the sources have no text to check against")
    p = {id(c): x for (c, _), x in zip(scored, probs if probs is not None else probabilities(scored, scorer))}
    clean = [(c, cmp) for c, cmp in scored if not cmp.conflicts and not cmp.missing]

    supporting = [
        (c, cmp) for c, cmp in clean
        if (cmp.coverage >= th.support_coverage and c.cosine >= th.support_cosine)
        or (cmp.coverage >= th.close_coverage and c.cosine >= th.close_cosine)
    ]
    if supporting:
        best_c, best_cmp = _prefer_short(supporting, th.window_margin)
        rest = tuple(c for c, _ in scored if c is not best_c)[:2]
        facts = best_cmp.facts_matched
        why = "the quote states the claim"
        if facts == 1:
            why += " and matches its one name, number or date"
        elif facts > 1:
            why += f" and matches all {facts} of its names, numbers and dates"
        if best_c.size > 1:
            why += f", across {best_c.size} adjacent sentences"
        return Verdict(SUPPORTED, _clip(p[id(best_c)] or 0.0), why, (best_c,) + rest, best_cmp)

    # A date, number, ordinal or name that differs in a quote about the same thing (cosine and
    # coverage) is checkable and contradicts. Polarity and direction cues are noisier: the fitted
    # scorer weighs those. (Fitted on the public sets alone, it also learns that a changed value
    # is rarely a contradiction there, since most numbers in an abstract are about other things.)
    contradicting = [(c, cmp, p[id(c)] or 0.0) for c, cmp in scored
                     if cmp.conflicts and p[id(c)] is not None
                     and ((set(cmp.conflict_kinds) & FACT_CONFLICTS
                           and c.cosine >= th.contradict_cosine and cmp.coverage >= th.contradict_coverage)
                          or (not set(cmp.conflict_kinds) & FACT_CONFLICTS
                              and (p[id(c)] or 0.0) >= th.contradict_probability))]
    if contradicting:
        best_c, best_cmp, prob = max(contradicting, key=lambda x: (x[2], -x[0].size, -x[0].first))
        rest = tuple(c for c, _ in scored if c is not best_c)[:2]
        return Verdict(CONTRADICTED, _clip(prob), "; ".join(dict.fromkeys(best_cmp.conflicts)), (best_c,) + rest, best_cmp)

    # The quote shown for an unsupported claim is a single sentence where one is close: the one
    # that states most of the claim's facts and words, then the most similar.
    singles = [x for x in scored if x[0].size == 1] or list(scored)
    singles.sort(key=lambda x: (len(x[1].missing) + len(x[1].conflicts), -x[1].coverage, -x[0].score))
    best_c, best_cmp = singles[0]
    gaps = list(dict.fromkeys(best_cmp.missing))
    if best_cmp.missing_words:
        gaps.append("the words " + ", ".join(f"'{w}'" for w in dict.fromkeys(best_cmp.missing_words)))
    if gaps or best_cmp.conflicts:
        parts = (["the closest quote does not state " + "; ".join(gaps)] if gaps else [])
        parts += list(dict.fromkeys(best_cmp.conflicts))
        reason = "; ".join(parts)
    elif best_c.cosine < th.support_cosine:
        reason = f"no quote is close enough to the claim (best similarity {best_c.cosine:.2f})"
    else:
        reason = "the closest quote does not state the whole claim"
    # Neither supported nor contradicted: as sure as the likeliest alternative is unlikely.
    likeliest = max((x for x in p.values() if x is not None), default=0.0)
    return Verdict(UNSUPPORTED, _clip(1.0 - likeliest), reason, tuple(c for c, _ in singles[:3]), best_cmp)


def _prefer_short(options: list[tuple[Candidate, Comparison]], margin: float) -> tuple[Candidate, Comparison]:
    """The best supporting quote, taking a single sentence over a window unless the window is clearly better."""
    def key(x: tuple[Candidate, Comparison]) -> tuple[float, int, str, int]:
        c = x[0]
        return (-(c.score - margin * (c.size - 1)), c.size, c.doc.path, c.first)

    return sorted(options, key=key)[0]


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
        missing = sorted(known - set(values) - {"window_margin"})
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
