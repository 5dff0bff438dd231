"""The words of a verdict and of the model's reading: the three verdict names, and a quote's three probabilities."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Mapping

VerdictName = Literal["supported", "contradicted", "unsupported"]
SUPPORTED: VerdictName = "supported"
CONTRADICTED: VerdictName = "contradicted"
UNSUPPORTED: VerdictName = "unsupported"
VERDICTS: tuple[VerdictName, ...] = (SUPPORTED, CONTRADICTED, UNSUPPORTED)


@dataclass(frozen=True)
class Reading:
    """How the entailment model reads a quote against a claim: three probabilities that sum to one."""

    entail: float
    neutral: float
    contradict: float

    @classmethod
    def of(cls, probs: Mapping[str, float]) -> Reading:
        """From a model's ``{"entail", "neutral", "contradict"}`` mapping (the models' own interface)."""
        return cls(float(probs["entail"]), float(probs["neutral"]), float(probs["contradict"]))
