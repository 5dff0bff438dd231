"""Peak memory and wall time of `verifier check` on very large single source files.

Two inputs, each one file:

- ``big``: about --mb megabytes of prose (default 200), the SciFact and WiCE benchmark documents
  repeated with about one word in eight replaced in each copy, paragraphs separated by blank lines;
- ``line``: one line of --sentences short sentences (default 1,000,000), with no line break at all.

Each runs as `python -m verifier check` in a child process, from a cold index cache, and the child's
own peak RSS is read from ``os.wait4``. --models names a cache folder whose distilled static model
(``folders/static/``) and exported ONNX graphs (``blobs/onnx-graph/``) are copied in first, so that
neither distilling (minutes) nor exporting (torch, ~1 GB) is part of what is measured. The JSON report is then checked: ``text[start:end] == quote`` and
the line numbers, for every quote.

    python benchmarks/big_sources.py --mb 200 --sentences 1000000 --models ~/.cache/verifier
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import vary  # noqa: E402  (the same varied copies as the corpus-size benchmark)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "benchmarks"
if not DATA.is_dir():
    DATA = Path("/work/shared/benchmarks")


def write_big(path: Path, megabytes: float, data: Path) -> None:
    """One file of about ``megabytes`` MB of benchmark prose, written in pieces."""
    docs = [json.loads(line)["text"] for name in ("scifact", "wice")
            for line in (data / name / "docs.dev.jsonl").open(encoding="utf-8")]
    vocab = sorted({w for t in docs[:50] for w in re.findall(r"[a-z]{4,}", t)})
    rng = random.Random(0)
    target, written, copy = int(megabytes * 1e6), 0, 0
    with path.open("w", encoding="utf-8") as out:
        while written < target:
            for text in docs:
                if written >= target:
                    break
                piece = (text if copy == 0 else vary(text, rng, vocab)) + "\n\n"
                out.write(piece)
                written += len(piece.encode("utf-8"))
            copy += 1


def write_line(path: Path, sentences: int) -> None:
    """One line of ``sentences`` short sentences, without a single line break."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(sentences):
            out.write(f"Sample {i} of the series measured {i % 997} units. ")


def claims_for(kind: str, data: Path, source: Path, n: int) -> str:
    if kind == "line":
        texts = [f"Sample {i} of the series measured {i % 997} units." for i in (12, 500_000, 999_999)]
    else:
        texts = [json.loads(line)["claim"] for line in (data / "scifact" / "claims.dev.jsonl").open(encoding="utf-8")]
    lines = ["version: 1", f"sources: [{json.dumps(str(source))}]", "claims:"]
    for i, t in enumerate(texts[:n]):
        lines += [f"  - id: c{i}", f"    text: {json.dumps(t)}"]
    return "\n".join(lines) + "\n"


def run_check(claims: Path, cache: Path, report: Path) -> dict:
    """`verifier check` in a child process: its exit code, wall time and own peak RSS."""
    cmd = [sys.executable, "-m", "verifier", "check", str(claims), "--format", "json", "-o", str(report),
           "--cache-dir", str(cache)]
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert p.stderr is not None
    err = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t
    return {"rc": p.returncode, "wall_s": round(wall, 1), "peak_rss_mib": round(usage.ru_maxrss / 1024),
            "stderr": err.decode("utf-8", "replace")[-2000:]}


def check_offsets(report: Path) -> int:
    """Every quote is ``text[start:end]`` of its source and sits on the line it names; returns the count."""
    n = 0
    texts: dict[str, str] = {}
    for r in json.loads(report.read_text(encoding="utf-8"))["results"]:
        for ev in r["evidence"]:
            path = ev["source"]
            if path not in texts:
                texts[path] = (ROOT / path if not os.path.isabs(path) else Path(path)).read_text(encoding="utf-8")
            text = texts[path]
            assert text[ev["start"] : ev["end"]] == ev["quote"], ev
            assert text.count("\n", 0, ev["start"]) + 1 == ev["line"], ev
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=200, help="size of the prose file; 0 skips it")
    ap.add_argument("--sentences", type=int, default=1_000_000, help="sentences on the one line; 0 skips it")
    ap.add_argument("--claims", type=int, default=5)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "verifier-big")
    ap.add_argument("--models", type=Path, help="a verifier cache folder whose distilled static model and "
                    "exported graphs are copied in")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for kind, size in (("big", a.mb), ("line", a.sentences)):
        if not size:
            continue
        source = a.work / (f"big-{size:g}mb.txt" if kind == "big" else f"line-{size}.txt")
        if not source.exists():
            (write_big if kind == "big" else write_line)(source, size, *([a.data] if kind == "big" else []))
        claims = a.work / f"{kind}.yaml"
        claims.write_text(claims_for(kind, a.data, source, a.claims), encoding="utf-8")
        cache = a.work / f"cache-{kind}"
        shutil.rmtree(cache, ignore_errors=True)
        for sub in ("folders/static", "blobs/onnx-graph"):  # the distilled model and exported graphs
            if a.models and (a.models / sub).is_dir():
                shutil.copytree(a.models / sub, cache / sub)
        report = a.work / f"{kind}-report.json"
        res = run_check(claims, cache, report)
        res.update(input=kind, mb=round(source.stat().st_size / 1e6, 1), report=str(report))
        rows.append(res)
        print(json.dumps(res), flush=True)
    # Offsets are checked only after every run: a child's ru_maxrss includes the high-water mark of
    # the address space it was spawned from, so this process must stay small until the last one.
    for res in rows:
        if res["rc"] in (0, 1):
            res["quotes_checked"] = check_offsets(Path(res["report"]))
            print(json.dumps({"input": res["input"], "quotes_checked": res["quotes_checked"]}), flush=True)
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
