"""The reports kept byte-identical while the code moves: the bundled claims, every source format, benchmark slices.

Each case is a command line run from a prepared folder, through the real command line and the real
models, so the recorded JSON reports pin the behaviour, not the code's inner shape. Record them
again, on purpose, when a change is meant to alter verdicts (a new model, new thresholds):

    python -m tests.golden.cases --record
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BENCH = ROOT.parent / "shared" / "benchmarks"
SEED = ROOT / "seeds" / "000_02d9999218a401c2.txt"
SEED_TITLE = "Azerbaijan and Turkey hold joint drills in Lachin"
BENCH_CLAIMS = 20  # held-out claims of each benchmark set


def _format_folder(folder: Path) -> list[str]:
    """The bundled article as .md, a saved page, a PDF and a Word file, and claims/seed.yaml against each."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from saved_sources import docx_file, from_text, news_page, pdf_file

    a = from_text(SEED.read_text(encoding="utf-8"), SEED_TITLE, {3: "Training goals"})
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "article.md").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (docs / "article.html").write_text(news_page(a, 0), encoding="utf-8")
    pdf_file(a, docs / "article.pdf")
    docx_file(a, docs / "article.docx")
    claims = (ROOT / "claims" / "seed.yaml").read_text(encoding="utf-8")
    names = []
    for fmt in ("md", "html", "pdf", "docx"):
        (folder / f"seed-{fmt}.yaml").write_text(claims.replace("sources: [../seeds]", f"sources: [docs/article.{fmt}]"),
                                                encoding="utf-8")
        names.append(f"seed-{fmt}.yaml")
    return names


def _bench_folder(folder: Path, name: str) -> str:
    """The first held-out claims of a benchmark set, each against its own document, as a claims file."""
    sys.path.insert(0, str(ROOT))
    from training.pairs import doc_side

    data = BENCH / name
    docs = {}
    with (data / "docs.dev.jsonl").open(encoding="utf-8") as lines_in:  # closed: filterwarnings = error
        for line in lines_in:
            d = json.loads(line)
            docs[d["doc_id"]] = d["text"]
    rows = []
    with (data / "claims.dev.jsonl").open(encoding="utf-8") as lines_in:
        for line in lines_in:
            c = json.loads(line)
            if c["doc_id"] in docs and doc_side(c["doc_id"]) == "heldout":
                rows.append(c)
            if len(rows) == BENCH_CLAIMS:
                break
    verdict = {"SUPPORTED": "supported", "REFUTED": "contradicted", "NOT_ENOUGH_INFO": "unsupported"}
    (folder / "docs").mkdir(exist_ok=True)
    lines = ["version: 1", "claims:"]
    for c in rows:
        path = f"docs/{hashlib.sha256(c['doc_id'].encode()).hexdigest()[:16]}.txt"
        (folder / path).write_text(docs[c["doc_id"]], encoding="utf-8")
        lines += [f"  - id: {c['id'].replace(':', '-')}", f"    text: {json.dumps(c['claim'], ensure_ascii=False)}",
                  f"    expect: {verdict[c['label']]}", f"    sources: [{path}]"]
    (folder / f"{name}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"{name}.yaml"


def cases(folder: Path) -> dict[str, tuple[Path, list[str]]]:
    """Name -> (working folder, arguments after `verifier check`), with every input written out."""
    out = {"claims": (ROOT, ["claims/"])}
    fmt = folder / "formats"
    for name in _format_folder(fmt):
        out[name.removesuffix(".yaml")] = (fmt, [name])
    bench = folder / "bench"
    bench.mkdir()
    for name in ("scifact", "wice"):
        if (BENCH / name).exists():
            out[name] = (bench, [_bench_folder(bench, name)])
    return out


def run_case(cwd: Path, args: list[str], cache: Path) -> str:
    env = {**os.environ, "VERIFIER_CACHE_DIR": str(cache)}
    got = subprocess.run([sys.executable, "-m", "verifier", "check", *args, "--format", "json"], cwd=cwd, env=env,
                         capture_output=True, text=True, timeout=900)
    if got.returncode not in (0, 1):
        raise RuntimeError(f"verifier check {' '.join(args)} exited {got.returncode}: {got.stderr[-2000:]}")
    return got.stdout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--record", action="store_true", help="write the reports as the new golden files")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="verifier-golden-"))
    try:
        differ = []
        for name, (cwd, check) in cases(tmp).items():
            got = run_case(cwd, check, tmp / "cache")
            path = HERE / f"{name}.json"
            if args.record:
                path.write_text(got, encoding="utf-8")
                print(f"recorded {path.relative_to(ROOT)}")
            elif not path.exists() or path.read_text(encoding="utf-8") != got:
                differ.append(name)
        if differ:
            print("differ from the golden reports: " + ", ".join(differ))
            return 1
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
