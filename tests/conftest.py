"""Shared fixtures: a fast fake embedder, a private cache folder, and small source files."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from verifier.pipeline import Options

DIM = 512


class FakeEmbedder:
    """A bag-of-words embedder: texts sharing words are close. Deterministic and instant."""

    model_id = "fake-bow-1"

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                h = int(hashlib.md5(w[:6].encode()).hexdigest(), 16)
                out[i, h % DIM] += 1.0
            n = np.linalg.norm(out[i])
            out[i] = out[i] / n if n else out[i]
            if not n:
                out[i, 0] = 1.0
        return out


def rule_scorer():
    """A hand-set stand-in for the fitted scorer, for tests that run the fake embedder.

    The fitted weights are for MiniLM's similarities, which the bag-of-words fake does not
    have. This one makes a conflict contradict (at the shipped probability threshold) once
    cosine plus coverage pass 0.45 + 0.6, the hand-set rule the fitted scorer replaced. The
    fitted scorer itself is tested with the real models (tests/acceptance/test_real_models.py).
    """
    import math

    from verifier.judge import default_thresholds
    from verifier.scorer import CONTRADICT_FEATURES, SUPPORT_FEATURES, Logistic, Scorer

    p = default_thresholds().contradict_probability
    logit = math.log(p / (1 - p))

    def model(names, at):
        coef = tuple(10.0 if n in at else 0.0 for n in names)
        return Logistic(names, (0.0,) * len(names), (1.0,) * len(names), coef,
                        logit - sum(10.0 * v for v in at.values()))

    return Scorer(model(SUPPORT_FEATURES, {"cosine": 0.4, "coverage": 0.8}),
                  model(CONTRADICT_FEATURES, {"cosine": 0.45, "coverage": 0.6}))


@pytest.fixture(autouse=True)
def hand_set_scorer_with_the_fake_embedder(request, monkeypatch):
    if request.node.get_closest_marker("slow") is None:
        monkeypatch.setattr("verifier.judge.default_scorer", rule_scorer)


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Every test gets its own cache folder, never the user's."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("VERIFIER_CACHE_DIR", str(cache))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return cache


@pytest.fixture
def fake_embedder():
    return FakeEmbedder()


@pytest.fixture
def options(fake_embedder, private_cache):
    return Options(embedder=fake_embedder, cache_dir=private_cache)


ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_02d9999218a401c2.txt"


def write_claims(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def as_pickle(model: Path, folder: Path) -> Path:
    """A copy of a model folder with its weights as pytorch_model.bin, as older models were saved.

    transformers 5 writes safetensors only (it dropped ``safe_serialization=False``), so the
    state dict is pickled here with torch.save.
    """
    import shutil

    import torch
    from safetensors.torch import load_file

    shutil.copytree(model, folder)
    for weights in folder.rglob("*.safetensors"):
        torch.save(load_file(weights), weights.with_name("pytorch_model.bin"))
        weights.unlink()
    return folder
