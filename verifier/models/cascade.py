"""Two entailment models as one: the small one reads every quote, the large one re-reads the few that decide each claim.

A claim's verdict turns on its best few quotes: the one cited, or the one that contradicts it.
The small model (6 layers) reads all of a claim's quotes; the ones it reads as most nearly
entailing or contradicting the claim, ``deciding`` of them per claim, are read again by the large
model (12 layers), whose reading replaces the small one's, or with ``weight`` below 1 is averaged with it
(weight the large model's share). With ``leading`` the large model also reads each claim's first
quotes in the pipeline's order (the retrieval's best), which the small model may have misread as
beside the point. With ``gate`` above 0 a deciding quote is read again only where the small model
does not read it as beside the point (its neutral probability at most 1 - ``gate``, which is also
what lets a conflicting value decide a contradiction, judge.py's ``conflict_neutral``): without
leading quotes, a claim whose quotes it reads as beside the point costs the large model nothing.
The rest keep the small model's reading, which ranks them below the deciding quotes but, with a
gate, can still decide the claim. A claim is every pair of one batch with the same
hypothesis (the pipeline reads a claim's quotes in one batch, and each part's), so the choice is
the same on every run; each model keeps its own score cache, so a warm run loads neither.
"""
from __future__ import annotations

from typing import Sequence

from .entail import EntailmentModel

# Quotes per claim (or part) the large model re-reads: the median claim's budget (docs/speed.md).
DECIDING = 2


class Cascade:
    """An :class:`EntailmentModel` made of a small model that reads everything and a large one that decides."""

    def __init__(self, small: EntailmentModel, large: EntailmentModel, deciding: int = DECIDING,
                 weight: float = 1.0, leading: int = 0, gate: float = 0.0) -> None:
        if not 0.0 < weight <= 1.0:
            raise ValueError(f"the large model's weight must be in (0, 1], not {weight}")
        if not 0.0 <= gate < 1.0:
            raise ValueError(f"the gate must be in [0, 1), not {gate}")
        self.small, self.large, self.deciding, self.weight, self.leading = small, large, deciding, weight, leading
        self.gate = gate
        self.model_id = (f"{small.model_id}+{large.model_id}/{deciding}" + (f"x{weight:g}" if weight < 1.0 else "")
                         + (f"+{leading}" if leading else "") + (f"g{gate:g}" if gate else ""))

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
        first = self.small.probabilities(pairs)
        by_claim: dict[str, list[int]] = {}
        for i, (_, hypothesis) in enumerate(pairs):
            by_claim.setdefault(hypothesis, []).append(i)
        again: list[int] = []
        for rows in by_claim.values():
            # Ties go to the earlier quote: the pipeline lists a claim's quotes best first.
            ranked = sorted(rows, key=lambda i: (-_lean(first[i]), i))
            deciding = [i for i in ranked[: self.deciding] if 1.0 - first[i]["neutral"] >= self.gate]
            again += sorted(set(deciding) | set(rows[: self.leading]))
        out = list(first)
        w = self.weight
        for i, p in zip(again, self.large.probabilities([pairs[i] for i in again])):
            out[i] = p if w == 1.0 else {k: w * p[k] + (1.0 - w) * first[i][k] for k in p}
        return out


def _lean(p: dict[str, float]) -> float:
    """How far the small model leans one way: its larger of entailment and contradiction."""
    return max(p["entail"], p["contradict"])
