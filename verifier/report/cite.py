"""The reports of `verifier cite`: the draft with its footnotes (markdown), or a result per sentence (json)."""
from __future__ import annotations

import json
from typing import Callable, Sequence

from ..drafts import DraftSentence, annotate
from ..result import Run
from .json_report import result_dict


def markdown(draft: str, original: str, sentences: Sequence[DraftSentence], run: Run) -> str:
    """The draft, byte for byte, with a footnote quoting each sentence's evidence or a flag and the reason."""
    return annotate(original, sentences, list(run.results))


def json_report(draft: str, original: str, sentences: Sequence[DraftSentence], run: Run) -> str:
    """A result per sentence, with the sentence's offsets in the draft."""
    payload = {"version": 1, "draft": draft, "summary": run.summary,
               "results": [{**result_dict(r), "start": s.start, "end": s.end}
                           for s, r in zip(sentences, run.results)]}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


CiteReporter = Callable[[str, str, Sequence[DraftSentence], Run], str]
CITE_REPORTERS: dict[str, CiteReporter] = {"markdown": markdown, "json": json_report}
