"""Fit the decision thresholds on labelled claims; one command reproduces each reader's file in verifier/data/.

The entailment model reads every claim's quotes once; only the decisions are repeated over the
grid that ``verifier calibrate`` searches (entailment probability, similarity floor, contradiction
probability, and how unrelated a quote with a conflicting value may be). The objective: every set
keeps a reject rate of at least --min-reject, then the best mean of support F1 and 3-way macro-F1
over the sets.

The claims are those of the benchmark documents held out from the entailment model's training
(training/pairs.py). Before writing anything, it estimates how the fit carries over: the claims are
split into --folds parts by document, each part is decided by thresholds fitted on the others, and
those held-out figures are printed beside the in-sample ones.

Usage:
    python benchmarks/fit_thresholds.py              # the cascade: writes verifier/data/thresholds.json
    python benchmarks/fit_thresholds.py --no-cascade # the small model alone: thresholds-small.json
    python benchmarks/fit_thresholds.py --dry-run
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accuracy import DEFAULT_DATA, add_cascade_options, cascade_settings, load_cases, reader_settings  # noqa: E402

from verifier.calibrate import search  # noqa: E402
from verifier.claims import Claim  # noqa: E402
from verifier.components import Components, build  # noqa: E402
from verifier.metrics import LABEL_OF_VERDICT, figures  # noqa: E402
from verifier.models.embed import default_cache_dir, load_embedder  # noqa: E402
from verifier.pipeline import ClaimCase, decide_case, prepare, read_claims  # noqa: E402
from verifier.settings import Settings  # noqa: E402
from verifier.thresholds import (  # noqa: E402
    DEFAULT_THRESHOLDS_FILE,
    SMALL_THRESHOLDS_FILE,
    Thresholds,
    default_thresholds,
    thresholds_to_json,
)


def read_set(folder: Path, side: str, settings: Settings, components: Components, tmp: Path,
             chunk: int = 50) -> tuple[list, list[ClaimCase]]:
    cases = load_cases(folder, "dev", None, tmp, side)
    built = build(settings, components)
    judged: list[ClaimCase] = []
    for i in range(0, len(cases), chunk):
        part = cases[i:i + chunk]
        claims = [Claim(id=f"c{i + j}", text=c.row["claim"], sources=(c.doc_path,), file=c.row["id"], line=1)
                  for j, c in enumerate(part)]
        prep = prepare(claims, built)
        read_claims(prep, built)
        judged += prep.cases
        print(f"  {folder.name}: {i + len(part)}/{len(cases)} claims read", file=sys.stderr, flush=True)
    return cases, judged


_FIT: Callable[[list[int]], Thresholds] | None = None  # set before the processes fork: they inherit it


def _fit_forked(idx: list[int]) -> Thresholds:
    assert _FIT is not None
    return _FIT(idx)


def fit_all(fit: Callable[[list[int]], Thresholds], sets: list[list[int]], jobs: int) -> list[Thresholds]:
    """Thresholds fitted on each set of claims; with jobs > 1 in forked processes, which share the readings."""
    global _FIT
    if jobs <= 1 or len(sets) <= 1:
        out = []
        for n, idx in enumerate(sets):
            out.append(fit(idx))
            print(f"  fit {n + 1}/{len(sets)} done", file=sys.stderr, flush=True)
        return out
    import multiprocessing

    _FIT = fit
    with multiprocessing.get_context("fork").Pool(min(jobs, len(sets))) as pool:
        return pool.map(_fit_forked, sets, chunksize=1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, action="append", help="benchmark folder (repeatable)")
    ap.add_argument("--side", choices=("heldout", "train", "all"), default="heldout")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--min-reject", type=float, default=0.9)
    ap.add_argument("--dry-run", action="store_true", help="print the figures, write nothing")
    ap.add_argument("--jobs", type=int, default=1,
                    help="fits run side by side in this many processes (forked after the model has read every claim)")
    add_cascade_options(ap)
    args = ap.parse_args(argv)
    if not args.dry_run and (args.nli_model or len(cascade_settings(args)) > 1):  # more than "cascade" given
        raise SystemExit("the shipped files are for the shipped readers: with another reader, use --dry-run")
    folders = args.data or DEFAULT_DATA
    cache = default_cache_dir()
    settings = reader_settings(args, cache_dir=cache)
    # The search starts from, and is compared with, what ships for this reader.
    shipped = default_thresholds(small=settings.reads_alone())
    components = Components(embedder=load_embedder(None, "onnx", cache))
    sets = []
    with tempfile.TemporaryDirectory(prefix="verifier-fit-") as tmp:
        for folder in folders:
            cases, judged = read_set(folder, args.side, settings, components, Path(tmp))
            sets.append((folder.name, cases, judged))
    texts = [c.row["claim"] for _, cases, _ in sets for c in cases]
    judged = [j for _, _, js in sets for j in js]
    gold = [c.row["label"] for _, cases, _ in sets for c in cases]
    set_of = [name for name, cases, _ in sets for _ in cases]
    doc_of = [c.row["doc_id"] for _, cases, _ in sets for c in cases]

    def score(idx: list[int], verdicts: list[str]) -> tuple[float, float]:
        by: dict[str, tuple[list[str], list[str]]] = {}
        for i, v in zip(idx, verdicts):
            g, p = by.setdefault(set_of[i], ([], []))
            g.append(gold[i])
            p.append(LABEL_OF_VERDICT[v])
        figs = [figures(g, p) for g, p in by.values()]
        ok = all(f.reject_rate >= args.min_reject for f in figs)
        return float(ok), sum((f.support_f1 + f.macro_f1) / 2 for f in figs) / len(figs)

    def fit(idx: list[int]):
        return search([judged[i] for i in idx], lambda v: score(idx, v), shipped)

    def report(title: str, verdicts: dict[int, str]) -> dict:
        print(title)
        out = {}
        for name, _, _ in sets:
            idx = [i for i in range(len(texts)) if set_of[i] == name]
            f = figures([gold[i] for i in idx], [LABEL_OF_VERDICT[verdicts[i]] for i in idx])
            out[name] = f.as_dict()
            caught = "-" if f.refuted_caught is None else f"{f.refuted_caught:.3f}"
            print(f"  {name:8} n={f.n:4d} support P/R/F1 {f.support_precision:.3f} / {f.support_recall:.3f} / "
                  f"{f.support_f1:.3f}  reject {f.reject_rate:.3f}  refuted caught {caught}  macro-F1 {f.macro_f1:.3f}")
        return out

    every = list(range(len(texts)))
    shown = {"today": report("today's thresholds:", {i: decide_case(judged[i], shipped).verdict for i in every})}
    trains: list[list[int]] = []
    if args.folds > 1:
        fold = {d: int(hashlib.sha256(d.encode()).hexdigest(), 16) % args.folds for d in set(doc_of)}
        trains = [[i for i in every if fold[doc_of[i]] != k] for k in range(args.folds)]
    fitted = fit_all(fit, [*trains, every], args.jobs)
    if trains:
        held: dict[int, str] = {}
        for k, th in enumerate(fitted[:-1]):
            for i in every:
                if fold[doc_of[i]] == k:
                    held[i] = decide_case(judged[i], th).verdict
        shown["held-out folds"] = report(f"held-out folds (each decided by thresholds fitted on the other {args.folds - 1}):", held)
    th = fitted[-1]
    shown["in-sample"] = report("in-sample (thresholds fitted on all of them):",
                                {i: decide_case(judged[i], th).verdict for i in every})
    print(json.dumps({k: v for k, v in th.__dict__.items()}, indent=1))
    if not args.dry_run:
        names = ", ".join(n for n, _, _ in sets)
        reader = "the small model alone" if args.no_cascade else "the cascade"
        out = SMALL_THRESHOLDS_FILE if args.no_cascade else DEFAULT_THRESHOLDS_FILE
        out.write_text(thresholds_to_json(
            th, f"fitted by benchmarks/fit_thresholds.py on {names} (dev, {args.side} side) for {reader}: "
                f"{len(texts)} claims; min reject {args.min_reject}"), encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
