"""The command line end to end, with the fake embedder standing in for the model."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from verifier import cli as cli_module
from verifier.claims import load_schema
from verifier.components import Components
from verifier.report import REPORTERS

from ..conftest import ROOT, FakeEmbedder, WordEntailment, cache_blobs


@pytest.fixture(autouse=True)
def project(tmp_path, monkeypatch):
    """A copy of the bundled seeds in a fresh folder, run with the fake embedder."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "claims").mkdir()
    return tmp_path


def fakes():
    """The stand-in models, given to the command line through its components seam."""
    return Components(embedder=FakeEmbedder(), entailment=WordEntailment())


GOOD = """\
version: 1
sources: [../seeds]
claims:
  - id: since-1992
    text: Military cooperation between Azerbaijan and Turkey first emerged in 1992.
  - id: june-16
    text: On June 16, the two countries signed a memorandum of alliance.
    expect: contradicted
"""


class Broken:
    """An entailment model that fails the way a bug would."""

    model_id = "broken"

    def __init__(self, error):
        self.error = error

    def probabilities(self, pairs):
        raise self.error


def run(capsys, *argv, components=None):
    rc = cli_module.main(list(argv), components or fakes())
    out, err = capsys.readouterr()
    return rc, out, err


def test_check_passes_and_prints_verdicts(capsys):
    Path("claims/c.yaml").write_text(GOOD)
    rc, out, err = run(capsys, "check", "claims/")
    assert rc == 0, out + err
    assert "PASS claims/c.yaml:4 since-1992: supported" in out
    assert "(seeds/000_02d9999218a401c2.txt, line 15)" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_check_defaults_to_claims_folder(capsys):
    Path("claims/c.yaml").write_text(GOOD)
    rc, out, _ = run(capsys, "check")
    assert rc == 0 and "2 claims" in out


def test_failed_expectation_exits_1(capsys):
    Path("claims/c.yaml").write_text(GOOD.replace("    expect: contradicted\n", ""))
    rc, out, _ = run(capsys, "check", "claims/c.yaml")
    assert rc == 1
    assert "FAIL claims/c.yaml:6 june-16: contradicted (expected supported)" in out


def test_json_output_file_is_schema_valid(capsys):
    Path("claims/c.yaml").write_text(GOOD)
    rc, out, err = run(capsys, "check", "claims", "--format", "json", "--output", "out/report.json")
    assert rc == 0 and out == ""
    report = json.loads(Path("out/report.json").read_text())
    jsonschema.Draft7Validator(load_schema("report")).validate(report)
    assert report["summary"] == {"claims": 2, "supported": 1, "contradicted": 1, "unsupported": 0,
                                 "passed": 2, "failed": 0}
    june = report["results"][1]
    assert june["verdict"] == "contradicted" and "June 15" in june["reason"]
    text = Path("seeds/000_02d9999218a401c2.txt").read_text(encoding="utf-8")
    for r in report["results"]:
        for e in r["evidence"]:
            assert text[e["start"]:e["end"]] == e["quote"]


def test_bad_claims_file_names_line_and_exits_2(capsys):
    Path("claims/c.yaml").write_text("version: 1\nclaims:\n  - id: a\n    text: x\n    expect: true-ish\n")
    rc, out, err = run(capsys, "check", "claims/c.yaml")
    assert rc == 2
    assert "claims/c.yaml:5:13: $.claims[0].expect: 'true-ish' is not one of" in err
    assert "Traceback" not in err and out == ""


def test_missing_source_exits_2_with_hint(capsys):
    Path("claims/c.yaml").write_text(GOOD.replace("../seeds", "../nowhere"))
    rc, _, err = run(capsys, "check", "claims/c.yaml")
    assert rc == 2
    assert ("claims/c.yaml:2:11: $.sources[0]: source '../nowhere' was not found (looked for nowhere)" in err
            and "Traceback" not in err)


def test_missing_claims_path_exits_2(capsys):
    rc, _, err = run(capsys, "check", "nope.yaml")
    assert rc == 2 and "nope.yaml: no such file or folder" in err


def test_unknown_option_exits_2(capsys):
    rc, _, err = run(capsys, "check", "--frobnicate")
    assert rc == 2 and "No such option" in err


def test_internal_error_exits_3_and_says_it_is_a_bug(capsys, monkeypatch):
    Path("claims/c.yaml").write_text(GOOD)

    broken = Components(embedder=FakeEmbedder(), entailment=Broken(RuntimeError("kaboom")))
    rc, _, err = run(capsys, "check", "claims/c.yaml", components=broken)
    assert rc == 3 and "internal error: RuntimeError: kaboom" in err and "bug" in err


def test_interrupt_exits_130(capsys, monkeypatch):
    Path("claims/c.yaml").write_text(GOOD)

    stopped = Components(embedder=FakeEmbedder(), entailment=Broken(KeyboardInterrupt()))
    rc, _, err = run(capsys, "check", "claims/c.yaml", components=stopped)
    assert rc == 130 and "interrupted" in err


def test_sources_option_overrides_the_file(capsys):
    Path("claims/c.yaml").write_text(GOOD.replace("../seeds", "../nowhere"))
    rc, out, _ = run(capsys, "check", "claims/c.yaml", "--sources", "seeds")
    assert rc == 0, out


def test_colour_always_and_no_color(capsys, monkeypatch):
    Path("claims/c.yaml").write_text(GOOD)
    _, out, _ = run(capsys, "check", "claims", "--color", "always")
    assert "\x1b[" in out
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli_module._use_color("auto", type("TTY", (), {"isatty": lambda self: True})())


@pytest.mark.parametrize("argv", [["validate", "claims"], ["schema"], ["--help"], ["check", "--help"]])
def test_quick_commands_import_no_model_library(project, argv):
    import subprocess
    import sys

    Path("claims/c.yaml").write_text(GOOD)
    code = (f"import sys; from verifier.cli import main; rc = main({argv!r}); "
            "print(rc, sorted(m for m in ('torch', 'sentence_transformers', 'spacy', 'onnxruntime', 'trafilatura', "
            "'pypdfium2', 'docx', 'psycopg') "
            "if m in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.stdout.strip().splitlines()[-1] == "0 []", p.stdout + p.stderr


def test_validate_reports_ok_and_problems(capsys, monkeypatch):

    Path("claims/c.yaml").write_text(GOOD)
    rc, out, _ = run(capsys, "validate", "claims")
    assert rc == 0 and "claims/c.yaml: ok (2 claims)" in out
    Path("claims/bad.yaml").write_text("version: 1\nclaims: []\n")
    rc, _, err = run(capsys, "validate", "claims")
    assert rc == 2 and "claims/bad.yaml:2:9: $.claims: [] should be non-empty" in err


def test_schema_prints_the_claims_schema(capsys):
    rc, out, _ = run(capsys, "schema")
    assert rc == 0 and json.loads(out)["$schema"].startswith("http://json-schema.org/draft-07")
    rc, out, _ = run(capsys, "schema", "--report")
    assert json.loads(out)["title"] == "verifier JSON report"


def test_format_choices_come_from_the_registry():
    assert set(cli_module.FORMATS) == set(REPORTERS)


def test_version_and_help(capsys):
    rc, out, _ = run(capsys, "--version")
    assert rc == 0 and "verifier, version" in out
    rc, out, _ = run(capsys, "check", "--help")
    assert rc == 0 and "Example:" in out


def test_no_cache_writes_nothing(capsys, private_cache):
    Path("claims/c.yaml").write_text(GOOD)
    run(capsys, "check", "claims", "--no-cache")
    assert not private_cache.exists()
    run(capsys, "check", "claims", "--cache-dir", "mycache")
    assert cache_blobs(Path("mycache"), "embeddings")


def test_calibrate_writes_thresholds_that_check_uses(capsys):
    Path("claims/c.yaml").write_text(GOOD)
    rc, out, _ = run(capsys, "calibrate", "claims/c.yaml", "--dry-run")
    assert rc == 0 and "claims passing" in out and "support cosine" in out
    assert not Path("claims/verifier-thresholds.json").exists()
    Path("claims/verifier-thresholds.json").write_text('{"version": 1, "support_cosine": 0.99, "support_coverage": 1.0, '
                                                       '"close_cosine": 0.99, "close_coverage": 1.0}')
    rc, out, _ = run(capsys, "check", "claims/c.yaml")
    assert rc == 1 and "since-1992: supported" not in out  # the strict file beside the claims is used
    # Two labelled claims, none unsupported: too few to fit thresholds on, and nothing is written ...
    Path("claims/verifier-thresholds.json").unlink()
    rc, out, err = run(capsys, "calibrate", "claims/c.yaml")
    assert rc == 2 and "not written: too few labelled claims" in err and "0 unsupported" in err
    assert not Path("claims/verifier-thresholds.json").exists()
    # ... unless the user insists.
    rc, out, err = run(capsys, "calibrate", "claims/c.yaml", "--force")
    assert rc == 0 and "wrote claims/verifier-thresholds.json" in err
    assert out.splitlines()[1].split()[-1] == "2/2"
    assert json.loads(Path("claims/verifier-thresholds.json").read_text())["version"] == 1


def test_thresholds_option_and_bad_file_exit_2(capsys):
    Path("claims/c.yaml").write_text(GOOD)
    Path("t.json").write_text('{"version": 1, "support_cosine": "high"}')
    rc, _, err = run(capsys, "check", "claims/c.yaml", "--thresholds", "t.json")
    assert rc == 2 and "t.json: support_cosine must be a number from 0 to 1" in err
    rc, _, err = run(capsys, "check", "claims/c.yaml", "--thresholds", "missing.json")
    assert rc == 2 and "missing.json: cannot read the thresholds" in err


DRAFT = """\
# Notes on the drills

Military cooperation between Azerbaijan and Turkey first emerged in 1992.
On June 16, the two countries signed a memorandum of alliance.

- NATO observers monitored the joint drills in the region.
"""


def test_cite_writes_footnotes_and_flags(capsys):
    Path("draft.md").write_text(DRAFT)
    rc, out, err = run(capsys, "cite", "draft.md")
    assert rc == 1
    assert "first emerged in 1992.[^verifier-1]" in out
    assert "memorandum of alliance. **[contradicted]**[^verifier-2]" in out
    assert "region. **[unsupported]**[^verifier-3]" in out
    assert '(seeds/000_02d9999218a401c2.txt, line 15)' in out
    assert "draft.md:4: contradicted: On June 16, the two countries signed a memorandum of alliance." in err
    assert "3 sentences: 1 cited, 1 contradicted, 1 unsupported" in err
    rc, _, _ = run(capsys, "cite", "draft.md", "--fail-on", "contradicted")
    assert rc == 1


def test_cite_names_sources_from_the_drafts_own_folder_or_links_them(capsys):
    Path("posts").mkdir()
    Path("posts/draft.md").write_text(DRAFT)
    rc, out, _ = run(capsys, "cite", "posts/draft.md")
    assert "(../seeds/000_02d9999218a401c2.txt, line 15)" in out
    rc, out, _ = run(capsys, "cite", "posts/draft.md", "--link-base", "https://example.org/posts/")
    assert ("([../seeds/000_02d9999218a401c2.txt](https://example.org/seeds/000_02d9999218a401c2.txt), "
            "line 15)") in out
    # Written elsewhere, the footnotes name the sources from where the cited draft lands.
    rc, _, _ = run(capsys, "cite", "posts/draft.md", "-o", "cited.md")
    assert "(seeds/000_02d9999218a401c2.txt, line 15)" in Path("cited.md").read_text()
    rc, _, err = run(capsys, "cite", "posts/draft.md", "--link-base", "example.org")
    assert rc == 2 and "--link-base: 'example.org' is not a web address" in err


def test_cite_in_place_is_idempotent_and_reversible(capsys):
    from verifier.drafts import strip_citations

    Path("draft.md").write_text(DRAFT)
    run(capsys, "cite", "draft.md", "--in-place")
    once = Path("draft.md").read_text()
    run(capsys, "cite", "draft.md", "--in-place")
    assert Path("draft.md").read_text() == once
    assert strip_citations(once) == DRAFT


def test_cite_json_and_claims_out(capsys):
    from verifier.claims import load_claims_file

    Path("draft.md").write_text(DRAFT)
    rc, out, _ = run(capsys, "cite", "draft.md", "--format", "json", "--claims-out", "claims/draft.yaml")
    report = json.loads(out)
    r = report["results"][1]
    assert r["verdict"] == "contradicted" and DRAFT[r["start"]:r["end"]] == r["claim"]
    assert set(r) >= {"id", "claim", "file", "line", "verdict", "reason", "evidence", "start", "end"}
    claims = load_claims_file(Path("claims/draft.yaml"))
    # verifier's own doubtful verdicts are not pinned without --pin: they are comments
    assert [c.expect for c in claims] == ["supported", "supported", "supported"]
    assert claims[0].sources == (Path("claims") / ".." / "seeds",)
    text = Path("claims/draft.yaml").read_text()
    assert "    # verifier: contradicted: the source says June 15; the claim says June 16\n    # expect: contradicted\n" in text
    rc, out, _ = run(capsys, "check", "claims/draft.yaml")
    assert rc == 1 and "(expected supported)" in out
    rc, _, _ = run(capsys, "cite", "draft.md", "--claims-out", "claims/draft.yaml", "--pin")
    claims = load_claims_file(Path("claims/draft.yaml"))
    assert [c.expect for c in claims] == ["supported", "contradicted", "unsupported"]
    rc, _, _ = run(capsys, "check", "claims/draft.yaml")
    assert rc == 0  # the draft's verdicts, pinned


def test_claims_out_names_the_schema_as_the_bundled_files_do(capsys, project):
    from verifier.drafts import schema_reference

    Path("draft.md").write_text(DRAFT)
    run(capsys, "cite", "draft.md", "--claims-out", "claims/draft.yaml")
    first = Path("claims/draft.yaml").read_text().splitlines()[0]
    # No schemas/ folder here: the schema installed with verifier, by a relative path.
    assert first.startswith("# yaml-language-server: $schema=../") and "https:" not in first
    installed = (Path("claims") / first.split("=", 1)[1]).resolve()
    assert json.loads(installed.read_text())["title"] == "verifier claims file"
    assert schema_reference(Path("claims/draft.yaml")) == first.split("=", 1)[1]
    # A project with its own copy in schemas/ gets the same line as the bundled claims files.
    (project / "schemas").mkdir()
    shutil.copy(ROOT / "schemas" / "claims.schema.json", project / "schemas")
    run(capsys, "cite", "draft.md", "--claims-out", "claims/draft.yaml")
    assert Path("claims/draft.yaml").read_text().startswith(
        "# yaml-language-server: $schema=../schemas/claims.schema.json\n")
    assert (ROOT / "claims" / "seed.yaml").read_text().startswith(
        "# yaml-language-server: $schema=../schemas/claims.schema.json\n")


def test_cite_bad_drafts_exit_2(capsys):
    Path("empty.md").write_text("# Only a heading\n")
    rc, _, err = run(capsys, "cite", "empty.md")
    assert rc == 2 and "no sentences to check" in err
    Path("latin.md").write_bytes(b"caf\xe9 is open.\n")
    rc, _, err = run(capsys, "cite", "latin.md")
    assert rc == 2 and "latin.md:1: the draft is not valid UTF-8" in err
    rc, _, err = run(capsys, "cite", "missing.md")
    assert rc == 2 and "missing.md: cannot read the draft" in err
    Path("d.md").write_text(DRAFT)
    rc, _, err = run(capsys, "cite", "d.md", "--in-place", "--format", "json")
    assert rc == 2 and "--in-place rewrites the draft" in err


def test_several_formats_in_one_run(capsys):
    Path("claims/c.yaml").write_text(GOOD)
    rc, out, err = run(capsys, "check", "claims", "--format", "json", "-o", "a.json", "--format", "junit",
                       "-o", "b.xml", "--format", "markdown")
    assert rc == 0
    assert json.loads(Path("a.json").read_text())["summary"]["claims"] == 2
    assert Path("b.xml").read_text().startswith("<?xml")
    assert out.startswith("## verifier: all claims passed")
    rc, _, err = run(capsys, "check", "claims", "--format", "json", "--format", "junit")
    assert rc == 2 and "only one report can go to standard output" in err
    rc, _, err = run(capsys, "check", "claims", "-o", "a.json", "-o", "b.json")
    assert rc == 2 and "more --output files than --format options" in err


def test_pre_commit_hooks_and_action_use_real_commands(capsys):
    import re as _re

    from ruamel.yaml import YAML

    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    by_id = {h["id"]: h for h in hooks}
    assert set(by_id) == {"verifier-validate", "verifier-check"}
    for h in hooks:
        assert _re.search(h["files"], "claims/seed.yaml") and not _re.search(h["files"], "src/app.yaml")
        assert h["entry"].split()[0] == "verifier"
    # A changed source re-checks the claims: every claim, since pre-commit passes no files to it.
    check = by_id["verifier-check"]
    assert check["pass_filenames"] is False
    for changed in ("seeds/000_02d9999218a401c2.txt", "docs/seeds/notes.md", "claims/verifier-thresholds.json",
                    "pyproject.toml"):
        assert _re.search(check["files"], changed), changed
    assert not _re.search(check["files"], "src/seeds.py") and not _re.search(by_id["verifier-validate"]["files"],
                                                                              "seeds/a.txt")
    Path("claims/c.yaml").write_text(GOOD)
    for h in hooks:  # pre-commit appends the changed files to the entry, when it passes them
        rc, _, err = run(capsys, *h["entry"].split()[1:], *(["claims/c.yaml"] if h["pass_filenames"] else []))
        assert rc == 0, err
    Path("claims/c.yaml").write_text(GOOD.replace("    expect: contradicted\n", ""))
    rc, out, _ = run(capsys, *check["entry"].split()[1:])
    assert rc == 1 and "FAIL claims/c.yaml:6 june-16" in out
    Path("claims/c.yaml").write_text(GOOD)
    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    assert "--format sarif --output" in step["run"] and "--format github" in step["run"]
    # No input is pasted into a script's text: each reaches it through the environment.
    for s in action["runs"]["steps"]:
        assert "inputs." not in s.get("run", ""), s.get("name")
    cache = next(s for s in action["runs"]["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["restore-keys"]  # a run starts from an earlier cache, never an empty one
    rc, out, _ = run(capsys, "check", "claims", "--format", "sarif", "--output", "v.sarif", "--format", "github")
    assert rc == 0 and json.loads(Path("v.sarif").read_text())["version"] == "2.1.0"
    assert out.strip().endswith("2 claims: 2 passed, 0 failed")


def test_nothing_but_results_in_logs(capsys):
    Path("claims/c.yaml").write_text(GOOD)
    rc, out, err = run(capsys, "check", "claims", "--format", "json")
    assert rc == 0 and err == "" and json.loads(out)


def test_damaged_cache_entry_is_rebuilt_with_a_warning(capsys, private_cache):
    Path("claims/c.yaml").write_text(GOOD)
    rc, first, _ = run(capsys, "check", "claims", "--format", "json")
    for entry in cache_blobs(private_cache, "embeddings"):
        entry.write_bytes(entry.read_bytes()[:-7] + b"garbage")
    rc2, second, err = run(capsys, "check", "claims", "--format", "json")
    assert rc == rc2 == 0 and second == first
    assert "verifier: warning: cache entry embeddings/" in err
    assert "is damaged (its checksum does not match); embedding again and replacing it" in err


def test_paths_in_the_home_folder_are_written_from_tilde(monkeypatch, tmp_path):
    from verifier.paths import display_path

    home = tmp_path / "home"
    (home / "notes").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    assert display_path(home / "notes" / "a.txt") == "home/notes/a.txt"  # inside the working folder
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert display_path(home / "notes" / "a.txt") == "~/notes/a.txt"


def test_backend_option_and_environment_variable_choose_the_runtime(capsys, monkeypatch):
    seen = []

    def load(path=None, backend="onnx", cache_dir=None, **progress):
        seen.append(backend)
        return FakeEmbedder()

    # The loader is what the backend reaches: no embedder is given, so the settings' one is built.
    monkeypatch.setattr("verifier.components.load_embedder", load)
    words = Components(entailment=WordEntailment())
    Path("claims/c.yaml").write_text(GOOD)
    run(capsys, "check", "claims", components=words)
    run(capsys, "check", "claims", "--backend", "torch", components=words)
    monkeypatch.setenv("VERIFIER_BACKEND", "torch")
    run(capsys, "check", "claims", components=words)
    assert seen == ["onnx", "torch", "torch"]
    rc, _, err = run(capsys, "check", "claims", "--backend", "tensorflow")
    assert rc == 2 and "'tensorflow' is not one of 'onnx', 'torch'" in err


def test_paths_are_shown_as_typed_and_normalised_in_every_format(capsys, project, monkeypatch):
    """Run from a subfolder: `../claims/../seeds/x.txt` is shown as `../seeds/x.txt`, everywhere."""
    Path("claims/c.yaml").write_text(GOOD.replace("    expect: contradicted\n", ""))  # one claim fails
    (project / "work").mkdir()
    monkeypatch.chdir(project / "work")
    monkeypatch.setenv("HOME", str(project / "home"))
    argv = ["check", "../claims/c.yaml"]
    for fmt in ("json", "markdown", "junit", "sarif", "github", "html"):
        argv += ["--format", fmt, "-o", f"report.{fmt}"]
    rc, out, err = run(capsys, *argv, "--format", "text")
    assert rc == 1, err
    reports = {fmt: Path(f"report.{fmt}").read_text() for fmt in ("json", "markdown", "junit", "sarif", "github", "html")}
    reports["text"] = out
    for fmt, text in reports.items():
        assert "claims/.." not in text and str(project) not in text, fmt
        assert "../claims/c.yaml" in text, fmt
        assert "../seeds/000_02d9999218a401c2.txt" in text, fmt
    sarif = json.loads(reports["sarif"])["runs"][0]["results"][0]
    assert sarif["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "../claims/c.yaml"
    assert (sarif["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == "../seeds/000_02d9999218a401c2.txt")


def test_a_symlinked_source_folder_keeps_its_name(capsys, project):
    (project / "articles").symlink_to(project / "seeds")
    Path("claims/c.yaml").write_text(GOOD.replace("../seeds", "../articles"))
    rc, out, err = run(capsys, "check", "claims/c.yaml", "--format", "json")
    assert rc == 0, err
    assert {e["source"] for r in json.loads(out)["results"] for e in r["evidence"]} == {
        "articles/000_02d9999218a401c2.txt"}


def test_a_file_without_sources_reads_seeds_in_the_working_folder(capsys, project):
    (project / "work" / "claims").mkdir(parents=True)
    (project / "work" / "claims" / "c.yaml").write_text(GOOD.replace("sources: [../seeds]\n", ""))
    rc, out, err = run(capsys, "check", "work/claims/c.yaml")  # seeds/ here, not beside the file
    assert rc == 0, err
    assert "(seeds/000_02d9999218a401c2.txt, line 15)" in out


def test_validate_checks_that_every_source_is_there(capsys):
    Path("claims/c.yaml").write_text(GOOD)
    Path("claims/d.yaml").write_text(GOOD.replace("../seeds", "../seeds, ../gone.txt"))
    rc, out, err = run(capsys, "validate", "claims")
    assert rc == 2
    assert "claims/c.yaml: ok (2 claims)" in out
    assert err.splitlines() == [
        "claims/d.yaml:2:21: $.sources[1]: source '../gone.txt' was not found (looked for gone.txt); "
        "paths in `sources:` are relative to the claims file's folder",
        "verifier: 1 problem in the claims; nothing was checked"]


def test_cite_outside_a_project_asks_for_sources(capsys, project, monkeypatch):
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    Path("draft.md").write_text(DRAFT)
    rc, out, err = run(capsys, "cite", "draft.md")
    assert rc == 2 and out == ""
    assert "draft.md: no sources to cite the draft from" in err and "claims file" not in err
    rc, out, _ = run(capsys, "cite", "draft.md", "--sources", "../seeds")
    assert rc == 1 and "[^verifier-1]" in out


SINCE_1992 = "Military cooperation between Azerbaijan and Turkey first emerged in 1992."


def stdin(monkeypatch, data: str) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode("utf-8")), encoding="utf-8"))


def test_check_one_claim_from_the_command_line(capsys):
    rc, out, err = run(capsys, "check", "--claim", SINCE_1992, "--sources", "seeds")
    assert rc == 0, err
    assert out.startswith("PASS <command line>:1 military-cooperation-between-azerbaijan-and-turkey-")
    assert "(seeds/000_02d9999218a401c2.txt, line 15)" in out
    # The default sources, and a contradicted claim failing its (supported) expectation.
    rc, out, _ = run(capsys, "check", "--claim", "On June 16, the two countries signed a memorandum of alliance.",
                     "--claim", SINCE_1992, "--format", "json")
    assert rc == 1
    results = json.loads(out)["results"]
    assert [r["verdict"] for r in results] == ["contradicted", "supported"]
    assert {r["file"] for r in results} == {"<command line>"}
    assert [r["line"] for r in results] == [1, 2]  # each --claim is numbered, in order
    # --expect, once for each --claim: now both pass.
    rc, out, _ = run(capsys, "check", "--claim", "On June 16, the two countries signed a memorandum of alliance.",
                     "--claim", SINCE_1992, "--expect", "contradicted", "--expect", "supported")
    assert rc == 0 and "PASS <command line>:2 " in out


def test_claims_from_the_command_line_have_no_file_location_in_sarif_and_github(capsys):
    rc, out, _ = run(capsys, "check", "--claim", "On June 16, the two countries signed a memorandum of alliance.",
                     "--format", "sarif", "-o", "v.sarif", "--format", "github")
    assert rc == 1
    (result,) = json.loads(Path("v.sarif").read_text())["runs"][0]["results"]
    assert "locations" not in result and result["relatedLocations"]
    assert out.startswith("::error title=")


def test_claim_and_claims_files_do_not_mix(capsys):
    Path("claims/c.yaml").write_text(GOOD)
    rc, _, err = run(capsys, "check", "claims", "--claim", "Something happened in 1992.")
    assert rc == 2 and "verifier: error: give claims files or --claim, not both" in err


def test_check_and_validate_read_a_claims_file_from_standard_input(capsys, monkeypatch):
    # Sources of claims from standard input are relative to the working folder.
    stdin(monkeypatch, GOOD.replace("../seeds", "seeds"))
    rc, out, err = run(capsys, "check", "-")
    assert rc == 0, err
    assert "PASS <stdin>:4 since-1992: supported" in out
    stdin(monkeypatch, GOOD.replace("../seeds", "seeds"))
    rc, out, _ = run(capsys, "validate", "-")
    assert rc == 0 and out == "<stdin>: ok (2 claims)\n"
    stdin(monkeypatch, GOOD)
    rc, _, err = run(capsys, "validate", "-")
    assert rc == 2 and ("<stdin>:2:11: $.sources[0]: source '../seeds' was not found (looked for ../seeds); "
                        "paths in `sources:` are relative to the working folder, for claims read from standard "
                        "input") in err


def test_standard_input_and_files_together(capsys, monkeypatch):
    Path("claims/c.yaml").write_text(GOOD)
    stdin(monkeypatch, f"version: 1\nsources: [seeds]\nclaims:\n  - id: piped\n    text: {SINCE_1992}\n")
    rc, out, err = run(capsys, "check", "-", "claims/c.yaml", "--format", "json")
    assert rc == 0, err
    assert [(r["file"], r["id"]) for r in json.loads(out)["results"]] == [
        ("<stdin>", "piped"), ("claims/c.yaml", "since-1992"), ("claims/c.yaml", "june-16")]


def test_cite_reads_a_draft_from_standard_input(capsys, monkeypatch):
    stdin(monkeypatch, DRAFT)
    rc, out, err = run(capsys, "cite", "-")
    assert rc == 1
    assert "first emerged in 1992.[^verifier-1]" in out
    assert "<stdin>:4: contradicted: On June 16" in err
    stdin(monkeypatch, DRAFT)
    rc, _, err = run(capsys, "cite", "-", "--in-place")
    assert rc == 2 and "a draft from standard input has none" in err


PYPROJECT = """\
[project]
name = "my-articles"

[tool.verifier]
sources = ["articles"]
formats = ["markdown", {format = "json", output = "reports/claims.json"}]
"""


def test_pyproject_defaults_apply_from_a_subfolder_and_options_win(capsys, project, monkeypatch):
    shutil.move(project / "seeds", project / "articles")
    Path("pyproject.toml").write_text(PYPROJECT)
    Path("claims/c.yaml").write_text(GOOD.replace("sources: [../seeds]\n", ""))
    monkeypatch.chdir(project / "claims")
    rc, out, err = run(capsys, "check", "c.yaml")
    assert rc == 0, err
    assert out.startswith("## verifier: all claims passed")
    report = json.loads((project / "reports" / "claims.json").read_text())
    assert report["results"][0]["evidence"][0]["source"] == "../articles/000_02d9999218a401c2.txt"
    rc, out, _ = run(capsys, "check", "c.yaml", "--format", "text")  # an option wins
    assert rc == 0 and out.startswith("PASS c.yaml:3 since-1992")
    rc, out, _ = run(capsys, "check", "--claim", SINCE_1992, "--format", "text")
    assert rc == 0 and "(../articles/000_02d9999218a401c2.txt, line 15)" in out
    Path("../empty").mkdir()
    Path("../empty/a.txt").write_text("Nothing about drills here at all.\n")
    rc, _, _ = run(capsys, "check", "c.yaml", "--sources", "../empty", "--format", "text")
    assert rc == 1


def test_pyproject_thresholds_are_used_and_named_when_missing(capsys):
    Path("claims/c.yaml").write_text(GOOD)
    Path("strict.json").write_text('{"version": 1, "support_cosine": 0.99, "support_coverage": 1.0, '
                                   '"close_cosine": 0.99, "close_coverage": 1.0}')
    Path("pyproject.toml").write_text('[tool.verifier]\nthresholds = "strict.json"\n')
    rc, out, _ = run(capsys, "check", "claims/c.yaml")
    assert rc == 1 and "since-1992: supported" not in out
    Path("pyproject.toml").write_text('[tool.verifier]\nthresholds = "gone.json"\n')
    rc, _, err = run(capsys, "check", "claims/c.yaml")
    assert rc == 2
    assert ("verifier: error: gone.json: cannot read the thresholds (from [tool.verifier] thresholds in "
            "pyproject.toml): No such file or directory") in err


def test_a_bad_pyproject_stops_every_command_that_reads_it(capsys):
    Path("claims/c.yaml").write_text(GOOD)
    Path("pyproject.toml").write_text('[tool.verifier]\nformat = "json"\n')
    for argv in (["check", "claims"], ["validate", "claims"], ["cite", "draft.md"], ["calibrate", "claims"]):
        rc, out, err = run(capsys, *argv)
        assert rc == 2 and out == "", argv
        assert err == "verifier: error: pyproject.toml: [tool.verifier] format: unknown key; did you mean 'formats'?\n"


@pytest.mark.parametrize("argv", [["--traceback", "check", "claims/c.yaml"], ["check", "claims/c.yaml", "--traceback"],
                                  ["check", "--traceback", "claims/c.yaml"]])
def test_traceback_before_or_after_the_command(capsys, monkeypatch, argv):
    Path("claims/c.yaml").write_text(GOOD)

    broken = Components(embedder=FakeEmbedder(), entailment=Broken(RuntimeError("kaboom")))
    rc, _, err = run(capsys, *argv, components=broken)
    assert rc == 3 and "Traceback (most recent call last)" in err and "internal error: RuntimeError: kaboom" in err
    rc, _, err = run(capsys, "check", "claims/c.yaml", components=broken)  # not remembered from the run before
    assert rc == 3 and "Traceback" not in err


def test_every_command_takes_traceback(capsys):
    for name in cli_module.cli.commands:
        rc, out, _ = run(capsys, name, "--help")
        assert rc == 0 and "--traceback" in out, name


def test_a_claim_or_source_not_in_english_gets_a_warning_in_its_reason(capsys):
    Path("de.txt").write_text("Die gemeinsamen Übungen der Streitkräfte Aserbaidschans und der Türkei begannen am "
                              "6. September in Latschin. Sie dauern fünf Tage und finden zum ersten Mal statt.\n",
                              encoding="utf-8")
    rc, out, _ = run(capsys, "check", "--claim", "The joint drills began in Lachin on September 6.",
                     "--sources", "de.txt", "--format", "json")
    (r,) = json.loads(out)["results"]
    assert "warning: its source is in German (de), and the models read English only" in r["reason"]
    rc, out, _ = run(capsys, "check", "--claim", "Les exercices militaires conjoints ont commencé à Latchine.",
                     "--color", "never")
    assert "the claim is in French (fr)" in " ".join(out.split())  # the text report wraps long reasons
    rc, out, _ = run(capsys, "check", "--claim", SINCE_1992, "--format", "json")
    assert "warning" not in json.loads(out)["results"][0]["reason"]
