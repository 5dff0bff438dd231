"""Refit the decision thresholds on a user's own labelled claims."""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from .claims import Claim
from .components import Components
from .metrics import LABEL_OF_VERDICT, Figures, figures
from .pipeline import ClaimCase, decide_case, judged, thresholds_for
from .progress import Progress
from .settings import Settings
from .thresholds import Thresholds
from .verdicts import SUPPORTED, VerdictName


@dataclass(frozen=True)
class Calibration:
    before: Thresholds
    after: Thresholds
    figures_before: Figures
    figures_after: Figures
    passed_before: int
    passed_after: int


def verdicts(cases: Sequence[ClaimCase], th: Thresholds) -> list[VerdictName]:
    """Each claim's verdict under ``th``, from its quotes as already read: no model runs again."""
    return [decide_case(c, th).verdict for c in cases]


_FIELDS = ("entail_probability", "nli_contradict", "conflict_neutral", "support_cosine", "contradict_cosine",
           "support_coverage", "contradict_coverage", "window_margin")
_PROBABILITY_GRID = [round(float(x), 3) for x in np.arange(0.10, 0.951, 0.025)]
_COVERAGE_GRID = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
_COSINE_GRID = [round(float(x), 2) for x in np.arange(0.0, 0.81, 0.05)]
_MARGIN_GRID = [0.0, 0.04, 0.08, 0.12, 0.2]


def grids(contradiction: bool = True) -> list[list[dict[str, float]]]:
    """The settings searched, in order: support, then contradiction, then the margin a longer quote must win by."""
    support = [dict(entail_probability=p, support_cosine=c, support_coverage=v)
               for p, c, v in itertools.product(_PROBABILITY_GRID[::2], _COSINE_GRID[2:13], _COVERAGE_GRID)]
    contradict = [dict(nli_contradict=p, conflict_neutral=q, contradict_cosine=c)
                  for p, q, c in itertools.product(_PROBABILITY_GRID[::2], _PROBABILITY_GRID[::2], _COSINE_GRID[4:14:2])]
    coverage = [dict(contradict_coverage=v) for v in _COVERAGE_GRID]
    margin = [dict(window_margin=m) for m in _MARGIN_GRID]
    return [support, contradict, coverage, margin] if contradiction else [support, margin]


def search(
    cases: Sequence[ClaimCase],
    objective: Callable[[list[VerdictName]], tuple[float, ...]],
    start: Thresholds,
    contradiction: bool = True,
) -> Thresholds:
    """The thresholds on a grid that maximise ``objective(verdicts)``; ties go to those nearest ``start``.

    The model's probabilities do not depend on the thresholds: they are read once, and only the
    decisions are repeated, one grid of :func:`grids` after another.
    """
    def key(th: Thresholds) -> tuple[float, ...]:
        distance = sum(abs(getattr(th, f) - getattr(start, f)) for f in _FIELDS)
        return (*objective(verdicts(cases, th)), -distance)

    best, best_key = start, key(start)
    for grid in grids(contradiction):
        base = best
        for change in grid:
            th = replace(base, **change)
            k = key(th)
            if k > best_key:
                best, best_key = th, k
    return best


def calibrate(claims: Sequence[Claim], settings: Settings | None = None, components: Components | None = None,
              progress: Progress | None = None) -> Calibration:
    """Choose the thresholds under which most claims get the verdict their ``expect`` names.

    The claims are read and compared once; only the decisions are repeated over a grid.
    Among settings that pass as many claims, the one with fewer false passes wins, then
    the one nearest the thresholds in use.
    """
    if not claims:
        raise ValueError("no claims to calibrate on")
    settings = settings or Settings()
    start = thresholds_for(claims[:1], settings)[0]
    cases = judged(claims, settings, components, progress).cases
    expect = [c.expect for c in claims]

    def objective(got: list[VerdictName]) -> tuple[float, ...]:
        passed = sum(g == e for g, e in zip(got, expect))
        false_passes = sum(g == SUPPORTED != e for g, e in zip(got, expect))
        return passed, -false_passes

    best = search(cases, objective, start)
    gold = [LABEL_OF_VERDICT[e] for e in expect]
    before, after = verdicts(cases, start), verdicts(cases, best)
    return Calibration(
        before=start, after=best,
        figures_before=figures(gold, [LABEL_OF_VERDICT[v] for v in before]),
        figures_after=figures(gold, [LABEL_OF_VERDICT[v] for v in after]),
        passed_before=sum(v == e for v, e in zip(before, expect)),
        passed_after=sum(v == e for v, e in zip(after, expect)),
    )
