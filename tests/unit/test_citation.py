"""A verdict's quotes as the report cites them: verbatim, where they are, and the rest of their paragraph."""
from __future__ import annotations

from verifier.citation import CONTEXT_CHARS, claim_result, evidence
from verifier.claims import Claim
from verifier.formats import Extracted
from verifier.judge import Verdict
from verifier.report.json_report import report_dict
from verifier.result import Run
from verifier.retrieve import Candidate
from verifier.sources import Document, segment

from ..conftest import SEED


def claim(id: str, text: str, expect: str = "supported", sources=(SEED,)) -> Claim:
    return Claim(id=id, text=text, expect=expect, sources=tuple(sources), file="claims/x.yaml", line=3)


def doc_of(text: str, path: str = "seeds/a.txt", extracted: Extracted | None = None) -> Document:
    return Document(path=path, text=text, sentences=segment(text, path), extracted=extracted)


def test_runners_up_are_listed_best_first_after_the_cited_quotes():
    from verifier.citation import claim_result
    from verifier.judge import Verdict
    from verifier.retrieve import Candidate
    from verifier.sources import Document, segment

    text = "First one here. Second one here. Third one here. Fourth one here. Fifth one here."
    doc = Document(path="seeds/a.txt", text=text, sentences=segment(text, "seeds/a.txt"))
    # Two cited quotes (kept in the judge's order, the weaker first), then runners-up out of order.
    cands = [Candidate(doc, i, i, cos, 0.5) for i, cos in enumerate((0.5, 0.9, 0.60, 0.61, 0.8))]
    r = claim_result(claim("a", "One here."), Verdict("supported", 0.9, "why", tuple(cands), cited=2))
    assert [e.quote for e in r.evidence[:2]] == ["First one here.", "Second one here."]
    runners_up = [e.score for e in r.evidence[2:]]
    assert runners_up == sorted(runners_up, reverse=True) and len(runners_up) == 3
    assert [e.quote for e in r.evidence[2:]] == ["Fifth one here.", "Fourth one here.", "Third one here."]
    assert report_dict(Run((r,)))["results"][0]["evidence"][2]["quote"] == "Fifth one here."



TEXT = ("Intro paragraph here.\r\n\r\n"
        "The drills began in Lachin. \u05e9\u05dc\u05d5\u05dd caf\u00e9 \U0001F600 came next. They lasted five days.\r\n\r\n"
        "A closing paragraph.\r\n")


def test_a_quote_is_the_source_text_at_its_offsets_with_its_line_and_column():
    doc = doc_of(TEXT)
    for first in range(len(doc.sentences)):
        for last in range(first, min(first + 3, len(doc.sentences))):
            e = evidence(Candidate(doc, first, last, 0.5, 0.5))
            assert TEXT[e.start:e.end] == e.quote
            assert (e.line, e.column) == (doc.sentences[first].line, doc.sentences[first].column)
    e = evidence(Candidate(doc, 2, 2, 0.5, 0.5))
    assert e.quote == "\u05e9\u05dc\u05d5\u05dd caf\u00e9 \U0001F600 came next." and (e.line, e.column) == (3, 29)


def test_the_context_is_the_rest_of_the_paragraph_and_no_more():
    doc = doc_of(TEXT)
    e = evidence(Candidate(doc, 2, 2, 0.5, 0.5))
    assert (e.before, e.after) == ("The drills began in Lachin. ", " They lasted five days.")
    first = evidence(Candidate(doc, 1, 3, 0.5, 0.5))
    assert (first.before, first.after) == ("", "")


def test_the_context_is_cut_to_its_length_on_each_side():
    long = " ".join(f"Sentence number {n} of a long paragraph." for n in range(60))
    doc = doc_of(long)
    mid = len(doc.sentences) // 2
    e = evidence(Candidate(doc, mid, mid, 0.5, 0.5))
    assert len(e.before) == CONTEXT_CHARS and len(e.after) == CONTEXT_CHARS
    assert long[e.start - CONTEXT_CHARS:e.end + CONTEXT_CHARS] == e.before + e.quote + e.after


def test_page_and_section_come_from_the_extracted_source():
    text = "Results\n\nThe drills began.\nThey ended.\n\nSecond page text."
    x = Extracted(text=text, format="pdf", pages=(0, text.index("Second")), sections=((0, "Results"),))
    doc = doc_of(text, "seeds/r.pdf", x)
    last = len(doc.sentences) - 1
    assert (evidence(Candidate(doc, 1, 1, 0.5, 0.5)).page, evidence(Candidate(doc, 1, 1, 0.5, 0.5)).section) == (
        1, "Results")
    assert evidence(Candidate(doc, last, last, 0.5, 0.5)).page == 2
    plain = evidence(Candidate(doc_of("No pages here."), 0, 0, 0.5, 0.5))
    assert (plain.page, plain.section) == (None, None)


def test_the_score_is_rounded_and_the_source_is_the_documents_path():
    doc = doc_of(TEXT, "seeds/x y.txt")
    c = Candidate(doc, 1, 1, 0.123456789, 0.987654321)
    e = evidence(c)
    assert e.score == round(c.score, 4) and e.source == "seeds/x y.txt"


def test_the_result_carries_the_verdict_and_runners_up_of_equal_score_keep_their_order():
    doc = doc_of("One here. Two here. Three here. Four here.")
    cands = tuple(Candidate(doc, i, i, 0.5, 0.5) for i in range(4))
    r = claim_result(claim("a", "Here."), Verdict("unsupported", 0.7, "nothing says so", cands))
    assert (r.verdict, r.confidence, r.reason, r.cited) == ("unsupported", 0.7, "nothing says so", 1)
    assert [e.quote for e in r.evidence] == ["One here.", "Two here.", "Three here.", "Four here."]
    assert claim_result(claim("a", "Here."), Verdict("unsupported", 0.7, "none")).evidence == ()
