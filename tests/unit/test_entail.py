"""The entailment model's runtime: the exported folder, its checks, and the score cache."""
from __future__ import annotations

import json
import math
import shutil

import pytest

from verifier.errors import ModelError, VerifierWarning
from verifier.models.entail import CachedEntailment, OnnxEntailment, shipped_folder
from verifier.store import DB_FILE

from ..conftest import WordEntailment

PAIRS = [("The drills began in Lachin.", "The drills started in Lachin."),
         ("The drills began in Lachin.", "Lunch was served.")]


def test_scores_are_cached_by_content_and_survive_the_process(tmp_path):
    inner = WordEntailment()
    first = CachedEntailment(inner, tmp_path).probabilities(PAIRS)
    again = CachedEntailment(inner, tmp_path)
    assert again.probabilities(PAIRS) == first and inner.calls == 1
    assert (tmp_path / DB_FILE).is_file()


def test_the_cache_key_names_the_model(tmp_path):
    inner = WordEntailment()
    CachedEntailment(inner, tmp_path).probabilities(PAIRS)
    other = WordEntailment()
    other.model_id = "another-model"
    CachedEntailment(other, tmp_path).probabilities(PAIRS)
    assert other.calls == 1


def test_a_damaged_cache_is_replaced_with_a_warning(tmp_path):
    (tmp_path / DB_FILE).write_bytes(b"this is not a database" * 100)
    inner = WordEntailment()
    with pytest.warns(VerifierWarning, match="the cache database store.sqlite is damaged"):
        got = CachedEntailment(inner, tmp_path).probabilities(PAIRS)
    assert len(got) == 2 and inner.calls == 1
    assert CachedEntailment(WordEntailment(), tmp_path).probabilities(PAIRS) == got


def test_a_damaged_score_is_reported_and_read_again(tmp_path):
    import sqlite3

    inner = WordEntailment()
    first = CachedEntailment(inner, tmp_path).probabilities(PAIRS)
    with sqlite3.connect(tmp_path / DB_FILE) as db:
        db.execute("UPDATE entail SET body = zeroblob(24) WHERE key = (SELECT min(key) FROM entail)")
    db.close()
    with pytest.warns(VerifierWarning, match="1 damaged entailment score row in the cache database"):
        assert CachedEntailment(inner, tmp_path).probabilities(PAIRS) == first
    assert inner.calls == 2


def test_without_a_cache_folder_nothing_is_written(tmp_path):
    inner = WordEntailment()
    c = CachedEntailment(inner, None)
    c.probabilities(PAIRS)
    c.probabilities(PAIRS)
    assert inner.calls == 1 and not list(tmp_path.iterdir())


def test_a_folder_without_settings_is_refused(tmp_path):
    with pytest.raises(ModelError, match="not an exported entailment model"):
        OnnxEntailment(tmp_path)


def test_a_graph_whose_checksum_differs_is_refused(tmp_path):
    folder = tmp_path / "entail"
    shutil.copytree(shipped_folder(), folder)
    settings = json.loads((folder / "entail.json").read_text())
    settings["sha256"] = "0" * 64
    (folder / "entail.json").write_text(json.dumps(settings))
    with pytest.raises(ModelError, match="checksum"):
        OnnxEntailment(folder).probabilities(PAIRS[:1])


def test_the_shipped_model_gives_one_distribution_per_pair_whatever_its_batch():
    model = OnnxEntailment(shipped_folder())
    both = model.probabilities(PAIRS)
    alone = model.probabilities(PAIRS[1:])
    assert alone[0] == both[1]
    for p in both:
        assert set(p) == {"entail", "neutral", "contradict"} and sum(p.values()) == pytest.approx(1.0)


def test_pairs_read_side_by_side_get_the_probabilities_they_get_one_after_another():
    premises = [f"The drills began in Lachin on {d} May and {n} servicemen took part." for d, n in
                [(2, 40), (9, 1200), (17, 300), (30, 75)]]
    pairs = [(p, h) for p in premises for h in ("The drills started in May.", "No one took part in the drills.")]
    model = OnnxEntailment(shipped_folder())
    model._load()
    model._workers = 3  # more workers than cores is allowed: it only spreads the pairs thinner
    side_by_side = model.probabilities(pairs)
    model._workers = 1
    assert side_by_side == model.probabilities(pairs)


def test_the_shipped_model_never_cuts_the_claim():
    model = OnnxEntailment(shipped_folder())
    model._load()
    long_premise = "The drills began in Lachin. " * 200
    enc = model._tokenizer.encode(long_premise, "The drills started in Lachin on the sixth.")
    assert len(enc.ids) <= model.settings["max_length"]
    assert model._tokenizer.decode(enc.ids).endswith("the drills started in lachin on the sixth.")


def test_a_warm_run_never_calls_the_model(settings, components):
    from dataclasses import replace

    from verifier.claims import Claim
    from verifier.pipeline import verify

    from ..conftest import SEED

    counting = WordEntailment()
    components = replace(components, entailment=counting)
    claims = [Claim(id="a", text="Military cooperation between Azerbaijan and Turkey first emerged in 1992.",
                    sources=(SEED,), file="c.yaml", line=1)]
    first = verify(claims, settings, components)
    calls = counting.calls
    assert verify(claims, settings, components) == first and counting.calls == calls


def test_a_fitted_bias_shifts_the_logits_by_label_and_names_a_new_model(tmp_path):
    folder = tmp_path / "entail"
    shutil.copytree(shipped_folder(), folder)
    plain = OnnxEntailment(folder)
    settings = json.loads((folder / "entail.json").read_text())
    settings["bias"] = {"neutral": 1.5, "contradict": -0.5}
    (folder / "entail.json").write_text(json.dumps(settings))
    biased = OnnxEntailment(folder)
    assert biased.model_id != plain.model_id  # cached scores of the unbiased model are never reused
    before, after = plain.probabilities(PAIRS[:1])[0], biased.probabilities(PAIRS[:1])[0]
    assert after["neutral"] > before["neutral"] and after["contradict"] < before["contradict"]
    t = float(settings.get("temperature", 1.0))
    ratio = math.log(after["neutral"] / after["entail"]) - math.log(before["neutral"] / before["entail"])
    assert ratio == pytest.approx(1.5 / t, abs=1e-6)
    settings["bias"] = {"maybe": 1.0}
    (folder / "entail.json").write_text(json.dumps(settings))
    with pytest.raises(ModelError, match="unknown labels"):
        OnnxEntailment(folder)
