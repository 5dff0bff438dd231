"""A small run of four claims for the reporter tests: a comma, a colon, a pipe and a line break where formats trip."""
from __future__ import annotations

import io

from verifier.claims import Claim
from verifier.report import write
from verifier.result import ClaimResult, Evidence, Run


def result(i: int, verdict: str, expect: str = "supported", reason: str = "because") -> ClaimResult:
    claim = Claim(id=f"claim-{i}", text=f"Claim number {i}, with a comma: and a colon.", expect=expect,
                  file="claims/a, b.yaml", line=3 + i)
    ev = Evidence(source="seeds/s.txt", start=10, end=30, line=2, column=5, quote="A quote | with a pipe\nand a line",
                  score=0.8)
    return ClaimResult(claim=claim, verdict=verdict, confidence=0.75, reason=reason, evidence=(ev,))


RUN = Run((result(1, "supported"), result(2, "contradicted", reason="the source says 15%; the claim says 16%"),
           result(3, "unsupported", expect="unsupported"), result(4, "supported", expect="unsupported")))


def render(name: str, run: Run = RUN) -> str:
    buf = io.StringIO()
    write(name, run, buf)
    return buf.getvalue()
