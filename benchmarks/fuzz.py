"""Fuzz the claims loader and the draft segmenter with generated input; print how many cases ran.

A case fails if it raises anything but the loader's own ClaimsFileError, or if a draft's
citations do not come out again byte for byte.

Usage: python benchmarks/fuzz.py [--examples N] [--seed S]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from verifier.claims import load_claims_file
from verifier.drafts import annotate, draft_sentences, strip_citations
from verifier.errors import ClaimsFileError

YAML_ALPHABET = list("abcdeiostx:- \n\t'\"[]{}&*!#|>%@`,?~.0123456789\u00e9\u200b\u202e\U0001F600\r")
MD_ALPHABET = list("ab .!?\n\r-#*_>|[]()^:`~<!-1\u2019\u00e9\u0301\u200b\U0001F600\t")
SKELETONS = ["version: 1\nclaims:\n  - id: a\n    text: {}\n", "version: 1\n{}", "{}",
             "version: 1\nsources: [{}]\nclaims:\n  - {{id: a, text: b}}\n"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    counts = {"claims files": 0, "drafts": 0}
    folder = Path(tempfile.mkdtemp(prefix="verifier-fuzz-"))
    fuzz_settings = settings(max_examples=args.examples, deadline=None, database=None, derandomize=False,
                             suppress_health_check=list(HealthCheck))

    @seed(args.seed)
    @fuzz_settings
    @given(skeleton=st.sampled_from(SKELETONS), body=st.text(alphabet=st.sampled_from(YAML_ALPHABET), max_size=200),
           raw=st.binary(max_size=40), as_bytes=st.booleans())
    def claims_files(skeleton, body, raw, as_bytes):
        counts["claims files"] += 1
        path = folder / "c.yaml"
        path.write_bytes(raw if as_bytes else skeleton.replace("{}", body, 1).encode("utf-8", "surrogatepass"))
        try:
            load_claims_file(path)
        except ClaimsFileError:
            pass

    @seed(args.seed)
    @fuzz_settings
    @given(text=st.text(alphabet=st.sampled_from(MD_ALPHABET), max_size=300))
    def drafts(text):
        counts["drafts"] += 1
        sentences = draft_sentences(text)
        assert all(0 <= s.start < s.end <= len(text) for s in sentences)
        assert strip_citations(annotate(text, sentences, [_fake(s) for s in sentences])) == text

    claims_files()
    drafts()
    print(f"fuzzed {counts['claims files']} claims files and {counts['drafts']} drafts: no crash")
    return 0


def _fake(sentence):  # a citation-shaped result, so annotate has something to write
    from verifier.claims import Claim
    from verifier.result import ClaimResult

    claim = Claim(id="x", text=sentence.claim, file="d.md", line=sentence.line)
    return ClaimResult(claim=claim, verdict="unsupported", confidence=0.5, reason="r", evidence=())


if __name__ == "__main__":
    sys.exit(main())
