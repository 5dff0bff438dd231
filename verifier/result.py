"""The results of a run as plain data: one ClaimResult per claim, and the Run that holds them."""
from __future__ import annotations

from dataclasses import dataclass

from .claims import Claim


@dataclass(frozen=True)
class Evidence:
    """A verbatim quote: ``source text[start:end] == quote``."""

    source: str
    start: int
    end: int
    line: int
    column: int
    quote: str
    score: float
    # The rest of the quote's paragraph, for reports that show the quote in place.
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    verdict: str
    confidence: float
    reason: str
    evidence: tuple[Evidence, ...]
    cited: int = 1  # the first ``cited`` quotes together are the citation; the rest are runners-up

    @property
    def passed(self) -> bool:
        return self.verdict == self.claim.expect


@dataclass(frozen=True)
class Run:
    results: tuple[ClaimResult, ...]

    @property
    def summary(self) -> dict[str, int]:
        counts = {"claims": len(self.results), "supported": 0, "contradicted": 0, "unsupported": 0}
        for r in self.results:
            counts[r.verdict] += 1
        passed = sum(r.passed for r in self.results)
        return {**counts, "passed": passed, "failed": len(self.results) - passed}

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)
