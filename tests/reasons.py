"""The rule every reason must keep: each word it attributes to the source is in the quote, each it attributes to the claim is in the claim.

A reason is read piece by piece ("; " and ": " separate them). Each piece of a known shape names
words of the source, of the claim, or words the quote lacks; :func:`reason_problems` lists every
piece that names a word where it is not. Pieces of no known shape name no words and pass.
"""
from __future__ import annotations

import re
from typing import Any

_WORD = re.compile(r"[\w][\w'’.-]*[\w]|[\w]")
_Q = "\u201c([^\u201d]+)\u201d"  # “...”


def words(text: str) -> set[str]:
    """The text's words, lower-cased, each also without its possessive and as its hyphen-joined pieces."""
    out = set()
    for w in _WORD.findall(text):
        w = re.sub(r"['’]s$", "", w.lower().strip("."))
        out |= {w, *filter(None, w.split("-"))}
    return out


def _within(phrase: str, text: str) -> bool:
    """Every word of ``phrase`` occurs in ``text`` (case and spacing aside)."""
    return words(phrase) <= words(text)


def _fact(item: str) -> str:
    """The words of a missing fact as the judge names it: "the date 6 September", "the number 44 days", "'first'"."""
    item = item.strip().removesuffix(" in the sentence that states the rest").strip("'\u2018\u2019").rstrip(".")
    for lead in ("the date ", "the number "):
        if item.startswith(lead):
            return item[len(lead):]
    return item


def reason_problems(result: dict[str, Any]) -> list[str]:
    """What in a report's result breaks the rule; empty when the reason holds."""
    claim, reason = result["claim"], result["reason"]
    cited = result["evidence"][: max(1, result.get("cited", 1))]
    quote = " ".join(e["quote"] for e in cited)
    problems: list[str] = []
    # The judge's note on a conflict in a quote that is not about the claim names no words.
    reason = reason.replace(", in a quote that is not clearly about the same thing", "")

    def in_source(phrase: str) -> None:
        if not _within(phrase, quote):
            problems.append(f"says the source has {phrase!r}, the quote does not")

    def in_claim(phrase: str) -> None:
        if not _within(phrase, claim):
            problems.append(f"says the claim has {phrase!r}, the claim does not")

    def not_in_source(phrase: str) -> None:
        if _within(phrase, quote):
            problems.append(f"says the quote lacks {phrase!r}, the quote has it")

    for m in re.finditer(r"the source says " + _Q + r", the claim says " + _Q, reason):
        in_source(m.group(1))
        in_claim(m.group(2))
    for m in re.finditer(r"the source says ([^;:\u201c'(]+?); the claim says ([^;:(]+?)(?=;|:| \(|$)", reason):
        in_source(m.group(1))
        in_claim(m.group(2))
    for m in re.finditer(r"the source names ([^;:,]+?), not ([^;:(]+?)(?=;|:| \(|,|$)", reason):
        in_source(m.group(1))
        in_claim(m.group(2))
        not_in_source(m.group(2))
    for m in re.finditer(r"the source says '([^']+)', the claim has no negation to match it", reason):
        in_source(m.group(1))
    for m in re.finditer(r"the claim says '([^']+)', the quote has no negation to match it", reason):
        in_claim(m.group(1))
    for m in re.finditer(r"the source says '([^']+)'; the claim says '([^']+)'", reason):
        in_source(m.group(1))
        in_claim(m.group(2))
    for m in re.finditer(r"the closest quote does not state (.+?)(?=: |$)", reason):
        for item in m.group(1).split("; "):
            in_claim(_fact(item))
    for m in re.finditer(r"nothing for ((?:\u2018[^\u2019]+\u2019(?:, )?)+)", reason):
        for w in re.findall("\u2018([^\u2019]+)\u2019", m.group(1)):
            in_claim(w)
            not_in_source(w)
    for m in re.finditer(r"nothing in the sources states " + _Q, reason):
        in_claim(m.group(1))
    for m in re.finditer(r"the sentence before the quote names (.+?), which the quote refers back to", reason):
        in_claim(m.group(1))
    for m in re.finditer(r"\(the part " + _Q + r"\)", reason):
        in_claim(m.group(1))
    return problems
