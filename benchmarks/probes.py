"""The probe claims, right or wrong: each claims file read by the small entailment model alone and through the cascade.

Probe claims are written in a reader's own words, each with the verdict it must get, before any
tuning (docs/accuracy.md). For every file and reader this prints how many claims got their
verdict, the false supported ones (the worst error: a quote cited for a claim it does not
support), and how many contradicted claims were caught; both readers run on the same claims in the
same run, with the same thresholds.

Usage:
    python benchmarks/probes.py
    python benchmarks/probes.py --large DIR [--large-weight 0.5] [--json out.json]
    python benchmarks/probes.py --nli-model DIR   (that model alone, beside the small one)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accuracy import add_cascade_options, cascade_settings  # noqa: E402

from verifier.claims import load_claims_file
from verifier.pipeline import verify
from verifier.settings import Settings
from verifier.thresholds import thresholds_from_json
from verifier.verdicts import CONTRADICTED, SUPPORTED

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = (ROOT / "claims" / "paraphrase.yaml", ROOT / "claims" / "seed.yaml",
                 ROOT / "benchmarks" / "probes" / "technical.yaml")


def score(path: Path, settings: Settings) -> dict:
    results = verify(load_claims_file(path), settings).results
    false_supported = [r.claim.id for r in results if r.verdict == SUPPORTED and r.claim.expect != SUPPORTED]
    contradicted = [r for r in results if r.claim.expect == CONTRADICTED]
    return {"claims": len(results), "right": sum(r.passed for r in results),
            "false_supported": false_supported,
            "contradicted": len(contradicted), "contradicted_caught": sum(r.verdict == CONTRADICTED for r in contradicted),
            "wrong": {r.claim.id: r.verdict for r in results if not r.passed}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", type=Path, nargs="*", default=list(DEFAULT_FILES))
    add_cascade_options(ap)
    ap.add_argument("--large-thresholds", type=Path,
                    help="a thresholds file for the other reader, the cascade or --nli-model (one fitted to its "
                         "readings; default: the cascade's shipped ones); the small model alone keeps its own")
    ap.add_argument("--json", type=Path, help="also write every figure here")
    args = ap.parse_args(argv)
    th = args.large_thresholds
    fitted = thresholds_from_json(th.read_text(encoding="utf-8"), str(th)) if th else None
    cascade = cascade_settings(args)
    readers = {"small model alone": Settings(cascade=False)}
    if args.nli_model:
        readers["the given model alone"] = Settings(nli_model_path=args.nli_model, thresholds=fitted)
    elif cascade["cascade"]:
        readers["cascade"] = Settings(**cascade, thresholds=fitted)
    out: dict = {}
    for path in args.files:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
        for name, settings in readers.items():
            s = out.setdefault(str(path), {})[name] = score(path, settings)
            print(f"  {name:18} {s['right']:3}/{s['claims']} right ({s['right'] / s['claims']:.0%}), "
                  f"{len(s['false_supported'])} false supported, "
                  f"{s['contradicted_caught']}/{s['contradicted']} contradictions caught")
            for claim_id in s["false_supported"]:
                print(f"  {'':18}   false supported: {claim_id}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
