"""The reports of `verifier cite`: the draft with its footnotes (markdown), or a result per sentence (json)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Sequence

from ..drafts import DraftSentence, annotate, linked
from ..result import Run
from .json_report import result_dict


def markdown(draft: str, original: str, sentences: Sequence[DraftSentence], run: Run,
             folder: Path = Path("."), link_base: str | None = None) -> str:
    """The draft, byte for byte, with a footnote quoting each sentence's evidence or a flag and the reason.

    Sources are named from ``folder`` (where the cited draft is written), or linked under ``link_base``.
    """
    return annotate(original, sentences, linked(run.results, folder, link_base))


def json_report(draft: str, original: str, sentences: Sequence[DraftSentence], run: Run,
                folder: Path = Path("."), link_base: str | None = None) -> str:
    """A result per sentence, with the sentence's offsets in the draft."""
    payload = {"version": 1, "draft": draft, "summary": run.summary,
               "results": [{**result_dict(r), "start": s.start, "end": s.end}
                           for s, r in zip(sentences, run.results)]}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


CiteReporter = Callable[[str, str, Sequence[DraftSentence], Run, Path, "str | None"], str]
CITE_REPORTERS: dict[str, CiteReporter] = {"markdown": markdown, "json": json_report}
