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

# Fewer labelled claims of a verdict than this and the thresholds are neither fitted nor tested on it
# with any confidence: calibrate refuses to write them (--force writes anyway).
MIN_PER_VERDICT = 5
FOLDS = 5


@dataclass(frozen=True)
class HeldOut:
    """How thresholds fitted on the other folds decide each fold's claims, beside today's on the same claims."""

    folds: int
    passed_before: int
    passed_after: int
    figures_before: Figures
    figures_after: Figures


@dataclass(frozen=True)
class Calibration:
    before: Thresholds
    after: Thresholds
    figures_before: Figures
    figures_after: Figures
    passed_before: int
    passed_after: int
    held: HeldOut | None = None  # None where there are too few labelled claims to hold any out
    refusal: str = ""            # why the new thresholds should not be written; empty when they may be
    warnings: tuple[str, ...] = ()


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
    result = Calibration(
        before=start, after=best,
        figures_before=figures(gold, [LABEL_OF_VERDICT[v] for v in before]),
        figures_after=figures(gold, [LABEL_OF_VERDICT[v] for v in after]),
        passed_before=sum(v == e for v, e in zip(before, expect)),
        passed_after=sum(v == e for v, e in zip(after, expect)),
    )
    return _judged_on_held_out(result, cases, expect, objective)


def folds_of(expect: Sequence[VerdictName], k: int) -> list[int]:
    """Each claim's fold: claims of each verdict dealt in turn, so every fold holds some of each."""
    fold = [0] * len(expect)
    seen: dict[str, int] = {}
    for i, e in enumerate(expect):
        fold[i] = seen.get(e, 0) % k
        seen[e] = seen.get(e, 0) + 1
    return fold


def _judged_on_held_out(result: Calibration, cases: Sequence[ClaimCase], expect: Sequence[VerdictName],
                        objective: Callable[[list[VerdictName]], tuple[float, ...]]) -> Calibration:
    """Cross-validation: how thresholds fitted without a claim decide it, against today's, and whether to write."""
    counts = {v: sum(e == v for e in expect) for v in LABEL_OF_VERDICT}
    few = {v: n for v, n in counts.items() if n < MIN_PER_VERDICT}
    if few:
        listed = ", ".join(f"{n} {v}" for v, n in few.items())
        return replace(result, refusal=(
            f"too few labelled claims to fit and test thresholds on: {listed} (at least {MIN_PER_VERDICT} of each "
            f"verdict are needed); label more claims with `expect`, or write them anyway with --force"))
    k = min(FOLDS, min(counts.values()))
    fold = folds_of(expect, k)
    held: list[VerdictName | None] = [None] * len(cases)
    for f in range(k):
        train = [c for c, n in zip(cases, fold) if n != f]
        train_expect = [e for e, n in zip(expect, fold) if n != f]

        def on_train(got: list[VerdictName], want: list[VerdictName] = train_expect) -> tuple[float, ...]:
            passed = sum(g == e for g, e in zip(got, want))
            return passed, -sum(g == SUPPORTED != e for g, e in zip(got, want))

        fitted = search(train, on_train, result.before)
        for i in (i for i, n in enumerate(fold) if n == f):
            held[i] = decide_case(cases[i], fitted).verdict
    gold = [LABEL_OF_VERDICT[e] for e in expect]
    today = verdicts(cases, result.before)
    out = HeldOut(folds=k, passed_before=sum(v == e for v, e in zip(today, expect)),
                  passed_after=sum(v == e for v, e in zip(held, expect)),
                  figures_before=figures(gold, [LABEL_OF_VERDICT[v] for v in today]),
                  figures_after=figures(gold, [LABEL_OF_VERDICT[v] for v in held if v is not None]))
    refusal = ""
    if out.passed_after < out.passed_before:
        refusal = (f"on claims they were not fitted on ({k} folds), the new thresholds pass {out.passed_after} of "
                   f"{len(cases)} and today's pass {out.passed_before}: they would do worse on new claims; keeping "
                   f"today's (--force writes them anyway)")
    warnings = []
    p0, p1 = out.figures_before.support_precision, out.figures_after.support_precision
    if p0 is not None and p1 is not None and p1 < p0:
        warnings.append(f"on claims they were not fitted on, support precision falls from {p0:.3f} to {p1:.3f}: "
                        f"more of the claims called supported would be wrong")
    return replace(result, held=out, refusal=refusal, warnings=tuple(warnings))
