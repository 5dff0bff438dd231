from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from verifier.claims import Claim
from verifier.drafts import (
    annotate,
    claim_id,
    claims_file,
    claims_for,
    draft_sentences,
    schema_reference,
    strip_citations,
)
from verifier.result import ClaimResult, Evidence, PartResult

DRAFT = """\
---
title: A draft. With a sentence in front matter.
---
# A heading that is not a claim

Azerbaijan and Turkey started *joint drills* in [Lachin](https://example.org/lachin "title"). It is the **first time** such drills are held there.

- The memorandum was signed on June 15.
- Some 5,000 troops take part.

> The declaration affirms joint efforts by the two armies.

| column one | column two |
|---|---|
| This is a table cell. | Another cell here. |

![An image of the drills in Lachin](drills.png)

```python
print("code is not a claim at all")
```

Cooperation first emerged in 1992[^1].

[^1]: A footnote the author wrote, not a claim to check.
<!-- a comment that says nothing -->
"""


def claims_of(text):
    return [s.claim for s in draft_sentences(text)]


def test_markdown_edge_cases():
    assert claims_of(DRAFT) == [
        "Azerbaijan and Turkey started joint drills in Lachin.",
        "It is the first time such drills are held there.",
        "The memorandum was signed on June 15.",
        "Some 5,000 troops take part.",
        "The declaration affirms joint efforts by the two armies.",
        "Cooperation first emerged in 1992.",
    ]


def test_offsets_point_at_the_sentence_in_the_draft():
    for s in draft_sentences(DRAFT):
        words = s.claim.split()
        assert DRAFT[s.start:s.end].startswith(words[0].strip("*"))
        assert DRAFT.count("\n", 0, s.start) + 1 == s.line


def fake_results(sentences, verdicts=("supported", "contradicted", "unsupported")):
    out = []
    for i, s in enumerate(sentences):
        v = verdicts[i % len(verdicts)]
        claim = Claim(id=f"c{i}", text=s.claim, expect="supported", file="d.md", line=s.line)
        ev = Evidence(source="seeds/a.txt", start=0, end=5, line=3, column=1, quote="Quote\nacross lines", score=0.9)
        out.append(ClaimResult(claim=claim, verdict=v, confidence=0.9, reason="because", evidence=(ev,)))
    return out


def test_annotate_adds_markers_and_footnotes_only():
    sentences = draft_sentences(DRAFT)
    cited = annotate(DRAFT, sentences, fake_results(sentences))
    assert "drills are held there. **[contradicted]**[^verifier-2]" in cited
    assert '[^verifier-1]: "Quote across lines" (seeds/a.txt, line 3)' in cited
    assert "[^verifier-3]: **Unsupported**: because. Closest quote:" in cited
    assert strip_citations(cited) == DRAFT


def test_a_partly_supported_sentence_names_the_part_not_stated_and_cites_the_parts_that_are():
    sentences = draft_sentences(DRAFT)
    results = fake_results(sentences, verdicts=("unsupported",))
    first = results[0]
    stated = Evidence(source="seeds/a.txt", start=9, end=40, line=5, column=1, quote="The drills began in Lachin.",
                      score=0.9)
    results[0] = ClaimResult(
        claim=first.claim, verdict="unsupported", confidence=0.8, evidence=(stated,),
        reason="nothing in the sources states \u201cAzerbaijan and Turkey started joint drills with jets\u201d",
        parts=(PartResult("Azerbaijan and Turkey started joint drills in Lachin.", "place", "supported", (0,)),
               PartResult("Azerbaijan and Turkey started joint drills with jets.", "instrument", "unsupported")))
    cited = annotate(DRAFT, sentences, results)
    assert "(https://example.org/lachin \"title\"). **[partly supported]**[^verifier-1]" in cited
    assert ("[^verifier-1]: **Partly supported**: nothing in the sources states \u201cAzerbaijan and Turkey started "
            "joint drills with jets\u201d. Stated: \u201cAzerbaijan and Turkey started joint drills in Lachin\u201d, in "
            "\"The drills began in Lachin.\" (seeds/a.txt, line 5).") in cited
    assert "**[unsupported]**[^verifier-2]" in cited  # no part stated: not partly supported
    assert strip_citations(cited) == DRAFT


def test_citing_twice_does_not_add_footnotes_twice():
    sentences = draft_sentences(DRAFT)
    once = annotate(DRAFT, sentences, fake_results(sentences))
    again_source = strip_citations(once)
    twice = annotate(again_source, draft_sentences(again_source), fake_results(draft_sentences(again_source)))
    assert twice == once
    assert twice.count("verifier:citations") == 1


def test_ids_are_stable_and_unique():
    assert claim_id("The memorandum was signed.") == claim_id("The  memorandum was signed.")
    assert claim_id("The memorandum was signed.").startswith("the-memorandum-was-signed-")
    text = "The drills began in Lachin today.\n\nThe drills began in Lachin today.\n"
    ids = [c.id for c in claims_for(draft_sentences(text), "d.md", ())]
    assert len(set(ids)) == 2 and ids[1] == ids[0] + "-2"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\n-#*_>|[]()^:`~1\u2019\u00e9")), max_size=160))
def test_round_trip_on_generated_drafts(text):
    sentences = draft_sentences(text)
    for s in sentences:
        assert 0 <= s.start < s.end <= len(text)
    cited = annotate(text, sentences, fake_results(sentences))
    assert strip_citations(cited) == text


def test_cited_draft_renders_as_the_same_document_plus_footnotes():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark").enable("table").use(footnote_plugin)
    sentences = draft_sentences(DRAFT)
    cited = annotate(DRAFT, sentences, fake_results(sentences))

    def blocks(text):
        out, in_notes = [], False
        for t in md.parse(text):
            in_notes = (in_notes or t.type == "footnote_block_open") and t.type != "footnote_block_close"
            if not in_notes and not t.type.startswith("footnote") and t.type != "html_block":
                out.append(t.type)
        return out

    assert blocks(cited) == blocks(DRAFT)
    refs = [c.meta["label"] for t in md.parse(cited) if t.type == "inline" for c in t.children or []
            if c.type == "footnote_ref"]
    assert sum(r.startswith("verifier-") for r in refs) == len(sentences)


def test_claims_file_comments_doubtful_verdicts_unless_pinned(tmp_path):
    from verifier.claims import load_claims_file

    sources = (tmp_path / "seeds",)
    (tmp_path / "seeds").mkdir()
    claims = [Claim(id="a", text="One.", sources=sources), Claim(id="b", text="Two.", sources=sources),
              Claim(id="c", text="Three.", sources=sources)]
    results = [ClaimResult(claims[0], "supported", 0.9, "ok", ()),
               ClaimResult(claims[1], "contradicted", 0.4, "the source says June 15;\nthe claim says June 16", ()),
               ClaimResult(claims[2], "unsupported", 0.6, "nothing states it", ())]
    out = tmp_path / "claims" / "draft.yaml"
    out.parent.mkdir()
    for pin, expects in ((False, ["supported"] * 3), (True, ["supported", "contradicted", "unsupported"])):
        text = claims_file(claims, results, out, pin=pin, draft="notes.md")
        out.write_text(text)
        assert [c.expect for c in load_claims_file(out)] == expects
        assert "# Written by `verifier cite notes.md`" in text
        assert "    # verifier: contradicted: the source says June 15; the claim says June 16\n" in text
        assert ("    expect: unsupported\n" in text) == pin and ("    # expect: unsupported\n" in text) != pin
        assert 'sources: ["../seeds"]' in text
    # Uncommenting the line is all it takes to accept the verdict.
    text = claims_file(claims, results, out).replace("# expect:", "expect:")
    out.write_text(text)
    assert [c.expect for c in load_claims_file(out)] == ["supported", "contradicted", "unsupported"]


def test_schema_reference_is_relative_to_the_nearest_schemas_folder(tmp_path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "claims.schema.json").write_text("{}")
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert schema_reference(tmp_path / "a" / "b" / "c.yaml") == "../../schemas/claims.schema.json"
    assert schema_reference(tmp_path / "c.yaml") == "schemas/claims.schema.json"


def test_a_source_is_named_from_the_drafts_folder_or_linked_under_a_base(tmp_path):
    from verifier.drafts import source_link

    (tmp_path / "docs").mkdir()
    src = tmp_path / "sources" / "a report.txt"
    assert source_link(str(src), tmp_path / "docs") == "../sources/a report.txt"
    assert source_link(str(src), tmp_path) == "sources/a report.txt"
    assert source_link(str(src), tmp_path / "docs", "https://example.org/docs") == \
        "[../sources/a report.txt](https://example.org/sources/a%20report.txt)"
