"""The short-list's first pass: a static model (model2vec) distilled offline from the sentence model, kept in the store."""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from .errors import TORCH_EXTRA, ModelError
from .models.embed import model_fingerprint, stay_offline
from .store import Store, folder_beside, key

STATIC_PCA_DIMS = 256
STATIC = "static"  # the store's kind for the distilled model (a folder)
MANIFEST = "first_pass.json"  # beside the shipped model: which sentence model it was distilled from
SHIPPED_DTYPE = "float16"  # how the shipped model stores its vectors (training/build_first_pass.py)


def shipped_folder() -> Path:
    """Where the package keeps the static model built from the default sentence model."""
    return Path(__file__).resolve().parent / "models" / "first-pass"


def shipped_fingerprint(folder: Path | None = None) -> str | None:
    """The fingerprint of the sentence model the shipped static model was built from; None if none ships."""
    folder = folder or shipped_folder()
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return str(manifest["fingerprint"]) if (folder / "model.safetensors").is_file() else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


class StaticEmbedder:
    """A model2vec static model distilled from the sentence model: ~40x faster, used to short-list.

    The default sentence model's ships built (verifier/models/first-pass/); any other model's is
    distilled from its folder once (which needs the ``[torch]`` extra), then kept in a folder of the
    store, keyed by that folder's content hash. Without a cache (or with one that cannot be written)
    it is distilled again in each process, and nothing of it is left on disk.
    """

    def __init__(self, model_path: Path | None, cache_dir: Path | None, progress: Callable[[str], None] | None = None,
                 progress_bar: bool = False) -> None:
        shipped = shipped_fingerprint()
        fp = model_fingerprint(Path(model_path)) if model_path is not None else shipped
        if fp is None:
            raise ModelError(f"the static model for large source sets is missing from {shipped_folder()}; "
                             "reinstall quote-verifier")
        self.shipped = shipped_folder() if fp == shipped else None
        self.model_path = Path(model_path) if model_path is not None else None
        self.model_id = f"model2vec-pca{STATIC_PCA_DIMS}-{fp}" + (f"-{SHIPPED_DTYPE}" if self.shipped else "")
        store = Store.at(cache_dir) if self.shipped is None else None
        self.folder = store.folder(STATIC, key(STATIC, self.model_id)) if store is not None else None
        self.progress = progress  # told when distilling starts: it takes minutes, once
        self.progress_bar = progress_bar
        self._model = None

    def _load(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            from model2vec import StaticModel

            if self.shipped is not None:
                self._model = StaticModel.from_pretrained(str(self.shipped))
            elif self.folder is not None and (self.folder / "model.safetensors").is_file():
                self._model = StaticModel.from_pretrained(str(self.folder))
            else:
                self._model = self._distill()
        return self._model

    def _distill(self) -> Any:
        """Distill the model, keep it in the store where there is one, and load it back as saved."""
        from model2vec import StaticModel

        assert self.model_path is not None  # the shipped model is never distilled here
        if self.progress:
            self.progress("distilling a static model from the embedding model for the short-list "
                          + ("(minutes, once: it is cached)" if self.folder is not None else
                             "(minutes; without a cache, in every run)"))
        model = distill_static(self.model_path, self.progress_bar)
        if self.folder is not None:
            try:
                tmp = folder_beside(self.folder)
                try:
                    model.save_pretrained(str(tmp))
                    os.replace(tmp, self.folder)  # another run may have won the race; its model is as good
                finally:
                    shutil.rmtree(tmp, ignore_errors=True)
            except OSError:
                pass  # a read-only or full cache folder: distilled again next time
            if (self.folder / "model.safetensors").is_file():
                return StaticModel.from_pretrained(str(self.folder))
        # Saved and loaded back as from the store, so that its vectors are the same with a cache or without;
        # loading copies the weights into memory, so the folder can go at once.
        with tempfile.TemporaryDirectory(prefix="verifier-static-") as tmp_folder:
            model.save_pretrained(tmp_folder)
            return StaticModel.from_pretrained(tmp_folder)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, STATIC_PCA_DIMS), np.float32)
        vecs = np.asarray(self._load().encode(list(texts), batch_size=2048), np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)


def distill_static(model_path: Path, progress_bar: bool = False) -> Any:
    """A model2vec static model distilled from a sentence-transformers folder (needs the ``[torch]`` extra)."""
    stay_offline()
    try:
        from model2vec.distill import distill
    except ImportError as e:
        raise ModelError(f"{model_path}: distilling the short-list's static model from a model of your own needs "
                         f"torch and transformers; {TORCH_EXTRA}") from e
    try:
        with _no_progress_bars(progress_bar):
            return distill(model_name=str(model_path), pca_dims=STATIC_PCA_DIMS, device="cpu")
    except Exception as e:  # the distiller raises many kinds for a folder it cannot read
        raise ModelError(f"{model_path}: cannot distill a static model from it: {e}") from e


@contextlib.contextmanager
def _no_progress_bars(show: bool = False) -> Iterator[None]:
    """Silence the progress bars of distilling: the report is the only output a run should print.

    transformers ("Loading weights") has a switch for its bars; model2vec's "Encoding tokens" bar has
    none, so its module's ``tqdm`` is swapped for a disabled one for the duration. Warnings and
    errors still reach the user: only the bars are turned off, not stderr. With ``show`` (a person
    at a terminal), model2vec's bar, which covers most of the minutes distilling takes, is drawn as
    verifier's own instead, and cleared when done.
    """
    from model2vec.distill import inference
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    bar = getattr(inference, "tqdm", None)
    if bar is not None:
        def ours(*args: Any, **kwargs: Any) -> Any:
            kwargs.update(disable=not show, desc="distilling the short-list model", leave=False)
            return bar(*args, **kwargs)

        inference.tqdm = ours
    try:
        yield
    finally:
        if bar is not None:
            inference.tqdm = bar
        if was_enabled:
            hf_logging.enable_progress_bar()


# ---------------------------------------------------------------- the corpus
