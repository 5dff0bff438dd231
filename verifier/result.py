"""The results of a run as plain data: one ClaimResult per claim, and the Run that holds them."""
from __future__ import annotations

from dataclasses import dataclass

from .claims import Claim
from .verdicts import SUPPORTED, VERDICTS, VerdictName


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
    page: int | None = None  # 1-based, for sources with pages (PDF)
    section: str | None = None  # the nearest heading above the quote

    @property
    def where(self) -> str:
        """Where a person finds the quote: "report.pdf, page 3, line 41" or "page.html, "Results", line 9"."""
        parts = [self.source]
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.section:
            parts.append(f"\u201c{_short(self.section)}\u201d")
        parts.append(f"line {self.line}")
        return ", ".join(parts)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


@dataclass(frozen=True)
class SourceInfo:
    """A source file as a report lists it: what it is, and its title and date where it has them."""

    path: str
    format: str
    title: str | None = None
    date: str | None = None
    pages: int | None = None
    sentences: int | None = None
    skipped: str | None = None  # why it was left out, for a file found in a folder that cannot be read


@dataclass(frozen=True)
class PartResult:
    """One part of a claim checked part by part: its text, kind and verdict, and which quotes state it."""

    text: str
    kind: str
    verdict: VerdictName
    evidence: tuple[int, ...] = ()  # indexes into the claim's evidence


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    verdict: VerdictName
    confidence: float
    reason: str
    evidence: tuple[Evidence, ...]
    cited: int = 1  # the first ``cited`` quotes together are the citation; the rest are runners-up
    parts: tuple[PartResult, ...] = ()  # for a claim checked part by part

    @property
    def unsupported_parts(self) -> tuple[PartResult, ...]:
        """The parts that nothing in the sources states (or that a source contradicts)."""
        return tuple(p for p in self.parts if p.verdict != SUPPORTED)

    @property
    def passed(self) -> bool:
        return self.verdict == self.claim.expect


@dataclass(frozen=True)
class Run:
    results: tuple[ClaimResult, ...]
    sources: tuple[SourceInfo, ...] = ()  # the sources read, and those left out

    @property
    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {"claims": len(self.results), **dict.fromkeys(VERDICTS, 0)}
        for r in self.results:
            counts[r.verdict] += 1
        passed = sum(r.passed for r in self.results)
        return {**counts, "passed": passed, "failed": len(self.results) - passed}

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    @property
    def skipped(self) -> tuple[SourceInfo, ...]:
        """The sources found in folders but left out, unreadable; every report names them."""
        return tuple(x for x in self.sources if x.skipped)
