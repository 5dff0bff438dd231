"""The HTML report in a real headless Chromium: counts, a highlighted quote, a filter click, hostile text."""
from __future__ import annotations

import os
import shutil

import pytest

from verifier.claims import Claim
from verifier.report.html import render
from verifier.result import ClaimResult, Evidence, Run

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
    path = tmp_path / "report.html"
    path.write_text(render(_run()), encoding="utf-8")
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
