"""The facts cache: exact round trips, hits without spaCy, damaged entries and files rebuilt, identical reports."""
from __future__ import annotations

import io
import json
import math
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verifier import facts
from verifier.claims import load_claims
from verifier.components import Components
from verifier.errors import VerifierWarning
from verifier.facts import DateFact, Entity, Facts, Quantity, Word
from verifier.facts_cache import FactsCache, _body, extraction_version, from_json, to_json
from verifier.pipeline import verify
from verifier.report import write
from verifier.settings import Settings
from verifier.sources import read_document
from verifier.store import DB_FILE

from ..conftest import ROOT, SEED

TEXTS = ["On June 15, 2021, the two countries signed a memorandum of alliance.",
         "The war did not last 44 days.", "Turkey, Russia and Armenia sent 3,000 servicemen."]


def _trip(f: Facts) -> Facts:
    return from_json(json.loads(_body(f)))


def test_the_seed_sentences_facts_survive_the_trip_to_json_and_back():
    texts = [s.text for s in read_document(SEED).sentences]
    for f in facts.analyze_many(texts):
        assert _trip(f) == f


S = st.text(max_size=12)  # lone surrogates included, which UTF-8 cannot encode
INT = st.integers(-2**40, 2**40)
ENTITY = st.builds(Entity, text=S, norm=S, group=S, before=S, start=INT, end=INT)
FACTS = st.builds(
    Facts, text=S,
    quantities=st.lists(st.builds(Quantity, value=st.floats(allow_nan=False), unit=S, text=S), max_size=3).map(tuple),
    dates=st.lists(st.builds(DateFact, year=st.none() | INT, month=st.none() | INT, day=st.none() | INT, text=S),
                   max_size=3).map(tuple),
    ordinals=st.lists(st.tuples(INT, S, S), max_size=3).map(tuple),
    entities=st.lists(ENTITY, max_size=3).map(tuple),
    negations=st.lists(S, max_size=3).map(tuple),
    directions=st.lists(st.tuples(INT, INT, S), max_size=3).map(tuple),
    words=st.lists(st.builds(Word, text=S, lemma=S, pos=S), max_size=3).map(tuple),
    vocab=st.frozensets(S, max_size=5),
    lists=st.lists(st.lists(ENTITY, max_size=3).map(tuple), max_size=2).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(f=FACTS)
def test_any_facts_survive_the_trip_to_json_and_back(f):
    back = _trip(f)
    assert back == f
    assert [type(q.value) for q in back.quantities] == [float] * len(f.quantities)


def test_an_infinite_value_survives_the_trip():
    f = Facts(text="x", quantities=(Quantity(value=math.inf, unit="", text="1" + "0" * 400),))
    assert _trip(f) == f


def test_entries_of_another_shape_are_refused():
    good = to_json(facts.analyze(TEXTS[0]))
    for bad in ({**good, "dates": [[2021, 6, "15", "June 15"]]}, {**good, "vocab": [1]},
                {k: v for k, v in good.items() if k != "words"}, {**good, "entities": [["a"]]}):
        with pytest.raises((KeyError, TypeError, ValueError)):
            from_json(bad)


def _no_spacy(monkeypatch):
    def refuse(texts):
        raise AssertionError(f"extracted again: {texts}")

    monkeypatch.setattr(facts, "analyze_many", refuse)


def test_texts_seen_before_are_read_back_without_extracting(private_cache, monkeypatch):
    first = FactsCache(private_cache).analyze_many(TEXTS)
    assert (private_cache / DB_FILE).is_file()
    _no_spacy(monkeypatch)
    again = FactsCache(private_cache)
    assert again.analyze_many(TEXTS[::-1] + TEXTS[:1]) == first[::-1] + first[:1]
    assert (again.hits, again.misses) == (3, 0)


def test_only_new_texts_are_extracted(private_cache, monkeypatch):
    FactsCache(private_cache).analyze_many(TEXTS[:2])
    seen = []
    real = facts.analyze_many
    monkeypatch.setattr(facts, "analyze_many", lambda texts: seen.append(list(texts)) or real(texts))
    cache = FactsCache(private_cache)
    assert cache.analyze_many(TEXTS) == real(TEXTS)
    assert seen == [TEXTS[2:]] and (cache.hits, cache.misses) == (2, 1)


def test_without_a_cache_folder_nothing_is_written(private_cache):
    assert FactsCache(None).analyze_many(TEXTS) == facts.analyze_many(TEXTS)
    assert not private_cache.exists()


def test_another_extraction_version_does_not_reuse_entries(private_cache, monkeypatch):
    FactsCache(private_cache).analyze_many(TEXTS)
    monkeypatch.setattr("verifier.facts_cache.extraction_version", lambda: "another model")
    cache = FactsCache(private_cache)
    cache.analyze_many(TEXTS)
    assert cache.misses == 3


def test_the_version_names_the_model_without_importing_spacy():
    code = ("import sys; from verifier.facts_cache import extraction_version; "
            "print(extraction_version(), 'spacy' in sys.modules)")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    version, imported = p.stdout.split()
    assert imported == "False", p.stderr
    assert version == extraction_version() and "en_core_web_sm" in version and "spacy==" in version


def test_a_damaged_entry_is_reported_and_rebuilt(private_cache):
    good = FactsCache(private_cache).analyze_many(TEXTS)
    with sqlite3.connect(private_cache / DB_FILE) as con:
        con.execute("UPDATE facts SET body = CAST(replace(CAST(body AS TEXT), '44', '45') AS BLOB)")
    con.close()
    cache = FactsCache(private_cache)
    with pytest.warns(VerifierWarning, match="1 damaged facts row in the cache database store.sqlite; extracting "
                                             "those facts again"):
        assert cache.analyze_many(TEXTS) == good
    assert cache.misses == 1
    clean = FactsCache(private_cache)
    assert clean.analyze_many(TEXTS) == good and clean.misses == 0  # replaced, and no warning


def test_a_damaged_file_is_reported_and_replaced(private_cache):
    good = FactsCache(private_cache).analyze_many(TEXTS)
    path = private_cache / DB_FILE
    path.write_bytes(b"not a database at all " * 500)
    with pytest.warns(VerifierWarning, match=r"the cache database store.sqlite is damaged \(file is not a database\); "
                                             "set aside as store.sqlite.damaged"):
        assert FactsCache(private_cache).analyze_many(TEXTS) == good
    clean = FactsCache(private_cache)
    assert clean.analyze_many(TEXTS) == good and clean.misses == 0


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    assert FactsCache(blocked).analyze_many(TEXTS) == facts.analyze_many(TEXTS)


def _report(settings: Settings, components: Components) -> str:
    buf = io.StringIO()
    write("json", verify(load_claims([ROOT / "claims"]), settings, components), buf)
    return buf.getvalue()


def test_reports_are_byte_identical_with_and_without_the_cache(components, private_cache, monkeypatch):
    # Facts also stay in memory for the life of a process; empty that, so each run gets them its own way.
    monkeypatch.setattr(facts, "_CACHE", {})
    uncached = _report(Settings(cache_dir=None), components)
    assert not (private_cache / DB_FILE).exists()
    monkeypatch.setattr(facts, "_CACHE", {})
    cold = _report(Settings(cache_dir=private_cache), components)
    monkeypatch.setattr(facts, "_CACHE", {})
    _no_spacy(monkeypatch)
    warm = _report(Settings(cache_dir=private_cache), components)
    assert json.loads(uncached)["summary"]["claims"] > 5
    assert uncached == cold == warm


SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from tests.conftest import FakeEmbedder
from verifier.claims import load_claims
from verifier.components import Components
from verifier.pipeline import verify
from verifier.settings import Settings
from pathlib import Path
run = verify(load_claims([Path({root!r}) / "claims"]), Settings(cache_dir=Path(sys.argv[1])), Components(embedder=FakeEmbedder()))
print(len(run.results), "spacy" in sys.modules)
"""


def test_a_second_run_on_the_same_claims_never_imports_spacy(private_cache):
    # About 8 s: two fresh processes, the first loading spaCy and the real entailment model, since
    # what a process imports can only be seen from a process of its own.
    argv = [sys.executable, "-c", SCRIPT.format(root=str(ROOT)), str(private_cache)]
    first = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert first.stdout.split()[1:] == ["True"], first.stdout + first.stderr
    second = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    assert second.stdout.split()[1:] == ["False"], second.stdout + second.stderr
    assert second.stderr == ""
