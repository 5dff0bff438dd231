"""The JSON report: the public contract in schemas/report.schema.json, byte-identical for the same inputs."""
from __future__ import annotations

import json
from typing import Any, TextIO

from ..result import ClaimResult, Run


def result_dict(r: ClaimResult) -> dict[str, Any]:
    """One claim's result in the report's shape (shared by every machine-readable format)."""
    out = {
        "id": r.claim.id,
        "claim": r.claim.text,
        "file": r.claim.file,
        "line": r.claim.line,
        "verdict": r.verdict,
        "expect": r.claim.expect,
        "passed": r.passed,
        "confidence": round(r.confidence, 4),
        "reason": r.reason,
        "evidence": [
            {"source": e.source, "start": e.start, "end": e.end, "line": e.line, "column": e.column,
             "quote": e.quote, "score": round(e.score, 4)}
            for e in r.evidence
        ],
    }
    if r.cited > 1:
        out["cited"] = r.cited  # the first `cited` quotes support the claim only together
    return out


def report_dict(run: Run) -> dict[str, Any]:
    return {"version": 1, "summary": run.summary, "results": [result_dict(r) for r in run.results]}


def write(run: Run, stream: TextIO, color: bool = False) -> None:
    json.dump(report_dict(run), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
