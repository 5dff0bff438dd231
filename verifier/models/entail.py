"""The entailment model: does a quote entail, contradict, or leave open a claim? ONNX runtime, cached scores.

The shipped model is a MiniLM cross-encoder trained by ``training/train_nli.py`` and exported by
``training/export_nli.py`` into ``verifier/models/entail/`` (graph, tokenizer, settings, checksums).
It runs through onnxruntime and the ``tokenizers`` library alone: no torch at run time, nothing
downloaded. Scores are cached by content hash (model, premise, claim) as rows of the store's SQLite
file (:mod:`verifier.store`), so a warm run never loads the model.
"""
from __future__ import annotations

import hashlib
import json
import struct
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, Sequence

import numpy as np

from ..errors import ModelError
from ..store import Store, key

KEYS = ("entail", "neutral", "contradict")
SHIPPED = "entail"  # the folder under verifier/models/ that holds the shipped model
SHIPPED_LARGE = "entail-large"  # ... and the large model the cascade re-reads deciding quotes with (models/cascade.py)
SETTINGS_FILE = "entail.json"
KIND = "entail"  # the store's kind for scores
_ROW = struct.Struct("<3d")  # a row's body: the probabilities of KEYS, in order


class EntailmentModel(Protocol):
    """Anything that scores (premise, hypothesis) pairs; ``model_id`` names it in cache keys."""

    model_id: str

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
        """For each (premise, hypothesis): the probability of entail, neutral and contradict."""
        ...


def _label_key(name: str) -> str | None:
    name = name.lower()
    for label in KEYS:
        if name.startswith(label):
            return label
    return None


class OnnxEntailment:
    """An exported cross-encoder folder: ``model.onnx``, ``tokenizer.json`` and ``entail.json``.

    One pair per call: dynamic int8 quantisation scales each call's activations by their own
    range, so a pair scored in a padded batch would get probabilities that depend on its
    batch-mates, and a cached score would then differ from a fresh one. A pair is too small to
    keep two cores busy, so the calls run side by side instead, one core each: the same
    probabilities, bit for bit, at about 1.26 times the pairs a second on two quiet cores
    (docs/speed.md).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        try:
            self.settings = json.loads((self.folder / SETTINGS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ModelError(f"{self.folder}: not an exported entailment model ({SETTINGS_FILE}: {e})") from e
        self.model_id = str(self.settings.get("model_id") or self.folder.name)
        labels = {int(i): _label_key(str(n)) for i, n in self.settings["id2label"].items()}
        if set(labels.values()) != set(KEYS):
            raise ModelError(f"{self.folder}: labels {sorted(map(str, labels.values()))} are not entail, neutral, contradict")
        self.index = {k: i for i, k in labels.items() if k}
        # A per-label offset to the logits, fitted with the temperature on validation pairs: it gives
        # back what int8 quantisation shifted between labels. Part of the id: it changes every score.
        self.bias = {str(k): float(v) for k, v in (self.settings.get("bias") or {}).items()}
        if set(self.bias) - set(KEYS):
            raise ModelError(f"{self.folder}: {SETTINGS_FILE} has a bias for unknown labels {sorted(set(self.bias) - set(KEYS))}")
        if self.bias:
            calibration = json.dumps([self.settings.get("temperature", 1.0), sorted(self.bias.items())])
            self.model_id += "-" + hashlib.sha256(calibration.encode()).hexdigest()[:8]
        self._session: Any = None
        self._workers = 1
        self._tokenizer: Any = None
        self._plain: Any = None

    def _load(self) -> None:
        if self._session is not None:
            return
        from tokenizers import Tokenizer

        from .onnx_session import default_threads, new_session

        graph = self.folder / "model.onnx"
        want = self.settings.get("sha256")
        try:
            raw = graph.read_bytes()
        except OSError as e:
            raise ModelError(f"{graph}: cannot read the entailment model: {e.strerror or e}") from e
        if want and hashlib.sha256(raw).hexdigest() != want:
            raise ModelError(f"{graph}: the entailment model's checksum does not match {SETTINGS_FILE}; reinstall verifier")
        try:
            self._workers = default_threads()
            self._session = new_session(raw, 1)
            tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        except Exception as e:  # onnxruntime and tokenizers raise their own kinds
            raise ModelError(f"{self.folder}: cannot load the entailment model: {e}") from e
        tok.no_padding()
        self._plain = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self._plain.no_padding()
        self._plain.no_truncation()
        # The claim is cut only past half the model's length (see _fitted): the premise gives way first.
        tok.enable_truncation(max_length=int(self.settings["max_length"]), strategy="only_first")
        self._tokenizer = tok
        self._feeds = [i.name for i in self._session.get_inputs()]

    def logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        self._load()
        lower = bool(self.settings.get("do_lower_case", False))
        pairs = [(p.lower(), h.lower()) if lower else (p, h) for p, h in pairs]
        encodings = self._tokenizer.encode_batch([(p, self._fitted(h)) for p, h in pairs])
        out = np.empty((len(pairs), len(KEYS)), dtype=np.float64)
        attr = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}

        def run(rows: range) -> None:
            for row in rows:
                feed = {n: np.asarray(getattr(encodings[row], attr[n]), dtype=np.int64)[None, :] for n in self._feeds}
                out[row] = self._session.run(None, feed)[0][0]

        workers = min(self._workers, len(pairs))
        if workers <= 1:
            run(range(len(pairs)))
        else:
            # onnxruntime lets go of the GIL while it runs; each worker takes every n-th pair, so
            # long and short premises are shared alike.
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(run, [range(k, len(pairs), workers) for k in range(workers)]))
        return out

    def _fitted(self, claim: str) -> str:
        """The claim, cut at a token boundary where it would leave the premise too little room.

        The pipeline cuts claims to a length the model reads (and says so); this only keeps a
        direct call from failing with the tokenizer's "sequence to truncate too short".
        """
        room = int(self.settings["max_length"]) // 2
        enc = self._plain.encode(claim, add_special_tokens=False)
        if len(enc.ids) <= room:
            return claim
        return claim[: enc.offsets[room - 1][1]]

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
        if not pairs:
            return []
        return to_probabilities(self.logits(pairs), self.index, float(self.settings.get("temperature", 1.0)), self.bias)


def to_probabilities(logits: np.ndarray, index: dict[str, int], temperature: float = 1.0,
                     bias: dict[str, float] | None = None) -> list[dict[str, float]]:
    """Softmax of (logits + the per-label bias) / temperature, by label."""
    offset = np.zeros(logits.shape[1])
    for k, v in (bias or {}).items():
        offset[index[k]] = v
    z = (logits + offset) / temperature
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    return [{k: float(row[i]) for k, i in index.items()} for row in p]


def shipped_folder() -> Path:
    return Path(str(resources.files("verifier").joinpath("models", SHIPPED)))


def shipped_large_folder() -> Path | None:
    """The shipped large model's folder (the cascade's second reader), or None where the package has none."""
    folder = Path(str(resources.files("verifier").joinpath("models", SHIPPED_LARGE)))
    return folder if (folder / SETTINGS_FILE).is_file() else None


@lru_cache(maxsize=1)
def shipped_model() -> OnnxEntailment:
    """The entailment model that ships in the package."""
    folder = shipped_folder()
    if not (folder / SETTINGS_FILE).is_file():
        raise ModelError(f"{folder}: the shipped entailment model is missing; reinstall verifier")
    return OnnxEntailment(folder)


class CachedEntailment:
    """Scores by SHA-256 of (model, premise, claim), rows of the store; the model loads only on a miss."""

    def __init__(self, inner: EntailmentModel, cache_dir: Path | None) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.store = Store.at(cache_dir)
        self.memory: dict[str, dict[str, float]] = {}

    def _key(self, premise: str, hypothesis: str) -> str:
        return key(KIND, self.model_id, premise, hypothesis)

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
        keys = [self._key(p, h) for p, h in pairs]
        todo = [k for k in dict.fromkeys(keys) if k not in self.memory]
        if todo and self.store is not None:
            self.memory.update(self.store.get_rows(KIND, todo, _scores, what="entailment score",
                                                   then="reading those quotes again"))
        missing = [k for k in dict.fromkeys(keys) if k not in self.memory]
        if missing:
            first = {k: pair for k, pair in zip(keys, pairs)}
            got = self.inner.probabilities([first[k] for k in missing])
            new = dict(zip(missing, got))
            self.memory.update(new)
            if self.store is not None:  # a read-only or full cache folder only costs speed
                self.store.put_rows(KIND, {k: _ROW.pack(*(v[n] for n in KEYS)) for k, v in new.items()})
        return [dict(self.memory[k]) for k in keys]


def _scores(body: bytes) -> dict[str, float]:
    """The probabilities a row holds; ValueError when it holds anything else."""
    if len(body) != _ROW.size:
        raise ValueError(f"{len(body)} bytes, not {_ROW.size}")
    values = _ROW.unpack(body)
    if not all(0.0 <= x <= 1.0 for x in values):
        raise ValueError("not probabilities")
    return dict(zip(KEYS, values))
