"""Compare extraction libraries for each source format, and measure verifier's readers and their verdicts.

Prints, from one run:
  (a) HTML: trafilatura, readability-lxml and jusText on saved news pages (three layouts seen in the
      wild, the bundled article and SciFact abstracts laid out as articles): how many article
      sentences each keeps, on how many pages any page furniture (cookie banner, related headlines,
      comments, footer, script) leaks into the text, whether headings stay apart, and the time;
  (b) PDF: PDFium (pypdfium2), pypdf and pdfminer.six on report PDFs laid out line by line (running
      header, page numbers, hyphenated line ends, ligatures) and on any real PDFs given with --pdf:
      sentences recovered, time per MB, and what each does with broken and hostile files;
  (c) DOCX: python-docx and mammoth: sentences recovered, tables kept as rows, headings found, time;
  (d) verifier's own readers, end to end (child process included, no cache): seconds per MB for
      each format, and a warm (cached) read;
  (e) the bundled claims (claims/seed.yaml) checked against the bundled article saved as a page,
      a PDF and a Word file, beside the same claims against the .txt, with the real models: verdicts
      and quotes that differ.

Libraries not installed are skipped with a note: `pip install readability-lxml pypdf pdfminer.six mammoth`
adds the runners-up (they are not dependencies of verifier).

Usage:
    python benchmarks/formats.py --data ../shared/benchmarks/scifact --pdf /usr/share/doc/*/*.pdf
    python benchmarks/formats.py --docs 40 --json formats.json
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from saved_sources import BOILERPLATE, HIDDEN, Article, docx_file, from_text, news_page, pdf_file  # noqa: E402

from verifier.sources import normalize  # noqa: E402

SEED = ROOT / "seeds" / "000_02d9999218a401c2.txt"
SEED_TITLE = "Azerbaijan and Turkey hold joint drills in Lachin"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if len(s) > 20]


def articles(data: Path | None, limit: int) -> list[Article]:
    out = [from_text(SEED.read_text(encoding="utf-8"), SEED_TITLE, {3: "Training goals"})]
    if data is None:
        return out
    with (data / "docs.dev.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if len(out) > limit:
                break
            d = json.loads(line)
            sents = _sentences(d["text"])
            if len(sents) < 4:
                continue
            paras = [" ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
            out.append(Article(title=d["title"], date="2020-05-01", author="Staff", paragraphs=paras,
                               headings={1: "Results"} if len(paras) > 2 else {}))
    return out


def _scores(a: Article, text: str) -> dict[str, Any]:
    n = normalize(text.replace("\n", " "))
    gold = [s for p in a.paragraphs for s in _sentences(p)] or a.paragraphs
    found = sum(normalize(s) in n for s in gold)
    leaks = [b for b in BOILERPLATE + HIDDEN if normalize(b) in n]
    return {"found": found, "gold": len(gold), "leaks": leaks}


def _timed(f: Callable[[], str]) -> tuple[str, float]:
    t = time.perf_counter()
    try:
        out = f()
    except Exception as e:  # a library that fails on a file scores nothing for it
        out = f"\0error: {type(e).__name__}: {e}"
    return out, time.perf_counter() - t


def _summary(name: str, rows: list[dict[str, Any]], nbytes: int) -> dict[str, Any]:
    found = sum(r["found"] for r in rows)
    gold = sum(r["gold"] for r in rows)
    secs = sum(r["secs"] for r in rows)
    out = {"library": name, "files": len(rows), "sentences_found": round(found / max(gold, 1), 4),
           "files_with_leaks": sum(bool(r.get("leaks")) for r in rows),
           "errors": sum(r.get("error", False) for r in rows), "seconds": round(secs, 3),
           "s_per_mb": round(secs / (nbytes / 1e6), 3) if nbytes else None}
    for key in ("heading_apart", "table_rows"):
        if key in rows[0]:
            out[key] = round(sum(r[key] for r in rows) / len(rows), 4)
    return out


def _print(title: str, summaries: list[dict[str, Any]]) -> None:
    print(f"\n{title}")
    for s in summaries:
        extra = "".join(f"  {k} {s[k]}" for k in ("files_with_leaks", "heading_apart", "table_rows") if k in s)
        print(f"  {s['library']:<14} files {s['files']:>4}  sentences found {s['sentences_found']:.3f}"
              f"{extra}  errors {s['errors']}  {s['s_per_mb']} s/MB")


# ---------------------------------------------------------------- (a) HTML


def html_libraries() -> dict[str, Callable[[str], str]]:
    libs: dict[str, Callable[[str], str]] = {}

    def verifier_reader(h: str) -> str:
        from verifier.formats.html import extract

        return extract(h.encode("utf-8"), "page").text

    libs["trafilatura"] = verifier_reader  # as verifier calls it (verifier/formats/html.py)
    if find_spec("readability") is not None:
        def readability(h: str) -> str:
            import lxml.html
            from readability import Document

            tree = lxml.html.fromstring(Document(h).summary())
            return "\n\n".join(el.text_content() for el in tree.iter("p", "h1", "h2", "h3", "li", "td"))

        libs["readability"] = readability
    else:
        print("(readability-lxml not installed: skipped)")
    if find_spec("justext") is not None:
        def jt(h: str) -> str:
            import justext

            ps = justext.justext(h.encode("utf-8"), justext.get_stoplist("English"))
            return "\n\n".join(p.text for p in ps if not p.is_boilerplate)

        libs["justext"] = jt
    else:
        print("(justext not installed: skipped)")
    return libs


def bench_html(arts: list[Article]) -> list[dict[str, Any]]:
    pages = [(a, news_page(a, t)) for a in arts for t in range(3)]
    nbytes = sum(len(h.encode()) for _, h in pages)
    out = []
    for name, f in html_libraries().items():
        rows = []
        for a, h in pages:
            text, secs = _timed(lambda f=f, h=h: f(h))
            row = {**_scores(a, text), "secs": secs, "error": text.startswith("\0error")}
            heads = list(a.headings.values())
            # A heading kept apart: on a block of its own, not run into the sentence after it.
            row["heading_apart"] = all(re.search(rf"(^|\n)\s*{re.escape(hd)}\s*\n", text) for hd in heads) \
                if heads else True
            rows.append(row)
        out.append(_summary(name, rows, nbytes))
    return out


# ---------------------------------------------------------------- (b) PDF


def pdf_libraries() -> dict[str, Callable[[bytes], str]]:
    libs: dict[str, Callable[[bytes], str]] = {}

    def pdfium(data: bytes) -> str:
        from verifier.formats.pdf import extract

        return extract(data, "r.pdf").text

    libs["pypdfium2"] = pdfium  # as verifier calls it, with its header/footer and hyphen handling
    if find_spec("pypdf") is not None:
        def pp(data: bytes) -> str:
            import io

            import pypdf

            return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages)

        libs["pypdf"] = pp
    else:
        print("(pypdf not installed: skipped)")
    if find_spec("pdfminer") is not None:
        def pm(data: bytes) -> str:
            import io

            from pdfminer.high_level import extract_text

            return extract_text(io.BytesIO(data))

        libs["pdfminer.six"] = pm
    else:
        print("(pdfminer.six not installed: skipped)")
    return libs


def hostile_pdfs(folder: Path) -> dict[str, bytes]:
    sys.path.insert(0, str(ROOT))
    from tests.make_sources import looping_pdf, write_image_pdf, write_pdf

    write_image_pdf(folder / "scan.pdf")
    write_pdf(folder / "locked.pdf", [["Secret."]], encrypt="secret")
    good = write_pdf(folder / "good.pdf", [["Some text."]] * 3).read_bytes()
    return {"image-only": (folder / "scan.pdf").read_bytes(), "encrypted": (folder / "locked.pdf").read_bytes(),
            "page-tree-loop": looping_pdf(), "truncated": good[: len(good) // 2],
            "garbage-after-header": b"%PDF-1.7\n" + os.urandom(4000)}


def bench_pdf(arts: list[Article], real: list[Path], folder: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    files = []
    for i, a in enumerate(arts):
        path = folder / f"a{i}.pdf"
        pdf_file(a, path)
        files.append((a, path.read_bytes()))
    nbytes = sum(len(d) for _, d in files)
    out, hostile = [], {}
    hostiles = hostile_pdfs(folder)
    for name, f in pdf_libraries().items():
        rows = []
        for a, data in files:
            text, secs = _timed(lambda f=f, data=data: f(data))
            rows.append({**_scores(a, text), "secs": secs, "error": text.startswith("\0error")})
        s = _summary(name, rows, nbytes)
        real_secs, real_bytes = 0.0, 0
        for p in real:
            data = p.read_bytes()
            _, secs = _timed(lambda f=f, data=data: f(data))
            real_secs, real_bytes = real_secs + secs, real_bytes + len(data)
        if real_bytes:
            s["real_s_per_mb"] = round(real_secs / (real_bytes / 1e6), 3)
        out.append(s)
        hostile[name] = {}
        for kind, data in hostiles.items():
            text, secs = _timed(lambda f=f, data=data: f(data))
            hostile[name][kind] = ("raised " + text.split(":", 2)[1].strip() if text.startswith("\0error")
                                   else f"returned {len(text.strip())} chars") + f" in {secs:.2f} s"
    return out, hostile


# ---------------------------------------------------------------- (c) DOCX

TABLE = [["Country", "Servicemen"], ["Turkey", "60"], ["Russia", "60"]]


def bench_docx(arts: list[Article], folder: Path) -> list[dict[str, Any]]:
    files = []
    for i, a in enumerate(arts):
        path = folder / f"a{i}.docx"
        docx_file(a, path, TABLE)
        files.append((a, path.read_bytes()))
    nbytes = sum(len(d) for _, d in files)
    libs: dict[str, Callable[[bytes], str]] = {}

    def python_docx(data: bytes) -> str:
        from verifier.formats.docx import extract

        return extract(data, "a.docx").text

    libs["python-docx"] = python_docx
    if find_spec("mammoth") is not None:
        def mm(data: bytes) -> str:
            import io

            import mammoth

            return mammoth.extract_raw_text(io.BytesIO(data)).value

        libs["mammoth"] = mm
    else:
        print("(mammoth not installed: skipped)")
    out = []
    for name, f in libs.items():
        rows = []
        for a, data in files:
            text, secs = _timed(lambda f=f, data=data: f(data))
            row = {**_scores(a, text), "secs": secs, "error": text.startswith("\0error")}
            row["table_rows"] = float("Turkey | 60" in text or bool(re.search(r"Turkey\t60", text)))
            heads = [a.title, *a.headings.values()]
            row["heading_apart"] = all(re.search(rf"(^|\n)\s*{re.escape(h)}\s*\n", text) for h in heads)
            rows.append(row)
        out.append(_summary(name, rows, nbytes))
    return out


# ---------------------------------------------------------------- (d) verifier's readers


def bench_readers(arts: list[Article], folder: Path, real: list[Path]) -> dict[str, Any]:
    """Seconds per MB through verifier's reader, child process included, on one larger file per format."""
    from verifier.formats.reader import read_source

    big = Article(title="Collected abstracts", date="2020-05-01", author="Staff",
                  paragraphs=[p for a in arts for p in a.paragraphs] * 12,
                  headings={i * 7: f"Part {i}" for i in range(1, 2000)})
    files = {"html": folder / "big.html", "pdf": folder / "big.pdf", "docx": folder / "big.docx",
             "text": folder / "big.txt"}
    files["html"].write_text(news_page(big, 0), encoding="utf-8")
    pdf_file(big, files["pdf"])
    docx_file(big, files["docx"], TABLE)
    files["text"].write_text("\n\n".join(big.paragraphs), encoding="utf-8")
    out: dict[str, Any] = {}
    for fmt, path in [*files.items(), *(("real pdf " + p.name, p) for p in real)]:
        mb = path.stat().st_size / 1e6
        t = time.perf_counter()
        x = read_source(path, None)
        cold = time.perf_counter() - t
        cache = folder / f"cache-{fmt.replace(' ', '-')}"
        read_source(path, cache)
        t = time.perf_counter()
        read_source(path, cache)
        warm = time.perf_counter() - t
        out[fmt] = {"mb": round(mb, 2), "seconds": round(cold, 3), "s_per_mb": round(cold / mb, 3),
                    "warm_seconds": round(warm, 4), "characters": len(x.text), "pages": len(x.pages) or None}
    return out


# ---------------------------------------------------------------- (e) the bundled claims in every format


def bench_claims(folder: Path) -> dict[str, Any]:
    from dataclasses import replace

    from verifier.claims import load_claims_file
    from verifier.pipeline import verify
    from verifier.settings import Settings

    a = from_text(SEED.read_text(encoding="utf-8"), SEED_TITLE, {3: "Training goals"})
    saved = {"txt": SEED, "html": folder / "article.html", "pdf": folder / "article.pdf",
             "docx": folder / "article.docx"}
    saved["html"].write_text(news_page(a, 0), encoding="utf-8")
    pdf_file(a, saved["pdf"])
    docx_file(a, saved["docx"])
    claims = load_claims_file(ROOT / "claims" / "seed.yaml")
    settings = Settings(cache_dir=folder / "cache")
    runs = {}
    for fmt, path in saved.items():
        t = time.perf_counter()
        runs[fmt] = verify([replace(c, sources=(path,)) for c in claims], settings)
        print(f"  {fmt:<5} {runs[fmt].summary}  {time.perf_counter() - t:.1f} s")
    base = runs["txt"]
    out: dict[str, Any] = {}
    for fmt, run in runs.items():
        if fmt == "txt":
            continue
        differ, quotes = [], 0
        for r0, r in zip(base.results, run.results):
            if r0.verdict != r.verdict:
                differ.append({"id": r.claim.id, "txt": r0.verdict, fmt: r.verdict,
                               "quote": r.evidence[0].quote if r.evidence else None})
            q0 = normalize(r0.evidence[0].quote) if r0.evidence else ""
            q = normalize(r.evidence[0].quote) if r.evidence else ""
            quotes += q0 == q
        out[fmt] = {"claims": len(run.results), "same_verdict": len(run.results) - len(differ),
                    "passed": run.summary["passed"], "txt_passed": base.summary["passed"],
                    "same_quote": quotes, "differ": differ,
                    "pages_cited": sorted({e.page for r in run.results for e in r.evidence[:1] if e.page}),
                    "sections_cited": sorted({e.section for r in run.results for e in r.evidence[:1] if e.section})}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, help="a benchmark folder with docs.dev.jsonl (SciFact) for more articles")
    ap.add_argument("--docs", type=int, default=60, help="articles taken from --data")
    ap.add_argument("--pdf", type=Path, nargs="*", default=[], help="real PDFs to time the libraries on")
    ap.add_argument("--skip-claims", action="store_true", help="skip (e), which loads the real models")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    arts = articles(args.data, args.docs)
    figures: dict[str, Any] = {"articles": len(arts)}
    with tempfile.TemporaryDirectory(prefix="verifier-formats-") as tmp:
        folder = Path(tmp)
        figures["html"] = bench_html(arts)
        _print(f"(a) HTML: {len(arts) * 3} saved pages", figures["html"])
        figures["pdf"], figures["pdf_hostile"] = bench_pdf(arts, args.pdf, folder)
        _print(f"(b) PDF: {len(arts)} report PDFs" + (f" (+{len(args.pdf)} real PDFs timed)" if args.pdf else ""),
               figures["pdf"])
        for s in figures["pdf"]:
            if "real_s_per_mb" in s:
                print(f"  {s['library']:<14} real PDFs: {s['real_s_per_mb']} s/MB")
        print("  hostile PDFs:")
        for lib, kinds in figures["pdf_hostile"].items():
            print(f"    {lib}: " + "; ".join(f"{k}: {v}" for k, v in kinds.items()))
        figures["docx"] = bench_docx(arts, folder)
        _print(f"(c) DOCX: {len(arts)} Word files", figures["docx"])
        figures["readers"] = bench_readers(arts, folder, args.pdf)
        print("\n(d) verifier's readers, child process included (cold), and from the cache (warm)")
        for fmt, r in figures["readers"].items():
            print(f"  {fmt:<28} {r['mb']:>6} MB  {r['seconds']:>6} s  {r['s_per_mb']:>6} s/MB  warm {r['warm_seconds']} s")
        if not args.skip_claims:
            print("\n(e) claims/seed.yaml against the article as .txt, saved page, PDF and Word file (real models)")
            figures["claims"] = bench_claims(folder)
            for fmt, r in figures["claims"].items():
                print(f"  {fmt:<5} same verdict {r['same_verdict']}/{r['claims']}, same quote {r['same_quote']}/"
                      f"{r['claims']}, passed {r['passed']} (txt {r['txt_passed']}); pages {r['pages_cited']} "
                      f"sections {r['sections_cited']}")
                for d in r["differ"]:
                    print(f"        {d}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
