"""SARIF 2.1.0: a result at the claims-file line of every claim that failed, for code-scanning tools."""
from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any, Mapping, TextIO
from urllib.parse import quote

from .. import __version__
from ..claims import NOT_FILES
from ..result import ClaimResult, Run
from ..verdicts import CONTRADICTED, SUPPORTED, UNSUPPORTED

RULES = {
    SUPPORTED: "the claim is supported by a quote, but it was expected not to be",
    CONTRADICTED: "a source contradicts the claim",
    UNSUPPORTED: "no quote in the sources supports the claim",
}


def artifact_uri(path: str) -> str:
    """A path as the reports show it, as a SARIF ``uri``: a relative reference, percent-encoded.

    An absolute path becomes a ``file:`` URI. Colons are encoded too, so a first segment such
    as ``c:notes.txt`` is not read as a URI scheme.
    """
    if PurePosixPath(path).is_absolute():
        return "file://" + quote(path, safe="/")
    return quote(path, safe="/~!$&'()*+,;=@")


def _result(r: ClaimResult, rule_index: Mapping[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f"claim-{r.verdict}",
        "ruleIndex": rule_index[r.verdict],
        "level": "error",
        "message": {"text": f"{r.claim.id}: expected {r.claim.expect}, got {r.verdict}: {r.reason}"},
    }
    if r.claim.file not in NOT_FILES:  # a claim from standard input or --claim has no file to point at
        out["locations"] = [{"physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(r.claim.file)},
            "region": {"startLine": r.claim.line},
        }}]
    out["properties"] = {"claim": r.claim.text, "confidence": round(r.confidence, 4)}
    if r.evidence:
        e = r.evidence[0]
        out["relatedLocations"] = [{
            "id": 0,
            "message": {"text": "closest quote" if r.verdict == UNSUPPORTED else "quote"},
            "physicalLocation": {
                "artifactLocation": {"uri": artifact_uri(e.source)},
                "region": {"startLine": e.line, "startColumn": e.column, "charOffset": e.start,
                           "charLength": e.end - e.start, "snippet": {"text": e.quote}},
            },
        }]
        # Offsets index the text verifier read (`verifier extract`); a PDF's page and a page's
        # heading are what a person follows instead.
        where = {k: v for k, v in (("page", e.page), ("section", e.section)) if v is not None}
        if where:
            out["relatedLocations"][0]["properties"] = where
    return out


def sarif_log(run: Run) -> dict[str, Any]:
    rules = [{"id": f"claim-{v}", "name": f"Claim{v.capitalize()}", "shortDescription": {"text": text},
              "defaultConfiguration": {"level": "error"}} for v, text in RULES.items()]
    index: dict[str, int] = {v: i for i, v in enumerate(RULES)}
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "verifier", "version": __version__, "rules": rules}},
            "results": [_result(r, index) for r in run.results if not r.passed],
        }],
    }


def write(run: Run, stream: TextIO, color: bool = False) -> None:
    json.dump(sarif_log(run), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
