"""Print the benchmark figures (../shared/benchmarks/README.md) of the current pipeline on one dataset folder.

Each claim is checked against its own document only, with the real models.

Usage: python benchmarks/quick_accuracy.py ../shared/benchmarks/scifact [--limit N]
"""
from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from verifier.claims import Claim
from verifier.pipeline import Options, verify

LABEL = {"supported": "SUPPORTED", "contradicted": "REFUTED", "unsupported": "NOT_ENOUGH_INFO"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="verifier-bench-"))
    docs: dict[str, Path] = {}
    for line in (args.data / "docs.dev.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        path = tmp / (d["doc_id"].replace(":", "_").replace("/", "_") + ".txt")
        path.write_text(d["text"], encoding="utf-8")
        docs[d["doc_id"]] = path
    rows = [json.loads(line) for line in (args.data / "claims.dev.jsonl").open(encoding="utf-8")][: args.limit]
    claims = [Claim(id=f"c{i}", text=r["claim"], sources=(docs[r["doc_id"]],), file=r["id"], line=1)
              for i, r in enumerate(rows)]
    run = verify(claims, Options())

    pred = [LABEL[r.verdict] for r in run.results]
    gold = [r["label"] for r in rows]
    pairs = list(zip(pred, gold))
    tp = sum(p == g == "SUPPORTED" for p, g in pairs)
    fp = sum(p == "SUPPORTED" != g for p, g in pairs)
    fn = sum(g == "SUPPORTED" != p for p, g in pairs)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    negatives = [p for p, g in pairs if g != "SUPPORTED"]
    reject = sum(p != "SUPPORTED" for p in negatives) / len(negatives) if negatives else float("nan")
    refuted = [p for p, g in pairs if g == "REFUTED"]
    caught = sum(p == "REFUTED" for p in refuted) / len(refuted) if refuted else float("nan")
    f1s = []
    for label in sorted(set(gold)):
        t = sum(p == g == label for p, g in pairs)
        a, b = pred.count(label), gold.count(label)
        pp, rr = (t / a if a else 0.0), (t / b if b else 0.0)
        f1s.append(2 * pp * rr / (pp + rr) if pp + rr else 0.0)
    hits = n = 0
    for res, row, (p, g) in zip(run.results, rows, pairs):
        if p == g == "SUPPORTED":
            n += 1
            text = docs[row["doc_id"]].read_text(encoding="utf-8")
            e = res.evidence[0]
            hits += any(0 <= (s := text.find(ev)) < e.end and s + len(ev) > e.start for ev in row["evidence"])
    print(f"{args.data.name}: {len(rows)} claims")
    print(f"  support P / R / F1   {prec:.3f} / {rec:.3f} / {f1:.3f}")
    print(f"  reject rate          {reject:.3f}")
    print(f"  refuted caught       {caught:.3f}")
    print(f"  3-way macro-F1       {sum(f1s) / len(f1s):.3f}")
    print(f"  citation hit         {hits}/{n}")


if __name__ == "__main__":
    main()
