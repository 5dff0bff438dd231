"""A verdict's quotes as the report cites them: source, offsets, line, page, section and the paragraph around."""
from __future__ import annotations

from .claims import Claim
from .judge import Verdict
from .result import ClaimResult, Evidence, PartResult
from .retrieve import Candidate

# How much of the surrounding paragraph a report may show around a quote, on each side.
CONTEXT_CHARS = 400


def evidence(c: Candidate) -> Evidence:
    """One quote, verbatim, with where it is and the rest of its paragraph."""
    sents = c.doc.sentences
    first, last = sents[c.first], sents[c.last]
    i, j = c.first, c.last
    while i > 0 and sents[i - 1].block == first.block:
        i -= 1
    while j + 1 < len(sents) and sents[j + 1].block == last.block:
        j += 1
    para_start, para_end = sents[i].start, sents[j].end
    before = c.doc.text[max(para_start, c.start - CONTEXT_CHARS) : c.start]
    after = c.doc.text[c.end : min(para_end, c.end + CONTEXT_CHARS)]
    return Evidence(source=c.doc.path, start=c.start, end=c.end, line=first.line, column=first.column,
                    quote=c.quote, score=round(c.score, 4), before=before, after=after,
                    page=c.doc.page_at(c.start), section=c.doc.section_at(c.start))


def claim_result(claim: Claim, v: Verdict) -> ClaimResult:
    """The claim's result: the citation's quotes in their order, then the runners-up best first."""
    # The citation keeps its order (its quotes read together); the runners-up go best first. The
    # sort is stable, so equal scores keep the judge's order and the report stays deterministic.
    runners_up = sorted(v.evidence[v.cited:], key=lambda c: -c.score)
    order = (*v.evidence[:v.cited], *runners_up)
    quotes = tuple(evidence(c) for c in order)
    at = {c: n for n, c in reversed(list(enumerate(order)))}
    parts = tuple(PartResult(p.text, p.kind, p.verdict, tuple(at[c] for c in p.quotes if c in at)) for p in v.parts)
    return ClaimResult(claim=claim, verdict=v.verdict, confidence=v.confidence, reason=v.reason,
                       evidence=quotes, cited=v.cited, parts=parts)
