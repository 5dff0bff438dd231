"""A user's own Hugging Face NLI cross-encoder, in place of the shipped entailment model."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import TORCH_EXTRA, ModelError
from .embed import check_safe_weights, model_fingerprint


class NLIModel:
    """Any sequence-classification NLI checkpoint on disk, through sentence-transformers' CrossEncoder."""

    def __init__(self, path: Path) -> None:
        path = Path(path)
        if not path.is_dir():
            raise ModelError(f"{path}: NLI model folder not found; give the folder of a Hugging Face NLI model")
        check_safe_weights(path, "NLI model")
        try:
            from sentence_transformers import CrossEncoder
        except ImportError as e:
            raise ModelError(f"{path}: a Hugging Face NLI model runs on torch and sentence-transformers; "
                             f"{TORCH_EXTRA}, or give --nli-model a folder exported by training/export_nli.py") from e
        try:
            self.model = CrossEncoder(str(path), device="cpu", local_files_only=True,
                                      model_kwargs={"use_safetensors": True})
        except Exception as e:  # the library raises many kinds for a bad folder
            raise ModelError(f"{path}: cannot load the NLI model: {e}") from e
        self.model_id = "hf-nli-" + model_fingerprint(path)
        id2label = getattr(self.model.model.config, "id2label", None) or {}
        labels = {int(i): str(name).lower() for i, name in id2label.items()}
        self.index: dict[str, int] = {}
        for i, name in labels.items():
            for key in ("entail", "contradict", "neutral"):
                if name.startswith(key):
                    self.index[key] = i
        if "entail" not in self.index or "contradict" not in self.index:
            raise ModelError(
                f"{path}: the model's labels {sorted(labels.values())} do not name entailment and contradiction"
            )

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
        """For each (premise, hypothesis): the probability of entailment, contradiction and neutral."""
        if not pairs:
            return []
        logits = np.asarray(self.model.predict(list(pairs), apply_softmax=False, show_progress_bar=False), dtype=np.float64)
        if logits.ndim == 1:
            logits = logits[None, :]
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        out = []
        for p in probs:
            row = {k: float(p[i]) for k, i in self.index.items()}
            # A two-label model (entailment, contradiction) leaves the rest to "neutral".
            row.setdefault("neutral", max(0.0, 1.0 - row["entail"] - row["contradict"]))
            out.append({"entail": row["entail"], "neutral": row["neutral"], "contradict": row["contradict"]})
        return out
