"""The JSON report: the public contract in schemas/report.schema.json, byte-identical for the same inputs."""
from __future__ import annotations

import json
from typing import Any, TextIO

from ..result import ClaimResult, Evidence, Run, SourceInfo


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
        "evidence": [evidence_dict(e) for e in r.evidence],
    }
    if r.cited > 1:
        out["cited"] = r.cited  # the first `cited` quotes support the claim only together
    if r.parts:
        out["parts"] = [{"text": p.text, "kind": p.kind, "verdict": p.verdict, "evidence": list(p.evidence)}
                        for p in r.parts]
    return out


def evidence_dict(e: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {"source": e.source, "start": e.start, "end": e.end, "line": e.line, "column": e.column,
                           "quote": e.quote, "score": round(e.score, 4)}
    if e.page is not None:
        out["page"] = e.page
    if e.section:
        out["section"] = e.section
    return out


def source_dict(s: SourceInfo) -> dict[str, Any]:
    out: dict[str, Any] = {"path": s.path, "format": s.format}
    for key in ("title", "date", "pages", "sentences", "skipped"):
        value = getattr(s, key)
        if value is not None:
            out[key] = value
    return out


def report_dict(run: Run) -> dict[str, Any]:
    out = {"version": 1, "summary": run.summary, "results": [result_dict(r) for r in run.results]}
    if run.sources:
        out["sources"] = [source_dict(s) for s in run.sources]
    return out


def write(run: Run, stream: TextIO, color: bool = False) -> None:
    json.dump(report_dict(run), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
