"""Shared fixtures: a fast fake embedder and entailment model given through the components seam, a private cache folder."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from verifier.components import Components
from verifier.settings import Settings

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


class WordEntailment:
    """A stand-in entailment model for tests that run the fake embedder: instant and predictable.

    A premise "entails" a hypothesis that it shares nearly all words with, and is "neutral"
    otherwise; it never reads a contradiction, so the contradictions these tests see come from
    the fact checks (a changed date, number or name in a quote about the same thing). The shipped
    model itself is tested with the real models (tests/acceptance/test_real_models.py).
    """

    model_id = "fake-words-1"

    def __init__(self) -> None:
        self.calls = 0

    def probabilities(self, pairs):
        self.calls += 1
        out = []
        for premise, hypothesis in pairs:
            have = set(re.findall(r"\w+", premise.lower()))
            words = [w for w in re.findall(r"\w+", hypothesis.lower()) if len(w) > 2]
            share = sum(w in have for w in words) / len(words) if words else 0.0
            e = 0.9 if share >= 0.8 else 0.1
            out.append({"entail": e, "neutral": 0.95 - e, "contradict": 0.05})
        return out


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
def settings(private_cache):
    return Settings(cache_dir=private_cache)


@pytest.fixture
def components(fake_embedder):
    """The stand-in models, given where a user's run would build the real ones."""
    return Components(embedder=fake_embedder, entailment=WordEntailment(), first_pass=FakeEmbedder())


class Said:
    """A progress that keeps what a run says, for tests to read; it draws no bars."""

    bars = False

    def __init__(self) -> None:
        self.lines: list[str] = []

    def say(self, message: str) -> None:
        self.lines.append(message)

    def bar(self, desc, unit, total=None):
        from verifier.progress import Silent

        return Silent().bar(desc, unit, total)


ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_02d9999218a401c2.txt"


def cache_blobs(cache: Path, kind: str) -> list[Path]:
    """The blob files of one kind in a cache folder (not the temporary files of blobs being written)."""
    return sorted(p for p in (cache / "blobs" / kind).rglob("*") if p.is_file() and not p.name.startswith("."))


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
