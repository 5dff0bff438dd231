"""Refit the decision thresholds on a user's own labelled claims."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from .claims import Claim
from .facts import Comparison
from .judge import Thresholds, assess, decide, probabilities
from .metrics import LABEL_OF_VERDICT, Figures, figures
from .pipeline import Options, prepare, thresholds_for
from .retrieve import Candidate

_GRID = [round(float(x), 2) for x in np.arange(0.30, 0.951, 0.05)]
_COVERAGE_GRID = [round(float(x), 2) for x in np.arange(0.50, 1.001, 0.05)]


@dataclass(frozen=True)
class Calibration:
    before: Thresholds
    after: Thresholds
    figures_before: Figures
    figures_after: Figures
    passed_before: int
    passed_after: int


def _verdicts(scored: Sequence[list[tuple[Candidate, Comparison]]], th: Thresholds,
              probs: Sequence[Sequence[float | None]] | None = None) -> list[str]:
    probs = probs if probs is not None else [probabilities(s) for s in scored]
    return [decide(s, th, probs=p).verdict for s, p in zip(scored, probs)]


_FIELDS = ("support_cosine", "support_coverage", "close_cosine", "close_coverage",
           "contradict_cosine", "contradict_coverage", "contradict_probability")
_PROBABILITY_GRID = [round(float(x), 3) for x in np.arange(0.10, 0.951, 0.025)]


def search(
    scored: Sequence[list[tuple[Candidate, Comparison]]],
    objective: Callable[[list[str]], tuple[float, ...]],
    start: Thresholds,
    contradiction: bool = True,
    probs: Sequence[Sequence[float | None]] | None = None,
) -> Thresholds:
    """The thresholds on a grid that maximise ``objective(verdicts)``; ties go to those nearest ``start``.

    The support thresholds are searched first, then (with ``contradiction``) the contradiction ones.
    """
    # The scorer's probabilities do not depend on the thresholds: computed once (or given), not per setting.
    probs = probs if probs is not None else [probabilities(s) for s in scored]

    def key(th: Thresholds) -> tuple[float, ...]:
        distance = sum(abs(getattr(th, f) - getattr(start, f)) for f in _FIELDS)
        return (*objective(_verdicts(scored, th, probs)), -distance)

    best, best_key = start, key(start)
    support_grid = [dict(support_cosine=sc, support_coverage=sv, close_cosine=max(cc, sc), close_coverage=cv)
                    for sc, sv, cc, cv in itertools.product(_GRID, _COVERAGE_GRID, _GRID[-4:], _COVERAGE_GRID[:6])]
    contradict_grid = [dict(contradict_probability=p) for p in _PROBABILITY_GRID]
    for grid in (support_grid, contradict_grid) if contradiction else (support_grid,):
        base = best
        for change in grid:
            th = replace(base, **change)
            k = key(th)
            if k > best_key:
                best, best_key = th, k
    return best


def calibrate(claims: Sequence[Claim], options: Options) -> Calibration:
    """Choose the thresholds under which most claims get the verdict their ``expect`` names.

    The claims are read and compared once; only the decisions are repeated over a grid.
    Among settings that pass as many claims, the one with fewer false passes wins, then
    the one nearest the thresholds in use.
    """
    if not claims:
        raise ValueError("no claims to calibrate on")
    start = thresholds_for(claims[:1], options)[0]
    prep = prepare(claims, options)
    scored = [assess(f, c, prep.sentence_facts, prep.similar) for f, c in zip(prep.claim_facts, prep.candidates)]
    expect = [c.expect for c in claims]

    def objective(got: list[str]) -> tuple[float, ...]:
        passed = sum(g == e for g, e in zip(got, expect))
        false_passes = sum(g == "supported" != e for g, e in zip(got, expect))
        return passed, -false_passes

    probs = [probabilities(s, options.scorer) for s in scored]
    best = search(scored, objective, start, probs=probs)
    gold = [LABEL_OF_VERDICT[e] for e in expect]
    before, after = _verdicts(scored, start, probs), _verdicts(scored, best, probs)
    return Calibration(
        before=start, after=best,
        figures_before=figures(gold, [LABEL_OF_VERDICT[v] for v in before]),
        figures_after=figures(gold, [LABEL_OF_VERDICT[v] for v in after]),
        passed_before=sum(v == e for v, e in zip(before, expect)),
        passed_after=sum(v == e for v, e in zip(after, expect)),
    )
