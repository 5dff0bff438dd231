"""Run the whole pipeline: claims and sources in, a Run of cited verdicts out. Only the wiring lives here.

A claim's path: its sources are read into Documents (documents.py) and indexed, its candidate
quotes found (corpus.py, retrieve.py), its facts and theirs extracted (facts.py, behind the facts
cache) and compared (judge.assess), the entailment model reads the best quotes (components.py),
the judge decides (judge.decide), and the verdict's quotes become the report's evidence
(citation.py). Each claim travels as one :class:`ClaimCase`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .by_parts import PartCase, decide_claim
from .citation import claim_result
from .claims import Claim
from .components import Built, Components, build
from .corpus import exact_candidates, index_documents, shortlisted
from .documents import check_readable, load_documents, source_infos
from .errors import SourceError
from .facts import Facts
from .facts_cache import FactsCache
from .judge import Assessed, Quote, Verdict, assess, to_read
from .language import languages, warning
from .parse_cache import EventCache, RoleCache
from .parts import LONG_CLAIM_WORDS, MAX_CHECKED_WORDS, checked_text
from .parts_cache import split_many
from .progress import Progress
from .result import ClaimResult, Run, SourceInfo
from .retrieve import Candidate
from .settings import Settings
from .sources import Document
from .thresholds import PART_READS, Thresholds, default_thresholds, thresholds_near
from .verdicts import Reading
from .wordsim import WordSimilarity


@dataclass
class ClaimCase:
    """Everything known about one claim on its way through: filled in stage by stage."""

    claim: Claim
    text: str = ""  # what is checked: the claim, or its first MAX_CHECKED_WORDS words
    vector: np.ndarray | None = None
    facts: Facts | None = None
    candidates: list[Candidate] = field(default_factory=list)
    assessed: list[Assessed] = field(default_factory=list)
    readings: list[Reading | None] = field(default_factory=list)
    parts: list[PartCase] = field(default_factory=list)  # empty for a claim of one part

    def __post_init__(self) -> None:
        self.text = self.text or checked_text(self.claim.text)

    @property
    def cut(self) -> bool:
        """Whether the claim is longer than what is checked of it."""
        return self.text != self.claim.text

    @property
    def read_whole(self) -> bool:
        """Whether the model reads the claim whole: not when it is too long and its parts are read instead."""
        return not self.parts or len(self.text.split()) <= LONG_CLAIM_WORDS


@dataclass
class Prepared:
    """The claims with their candidates and facts compared, and the run's list of sources."""

    cases: list[ClaimCase]
    sources: tuple[SourceInfo, ...] = ()
    languages: dict[str, str] = field(default_factory=dict)  # a quote's source path: its language, "" for English


def prepare(claims: Sequence[Claim], built: Built) -> Prepared:
    """Read and index the sources, find candidate quotes, and compare their facts with the claims'."""
    url = built.settings.index_url
    if not url:
        return _prepare(claims, built, None)
    from .pg_index import connect

    # Connected first, so a server that is down is said before anything slow starts.
    conn = connect(url)
    try:
        return _prepare(claims, built, conn)
    finally:
        conn.close()


def _prepare(claims: Sequence[Claim], built: Built, conn: Any) -> Prepared:
    s = built.settings
    if claims and not any(c.sources for c in claims):
        raise SourceError("no sources given; add `sources:` to the claims file or pass --sources")
    skipped: dict[str, str] = {}
    # With a shared index every source list is searched there, whatever its size: none is read here.
    lists = [c.sources for c in claims]
    docs_for: dict[tuple[Path, ...], list[Document] | None] = (
        dict.fromkeys(lists) if s.index_url else load_documents(lists, s.exact_limit, s.cache_dir, skipped))
    check_readable(lists, docs_for, skipped)
    all_docs = {d.path: d for docs in docs_for.values() if docs is not None for d in docs}
    indexes = index_documents([all_docs[p] for p in sorted(all_docs)], built)

    built.progress.say(f"checking {len(claims)} claims")
    cases = [ClaimCase(c) for c in claims]
    texts = [case.text for case in cases]
    vectors = built.embedder.embed(texts) if claims else np.zeros((0, 1), np.float32)
    fact_store = FactsCache(s.cache_dir)
    for case, vec, facts in zip(cases, vectors, fact_store.analyze_many(texts)):
        case.vector, case.facts = vec, facts
        docs = docs_for[case.claim.sources]
        if docs is not None:
            case.candidates = exact_candidates(case.text, vec, docs, indexes)
    for sources in (src for src, docs in docs_for.items() if docs is None):
        mine = [n for n, case in enumerate(cases) if case.claim.sources == sources]
        found = shortlisted([cases[n].text for n in mine], vectors[mine], sources, built, skipped, conn)
        for n, cands in zip(mine, found):
            cases[n].candidates = cands

    # Facts only for the sentences that are candidates: the tagger is as slow as the embedder.
    doc_of = {cand.doc.path: cand.doc for case in cases for cand in case.candidates}
    needed = sorted({(cand.doc.path, st.index) for case in cases for cand in case.candidates for st in cand.sentences})
    sentence_facts = dict(zip(needed, fact_store.analyze_many([doc_of[p].sentences[i].text for p, i in needed])))
    similar = WordSimilarity(built.embedder)
    words = {w.text.lower() for case in cases if case.facts for w in case.facts.words}
    words |= {w.text.lower() for key in needed for w in sentence_facts[key].words}
    similar.prepare(words)
    split = split_many(texts, s.cache_dir)
    part_texts = sorted({p.text for parts in split if len(parts) > 1 for p in parts})
    part_facts = dict(zip(part_texts, fact_store.analyze_many(part_texts)))
    dated, roles = EventCache(s.cache_dir), RoleCache(s.cache_dir)
    for case, parts in zip(cases, split):
        assert case.facts is not None
        quotes = to_read(case.candidates)
        extra: list[Quote] = [c for c in case.candidates if c not in quotes]
        case.assessed = assess(case.facts, quotes + extra, sentence_facts, similar, case.text, dated, roles)
        case.readings = [None] * len(case.assessed)
        if len(parts) > 1:
            # Each part is compared with the quotes the model reads for the claim, and no others.
            case.parts = [PartCase(p, _words_as_whole(assess(part_facts[p.text], quotes, sentence_facts, similar,
                                                             p.text, dated, roles), case.assessed),
                                  [None] * len(quotes))
                          for p in parts]
    # Large source sets are listed by the files their quotes come from: they may hold thousands.
    listed = {**all_docs, **doc_of}
    quoted = sorted(doc_of)
    langs = dict(zip(quoted, languages([doc_of[p].text for p in quoted], s.cache_dir)))
    return Prepared(cases, source_infos([listed[p] for p in sorted(listed)], skipped), langs)


def _words_as_whole(part: list[Assessed], whole: list[Assessed]) -> list[Assessed]:
    """A part's comparisons, its share of words stated counted over the whole claim's words.

    A part is a few of the claim's words; one paraphrased verb in it ("concluded the deal" for
    "signed the agreement") would leave it under the coverage a quote needs, where the whole
    claim's reading passes. The part adds the model's reading of it, and its names, numbers and
    dates are still checked on their own; the share of plain words is the claim's.
    """
    return [replace(p, comparison=replace(p.comparison, coverage=max(p.comparison.coverage, w.comparison.coverage)))
            for p, w in zip(part, whole)]


def read_claims(prep: Prepared, built: Built) -> None:
    """Have the entailment model read every claim's best quotes, then each part's: two batches for all claims."""
    pairs: list[tuple[str, str]] = []
    counts = []
    for case in prep.cases:
        n = len(to_read(case.candidates)) if case.read_whole else 0
        counts.append(n)
        pairs += [(x.quote.quote, model_text(case.text)) for x in case.assessed[:n]]
    got = iter(built.entailment.probabilities(pairs))
    for case, n in zip(prep.cases, counts):
        case.readings = [Reading.of(next(got)) if i < n else None for i in range(len(case.assessed))]
    # Each part against the few quotes that can decide it: those whose facts it does not lack, that the
    # model read as deciding the whole claim (either way), and that state most of the part's words.
    chosen: list[tuple[PartCase, list[int]]] = []
    pairs = []
    for case in prep.cases:
        for pc in case.parts:
            def rank(i: int, pc: PartCase = pc, case: ClaimCase = case) -> tuple[bool, float, float, int]:
                r = case.readings[i]
                decided = max(r.entail, r.contradict) if r is not None else 0.0
                return (bool(pc.assessed[i].comparison.missing), -decided, -pc.assessed[i].comparison.coverage, i)
            picks = sorted(sorted(range(len(pc.assessed)), key=rank)[:PART_READS])
            chosen.append((pc, picks))
            pairs += [(pc.assessed[i].quote.quote, model_text(pc.part.text)) for i in picks]
    got = iter(built.entailment.probabilities(pairs))
    for pc, picks in chosen:
        for i in picks:
            pc.readings[i] = Reading.of(next(got))


def model_text(text: str) -> str:
    """What the model reads of a claim or part: at most LONG_CLAIM_WORDS words, the premise needs room too."""
    words = text.split()
    return text if len(words) <= LONG_CLAIM_WORDS else " ".join(words[:LONG_CLAIM_WORDS])


def decide_case(case: ClaimCase, th: Thresholds) -> Verdict:
    """A claim's verdict from its quotes and parts as already read; says so when only part of it was checked."""
    v = decide_claim(case.text, case.assessed, case.readings, case.parts, th)
    if case.cut:
        return replace(v, reason=v.reason + f"; only its first {MAX_CHECKED_WORDS} words were checked")
    if not case.parts and len(case.text.split()) > LONG_CLAIM_WORDS:
        return replace(v, reason=v.reason + f"; the model read only its first {LONG_CLAIM_WORDS} words")
    return v


def thresholds_for(claims: Sequence[Claim], settings: Settings) -> list[Thresholds]:
    """For each claim: the settings' thresholds, else those calibrated beside its file, else those shipped for the reader."""
    if settings.thresholds is not None:
        return [settings.thresholds] * len(claims)
    shipped = default_thresholds(small=settings.reads_alone())
    by_folder: dict[Path, Thresholds] = {}
    out = []
    for c in claims:
        folder = Path(c.file).parent
        if folder not in by_folder:
            by_folder[folder] = thresholds_near(folder, shipped) or shipped
        out.append(by_folder[folder])
    return out


def judged(claims: Sequence[Claim], settings: Settings | None = None, components: Components | None = None,
           progress: Progress | None = None) -> Prepared:
    """The claims prepared and read, ready for decisions under any thresholds (what `calibrate` searches)."""
    built = build(settings or Settings(), components, progress)
    prep = prepare(claims, built)
    read_claims(prep, built)
    return prep


def verify(claims: Sequence[Claim], settings: Settings | None = None, components: Components | None = None,
           progress: Progress | None = None) -> Run:
    """Verify claims against their sources.

    Args:
        claims: claims as loaded by :func:`verifier.claims.load_claims`; each names its sources.
        settings: models, cache and thresholds; the defaults work offline with the bundled models.
        components: models or an index to use in place of those the settings name.
        progress: where to say how the run goes (default: nowhere).

    Returns:
        A :class:`Run` with one result per claim, in the order given.
    """
    settings = settings or Settings()
    prep = judged(claims, settings, components, progress)
    results = [claim_result(case.claim, decide_case(case, th))
               for case, th in zip(prep.cases, thresholds_for(claims, settings))]
    return Run(tuple(_warned(results, prep, settings)), prep.sources)


def _warned(results: list[ClaimResult], prep: Prepared, settings: Settings) -> list[ClaimResult]:
    """Each result whose claim or cited sources are not in English, with a warning at the end of its reason."""
    claim_langs = languages([c.text for c in prep.cases], settings.cache_dir)
    out = []
    for r, lang in zip(results, claim_langs):
        w = warning(lang, [prep.languages.get(e.source, "") for e in r.evidence[: max(1, r.cited)]])
        out.append(replace(r, reason=f"{r.reason}; {w}") if w else r)
    return out


def with_sources(claims: Sequence[Claim], sources: tuple[Path, ...]) -> list[Claim]:
    """The claims, each checked against ``sources`` in place of its own."""
    return [replace(c, sources=sources) for c in claims]
