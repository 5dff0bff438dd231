"""Very large single sources: memory bounded by the input, offsets and line numbers still right.

Each run is a child process, which reports its own peak RSS (VmHWM). Fake embedders keep the
models' memory and time out of it; spaCy is real. benchmarks/big_sources.py measures the real CLI
on 200 MB.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.sources import iter_spans

from ..conftest import ROOT, SEED

pytestmark = pytest.mark.slow

SCRIPT = r"""
import hashlib, json, re, sys
sys.path.insert(0, {root!r})
from pathlib import Path
import numpy as np
from tests.conftest import FakeEmbedder
from verifier.claims import Claim
from verifier.components import Components
from verifier.pipeline import verify
from verifier.settings import Settings
from verifier.report.json_report import report_dict

class FirstPass:
    # A small bag-of-words first pass: fast, so that the run's memory is what the source costs.
    model_id = "fake-first-pass-64"

    def embed(self, texts):
        out = np.zeros((len(texts), 64), np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                out[i, int(hashlib.md5(w.encode()).hexdigest()[:8], 16) % 64] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)

claims = [Claim(id=f"c{{i}}", text=t, sources=(Path(sys.argv[1]),), file="x")
          for i, t in enumerate(json.loads(sys.argv[3]))]
settings = Settings(cache_dir=Path(sys.argv[2]), exact_limit=20_000, ann_limit=10**9)
report = report_dict(verify(claims, settings, Components(embedder=FakeEmbedder(), first_pass=FirstPass())))
# VmHWM is this process's own peak: ru_maxrss would also count the memory of the process that
# spawned it (the high-water mark of the address space that exec replaced).
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"report": report, "peak_kib": peak}}))
"""


def _run(tmp_path: Path, source: Path, claims: list[str]) -> tuple[dict, int]:
    """The report of a child run over ``source``, and the child's own peak RSS in bytes."""
    script = tmp_path / "run.py"
    script.write_text(SCRIPT.format(root=str(ROOT)))
    r = subprocess.run([sys.executable, str(script), str(source), str(tmp_path / f"cache-{source.stem}"),
                        json.dumps(claims)], capture_output=True, text=True, cwd=ROOT, timeout=1200)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout)
    return out["report"], out["peak_kib"] * 1024


def _check_offsets(report: dict, source: Path) -> int:
    text = source.read_text(encoding="utf-8")
    n = 0
    for r in report["results"]:
        assert r["verdict"] in ("supported", "contradicted", "unsupported")
        for ev in r["evidence"]:
            assert text[ev["start"] : ev["end"]] == ev["quote"]
            assert text.count("\n", 0, ev["start"]) + 1 == ev["line"]
            n += 1
    return n


def _one_line(path: Path, sentences: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(sentences):
            out.write(f"Sample {i} of the series measured {i % 997} units. ")
    return path


def _prose(path: Path, megabytes: int) -> Path:
    """The seed article, numbered copies of it in paragraphs, to about ``megabytes`` MB."""
    seed = SEED.read_text(encoding="utf-8")
    with path.open("w", encoding="utf-8") as out:
        for i in range(megabytes * 1_000_000 // len(seed)):
            out.write(f"Copy {i}.\n\n{seed}\n\n")
    return path


@pytest.mark.parametrize("kind", ["one-line", "prose"])
def test_a_huge_source_costs_memory_in_proportion_to_its_size(kind, tmp_path):
    _, rss_small = _run(tmp_path, SEED, ["The memorandum of alliance was signed on June 15."])
    if kind == "one-line":
        source = _one_line(tmp_path / "line.txt", 400_000)  # about 19 MB without a line break
        claims = ["Sample 123456 of the series measured 823 units.", "Sample 7 of the series measured 7 units."]
    else:
        source = _prose(tmp_path / "prose.txt", 20)
        claims = ["The memorandum of alliance was signed on June 15.", "Turkey and Azerbaijan held drills in Lachin."]
    report, rss = _run(tmp_path, source, claims)
    assert _check_offsets(report, source) > 0
    size = source.stat().st_size
    sentences = sum(1 for _ in iter_spans(source.read_text(encoding="utf-8")))
    # What a huge source may cost: its text (the file's bytes while decoding, then the string), and
    # per sentence its spans (20 bytes) and first-pass vectors (64 float16 on disk, a float32 copy
    # for exact search). Measured: 11 bytes per byte of input for the one-line file, 5.5 for prose;
    # before the index was streamed and Sentence objects went, 45 and 11.
    growth = rss - rss_small
    assert growth < 3 * size + 300 * sentences + (64 << 20), (growth >> 20, size >> 20, sentences)
