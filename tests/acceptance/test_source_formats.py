"""PDF, Word and web-page sources end to end: citations by page and section, `verifier extract`, hostile files."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import jsonschema
import pytest

from verifier import cli as cli_module
from verifier.claims import load_schema
from verifier.components import Components

from ..conftest import ROOT, SEED, FakeEmbedder, WordEntailment
from ..make_sources import NEWS_PAGE, looping_pdf, write_docx, write_image_pdf, write_pdf, zip_bomb_docx


@pytest.fixture(autouse=True)
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "claims").mkdir()
    return tmp_path


def run(capsys, *argv):
    rc = cli_module.main(list(argv), Components(embedder=FakeEmbedder(), entailment=WordEntailment()))
    out, err = capsys.readouterr()
    return rc, out, err


def _sources(folder):
    write_pdf(folder / "report.pdf", [
        ["The joint drills began in the Lachin region on Monday.", "They are held under a cooperation agreement."],
        ["Military cooperation between Azerbaijan and Turkey first", "emerged in 1992, the ministry said."],
    ], title="Drills report")
    write_docx(folder / "release.docx", [
        ("h1", "Press release"), ("h2", "Monitoring"),
        ("p", "Turkey is represented with an equal number of servicemen in the joint monitoring centre."),
    ], title="Monitoring release", created="2021-09-07T10:00:00")
    (folder / "page.html").write_text(NEWS_PAGE.format(body=(
        "<h2>Shusha</h2><p>The Shusha Declaration on Allied Relations was signed by Ilham Aliyev and "
        "Recep Tayyip Erdogan.</p><p>It affirms joint efforts by the two armies.</p>")), encoding="utf-8")


CLAIMS = """\
version: 1
sources: [../docs]
claims:
  - id: since-1992
    text: Military cooperation between Azerbaijan and Turkey first emerged in 1992.
  - id: equal-number
    text: Turkey is represented with an equal number of servicemen in the joint monitoring centre.
  - id: shusha
    text: The Shusha Declaration on Allied Relations was signed by Ilham Aliyev and Recep Tayyip Erdogan.
  - id: cookies
    text: We use cookies to give you the best experience on our website.
    expect: unsupported
"""


def test_quotes_from_every_format_cite_page_or_section_and_index_the_extracted_text(project, capsys):
    _sources(project / "docs")
    (project / "claims" / "c.yaml").write_text(CLAIMS, encoding="utf-8")
    rc, out, err = run(capsys, "check", "claims/c.yaml", "--format", "json")
    assert rc == 0, err
    report = json.loads(out)
    jsonschema.Draft7Validator(load_schema("report")).validate(report)
    by_id = {r["id"]: r for r in report["results"]}
    assert all(r["passed"] for r in report["results"]), [(r["id"], r["verdict"]) for r in report["results"]]
    pdf = by_id["since-1992"]["evidence"][0]
    assert (pdf["source"], pdf["page"]) == ("docs/report.pdf", 2)
    assert pdf["quote"] == "Military cooperation between Azerbaijan and Turkey first\nemerged in 1992, the ministry said."
    assert by_id["equal-number"]["evidence"][0]["section"] == "Monitoring"
    assert by_id["shusha"]["evidence"][0]["section"] == "Shusha"
    # Every offset of every quote indexes the text `verifier extract` prints.
    for r in report["results"]:
        for e in r["evidence"]:
            rc, text, err = run(capsys, "extract", e["source"])
            assert rc == 0, err
            assert text[e["start"]:e["end"]] == e["quote"]
            assert text.count("\n", 0, e["start"]) + 1 == e["line"]
    sources = {s["path"]: s for s in report["sources"]}
    assert sources["docs/report.pdf"]["title"] == "Drills report" and sources["docs/report.pdf"]["pages"] == 2
    assert sources["docs/release.docx"]["date"] == "2021-09-07"
    assert sources["docs/page.html"]["title"] == "Drills begin in Lachin"


def test_every_report_format_names_the_page(project, capsys):
    _sources(project / "docs")
    (project / "claims" / "c.yaml").write_text(CLAIMS, encoding="utf-8")
    for fmt in ("text", "markdown", "junit", "html"):
        rc, out, err = run(capsys, "check", "claims/c.yaml", "--format", fmt, "--color", "never")
        assert rc == 0, (fmt, err)
        assert "docs/report.pdf, page 2, line" in out, fmt
    # SARIF and GitHub annotations carry failures only: expect the PDF's claim to fail.
    (project / "claims" / "c.yaml").write_text(CLAIMS.replace("in 1992.\n", "in 1992.\n    expect: unsupported\n", 1),
                                               encoding="utf-8")
    rc, out, err = run(capsys, "check", "claims/c.yaml", "--format", "github")
    assert "docs/report.pdf, page 2, line" in out
    rc, out, err = run(capsys, "check", "claims/c.yaml", "--format", "sarif")
    related = [r["relatedLocations"][0] for r in json.loads(out)["runs"][0]["results"] if "relatedLocations" in r]
    assert {"page": 2} in [r.get("properties") for r in related]


def test_cite_takes_a_pdf_source(project, capsys):
    _sources(project / "docs")
    (project / "draft.md").write_text("Military cooperation between Azerbaijan and Turkey first emerged in 1992.\n",
                                      encoding="utf-8")
    rc, out, err = run(capsys, "cite", "draft.md", "--sources", "docs/report.pdf")
    assert rc == 0, err
    assert "docs/report.pdf, page 2, line" in out


def test_extract_prints_the_text_exactly(project, capsys):
    write_pdf(project / "docs" / "r.pdf", [["First line of the report."], ["Second page."]])
    rc, out, err = run(capsys, "extract", "docs/r.pdf")
    assert (rc, out) == (0, "First line of the report.\nSecond page.")
    rc, out, err = run(capsys, "extract", "docs/r.pdf", "--json")
    got = json.loads(out)
    assert got["pages"] == [0, len("First line of the report.\n")] and got["format"] == "pdf"
    shutil.copy(SEED, project / "docs" / "a.txt")
    rc, out, err = run(capsys, "extract", "docs/a.txt")
    assert out == SEED.read_text(encoding="utf-8")


def test_a_bad_file_in_a_folder_is_skipped_with_a_warning_and_listed(project, capsys):
    shutil.copy(SEED, project / "docs" / "article.txt")
    write_image_pdf(project / "docs" / "scan.pdf")
    (project / "claims" / "c.yaml").write_text(
        "version: 1\nsources: [../docs]\nclaims:\n  - id: a\n"
        "    text: Military cooperation between Azerbaijan and Turkey first emerged in 1992.\n", encoding="utf-8")
    rc, out, err = run(capsys, "check", "claims/c.yaml", "--format", "json")
    assert rc == 0, err
    assert "verifier: warning: docs/scan.pdf: this PDF has no text layer" in err
    assert "skipped: the other sources are still used" in err
    report = json.loads(out)
    assert report["results"][0]["verdict"] == "supported"
    [skipped] = [s for s in report["sources"] if "skipped" in s]
    assert skipped["path"] == "docs/scan.pdf" and "no text layer" in skipped["skipped"]
    # Every human-facing report says so too, and CI annotates the file.
    rc, out, err = run(capsys, "check", "claims/c.yaml", "--format", "github")
    assert "::warning file=docs/scan.pdf,title=source skipped::this PDF has no text layer" in out
    rc, out, err = run(capsys, "check", "claims/c.yaml", "--format", "markdown")
    assert "### Sources skipped" in out and "| docs/scan.pdf | this PDF has no text layer" in out
    rc, out, err = run(capsys, "check", "claims/c.yaml", "--color", "never")
    assert out.rstrip().endswith("1 passed, 0 failed; 1 source skipped (see the warnings)")


# What a user gets for each hostile or broken file named as a source: one message, exit 2.
HOSTILE = [
    ("image-only-pdf", "scan.pdf", lambda p: write_image_pdf(p),
     "verifier: error: docs/scan.pdf: this PDF has no text layer (2 pages of images, a scan?); run OCR on it "
     "first (e.g. `ocrmypdf in.pdf out.pdf`) and check the result"),
    ("encrypted-pdf", "locked.pdf", lambda p: write_pdf(p, [["Secret."]], encrypt="secret"),
     "verifier: error: docs/locked.pdf: this PDF is encrypted with a password; save an unlocked copy "
     "(print it to PDF, or `qpdf --decrypt`) and check that one"),
    ("looping-pdf", "loop.pdf", lambda p: p.write_bytes(looping_pdf()),
     "verifier: error: docs/loop.pdf: cannot read the pages of this PDF (Failed to load page.); it is damaged: "
     "download it again or re-save it from a PDF viewer"),
    ("truncated-pdf", "cut.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog"),
     "verifier: error: docs/cut.pdf: cannot read this PDF"),
    ("corrupt-docx", "broken.docx", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00junk" * 200),
     "verifier: error: docs/broken.docx: this .docx is damaged (its zip container cannot be read: "),
    ("zip-bomb-docx", "bomb.docx", lambda p: zip_bomb_docx(p),
     "verifier: error: docs/bomb.docx: refused: this .docx would unpack to 300 MB"),
    ("zip-not-word", "archive.docx", lambda p: _plain_zip(p),
     "verifier: error: docs/archive.docx: this zip is not a Word document (it has no word/document.xml)"),
    ("old-word", "old.doc", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
     "verifier: error: docs/old.doc: this is an old-format (.doc) or password-protected Office file; save it as "
     ".docx without a password (File > Save As) and check that"),
    ("html-50-mb", "huge.html", lambda p: _huge_html(p),
     "verifier: error: docs/huge.html: this saved page is 50 MB of HTML, over the 20 MB verifier reads; save just "
     "the article (your browser's reader view, or copy its text into a .txt file) and check that"),
    ("html-script-only", "app.html", lambda p: p.write_text(
        "<!DOCTYPE html><html><head><script>render()</script></head><body><div id=app></div></body></html>"),
     "verifier: error: docs/app.html: found no article text in this page; it may be drawn by JavaScript"),
    ("pdf-that-is-html", "report.pdf", lambda p: p.write_text("<!DOCTYPE html><html><body>404</body></html>"),
     "verifier: error: docs/report.pdf: named as a PDF but it is not one (it starts '<!DOCTYPE html><html><bo': "
     "an error page saved in its place?); download it again"),
]


def _plain_zip(path):
    import zipfile

    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.txt", "hello")


def _huge_html(path):
    chunk = "<p>" + "The drills began. " * 50 + "</p>\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("<html><body>" + chunk * ((50 << 20) // len(chunk)) + "</body></html>")


@pytest.mark.parametrize("name,filename,make,message", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_source_named_directly_exits_2_with_one_message(name, filename, make, message, project, capsys):
    make(project / "docs" / filename)
    (project / "claims" / "c.yaml").write_text(
        f"version: 1\nsources: [../docs/{filename}]\nclaims:\n  - id: a\n    text: The drills began.\n",
        encoding="utf-8")
    rc, out, err = run(capsys, "check", "claims/c.yaml")
    assert rc == 2, err
    assert "Traceback" not in err
    assert err.startswith(message), err
    assert len(err.strip().splitlines()) == 1
    rc, out, err = run(capsys, "extract", f"docs/{filename}")
    assert rc == 2 and err.startswith(message) and out == ""


def test_a_crashing_parser_is_contained_in_its_child(project, monkeypatch, capsys):
    """A parser that kills its process (as a C library's crash does) costs that file, not the run."""
    pdf = write_pdf(project / "docs" / "r.pdf", [["Some text."]])
    crash = project / "crashing-python"
    crash.write_text("#!/bin/sh\nkill -SEGV $$\n")
    crash.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(crash))  # the child the reader starts dies at once
    rc, out, err = run(capsys, "extract", str(pdf.relative_to(project)))
    assert rc == 2
    assert "this PDF stopped the reader (it crashed or needed over 3 GiB of memory)" in err


def test_the_extract_command_never_prints_a_traceback_in_a_real_process(project):
    (project / "docs" / "cut.pdf").write_bytes(b"%PDF-1.7\n1 0 obj")
    proc = subprocess.run([sys.executable, "-m", "verifier", "extract", "docs/cut.pdf"], capture_output=True,
                          text=True, cwd=project, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                                                       "VERIFIER_CACHE_DIR": str(project / "cache")})
    assert proc.returncode == 2
    assert proc.stderr.startswith("verifier: error: docs/cut.pdf: cannot read this PDF")
    assert "Traceback" not in proc.stderr
