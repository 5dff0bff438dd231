"""Which rows of the shared index the given source lists still need, so that `verifier index prune` can drop the rest."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from .sources import find_source_files


def needed(lists: Sequence[tuple[Path, ...]], model_path: Path | None, cache: Path | None) -> set[tuple[str, str]]:
    """(model key, content key) of every file the lists name now, for the first pass the index is built for."""
    from .first_pass import StaticEmbedder
    from .pg_index import content_key, model_key

    model = model_key(StaticEmbedder(model_path, cache))
    return {(model, content_key(f)) for sources in lists for f in find_source_files(sources)}
