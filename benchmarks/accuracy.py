"""Measure verifier's accuracy on labelled claim sets, beside the "design taken literally" baseline.

Runs the real pipeline on any folder shaped like ../shared/benchmarks/* (``claims.SPLIT.jsonl``,
``docs.SPLIT.jsonl``; each claim is checked against its own document) and prints the figures that
../shared/benchmarks/README.md defines, a confusion matrix and the worst cases.

The entailment model was trained on the claims of 2 in 5 of these documents (training/pairs.py,
``doc_side``), so by default only the other side, held out from training, is measured
(``--side heldout``); ``--side all`` measures the whole dev part.

Usage:
    python benchmarks/accuracy.py --data ../shared/benchmarks/scifact --data ../shared/benchmarks/wice
    python benchmarks/accuracy.py --data DIR --limit 50 --json figures.json
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from training.pairs import doc_side  # noqa: E402
from verifier.claims import Claim  # noqa: E402
from verifier.components import Components
from verifier.metrics import LABEL_OF_VERDICT, NEI, SUPPORTED, Figures, figures
from verifier.models.embed import BACKENDS, CachedEmbedder, default_cache_dir, load_embedder
from verifier.pipeline import verify
from verifier.result import ClaimResult
from verifier.settings import Settings
from verifier.sources import normalize, read_document

# The first design, taken literally: the top sentence by this score, supported at or above the threshold.
BASELINE_DENSE, BASELINE_THRESHOLD = 0.7, 0.62
DEFAULT_DATA = [Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / n for n in ("scifact", "wice")]


@dataclass
class Case:
    row: dict
    doc_path: Path
    text: str


def load_cases(folder: Path, split: str, limit: int | None, tmp: Path, side: str = "all") -> list[Case]:
    """Read a benchmark folder and write each document to a text file, as a user's source would be.

    ``side``: "heldout" or "train" keeps the claims of that side's documents (see training/pairs.py).
    """
    docs = {}
    for line in (folder / f"docs.{split}.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        name = hashlib.sha256(d["doc_id"].encode()).hexdigest()[:16] + ".txt"
        path = tmp / folder.name / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(d["text"], encoding="utf-8")
        docs[d["doc_id"]] = (path, d["text"])
    rows = [json.loads(line) for line in (folder / f"claims.{split}.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if side == "all" or doc_side(r["doc_id"]) == side]
    return [Case(r, *docs[r["doc_id"]]) for r in rows[:limit]]


def cites_gold(text: str, start: int, end: int, evidence: list[str]) -> bool:
    """Whether [start, end) overlaps any gold evidence sentence (each a substring of the document)."""
    for ev in evidence:
        pos = text.find(ev)
        while pos >= 0:
            if pos < end and pos + len(ev) > start:
                return True
            pos = text.find(ev, pos + 1)
    return False


def run_verifier(cases: list[Case], settings: Settings, components: Components, chunk: int, progress) -> list[ClaimResult]:
    results: list[ClaimResult] = []
    for i in range(0, len(cases), chunk):
        part = cases[i : i + chunk]
        claims = [Claim(id=f"c{i + j}", text=c.row["claim"], sources=(c.doc_path,), file=c.row["id"], line=1)
                  for j, c in enumerate(part)]
        results.extend(verify(claims, settings, components).results)
        progress.update(len(part))
    return results


def run_baseline(cases: list[Case], embedder: CachedEmbedder) -> list[tuple[str, int, int]]:
    """(label, start, end) of the literal design: top sentence by 0.7 cosine + 0.3 token_set_ratio."""
    from rapidfuzz import fuzz

    out = []
    claim_vecs = embedder.embed([c.row["claim"] for c in cases])
    docs: dict[Path, tuple] = {}
    for case, vec in zip(cases, claim_vecs):
        if case.doc_path not in docs:
            doc = read_document(case.doc_path)
            vecs = embedder.embed([s.text for s in doc.sentences])
            docs[case.doc_path] = (doc, vecs, [normalize(s.text) for s in doc.sentences])
        doc, vecs, norms = docs[case.doc_path]
        if not doc.sentences:
            out.append((NEI, 0, 0))
            continue
        claim = normalize(case.row["claim"])
        scores = BASELINE_DENSE * (vecs @ vec) + (1 - BASELINE_DENSE) * np.array(
            [fuzz.token_set_ratio(claim, n) / 100 for n in norms])
        best = int(np.argmax(scores))
        label = SUPPORTED if scores[best] >= BASELINE_THRESHOLD else NEI
        out.append((label, doc.sentences[best].start, doc.sentences[best].end))
    return out


def fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def print_table(name: str, rows: dict[str, Figures]) -> None:
    print(f"\n{name}")
    print(f"  {'system':10} {'n':>4}  {'sup P':>6} {'sup R':>6} {'sup F1':>6}  {'reject':>6}  {'refuted':>7}"
          f"  {'macroF1':>7}  {'cite':>6}")
    for system, f in rows.items():
        print(f"  {system:10} {f.n:>4}  {fmt(f.support_precision):>6} {fmt(f.support_recall):>6} "
              f"{fmt(f.support_f1):>6}  {fmt(f.reject_rate):>6}  {fmt(f.refuted_caught):>7}  {fmt(f.macro_f1):>7}"
              f"  {fmt(f.citation_hit):>6}")
    f = rows["verifier"]
    print("  confusion (rows gold, columns verifier):")
    labels = [lab for lab in f.confusion if sum(f.confusion[lab].values())] or list(f.confusion)
    print("    " + " " * 16 + "".join(f"{lab[:12]:>14}" for lab in f.confusion))
    for g in labels:
        print(f"    {g:16}" + "".join(f"{f.confusion[g][p]:>14}" for p in f.confusion))


def confidence_table(gold: list[str], results: list[ClaimResult]) -> dict[str, tuple[int, float, float]]:
    """Per verdict: how many claims got it, their mean confidence, and the share of them that is right."""
    out = {}
    for verdict, label in LABEL_OF_VERDICT.items():
        got = [(g, r) for g, r in zip(gold, results) if r.verdict == verdict]
        if got:
            out[verdict] = (len(got), round(sum(r.confidence for _, r in got) / len(got), 4),
                            round(sum(g == label for g, _ in got) / len(got), 4))
    return out


def worst_cases(cases: list[Case], results: list[ClaimResult], n: int) -> list[dict]:
    """False passes first (the worst error), then wrong contradictions, then missed support; most confident first."""
    bad = []
    for case, r in zip(cases, results):
        gold, pred = case.row["label"], LABEL_OF_VERDICT[r.verdict]
        if gold == pred:
            continue
        rank = 0 if pred == SUPPORTED else 1 if gold != SUPPORTED else 2
        bad.append((rank, -r.confidence, case.row["id"], {
            "id": case.row["id"], "gold": gold, "verdict": r.verdict, "confidence": r.confidence,
            "claim": case.row["claim"], "reason": r.reason,
            "quote": r.evidence[0].quote if r.evidence else None,
        }))
    return [b[-1] for b in sorted(bad, key=lambda b: b[:3])[:n]]


def add_cascade_options(ap: argparse.ArgumentParser) -> None:
    """Which entailment model reads: the shipped cascade as it ships, the small model alone, another model, or the cascade's options."""
    ap.add_argument("--nli-model", type=Path,
                    help="an exported entailment model that reads every quote in place of the shipped ones")
    ap.add_argument("--no-cascade", action="store_true", help="the small model reads every quote alone")
    ap.add_argument("--large", type=Path, help="an exported large entailment model in place of the shipped one")
    ap.add_argument("--large-weight", type=float, default=None,
                    help="the large model's share in a deciding quote's reading (1: it replaces the small one's)")
    ap.add_argument("--large-leading", type=int, default=None,
                    help="each claim's first quotes (the retrieval's best) the large model reads too")
    ap.add_argument("--large-gate", type=float, default=None,
                    help="a deciding quote is read again only where the small model's neutral probability "
                         "is at most 1 - this (0: every deciding quote)")


def cascade_settings(args: argparse.Namespace) -> dict:
    """The Settings fields add_cascade_options named; the cascade's options left out keep the shipped ones."""
    given = {"nli_large_path": args.large, "nli_large_weight": args.large_weight,
             "nli_large_leading": args.large_leading, "nli_large_gate": args.large_gate}
    if args.no_cascade and any(v is not None for v in given.values()):
        raise SystemExit("--large and its options set the cascade: leave out --no-cascade")
    return {"cascade": not args.no_cascade, **{k: v for k, v in given.items() if v is not None}}


def reader_settings(args: argparse.Namespace, **more) -> Settings:
    """The settings that read with the model add_cascade_options named (the shipped one if none)."""
    return Settings(nli_model_path=args.nli_model, **cascade_settings(args), **more)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, action="append", help="benchmark folder (repeatable)")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, default=None, help="first N claims of each set")
    ap.add_argument("--worst", type=int, default=8, help="how many worst cases to print")
    ap.add_argument("--json", type=Path, help="also write every figure and worst case here")
    ap.add_argument("--side", choices=("heldout", "train", "all"), default="heldout",
                    help="which documents' claims: held out from the entailment model's training (default), or all")
    ap.add_argument("--chunk", type=int, default=25, help="claims per pipeline call")
    ap.add_argument("--backend", choices=BACKENDS, default="onnx",
                    help="how the embedding model runs (the CLI's default is onnx)")
    ap.add_argument("--whole", action="store_true",
                    help="read every claim whole, never part by part: the figures parts are measured against")
    add_cascade_options(ap)
    args = ap.parse_args(argv)
    if args.whole:
        import verifier.pipeline as pipeline

        pipeline.split_many = lambda texts, cache_dir: [[] for _ in texts]  # every claim one part: itself
    from tqdm import tqdm

    folders = args.data or DEFAULT_DATA
    cache_dir = default_cache_dir()
    inner = load_embedder(None, args.backend, cache_dir)
    settings, components = reader_settings(args, cache_dir=cache_dir), Components(embedder=inner)
    report: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="verifier-bench-") as tmp:
        for folder in folders:
            cases = load_cases(folder, args.split, args.limit, Path(tmp), args.side)
            with tqdm(total=len(cases), desc=folder.name, unit="claim", file=sys.stderr,
                      disable=not sys.stderr.isatty()) as bar:
                results = run_verifier(cases, settings, components, args.chunk, bar)
            base = run_baseline(cases, CachedEmbedder(inner, cache_dir))
            gold = [c.row["label"] for c in cases]
            ours = figures(gold, [LABEL_OF_VERDICT[r.verdict] for r in results],
                           [any(cites_gold(c.text, e.start, e.end, c.row["evidence"]) for e in r.evidence[: r.cited])
                            if r.evidence else False for c, r in zip(cases, results)])
            theirs = figures(gold, [b[0] for b in base],
                             [cites_gold(c.text, s, e, c.row["evidence"]) for c, (_, s, e) in zip(cases, base)])
            rows = {"verifier": ours, "baseline": theirs}
            print_table(f"{folder.name} ({args.split}, {args.side} side, {len(cases)} claims, {args.backend} backend)", rows)
            confidence = confidence_table(gold, results)
            print("  confidence (mean stated confidence against the share right, per verdict):")
            for verdict, (n, stated, right) in confidence.items():
                print(f"    {verdict:13} {n:>4} claims  confidence {stated:.3f}  right {right:.3f}")
            worst = worst_cases(cases, results, args.worst)
            if worst:
                print("  worst cases:")
                for w in worst:
                    print(f"    {w['id']}: gold {w['gold']}, got {w['verdict']} [{w['confidence']:.2f}]")
                    print(f"      claim:  {w['claim'][:160]}")
                    print(f"      reason: {w['reason'][:160]}")
            report[folder.name] = {"verifier": ours.as_dict(), "baseline": theirs.as_dict(), "worst": worst,
                                   "confidence": confidence, "backend": args.backend, "side": args.side}
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
