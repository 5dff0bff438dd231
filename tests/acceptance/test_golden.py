"""The JSON reports of the bundled claims, every source format and two benchmark slices stay byte-identical.

The reports were recorded through the command line with the real models (tests/golden/cases.py);
a change meant to alter verdicts records them again, on purpose, and says so in its commit.
"""
from __future__ import annotations

import difflib

import pytest

from ..golden.cases import HERE, cases, run_case


@pytest.mark.slow
def test_reports_are_byte_identical_to_the_golden_ones(tmp_path):
    differ = []
    for name, (cwd, args) in cases(tmp_path).items():
        got = run_case(cwd, args, tmp_path / "cache")
        want = (HERE / f"{name}.json").read_text(encoding="utf-8")
        if got != want:
            diff = difflib.unified_diff(want.splitlines(), got.splitlines(), f"golden/{name}.json", "now", lineterm="", n=1)
            differ.append("\n".join(list(diff)[:40]))
    assert not differ, "\n\n".join(differ)


def test_every_reason_of_every_golden_report_names_words_where_they_are():
    """The rule of tests/reasons.py over every verdict of the recorded runs: the bundled claims, every
    source format and the benchmark slices (re-recorded with each change, so this is today's judge)."""
    import json

    from ..reasons import reason_problems

    broken = []
    for path in sorted(HERE.glob("*.json")):
        for r in json.loads(path.read_text(encoding="utf-8"))["results"]:
            broken += [f"{path.name} {r['id']}: {p} (reason: {r['reason']})" for p in reason_problems(r)]
    assert not broken, "\n".join(broken)


def test_the_article_gets_the_same_verdicts_as_text_markdown_html_pdf_and_word():
    """The seed claims against the bundled article as .txt (in claims.json) and as the four files that
    tests/golden/cases.py builds from it: what the claims are judged on must not depend on the format."""
    import json

    verdicts = {}
    for name in ("claims", "seed-md", "seed-html", "seed-pdf", "seed-docx"):
        results = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))["results"]
        verdicts[name] = {r["id"]: r["verdict"] for r in results if name != "claims" or r["file"] == "claims/seed.yaml"}
    ids = verdicts["seed-md"].keys()
    assert ids and all(v.keys() == ids for v in verdicts.values())
    differ = {i: {name: v[i] for name, v in verdicts.items()} for i in ids
              if len({v[i] for v in verdicts.values()}) > 1}
    assert not differ, differ
