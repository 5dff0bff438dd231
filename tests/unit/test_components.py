"""The components of a run: given ones used as they are, behind the caches; the rest built from the settings when first needed."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from verifier.components import Components, build, entailment_model
from verifier.errors import ModelError
from verifier.models.embed import CachedEmbedder
from verifier.models.entail import CachedEntailment
from verifier.progress import ReadingProgress
from verifier.store import DB_FILE

from ..conftest import FakeEmbedder, Said, WordEntailment, cache_blobs

PAIR = [("The drills began in Lachin.", "The drills began.")]


def test_nothing_given_leaves_every_component_to_the_settings():
    given = Components()
    assert (given.embedder, given.entailment, given.first_pass, given.index) == (None, None, None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        given.embedder = FakeEmbedder()  # type: ignore[misc]


def test_a_given_entailment_model_is_read_behind_the_progress_and_the_score_cache(settings, components):
    said = Said()
    built = build(settings, components, said)
    assert isinstance(built.entailment, CachedEntailment) and isinstance(built.entailment.inner, ReadingProgress)
    assert built.entailment.inner.inner is components.entailment
    assert built.entailment.model_id == components.entailment.model_id == "fake-words-1"
    first = built.entailment.probabilities(PAIR)
    assert first == components.entailment.probabilities(PAIR) and said.lines == ["reading 1 quotes with the entailment model"]
    calls = components.entailment.calls
    again = build(settings, components, said).entailment.probabilities(PAIR)  # a new run, the same cache folder
    assert again == first and components.entailment.calls == calls
    assert (settings.cache_dir / DB_FILE).is_file()


def test_without_a_cache_folder_the_scores_are_kept_in_memory_only(settings):
    model = WordEntailment()
    cached = entailment_model(dataclasses.replace(settings, cache_dir=None), model)
    cached.probabilities(PAIR)
    cached.probabilities(PAIR)
    assert model.calls == 1 and not settings.cache_dir.exists()


def test_the_sentence_model_is_built_on_first_use_and_once(settings, components):
    built = build(settings, components)
    assert components.embedder.calls == 0
    embedder = built.embedder
    assert isinstance(embedder, CachedEmbedder) and embedder.inner is components.embedder
    assert built.embedder is embedder
    embedder.embed(["The drills began."])
    assert cache_blobs(settings.cache_dir, "embeddings")


def test_a_given_first_pass_is_used_as_it_is(settings, components):
    assert build(settings, components).first_pass is components.first_pass


def test_a_missing_nli_model_folder_is_said_before_any_slow_work(settings, tmp_path):
    with pytest.raises(ModelError, match="NLI model folder not found") as e:
        build(dataclasses.replace(settings, nli_model_path=tmp_path / "no-such-model"))
    assert e.value.exit_code == 2


def test_a_bad_sentence_model_is_found_only_when_it_is_needed(settings, components):
    bad = dataclasses.replace(settings, backend="tensorflow", model_path=Path("nowhere"))
    built = build(bad, Components(entailment=components.entailment))
    with pytest.raises(ModelError, match="unknown backend 'tensorflow'"):
        _ = built.embedder
