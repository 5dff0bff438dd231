"""JUnit XML: one test case per claim, grouped by claims file; failures carry the reason and the quote."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from ..result import Run

# Characters XML 1.0 cannot carry at all; they are dropped rather than written as broken XML.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("", text)


def write(run: Run, stream: TextIO, color: bool = False) -> None:
    s = run.summary
    root = ET.Element("testsuites", name="verifier", tests=str(s["claims"]), failures=str(s["failed"]),
                      errors="0", time="0")
    files: dict[str, list] = {}
    for r in run.results:
        files.setdefault(_x(r.claim.file), []).append(r)
    for file, results in files.items():
        suite = ET.SubElement(root, "testsuite", name=file, tests=str(len(results)),
                              failures=str(sum(not r.passed for r in results)), errors="0", skipped="0", time="0")
        for r in results:
            case = ET.SubElement(suite, "testcase", classname=file, name=_x(r.claim.id), file=file,
                                 line=str(r.claim.line), time="0")
            e = r.evidence[0] if r.evidence else None
            detail = f"claim: {r.claim.text}\nverdict: {r.verdict} (confidence {r.confidence:.2f})\nreason: {r.reason}"
            if e:
                detail += f"\nquote: {e.quote}\nsource: {e.where}"
            if not r.passed:
                failure = ET.SubElement(case, "failure", type=r.verdict,
                                        message=_x(f"expected {r.claim.expect}, got {r.verdict}: {r.reason}"))
                failure.text = _x(detail)
            else:
                ET.SubElement(case, "system-out").text = _x(detail)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
