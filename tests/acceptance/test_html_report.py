"""The HTML report in a real headless Chromium: counts, a highlighted quote, filters, layout, hostile text."""
from __future__ import annotations

import os
import shutil

import pytest

from verifier.citation import CONTEXT_CHARS
from verifier.claims import Claim
from verifier.report.html import render
from verifier.result import ClaimResult, Evidence, Run, SourceInfo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror="document.title=\'pwned\'">'


def _run() -> Run:
    def res(i: int, verdict: str, expect: str, quote: str) -> ClaimResult:
        claim = Claim(id=f"c{i}", text=f"Claim {i} {HOSTILE if i == 3 else ''}", expect=expect,
                      file="claims/x.yaml", line=i)
        ev = Evidence(source="seeds/s.txt", start=0, end=len(quote), line=i, column=1, quote=quote, score=0.9,
                      before="Text before. ", after=" Text after.")
        return ClaimResult(claim=claim, verdict=verdict, confidence=0.9, reason=f"reason {i}", evidence=(ev, ev))

    return Run((res(1, "supported", "supported", "The drills kicked off in Lachin."),
                res(2, "contradicted", "contradicted", "It was signed on June 15."),
                res(3, "unsupported", "supported", HOSTILE),
                res(4, "contradicted", "supported", "Not the first time.")))


def _one(before: str, after: str, verdict: str = "supported") -> Run:
    claim = Claim(id="c1", text="Claim.", expect="supported", file="claims/x.yaml", line=1)
    ev = Evidence(source="seeds/s.txt", start=0, end=6, line=1, column=1, quote="Quote.", score=0.9,
                  before=before, after=after)
    return Run((ClaimResult(claim=claim, verdict=verdict, confidence=0.9, reason="r", evidence=(ev,)),))


def _visible(page) -> list[str | None]:
    """The ids of the claim cards a reader sees."""
    return [s.get_attribute("id") for s in page.locator(".claim:visible").all()]


def _saved(tmp_path, page: str):
    """The report written where a browser opens it."""
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


def _quote(page: str) -> str:
    start = page.index('<div class="quote">')
    return page[start:page.index("</div>", start)]


def test_an_ellipsis_only_where_the_paragraph_was_cut():
    # The whole paragraph is there: nothing was left out on either side.
    assert "…" not in _quote(render(_one("Before it. ", " After it, to the end of the paragraph in space.")))
    assert "…" not in _quote(render(_one("", "")))
    # Cut at the context limit, inside a word: the cut falls back to a word boundary, marked with "…".
    words = ("lorem ipsum dolor sit amet " * 40)[:CONTEXT_CHARS]
    quote = _quote(render(_one(words, " " + words[:CONTEXT_CHARS - 1])))
    assert quote.startswith('<div class="quote">…') and quote.endswith("…")
    inner = quote.removeprefix('<div class="quote">…').removesuffix("…")
    head, _, tail = inner.partition("<mark>Quote.</mark>")
    assert head.split()[0] in {"lorem", "ipsum", "dolor", "sit", "amet"}
    assert tail.split()[-1] in {"lorem", "ipsum", "dolor", "sit", "amet"}


def test_the_bar_shows_passed_and_failed_with_a_key():
    page = render(_run())
    assert '<span class="passed" style="flex: 2">' in page and '<span class="failed" style="flex: 2">' in page
    assert 'aria-label="2 passed, 2 failed"' in page
    assert '<i class="swatch passed"></i>' in page and '<i class="swatch failed"></i>' in page
    # A contradiction that was expected is a pass: the page says so, and nothing on the bar is red.
    all_passed = render(Run(tuple(
        ClaimResult(claim=Claim(id=f"c{i}", text="C.", expect="contradicted", file="claims/x.yaml", line=i),
                    verdict="contradicted", confidence=0.9, reason="r", evidence=()) for i in range(3))))
    assert "All 3 claims passed" in all_passed
    assert '<span class="failed"' not in all_passed and '<span class="passed" style="flex: 3">' in all_passed


def test_all_text_is_escaped():
    page = render(_run())
    assert "<script>document.title" not in page and "onerror=\"document" not in page
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page  # nothing loaded from the network


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run installs Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def test_report_in_chromium(browser, tmp_path):
    path = _saved(tmp_path, render(_run()))
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    assert page.title() == "verifier: 2/4 claims passed"  # no injected script ran
    assert page.inner_text("#count-contradicted") == "2"
    assert page.inner_text("#count-failed") == "2"
    assert page.locator(".claim").count() == 4
    assert page.locator("#claim-1 > .quote mark").inner_text() == "The drills kicked off in Lachin."
    assert "Text before." in page.locator("#claim-1 > .quote").inner_text()
    assert HOSTILE in page.locator("#claim-3 > .quote mark").inner_text()  # shown as text
    page.click("button[data-filter=contradicted]")
    visible = [s.get_attribute("id") for s in page.locator(".claim:visible").all()]
    assert visible == ["claim-2", "claim-4"]
    page.click("button[data-filter=failed]")
    assert [s.get_attribute("id") for s in page.locator(".claim:visible").all()] == ["claim-3", "claim-4"]
    assert all(u.startswith("file://") for u in requests), requests
    page.close()


def test_the_filter_is_kept_in_the_url(browser, tmp_path):
    path = _saved(tmp_path, render(_run()))
    page = browser.new_page()

    page.goto(path.as_uri() + "#failed")  # a link to the failed claims opens on them
    assert _visible(page) == ["claim-3", "claim-4"]
    assert page.get_attribute("button[data-filter=failed]", "aria-pressed") == "true"
    assert page.get_attribute("button[data-filter=all]", "aria-pressed") == "false"
    page.click("button[data-filter=contradicted]")
    assert page.url.endswith("#contradicted") and _visible(page) == ["claim-2", "claim-4"]
    page.reload()
    assert _visible(page) == ["claim-2", "claim-4"]
    page.click("button[data-filter=unsupported]")
    assert _visible(page) == ["claim-3"]
    page.click("button[data-filter=all]")
    assert "#" not in page.url and len(_visible(page)) == 4
    page.goto(path.as_uri() + "#nonsense")  # not a filter: everything is shown
    assert len(_visible(page)) == 4
    page.close()


@pytest.mark.parametrize("width", [400, 1280, 1920])
def test_the_cards_span_the_page_as_the_header_does(browser, tmp_path, width):
    path = _saved(tmp_path, render(_run()))
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    bar, card = page.locator(".bar").bounding_box(), page.locator("#claim-1").bounding_box()
    assert bar and card
    assert abs(card["x"] - bar["x"]) <= 1 and abs(card["width"] - bar["width"]) <= 1, (bar, card)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off the side
    page.close()


def test_a_search_filters_claims_by_text_id_or_reason_and_is_kept_in_the_url(browser, tmp_path):
    path = _saved(tmp_path, render(_run()))
    page = browser.new_page()
    page.goto(path.as_uri())
    page.fill("#search", "reason 2")           # by reason
    assert _visible(page) == ["claim-2"] and page.url.endswith("#q=reason%202")
    page.fill("#search", "C4")                 # by id, whatever the case
    assert _visible(page) == ["claim-4"]
    page.fill("#search", "claim")              # by text, with a verdict filter on top
    page.click("button[data-filter=contradicted]")
    assert _visible(page) == ["claim-2", "claim-4"] and page.url.endswith("#contradicted&q=claim")
    page.fill("#search", "no such words")
    assert _visible(page) == [] and page.locator(".empty").is_visible()
    page.goto(path.as_uri() + "#failed&q=claim%203")  # a link opens the same view
    assert _visible(page) == ["claim-3"] and page.input_value("#search") == "claim 3"
    assert page.get_attribute("button[data-filter=failed]", "aria-pressed") == "true"
    page.close()


def test_a_long_report_with_long_paths_fits_a_400_pixel_screen(browser, tmp_path):
    # File names as archives have them: long, with no space or hyphen to break a line at.
    long = "archive/" + "/".join(["000_02d9999218a401c2_ministry_of_defence_reports"] * 3) + "/2021_09_07.pdf"
    run = _run()
    run = Run(run.results, (SourceInfo(path=long, format="pdf", title="A title " * 12, date="2021-09-07",
                                       pages=3, sentences=120),
                            SourceInfo(path="seeds/s.txt", format="text", sentences=12)))
    path = _saved(tmp_path, render(run))
    page = browser.new_page(viewport={"width": 400, "height": 800})
    page.goto(path.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    table = page.locator(".sources table").bounding_box()
    assert table and table["x"] + table["width"] <= 400
    page.close()


def test_a_hard_line_break_inside_a_quote_reads_as_a_space(browser, tmp_path):
    path = _saved(tmp_path, render(_one("", " After.")).replace("Quote.", "Military cooperation first\nemerged in 1992."))
    page = browser.new_page()
    page.goto(path.as_uri())
    assert page.locator(".quote mark").inner_text() == "Military cooperation first emerged in 1992."
    page.close()
