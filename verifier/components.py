"""The slow parts of a run, built from the settings or given ready-made: the one seam for other models and for tests."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from .models.embed import CachedEmbedder, Embedder, load_embedder
from .models.entail import CachedEntailment, EntailmentModel
from .progress import Progress, ReadingProgress, Silent
from .settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

    from .corpus import Corpus


@dataclass(frozen=True)
class Components:
    """Models and index to use in place of those the settings name; None fields are built from the settings.

    Args:
        embedder: the sentence model.
        entailment: the entailment model that reads quotes against claims.
        first_pass: the short-list's embedder for large source sets (default: a static model
            distilled from the sentence model, shipped built for the default one).
        index: builds the index of a large source list from its files and the first pass
            (default: the local one, or PostgreSQL where the settings name an index).
    """

    embedder: Embedder | None = None
    entailment: EntailmentModel | None = None
    first_pass: Embedder | None = None
    index: Callable[[Sequence[Path], Embedder], Corpus] | None = None


@dataclass
class Built:
    """The components of one run, ready: caches in front of the models, progress around the slow reads."""

    settings: Settings
    given: Components
    progress: Progress
    entailment: EntailmentModel
    _embedder: Embedder | None = None
    _first_pass: Embedder | None = None

    @property
    def embedder(self) -> Embedder:
        """The sentence model behind its cache, loaded on first use (after the sources are read)."""
        if self._embedder is None:
            s = self.settings
            inner = self.given.embedder or load_embedder(s.model_path, s.backend, s.cache_dir,
                                                         progress=self.progress.say, progress_bar=self.progress.bars)
            self._embedder = CachedEmbedder(inner, s.cache_dir)
        return self._embedder

    @property
    def first_pass(self) -> Embedder:
        """The short-list's embedder, built on first use: only large source sets need it."""
        if self._first_pass is None:
            from .first_pass import StaticEmbedder

            s = self.settings
            self._first_pass = self.given.first_pass or StaticEmbedder(
                s.model_path, s.cache_dir, self.progress.say, self.progress.bars)
        return self._first_pass


def entailment_model(settings: Settings, given: EntailmentModel | None = None,
                     progress: Progress | None = None) -> EntailmentModel:
    """The entailment model, behind the score cache: a warm run never loads it."""
    from .models import entail

    if given is not None:
        inner = given
    elif settings.nli_model_path is not None:
        if (settings.nli_model_path / entail.SETTINGS_FILE).is_file():  # exported as the shipped one is
            inner = entail.OnnxEntailment(settings.nli_model_path)
        else:
            from .models.hf_nli import NLIModel

            inner = NLIModel(settings.nli_model_path)
    else:
        inner = entail.shipped_model()
    small = CachedEntailment(ReadingProgress(inner, progress or Silent()), settings.cache_dir)
    large = _large_model(settings, given)
    if large is None:
        return small
    from .models.cascade import Cascade

    return Cascade(small, CachedEntailment(ReadingProgress(large, progress or Silent()), settings.cache_dir),
                   weight=settings.nli_large_weight, leading=settings.nli_large_leading, gate=settings.nli_large_gate)


def _large_model(settings: Settings, given: EntailmentModel | None) -> EntailmentModel | None:
    """The large model that re-reads each claim's deciding quotes: the settings', else the shipped one, if any.

    A model given ready-made, or a user's own NLI model, reads alone: the cascade is for the shipped pair.
    """
    if given is not None or settings.reads_alone():
        return None
    from .models import entail

    folder = settings.nli_large_path or entail.shipped_large_folder()
    return entail.OnnxEntailment(folder) if folder is not None else None


def build(settings: Settings, given: Components | None = None, progress: Progress | None = None) -> Built:
    """The run's components; the entailment model first, so a bad model folder is said before slow work."""
    given = given or Components()
    progress = progress or Silent()
    return Built(settings, given, progress, entailment_model(settings, given.entailment, progress))
