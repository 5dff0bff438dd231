"""Optional NLI stage: a local Hugging Face NLI cross-encoder confirms or vetoes a verdict."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from ..errors import ModelError
from .embed import check_safe_weights


class NLIModel:
    """Any sequence-classification NLI checkpoint on disk, through sentence-transformers' CrossEncoder."""

    def __init__(self, path: Path) -> None:
        path = Path(path)
        if not path.is_dir():
            raise ModelError(f"{path}: NLI model folder not found; give the folder of a Hugging Face NLI model")
        check_safe_weights(path, "NLI model")
        try:
            from sentence_transformers import CrossEncoder

            self.model = CrossEncoder(str(path), device="cpu", local_files_only=True,
                                      model_kwargs={"use_safetensors": True})
        except Exception as e:  # the library raises many kinds for a bad folder
            raise ModelError(f"{path}: cannot load the NLI model: {e}") from e
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
        return [{k: float(p[i]) for k, i in self.index.items()} for p in probs]
