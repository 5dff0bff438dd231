"""How to run: the user's settings as one frozen value, every field with a working default."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Above this many sentences a short-list searches an HNSW graph, not every row (verifier/index.py).
from .index import ANN_LIMIT  # noqa: E402  (kept beside the index it tunes)
from .models.embed import default_cache_dir
from .thresholds import EXACT_LIMIT, RERANK, SHORTLIST, Thresholds


@dataclass(frozen=True)
class Settings:
    """The settings of a run. Models are named here and built in verifier/components.py."""

    model_path: Path | None = None        # a sentence-transformers folder; None: the bundled all-MiniLM-L6-v2
    backend: str = "onnx"                 # "onnx" (the quantised graph) or "torch" (sentence-transformers)
    cache_dir: Path | None = field(default_factory=default_cache_dir)  # None: no cache at all (--no-cache)
    nli_model_path: Path | None = None    # a Hugging Face NLI model in place of the shipped entailment model
    cascade: bool = True                  # False: the small entailment model reads alone (--no-cascade)
    nli_large_path: Path | None = None    # an exported large entailment model for the cascade (default: the shipped one)
    nli_large_weight: float = 1.0         # its share in a deciding quote's reading (1: it replaces the small one's)
    nli_large_leading: int = 2            # each claim's first quotes it reads too, whatever the small model made of them
    nli_large_gate: float = 0.0           # a deciding quote is read again only where the small model's neutral <= 1 - gate
    thresholds: Thresholds | None = None  # None: those calibrated beside each claims file, else the shipped ones
    exact_limit: int = EXACT_LIMIT        # sentences per source list above which the short-list path runs
    ann_limit: int = ANN_LIMIT            # sentences above which that path searches an HNSW graph
    shortlist: int = SHORTLIST            # sentences per claim taken from the first-pass index
    rerank: int = RERANK                  # quotes per claim re-scored by the sentence model
    index_url: str | None = None          # a shared index in PostgreSQL (verifier/pg_index.py) for every source list

    def reads_alone(self) -> bool:
        """Whether one entailment model reads every quote, not the cascade: each reader has its own shipped thresholds."""
        if not self.cascade or self.nli_model_path is not None:
            return True
        from .models.entail import shipped_large_folder

        return self.nli_large_path is None and shipped_large_folder() is None
