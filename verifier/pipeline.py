"""Run the whole pipeline: claims and sources in, a Run of cited verdicts out."""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from .claims import Claim
from .models.embed import CachedEmbedder, Embedder, default_cache_dir, default_model_path, load_embedder
from .errors import SourceError, VerifierWarning
from .models.entail import CachedEntailment, EntailmentModel
from .facts import Facts
from .facts_cache import FactsCache
from .judge import Thresholds, Verdict, assess, decide, default_thresholds, thresholds_near, to_read
from .result import ClaimResult, Evidence, Run, SourceInfo
from .index import ANN_LIMIT, CorpusIndex, StaticEmbedder
from .retrieve import Candidate, DocIndex, build_index, candidates, shortlist_candidates
from .formats.reader import parsed_format, read_sources
from .paths import display_path
from .sources import Document, document, find_source_files

# Above this many sentences in a claim's sources, candidates come from a short-list (see
# verifier/index.py) instead of scoring every sentence: measured in benchmarks/scale.py, the exact
# path spends about as long on each claim at this size as on the sentence model's indexing.
EXACT_LIMIT = 20_000

# Two words count as the same in a claim and a quote at this cosine of their embeddings.
WORD_SIMILARITY = 0.78

# Sentences of one source embedded at a time, and quotes read by the entailment model at a time:
# what a progress bar moves by. The default models take one text a call, so neither changes a result.
EMBED_CHUNK = 1024
READ_CHUNK = 128
# A progress bar appears only for work that has taken this long (seconds): quick runs draw nothing.
BAR_DELAY = 2.0


@dataclass
class Options:
    """How to run; every field has a working default."""

    model_path: Path | None = None
    backend: str = "onnx"  # "onnx" (the quantised graph) or "torch" (sentence-transformers)
    cache_dir: Path | None = field(default_factory=default_cache_dir)
    use_cache: bool = True
    nli_model_path: Path | None = None  # a Hugging Face NLI model in place of the shipped entailment model
    entailment: EntailmentModel | None = None  # injected in tests
    thresholds: Thresholds | None = None  # None: calibrated ones beside the claims file, else the defaults
    embedder: Embedder | None = None  # injected in tests
    progress: Callable[[str], None] | None = None
    progress_bar: bool = False  # bars for slow stages (indexing, an export, reading quotes); on terminals only
    exact_limit: int = EXACT_LIMIT  # sentences per source list above which the short-list path runs
    ann_limit: int = ANN_LIMIT  # sentences above which that path searches an HNSW graph, not every row
    first_pass: Embedder | None = None  # the short-list's embedder; None: model2vec distilled from the model
    shortlist: int = 48  # sentences per claim taken from the first-pass index
    rerank: int = 16  # quotes per claim re-scored by the sentence model
    index_url: str | None = None  # a shared index in PostgreSQL (verifier/pg_index.py) for every source list

    @property
    def cache(self) -> Path | None:
        """The cache folder this run reads and writes, or None when caching is off."""
        return self.cache_dir if self.use_cache else None


def _embedder(options: Options) -> Embedder:
    inner = options.embedder or load_embedder(options.model_path, options.backend, options.cache,
                                              progress=options.progress, progress_bar=options.progress_bar)
    return CachedEmbedder(inner, options.cache)


def load_documents(source_lists: Sequence[tuple[Path, ...]], limit: int | None = None,
                   cache: Path | None = None,
                   skipped: dict[str, str] | None = None) -> dict[tuple[Path, ...], list[Document] | None]:
    """Expand each distinct list of sources once and read every file once.

    Returns, for each list, its documents in order; a file named by several lists is one Document.
    A list with more than ``limit`` sentences maps to None: it is too large to hold as Documents.

    A file named in a list that cannot be read is an error. One found in a folder is left out with
    a warning, and its reason put in ``skipped``: one damaged PDF must not stop a check against an
    archive of hundreds, but nor may it pass unnoticed.
    """
    by_file: dict[Path, Document | None] = {}
    out: dict[tuple[Path, ...], list[Document] | None] = {}
    for sources in dict.fromkeys(source_lists):
        named = _named(sources)
        files = find_source_files(sources)
        # Pages, PDFs and Word files are parsed in one go, sharing one child process; text files are
        # read one at a time, so a list too large to hold is given up before all of it is read.
        parsed = [f for f in files if f.resolve() not in by_file and parsed_format(f)]
        texts = dict(zip((f.resolve() for f in parsed), read_sources(parsed, cache)))
        docs: list[Document] | None = []
        total = 0
        for f in files:
            key = f.resolve()
            if key not in by_file:
                got = texts.pop(key) if key in texts else read_sources([f], cache)[0]
                if isinstance(got, SourceError):
                    _skip(got, f, named, skipped)
                    by_file[key] = None
                    continue
                # Read no further than the limit needs: a huge file is never held as Sentences.
                doc = document(got, display_path(f), None if limit is None else limit - total + 1)
                if doc is None:
                    docs = None
                    break
                by_file[key] = doc
            doc = by_file[key]
            if doc is not None and doc not in docs:
                docs.append(doc)
                total += len(doc.sentences)
            if limit is not None and total > limit:
                docs = None
                break
        out[sources] = docs
    return out


def _named(sources: tuple[Path, ...]) -> set[Path]:
    """The files a source list names itself, as against those found in its folders."""
    return {Path(p).resolve() for p in sources if Path(p).is_file()}


def _skip(error: SourceError, path: Path, named: set[Path], skipped: dict[str, str] | None) -> None:
    """A source that cannot be read: an error when the list names it, else a warning, and left out."""
    if path.resolve() in named:
        raise error
    shown = display_path(path)
    if skipped is not None and shown in skipped:
        return
    warnings.warn(f"{error}; skipped: the other sources are still used", VerifierWarning, stacklevel=3)
    if skipped is not None:
        why = str(error)
        skipped[shown] = why[len(shown) + 2:] if why.startswith(shown + ": ") else why


def source_infos(docs: Sequence[Document], skipped: dict[str, str]) -> tuple[SourceInfo, ...]:
    """The report's list of sources: the documents read, and the files left out and why."""
    out = []
    for d in docs:
        x = d.extracted
        out.append(SourceInfo(path=d.path, format=x.format if x else "text", title=x.title if x else None,
                              date=x.date if x else None, pages=len(x.pages) if x and x.pages else None,
                              sentences=len(d.sentences)))
    out += [SourceInfo(path=p, format="unreadable", skipped=why) for p, why in skipped.items()]
    return tuple(sorted(out, key=lambda i: i.path))


class WordSimilarity:
    """Judges whether two words mean the same, from their embeddings, computed once per run."""

    def __init__(self, embedder: Embedder, threshold: float = WORD_SIMILARITY) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self.vectors: dict[str, np.ndarray] = {}

    def prepare(self, words: set[str]) -> None:
        todo = sorted(w for w in words if w not in self.vectors)
        if todo:
            for w, v in zip(todo, self.embedder.embed(todo)):
                self.vectors[w] = v

    def __call__(self, claim_words: Sequence[str], quote_words: Sequence[str]) -> dict[str, set[str]]:
        self.prepare(set(claim_words) | set(quote_words))
        quote = sorted(set(quote_words))
        if not quote:
            return {}
        q = np.stack([self.vectors[w] for w in quote])
        out: dict[str, set[str]] = {}
        for w in claim_words:
            sims = q @ self.vectors[w]
            out[w] = {quote[i] for i in np.nonzero(sims >= self.threshold)[0]}
        return out


@dataclass
class Prepared:
    """Everything the judge needs, per claim: its facts and candidate quotes, and the shared lookups."""

    claim_facts: list[Facts]
    candidates: list[list[Candidate]]
    sentence_facts: dict[tuple[str, int], Facts]
    similar: WordSimilarity
    sources: tuple[SourceInfo, ...] = ()


def prepare(claims: Sequence[Claim], options: Options) -> Prepared:
    """Read and index the sources, find candidate quotes, and extract the facts to compare."""
    if not options.index_url:
        return _prepare(claims, options, None)
    from .pg_index import connect

    # Connected first, so a server that is down is said before anything slow starts.
    conn = connect(options.index_url)
    try:
        return _prepare(claims, options, conn)
    finally:
        conn.close()


def _prepare(claims: Sequence[Claim], options: Options, conn: Any) -> Prepared:
    say = options.progress or (lambda msg: None)
    if claims and not any(c.sources for c in claims):
        raise SourceError("no sources given; add `sources:` to the claims file or pass --sources")
    skipped: dict[str, str] = {}
    # With a shared index every source list is searched there, whatever its size: none is read here.
    lists = [c.sources for c in claims]
    docs_for: dict[tuple[Path, ...], list[Document] | None] = (
        dict.fromkeys(lists) if options.index_url else load_documents(lists, options.exact_limit, options.cache,
                                                                      skipped))
    all_docs = {d.path: d for docs in docs_for.values() if docs is not None for d in docs}
    if claims and all(d is not None for d in docs_for.values()) and not any(d.sentences for d in all_docs.values()):
        if not all_docs and skipped:
            raise SourceError("no source could be read (" + ", ".join(sorted(skipped)) +
                              "; see the warnings above): fix or replace those files, or name readable ones")
        raise SourceError("the sources hold no text to check claims against: " +
                          ", ".join(sorted(all_docs)))

    embedder = _embedder(options)
    if all_docs:
        say(f"indexing {len(all_docs)} source files")
    indexes: dict[str, DocIndex] = {}
    from tqdm import tqdm

    ordered = [all_docs[p] for p in sorted(all_docs)]
    bar = tqdm(total=sum(len(d.sentences) for d in ordered), unit="sentence", desc="indexing sources",
               disable=not options.progress_bar, leave=False, delay=BAR_DELAY)
    for doc in ordered:
        texts = [s.text for s in doc.sentences]
        chunks = []
        # In pieces, so the bar moves through a long source too (a source's pieces are cached as such).
        for i in range(0, len(texts), EMBED_CHUNK):
            chunks.append(embedder.embed(texts[i : i + EMBED_CHUNK]))
            bar.update(len(chunks[-1]))
        vecs = np.concatenate(chunks) if chunks else np.zeros((0, 1), np.float32)
        indexes[doc.path] = build_index(doc, vecs)
    bar.close()

    say(f"checking {len(claims)} claims")
    claim_vecs = embedder.embed([c.text for c in claims]) if claims else np.zeros((0, 1), np.float32)
    fact_store = FactsCache(options.cache)
    claim_facts = fact_store.analyze_many([c.text for c in claims])
    per_claim: list[list[Candidate]] = [[] for _ in claims]
    for n, (c, vec) in enumerate(zip(claims, claim_vecs)):
        docs = docs_for[c.sources]
        if docs is not None:
            per_claim[n] = candidates(c.text, vec, [indexes[d.path] for d in docs])
    large = [s for s, docs in docs_for.items() if docs is None]
    if large:
        _large_candidates(claims, claim_vecs, large, embedder, options, per_claim, skipped, conn)

    # Facts only for the sentences that are candidates: the tagger is as slow as the embedder.
    doc_of = {cand.doc.path: cand.doc for cands in per_claim for cand in cands}
    needed = sorted({(cand.doc.path, s.index) for cands in per_claim for cand in cands for s in cand.sentences})
    texts = [doc_of[p].sentences[i].text for p, i in needed]
    sentence_facts = dict(zip(needed, fact_store.analyze_many(texts)))

    similar = WordSimilarity(embedder)
    words = {w.text.lower() for f in claim_facts for w in f.words}
    words |= {w.text.lower() for key in needed for w in sentence_facts[key].words}
    similar.prepare(words)
    # Large source sets are listed by the files their quotes come from: they may hold thousands.
    listed = {**all_docs, **doc_of}
    return Prepared(claim_facts, per_claim, sentence_facts, similar,
                    source_infos([listed[p] for p in sorted(listed)], skipped))


def _large_candidates(claims: Sequence[Claim], claim_vecs: np.ndarray, large: list[tuple[Path, ...]],
                      embedder: Embedder, options: Options, per_claim: list[list[Candidate]],
                      skipped: dict[str, str], conn: Any = None) -> None:
    """Fill in the candidates of claims whose sources are too many to score whole: see verifier/index.py."""
    import tempfile

    say = options.progress or (lambda msg: None)
    first = options.first_pass or StaticEmbedder(options.model_path or default_model_path(), options.cache,
                                                 options.progress, options.progress_bar)
    from tqdm import tqdm

    from . import pg_index

    with tempfile.TemporaryDirectory(prefix="verifier-index-") as scratch:
        # Without a cache the index still needs a folder to be memory-mapped from.
        cache = options.cache or Path(scratch)
        for sources in large:
            files = readable_files(sources, options.cache, skipped)
            say(f"indexing {len(files)} source files for the short-list"
                + (f" in {pg_index.mask(options.index_url)}" if conn is not None and options.index_url else ""))
            bar = tqdm(unit="sentence", desc="indexing sources", disable=not options.progress_bar, leave=False,
                       delay=BAR_DELAY)
            corpus: Any
            if conn is not None and options.index_url:
                corpus = pg_index.PgCorpus.build(conn, options.index_url, files, first, options.cache,
                                                 progress=bar.update)
            else:
                corpus = CorpusIndex.build(files, first, cache, options.ann_limit, progress=bar.update)
            bar.close()
            mine = [n for n, c in enumerate(claims) if c.sources == sources]
            texts = [claims[n].text for n in mine]
            found = shortlist_candidates(texts, claim_vecs[mine], first.embed(texts), corpus, embedder,
                                         shortlist=options.shortlist, rerank=options.rerank)
            for n, cands in zip(mine, found):
                per_claim[n] = cands


def readable_files(sources: tuple[Path, ...], cache: Path | None, skipped: dict[str, str]) -> list[Path]:
    """The files of a large source list that can be read: a named one that cannot is an error, as in
    :func:`load_documents`, one in a folder a warning. Texts are read one at a time and dropped (parsed
    ones stay cached for the index to read)."""
    named = _named(sources)
    out = []
    for f in find_source_files(sources):
        got = read_sources([f], cache)[0]
        if isinstance(got, SourceError):
            _skip(got, f, named, skipped)
        else:
            out.append(f)
    return out


def thresholds_for(claims: Sequence[Claim], options: Options) -> list[Thresholds]:
    """For each claim: the options' thresholds, else those calibrated beside its file, else the defaults."""
    if options.thresholds is not None:
        return [options.thresholds] * len(claims)
    by_folder: dict[Path, Thresholds] = {}
    out = []
    for c in claims:
        folder = Path(c.file).parent
        if folder not in by_folder:
            by_folder[folder] = thresholds_near(folder) or default_thresholds()
        out.append(by_folder[folder])
    return out


def entailment_model(options: Options) -> EntailmentModel:
    """The options' entailment model, behind the score cache: a warm run never loads it."""
    if options.entailment is not None:
        inner = options.entailment
    elif options.nli_model_path is not None:
        from .models.hf_nli import NLIModel

        inner = NLIModel(options.nli_model_path)
    else:
        from .models.entail import shipped_model

        inner = shipped_model()
    return CachedEntailment(ReadingProgress(inner, options), options.cache)


class ReadingProgress:
    """An entailment model, fed READ_CHUNK quotes at a time, saying how far it has read.

    It sits behind the score cache, so only the quotes the model really reads are counted.
    """

    def __init__(self, inner: EntailmentModel, options: Options) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.say = options.progress or (lambda msg: None)
        self.bar = options.progress_bar

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[dict[str, float]]:
        if not pairs:
            return []
        from tqdm import tqdm

        self.say(f"reading {len(pairs)} quotes with the entailment model")
        out: list[dict[str, float]] = []
        with tqdm(total=len(pairs), unit="quote", desc="reading quotes", disable=not self.bar, leave=False,
                  delay=BAR_DELAY) as bar:
            for i in range(0, len(pairs), READ_CHUNK):
                out += self.inner.probabilities(pairs[i : i + READ_CHUNK])
                bar.update(min(READ_CHUNK, len(pairs) - i))
        return out


@dataclass
class Judged:
    """A claim's compared quotes and the model's probabilities for each (None: not read)."""

    scored: list
    probs: list


def read_claims(claims: Sequence[Claim], prep: Prepared, model: EntailmentModel) -> list[Judged]:
    """Compare every claim with its quotes and have the model read the best of them, in one batch."""
    per_claim = []
    pairs: list[tuple[str, str]] = []
    for claim, facts, cands in zip(claims, prep.claim_facts, prep.candidates):
        quotes = to_read(cands)
        extra = [c for c in cands if c not in quotes]
        scored = assess(facts, quotes + extra, prep.sentence_facts, prep.similar)
        per_claim.append((scored, len(quotes)))
        pairs += [(q.quote, claim.text) for q in quotes]
    got = iter(model.probabilities(pairs))
    return [Judged(scored, [next(got) if i < n else None for i in range(len(scored))]) for scored, n in per_claim]


def verify(claims: Sequence[Claim], options: Options | None = None) -> Run:
    """Verify claims against their sources.

    Args:
        claims: claims as loaded by :func:`verifier.claims.load_claims`; each names its sources.
        options: models, cache and thresholds; defaults work offline with the bundled models.

    Returns:
        A :class:`Run` with one result per claim, in the order given.
    """
    options = options or Options()
    # Set up first, so a bad model folder is reported before the sources are indexed, not after.
    model = entailment_model(options)
    prep = prepare(claims, options)
    judged = read_claims(claims, prep, model)
    results = []
    for claim, j, th in zip(claims, judged, thresholds_for(claims, options)):
        results.append(_result(claim, decide(claim.text, j.scored, j.probs, th)))
    return Run(tuple(results), prep.sources)


# How much of the surrounding paragraph a report may show around a quote, on each side.
CONTEXT_CHARS = 400


def _evidence(c: Candidate) -> Evidence:
    sents = c.doc.sentences
    first, last = sents[c.first], sents[c.last]
    i, j = c.first, c.last
    while i > 0 and sents[i - 1].block == first.block:
        i -= 1
    while j + 1 < len(sents) and sents[j + 1].block == last.block:
        j += 1
    para_start, para_end = sents[i].start, sents[j].end
    before = c.doc.text[max(para_start, c.start - CONTEXT_CHARS) : c.start]
    after = c.doc.text[c.end : min(para_end, c.end + CONTEXT_CHARS)]
    return Evidence(source=c.doc.path, start=c.start, end=c.end, line=first.line, column=first.column,
                    quote=c.quote, score=round(c.score, 4), before=before, after=after,
                    page=c.doc.page_at(c.start), section=c.doc.section_at(c.start))


def _result(claim: Claim, v: Verdict) -> ClaimResult:
    # The citation keeps its order (its quotes read together); the runners-up go best first. The
    # sort is stable, so equal scores keep the judge's order and the report stays deterministic.
    runners_up = sorted(v.evidence[v.cited:], key=lambda c: -c.score)
    evidence = tuple(_evidence(c) for c in (*v.evidence[:v.cited], *runners_up))
    return ClaimResult(claim=claim, verdict=v.verdict, confidence=v.confidence, reason=v.reason,
                       evidence=evidence, cited=v.cited)
