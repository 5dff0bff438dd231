"""A small fitted scorer: the probability that a quote supports, or contradicts, a claim.

Two logistic regressions over a handful of named features of a compared candidate quote
(similarity, fuzzy score, content-word coverage, facts matched, window size, the kinds of
conflict). They are transparent on purpose: the weights sit in ``verifier/data/scorer.json``,
one number per named feature, and ``benchmarks/fit_scorer.py`` refits them in one command on
the public benchmarks plus synthetic claims made from their documents.

The scorer never overrides the fact checks: only a quote that states every number, date and
name of the claim, with no conflict, may support it (see ``judge.decide``); the scorer says how
likely such a quote is to state the whole claim, and how likely a conflicting one is really
about the same thing.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Mapping, Sequence

from .facts import Comparison
from .retrieve import Candidate

SUPPORT_FEATURES = ("cosine", "fuzzy", "coverage", "missing_words", "facts_matched", "window", "cosine_gap")
CONTRADICT_FEATURES = SUPPORT_FEATURES + (
    "conflicts", "conflict_polarity", "conflict_name", "conflict_direction", "conflict_value",
    "missing_facts",
)


def features(cand: Candidate, cmp: Comparison, best_cosine: float) -> dict[str, float]:
    """The named features of one compared candidate.

    Args:
        cand: the candidate quote.
        cmp: its comparison with the claim.
        best_cosine: the highest cosine among the claim's candidates.
    """
    kinds = set(cmp.conflict_kinds)
    return {
        "cosine": cand.cosine,
        "fuzzy": cand.fuzzy,
        "coverage": cmp.coverage,
        "missing_words": float(min(len(set(cmp.missing_words)), 4)),
        "facts_matched": float(min(cmp.facts_matched, 3)),
        "window": float(cand.size - 1),
        "cosine_gap": best_cosine - cand.cosine,
        "conflicts": float(min(len(set(cmp.conflicts)), 3)),
        "conflict_polarity": float("polarity" in kinds),
        "conflict_name": float("name" in kinds),
        "conflict_direction": float("direction" in kinds),
        "conflict_value": float(bool(kinds & {"date", "number", "ordinal"})),
        "missing_facts": float(min(len(set(cmp.missing)), 3)),
    }


@dataclass(frozen=True)
class Logistic:
    """A logistic regression over standardised named features."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, x: Mapping[str, float]) -> float:
        z = self.intercept + sum(c * (x[f] - m) / s for f, m, s, c in zip(self.features, self.mean, self.scale, self.coef))
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def as_dict(self) -> dict[str, object]:
        return {"features": list(self.features), "mean": [round(v, 6) for v in self.mean],
                "scale": [round(v, 6) for v in self.scale], "coef": [round(v, 6) for v in self.coef],
                "intercept": round(self.intercept, 6)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object], known: Sequence[str]) -> "Logistic":
        feats = tuple(data["features"])  # type: ignore[arg-type]
        unknown = [f for f in feats if f not in known]
        if unknown:
            raise ValueError(f"unknown feature {unknown[0]!r}")
        cols = [tuple(float(v) for v in data[k]) for k in ("mean", "scale", "coef")]  # type: ignore[union-attr]
        if any(len(c) != len(feats) for c in cols) or any(s <= 0 for s in cols[1]):
            raise ValueError("features, mean, scale and coef must have the same length, with positive scales")
        return cls(feats, *cols, float(data["intercept"]))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Scorer:
    support: Logistic
    contradict: Logistic

    def as_json(self, source: str = "") -> str:
        data: dict[str, object] = {"version": 1, "support": self.support.as_dict(), "contradict": self.contradict.as_dict()}
        if source:
            data["source"] = source
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Scorer":
        data = json.loads(text)
        return cls(Logistic.from_dict(data["support"], SUPPORT_FEATURES),
                   Logistic.from_dict(data["contradict"], CONTRADICT_FEATURES))


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The shipped scorer (verifier/data/scorer.json)."""
    return Scorer.from_json(resources.files("verifier").joinpath("data", "scorer.json").read_text("utf-8"))
