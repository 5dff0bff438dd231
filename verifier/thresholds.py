"""Every tunable in one place: the decision thresholds (refit by `verifier calibrate`) and the retrieval constants.

The thresholds are fitted on public benchmarks (benchmarks/fit_thresholds.py) for each reader and
shipped in ``verifier/data/``: ``thresholds.json`` for the cascade (the small entailment model and
the large one, which reads with other probabilities), ``thresholds-small.json`` for the small model
alone (``--no-cascade``, or a model of the user's own); the defaults of :class:`Thresholds` are the
cascade's (a test keeps them equal). ``verifier calibrate`` refits any of them on a user's labelled claims and
writes ``verifier-thresholds.json`` beside the claims, where ``verifier check`` reads it. The
retrieval constants below shape which quotes are found and read; they are not refit per user.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import UsageError

# --- retrieval and reading ------------------------------------------------------------------------
# How far a window of adjacent sentences reaches (1 = single sentences only).
MAX_WINDOW = 3
# A candidate's score: this share of its cosine, the rest of its fuzzy-match ratio.
DENSE_WEIGHT = 0.7
# Candidate quotes kept per claim.
CANDIDATES = 12
# The model reads this many of a claim's best candidates (plus one combined premise): it is the
# slow part, and quotes further down the list were never the one cited on the benchmarks.
READ_BY_MODEL = 8
# The model reads each part of a claim of several parts against this many of the quotes it read for
# the claim: those that state most of the part's words (see verifier/by_parts.py).
PART_READS = 4
# At most this many single sentences of one document read together as one premise.
COMBINED_MOST = 3
# Two words count as the same in a claim and a quote at this cosine of their embeddings.
WORD_SIMILARITY = 0.78
# Above this many sentences in a claim's sources, candidates come from a short-list (see
# verifier/index.py) instead of scoring every sentence: measured in benchmarks/scale.py, the exact
# path spends about as long on each claim at this size as on the sentence model's indexing.
EXACT_LIMIT = 20_000
# Sentences per claim taken from the first-pass index, and quotes re-scored by the sentence model.
SHORTLIST = 48
RERANK = 16

# Keys of thresholds files written before the entailment model decided: read, and ignored.
LEGACY_KEYS = frozenset({"close_cosine", "close_coverage", "contradict_probability"})
# `verifier calibrate` writes this file beside the claims; `verifier check` uses it for them.
LOCAL_THRESHOLDS = "verifier-thresholds.json"
DEFAULT_THRESHOLDS_FILE = Path(__file__).resolve().parent / "data" / "thresholds.json"
SMALL_THRESHOLDS_FILE = DEFAULT_THRESHOLDS_FILE.with_name("thresholds-small.json")


@dataclass(frozen=True)
class Thresholds:
    """The decision thresholds; each is a number from 0 to 1."""

    support_cosine: float = 0.4          # no quote less similar than this supports the claim
    support_coverage: float = 0.6        # ... and it states this share of the claim's content words
    contradict_cosine: float = 0.5       # nor contradicts it; a conflicting value counts only in a quote about the same thing ...
    contradict_coverage: float = 0.5     # ... that states this share of the claim's content words ...
    window_margin: float = 0.08          # a longer quote is cited only when its probability is this much higher
    entail_probability: float = 0.4      # a clean quote supports the claim at this entailment probability
    nli_contradict: float = 0.8          # the model reads a contradiction at this probability
    conflict_neutral: float = 0.5        # ... and a conflicting value contradicts while the model's neutral stays below this


def thresholds_from_json(text: str, origin: str, base: Thresholds | None = None) -> Thresholds:
    """Read a thresholds file, checking every value; keys it leaves out keep ``base``'s values (else the defaults)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise UsageError(f"{origin}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from e
    known = {f.name for f in fields(Thresholds)}
    if not isinstance(data, dict) or data.get("version") != 1:
        raise UsageError(f"{origin}: not a thresholds file (it needs \"version\": 1); rerun `verifier calibrate`")
    values = {k: v for k, v in data.items() if k not in ("version", "source") and k not in LEGACY_KEYS}
    unknown = sorted(set(values) - known)
    if unknown:
        raise UsageError(f"{origin}: unknown key {unknown[0]!r}; rerun `verifier calibrate`")
    bad = [k for k, v in values.items() if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 <= v <= 1]
    if bad:
        raise UsageError(f"{origin}: {bad[0]} must be a number from 0 to 1")
    return replace(base or Thresholds(), **{k: float(v) for k, v in values.items()})


def thresholds_to_json(th: Thresholds, source: str = "") -> str:
    data: dict[str, object] = {"version": 1, **asdict(th)}
    if source:
        data["source"] = source
    return json.dumps(data, indent=2) + "\n"


@lru_cache(maxsize=2)
def default_thresholds(small: bool = False) -> Thresholds:
    """The shipped thresholds: the cascade's (verifier/data/thresholds.json), or with ``small`` the small model's alone."""
    name = (SMALL_THRESHOLDS_FILE if small else DEFAULT_THRESHOLDS_FILE).name
    text = resources.files("verifier").joinpath("data", name).read_text("utf-8")
    return thresholds_from_json(text, f"verifier/data/{name}")


def thresholds_near(folder: Path, base: Thresholds | None = None) -> Thresholds | None:
    """The calibrated thresholds in a claims file's folder, if there are any; keys they leave out keep ``base``'s."""
    path = folder / LOCAL_THRESHOLDS
    if not path.is_file():
        return None
    from .paths import display_path

    return thresholds_from_json(path.read_text(encoding="utf-8"), display_path(path), base or default_thresholds())
