"""Claims and draft sentences longer than the models read: checked part by part or on what fits, never exit 3."""
from __future__ import annotations

import json

import pytest

from verifier import cli as cli_module
from verifier.claims import Claim
from verifier.parts import LONG_CLAIM_WORDS, MAX_CHECKED_WORDS
from verifier.pipeline import verify
from verifier.settings import Settings

from ..conftest import ROOT

SEED = ROOT / "seeds" / "000_02d9999218a401c2.txt"
pytestmark = pytest.mark.slow  # the real models


@pytest.fixture(scope="module")
def real_settings(tmp_path_factory):
    return Settings(cache_dir=tmp_path_factory.mktemp("cache"))


def _sentences_of_the_seed() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    return [s.strip() for s in text.replace("\n", " ").split(". ") if len(s.split()) > 8]


def _one_long_sentence(words: int) -> str:
    """The seed's own sentences joined by "and" into one sentence of at least ``words`` words."""
    out: list[str] = []
    for s in _sentences_of_the_seed() * 10:
        out += s.rstrip(".").split() + ["and"]
        if len(out) >= words:
            break
    return " ".join(out[:-1]) + "."


def test_a_300_word_claim_is_checked_part_by_part(real_settings):
    text = _one_long_sentence(300)
    assert len(text.split()) >= 300
    (r,) = verify([Claim("long", text, sources=(SEED,), file="t.yaml")], real_settings).results
    assert r.verdict in ("supported", "contradicted", "unsupported") and r.reason
    assert len(r.parts) > 1  # too long to read whole: its parts were read


def test_a_200000_character_claim_is_checked_on_its_first_words_and_says_so(real_settings):
    text = ("The joint drills began in Lachin and lasted for days " * 20_000)[:200_000]
    (r,) = verify([Claim("huge", text, sources=(SEED,), file="t.yaml")], real_settings).results
    assert r.reason.endswith(f"; only its first {MAX_CHECKED_WORDS} words were checked")


def test_a_long_claim_of_one_part_is_read_on_what_fits_and_says_so(real_settings):
    text = "Drills " + " ".join(f"w{i}" for i in range(LONG_CLAIM_WORDS + 40)) + "."
    (r,) = verify([Claim("flat", text, sources=(SEED,), file="t.yaml")], real_settings).results
    assert r.reason.endswith(f"; the model read only its first {LONG_CLAIM_WORDS} words") or len(r.parts) > 1


def test_a_draft_with_a_450_word_sentence_cites_every_other_sentence(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VERIFIER_CACHE_DIR", str(tmp_path / "cache"))
    draft = tmp_path / "draft.md"
    draft.write_text("# Drills\n\nMilitary cooperation between Azerbaijan and Turkey began in 1992.\n\n"
                     + _one_long_sentence(450) + "\n\nThe memorandum of alliance was signed on June 15.\n",
                     encoding="utf-8")
    rc = cli_module.main(["cite", str(draft), "--sources", str(SEED), "--format", "json"])
    out, err = capsys.readouterr()
    assert rc in (0, 1), err
    results = json.loads(out)["results"]
    assert len(results) == 3
    assert results[0]["verdict"] == "supported" and results[2]["verdict"] == "supported"
