"""Accuracy figures for labelled claims, exactly as the public benchmarks define them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from . import verdicts

SUPPORTED, REFUTED, NEI = "SUPPORTED", "REFUTED", "NOT_ENOUGH_INFO"
LABELS = (SUPPORTED, REFUTED, NEI)
# verifier's verdicts in the benchmarks' label names
LABEL_OF_VERDICT = {verdicts.SUPPORTED: SUPPORTED, verdicts.CONTRADICTED: REFUTED, verdicts.UNSUPPORTED: NEI}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Figures:
    """The figures of one system on one labelled set."""

    n: int
    support_precision: float
    support_recall: float
    support_f1: float
    reject_rate: float
    refuted_caught: float | None
    macro_f1: float
    citation_hit: float | None
    confusion: dict[str, dict[str, int]]

    def as_dict(self) -> dict[str, object]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def figures(gold: Sequence[str], pred: Sequence[str], cited: Sequence[bool | None] = ()) -> Figures:
    """Compute the benchmark figures.

    Args:
        gold: gold labels (SUPPORTED, REFUTED, NOT_ENOUGH_INFO).
        pred: predicted labels, in the same order.
        cited: for each claim, whether the cited span overlaps gold evidence (None where not applicable).
    """
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    pairs = list(zip(gold, pred))
    tp = sum(g == p == SUPPORTED for g, p in pairs)
    fp = sum(p == SUPPORTED != g for g, p in pairs)
    fn = sum(g == SUPPORTED != p for g, p in pairs)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    negatives = [p for g, p in pairs if g != SUPPORTED]
    reject = sum(p != SUPPORTED for p in negatives) / len(negatives) if negatives else 1.0
    refuted = [p for g, p in pairs if g == REFUTED]
    caught = sum(p == REFUTED for p in refuted) / len(refuted) if refuted else None
    f1s = []
    for label in (lab for lab in LABELS if lab in gold):
        t = sum(g == p == label for g, p in pairs)
        n_pred, n_gold = list(pred).count(label), list(gold).count(label)
        f1s.append(_f1(t / n_pred if n_pred else 0.0, t / n_gold if n_gold else 0.0))
    hits = [c for (g, p), c in zip(pairs, cited) if g == p == SUPPORTED and c is not None]
    confusion = {g: {p: sum(1 for gg, pp in pairs if gg == g and pp == p) for p in LABELS} for g in LABELS}
    return Figures(
        n=len(pairs), support_precision=prec, support_recall=rec, support_f1=_f1(prec, rec),
        reject_rate=reject, refuted_caught=caught, macro_f1=sum(f1s) / len(f1s) if f1s else 0.0,
        citation_hit=sum(hits) / len(hits) if hits else None, confusion=confusion,
    )
