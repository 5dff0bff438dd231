"""Refit the decision thresholds on a user's own labelled claims."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from .claims import Claim
from .judge import Thresholds, decide
from .metrics import LABEL_OF_VERDICT, Figures, figures
from .pipeline import Judged, Options, entailment_model, prepare, read_claims, thresholds_for



@dataclass(frozen=True)
class Calibration:
    before: Thresholds
    after: Thresholds
    figures_before: Figures
    figures_after: Figures
    passed_before: int
    passed_after: int


def _verdicts(texts: Sequence[str], judged: Sequence[Judged], th: Thresholds) -> list[str]:
    return [decide(t, j.scored, j.probs, th).verdict for t, j in zip(texts, judged)]


_FIELDS = ("entail_probability", "nli_contradict", "conflict_neutral", "support_cosine", "contradict_cosine",
           "support_coverage")
_PROBABILITY_GRID = [round(float(x), 3) for x in np.arange(0.10, 0.951, 0.025)]
_COVERAGE_GRID = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
_COSINE_GRID = [round(float(x), 2) for x in np.arange(0.0, 0.81, 0.05)]


def search(
    texts: Sequence[str],
    judged: Sequence[Judged],
    objective: Callable[[list[str]], tuple[float, ...]],
    start: Thresholds,
    contradiction: bool = True,
) -> Thresholds:
    """The thresholds on a grid that maximise ``objective(verdicts)``; ties go to those nearest ``start``.

    The model's probabilities do not depend on the thresholds: they are read once, and only the
    decisions are repeated. The support thresholds are searched first, then (with
    ``contradiction``) the contradiction ones.
    """
    def key(th: Thresholds) -> tuple[float, ...]:
        distance = sum(abs(getattr(th, f) - getattr(start, f)) for f in _FIELDS)
        return (*objective(_verdicts(texts, judged, th)), -distance)

    best, best_key = start, key(start)
    support_grid = [dict(entail_probability=p, support_cosine=c, support_coverage=v)
                    for p, c, v in itertools.product(_PROBABILITY_GRID[::2], _COSINE_GRID[2:13], _COVERAGE_GRID)]
    contradict_grid = [dict(nli_contradict=p, conflict_neutral=q, contradict_cosine=c)
                       for p, q, c in itertools.product(_PROBABILITY_GRID[::2], _PROBABILITY_GRID[::2], _COSINE_GRID[4:14:2])]
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
    model = entailment_model(options)
    prep = prepare(claims, options)
    judged = read_claims(claims, prep, model)
    texts = [c.text for c in claims]
    expect = [c.expect for c in claims]

    def objective(got: list[str]) -> tuple[float, ...]:
        passed = sum(g == e for g, e in zip(got, expect))
        false_passes = sum(g == "supported" != e for g, e in zip(got, expect))
        return passed, -false_passes

    best = search(texts, judged, objective, start)
    gold = [LABEL_OF_VERDICT[e] for e in expect]
    before, after = _verdicts(texts, judged, start), _verdicts(texts, judged, best)
    return Calibration(
        before=start, after=best,
        figures_before=figures(gold, [LABEL_OF_VERDICT[v] for v in before]),
        figures_after=figures(gold, [LABEL_OF_VERDICT[v] for v in after]),
        passed_before=sum(v == e for v, e in zip(before, expect)),
        passed_after=sum(v == e for v, e in zip(after, expect)),
    )
