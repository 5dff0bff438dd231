"""Killed and concurrent runs: the cache is either used correctly or rebuilt, never a wrong result."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ..conftest import ROOT, cache_blobs

# A run over many small sources with a fake, slow embedder, so that it can be killed mid-indexing.
SCRIPT = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from tests.conftest import FakeEmbedder
from verifier.claims import Claim
from verifier.components import Components
from verifier.pipeline import verify
from verifier.settings import Settings
from verifier.report.json_report import report_dict

class Slow(FakeEmbedder):
    def embed(self, texts):
        time.sleep(float(sys.argv[2]))
        return super().embed(texts)

docs = sorted(Path(sys.argv[1]).glob("*.txt"))
claims = [Claim(id=f"c{{i}}", text=f"Document {{i}} says the value is {{i * 7}}.", sources=tuple(docs), file="x")
          for i in range(5)]
run = verify(claims, Settings(cache_dir=Path(sys.argv[3])), Components(embedder=Slow()))
print(json.dumps(report_dict(run), sort_keys=True))
"""


def _corpus(folder: Path, n: int = 40) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"doc{i:02}.txt").write_text(
            f"Document {i} says the value is {i * 7}. It was measured on day {i}. Nobody disputes it.\n")
    return folder


def _start(tmp_path: Path, corpus: Path, cache: Path, delay: float) -> subprocess.Popen:
    script = tmp_path / "run.py"
    script.write_text(SCRIPT.format(root=str(ROOT)))
    return subprocess.Popen([sys.executable, str(script), str(corpus), str(delay), str(cache)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(p: subprocess.Popen) -> dict:
    out, err = p.communicate(timeout=300)
    assert p.returncode == 0, err
    return json.loads(out)


def test_a_run_killed_mid_indexing_leaves_a_cache_the_next_run_uses_correctly(tmp_path):
    corpus = _corpus(tmp_path / "docs")
    clean = _finish(_start(tmp_path, corpus, tmp_path / "clean-cache", 0.0))

    cache = tmp_path / "cache"
    p = _start(tmp_path, corpus, cache, 0.15)
    deadline = time.time() + 60
    while time.time() < deadline and len(cache_blobs(cache, "embeddings")) < 5:
        time.sleep(0.05)
    os.kill(p.pid, signal.SIGKILL)
    p.communicate()  # reap it and close its pipes
    assert p.returncode == -signal.SIGKILL
    written = len(cache_blobs(cache, "embeddings"))
    assert 5 <= written < 41  # killed in the middle of indexing

    again = _finish(_start(tmp_path, corpus, cache, 0.0))
    assert again == clean


def test_two_runs_sharing_a_cache_give_the_results_of_one(tmp_path):
    corpus = _corpus(tmp_path / "docs")
    single = _finish(_start(tmp_path, corpus, tmp_path / "single", 0.0))
    shared = tmp_path / "shared"
    a, b = _start(tmp_path, corpus, shared, 0.01), _start(tmp_path, corpus, shared, 0.01)
    assert _finish(a) == single
    assert _finish(b) == single
