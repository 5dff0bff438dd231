"""Generated inputs: no input makes the loader, the fact extractor or a reporter crash."""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verifier.claims import Claim, load_claims_file
from verifier.compare import compare
from verifier.errors import ClaimsFileError
from verifier.facts import analyze
from verifier.report import REPORTERS, write
from verifier.result import ClaimResult, Evidence, Run

YAMLISH = st.text(alphabet=st.sampled_from(list("abc:- \n\t'\"[]{}&*!#|>%@`,?1\u00e9\u200b")), max_size=120)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=YAMLISH)
def test_claims_loader_never_crashes(tmp_path, body):
    path = tmp_path / "c.yaml"
    path.write_text("version: 1\n" + body, encoding="utf-8")
    try:
        claims = load_claims_file(path)
    except ClaimsFileError as e:
        assert e.problems and all(p.startswith(f"{path}:") or p.startswith("c.yaml:") for p in e.problems)
    else:
        assert all(c.id and c.text for c in claims)


@settings(max_examples=150, deadline=None)
@given(a=st.text(max_size=80), b=st.text(max_size=80))
def test_fact_extraction_and_comparison_never_crash(a, b):
    fa, fb = analyze(a), analyze(b)
    c = compare(fa, fb)
    assert 0.0 <= c.coverage <= 1.0
    assert compare(fa, fa).conflicts == [] or fa.negations  # a text never conflicts with itself


TEXT = st.text(min_size=1, max_size=40)
VERDICT = st.sampled_from(["supported", "contradicted", "unsupported"])


@st.composite
def runs(draw):
    results = []
    for i in range(draw(st.integers(0, 4))):
        quote = draw(TEXT)
        ev = Evidence(source=draw(TEXT), start=0, end=len(quote), line=1, column=1, quote=quote, score=0.5,
                      before=draw(st.text(max_size=10)), after=draw(st.text(max_size=10)))
        claim = Claim(id=f"c{i}", text=draw(TEXT), expect=draw(VERDICT), file=draw(TEXT), line=draw(st.integers(1, 99)))
        results.append(ClaimResult(claim=claim, verdict=draw(VERDICT), confidence=0.5, reason=draw(TEXT),
                                   evidence=(ev,) if draw(st.booleans()) else ()))
    return Run(tuple(results))


@settings(max_examples=100, deadline=None)
@given(run=runs())
def test_every_reporter_writes_every_run(run):
    for name in REPORTERS:
        buf = io.StringIO()
        write(name, run, buf)
        out = buf.getvalue()
        assert out
        if name in ("json", "sarif"):
            json.loads(out)
        if name == "junit":
            ET.fromstring(out)
