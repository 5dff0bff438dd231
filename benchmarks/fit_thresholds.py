"""Fit verifier's default decision thresholds on labelled claim sets; one command reproduces the shipped file.

The real pipeline reads and compares every claim once; then the thresholds are searched
on the same grid that ``verifier calibrate`` uses. The support thresholds maximise the
mean support F1 over the sets while every set keeps a reject rate of at least
--min-reject (a false pass is the worst error). With --fit-contradiction the
contradiction thresholds then maximise the mean 3-way macro-F1; by default they are left
as they are, because on these sets (WiCE has no refuted claims) that fit lowers the
coverage a contradicting quote needs to 0.5, which makes news claims about other things
"contradicted".

Usage:
    python benchmarks/fit_thresholds.py                 # both public dev sets; writes verifier/data/thresholds.json
    python benchmarks/fit_thresholds.py --data DIR --out FILE
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accuracy import DEFAULT_DATA, load_cases  # noqa: E402

from verifier.calibrate import _verdicts, search  # noqa: E402
from verifier.claims import Claim  # noqa: E402
from verifier.embed import SentenceTransformerEmbedder  # noqa: E402
from verifier.judge import DEFAULT_THRESHOLDS_FILE, assess, default_thresholds, thresholds_to_json  # noqa: E402
from verifier.metrics import LABEL_OF_VERDICT, figures  # noqa: E402
from verifier.pipeline import Options, prepare  # noqa: E402


def assessed(folder: Path, split: str, limit: int | None, options: Options, tmp: Path, chunk: int = 25):
    """Gold labels and compared candidates of every claim of one set."""
    cases = load_cases(folder, split, limit, tmp)
    gold, scored = [], []
    for i in range(0, len(cases), chunk):
        part = cases[i : i + chunk]
        claims = [Claim(id=f"c{i + j}", text=c.row["claim"], sources=(c.doc_path,), file=c.row["id"], line=1)
                  for j, c in enumerate(part)]
        prep = prepare(claims, options)
        scored.extend(assess(f, c, prep.sentence_facts, prep.similar)
                      for f, c in zip(prep.claim_facts, prep.candidates))
        gold.extend(c.row["label"] for c in part)
        print(f"  {folder.name}: {len(gold)}/{len(cases)} claims", file=sys.stderr)
    return gold, scored


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, action="append", help="benchmark folder (repeatable)")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--min-reject", type=float, default=0.95)
    ap.add_argument("--out", type=Path, default=DEFAULT_THRESHOLDS_FILE)
    ap.add_argument("--fit-contradiction", action="store_true", help="also fit the contradiction thresholds")
    args = ap.parse_args(argv)

    folders = args.data or DEFAULT_DATA
    options = Options(embedder=SentenceTransformerEmbedder())
    sets = []
    with tempfile.TemporaryDirectory(prefix="verifier-fit-") as tmp:
        for folder in folders:
            sets.append((folder.name, *assessed(folder, args.split, args.limit, options, Path(tmp))))
    scored = [s for _, _, part in sets for s in part]
    bounds = []
    start = 0
    for name, gold, part in sets:
        bounds.append((name, gold, start, start + len(part)))
        start += len(part)

    def per_set(verdicts: list[str]):
        return [figures(gold, [LABEL_OF_VERDICT[v] for v in verdicts[a:b]]) for _, gold, a, b in bounds]

    def support_objective(verdicts: list[str]) -> tuple[float, ...]:
        f = per_set(verdicts)
        ok = all(x.reject_rate >= args.min_reject for x in f)
        return (float(ok), sum(x.support_f1 for x in f) / len(f), sum(x.macro_f1 for x in f) / len(f))

    start_th = default_thresholds()
    fitted = search(scored, support_objective, start_th, contradiction=args.fit_contradiction)
    print(f"wrote {args.out}")
    for name, th in (("before", start_th), ("after", fitted)):
        for (set_name, _, _, _), f in zip(bounds, per_set(_verdicts(scored, th))):
            print(f"  {name:6} {set_name:8} support P/R/F1 {f.support_precision:.3f}/{f.support_recall:.3f}/"
                  f"{f.support_f1:.3f} reject {f.reject_rate:.3f} refuted "
                  f"{'-' if f.refuted_caught is None else f'{f.refuted_caught:.3f}'} macro-F1 {f.macro_f1:.3f}")
    args.out.write_text(thresholds_to_json(fitted, source=(
        f"fitted by benchmarks/fit_thresholds.py on {', '.join(f.name for f in folders)} ({args.split}), "
        f"min reject {args.min_reject}" + ("" if args.fit_contradiction else "; contradiction thresholds kept"))),
        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
