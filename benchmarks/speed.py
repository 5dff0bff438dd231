"""Measure verifier's embedding speed and start-up, each figure beside its baseline from the same run.

Prints, from one run on one machine:
  (a) the raw model's throughput: sentence-transformers on torch (fp32) and the quantised ONNX graph
      called directly through onnxruntime (int8), on the same sentences;
  (b) verifier's own embedder, through its code path, as a ratio to the raw int8 rate;
  (c) cold start, process start to first embedding, for each backend (subprocesses), and for a
      model of one's own (`--model DIR`), whose graph is exported on its first run;
  (d) the wall time and peak RSS of a whole `verifier check claims/` with a cold and a warm cache,
      and what the warm run spends its time on;
  (e) the entailment models (the shipped small and large ones, or --large DIR): raw
      onnxruntime pairs/s (one pair a call, and length-sorted batches), each through verifier's
      own code path, and the model time a new claim adds (median over benchmark claims, its quotes
      and its parts' as the pipeline reads them, nothing cached), alone and through the cascade.

Usage:
    python benchmarks/speed.py --data ../shared/benchmarks
    python benchmarks/speed.py --sentences 500 --repeat 1 --json speed.json
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # measure this checkout, not whatever verifier is installed

import numpy as np  # noqa: E402

from verifier.models.embed import default_model_path, load_embedder  # noqa: E402
from verifier.models.entail import shipped_large_folder  # noqa: E402
from verifier.models.onnx_embed import fast_tokenizer, read_graph  # noqa: E402
from verifier.models.onnx_session import default_threads  # noqa: E402
from verifier.settings import Settings  # noqa: E402
from verifier.sources import segment  # noqa: E402
from verifier.store import Store  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks"
PROBE = "The Azerbaijani-Turkish joint tactical drills have kicked off in Lachin region."


def load_sentences(data: Path, n: int) -> list[str]:
    """n sentences of three words or more, spread evenly over every docs.dev.jsonl under data."""
    pool: list[str] = []
    for f in sorted(data.glob("*/docs.dev.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            pool += [s.text for s in segment(json.loads(line)["text"]) if len(s.text.split()) >= 3]
    if not pool:
        raise SystemExit(f"no sentences under {data}/*/docs.dev.jsonl; pass --data")
    step = max(1, len(pool) // n)
    return pool[::step][:n]


def rate(fn, texts: list[str]) -> tuple[float, np.ndarray]:
    """Sentences per second of fn over texts, after a short warm-up."""
    fn(texts[:16])
    start = time.perf_counter()
    out = fn(texts)
    return len(texts) / (time.perf_counter() - start), out


def raw_onnx(graph: bytes, model_path: Path, settings: dict, batch: int):
    """onnxruntime called directly on the cached graph: padded batches in length order, or one text a call."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.log_severity_level = 3
    session = ort.InferenceSession(graph, sess_options=so, providers=["CPUExecutionProvider"])
    tokenizer = fast_tokenizer(model_path, settings["max_seq_length"])
    if batch > 1:
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    names = [i.name for i in session.get_inputs()]
    attr = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}

    def run(texts: list[str]) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # as sentence-transformers does
        out = np.empty((len(texts), settings["dim"]), dtype=np.float32)
        for at in range(0, len(order), batch):
            rows = order[at:at + batch]
            encs = tokenizer.encode_batch([texts[i] for i in rows])
            feeds = {n: np.array([getattr(e, attr[n]) for e in encs], dtype=np.int64) for n in names}
            out[rows] = session.run(None, feeds)[0]
        return out

    return run


def child(code: str, cache: Path, argv: list[str] | None = None) -> tuple[float, float, str]:
    """Run Python code (or `-m verifier ARGV`) in a fresh process: wall seconds, peak RSS in MiB, stdout."""
    env = {**os.environ, "VERIFIER_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "verifier", *argv] if argv else [sys.executable, "-c", code]
    start = time.time()
    p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.read() if p.stdout else ""
    _, status, usage = os.wait4(p.pid, 0)  # this child's own peak RSS, not the maximum over all children
    wall = time.time() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:4])}... exited {p.returncode}")
    return wall, usage.ru_maxrss / 1024, out


COLD_KEY = "cold: nothing cached (shipped graphs)"


def first_embedding(backend: str, cache: Path, model: Path | None = None) -> tuple[float, float]:
    """Seconds from process start to the first vector, and the peak RSS (``model``: a folder for --model)."""
    folder = repr(str(model)) if model else "None"
    code = ("import time\nfrom verifier.models.embed import load_embedder, default_cache_dir\n"
            f"load_embedder({folder}, {backend!r}, default_cache_dir()).embed([{PROBE!r}])\nprint(time.time())")
    start = time.time()
    _, rss, out = child(code, cache)
    return float(out.strip().splitlines()[-1]) - start, rss


def median_of(repeat: int, fn):
    runs = [fn() for _ in range(repeat)]
    return tuple(statistics.median(r[i] for r in runs) for i in range(len(runs[0])))


def warm_breakdown(cache: Path) -> dict[str, float]:
    """Where a warm check spends its time: its wall time, its biggest imports (-X importtime) and their sum.

    spaCy's import and model load are timed on their own as well: what a run pays when facts are not cached.
    """
    env = {**os.environ, "VERIFIER_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "verifier", "check", "claims/", "-q"], cwd=ROOT,
                       env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    top: dict[str, float] = {}
    for line in p.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if not cumulative.strip().isdigit() or name.startswith("  "):
                continue  # the header, or an import made by another import
            pkg = name.strip().split(".")[0]
            top[f"import {pkg}"] = top.get(f"import {pkg}", 0.0) + int(cumulative) / 1e6
    imports = sum(top.values())
    out = dict(sorted(top.items(), key=lambda kv: -kv[1])[:6])
    out["all imports"] = imports
    out["whole run (under -X importtime)"] = wall
    code = ("import time\nfrom verifier import facts\nt = time.perf_counter()\nfacts.load_nlp()\n"
            "print(time.perf_counter() - t)")
    _, _, printed = child(code, cache)
    out["spaCy import + load (not in a warm run)"] = float(printed.strip())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of benchmark sets (*/docs.dev.jsonl)")
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each subprocess timing; the median is shown")
    ap.add_argument("--json", type=Path, help="also write every figure here")
    ap.add_argument("--claims", type=int, default=40, help="benchmark claims timed for the model time per claim")
    ap.add_argument("--large", type=Path, help="an exported large entailment model, timed alone and in the cascade "
                                               "(default: the shipped one)")
    ap.add_argument("--cascade", type=cascade_policy, action="append", metavar="LEADING:GATE",
                    help="a cascade to time with --large: the first quotes of each claim its large model reads "
                         "whatever the small one made of them, and how far the small one must lean for a deciding "
                         "quote to be read again (the benchmarks' --large-leading and --large-gate; repeatable; "
                         "default: the shipped cascade's)")
    ap.add_argument("--entailment-only", action="store_true", help="only (e), the entailment models")
    args = ap.parse_args(argv)
    args.large = args.large or shipped_large_folder()
    if args.cascade and not args.large:
        ap.error("--cascade times a cascade: give --large DIR too (this install ships no large model)")
    shipped = Settings()
    cascades = args.cascade or [(shipped.nli_large_leading, shipped.nli_large_gate)]
    if args.entailment_only:
        e = entail_speed(args.data, args.claims, args.large, cascades)
        print_table({"entailment": e}, only_entailment=True)
        if args.json:
            args.json.write_text(json.dumps({"entailment": e}, indent=2) + "\n", encoding="utf-8")
        return 0

    texts = load_sentences(args.data, args.sentences)
    words = statistics.mean(len(t.split()) for t in texts)
    figures: dict[str, dict] = {"setup": {"sentences": len(texts), "mean_words": round(words, 1),
                                          "batch": args.batch, "cpus": os.cpu_count()}}
    with tempfile.TemporaryDirectory(prefix="verifier-speed-") as tmp:
        cache = Path(tmp) / "cache"
        # Processes first, while this one is small: a child's peak RSS starts from its parent's at fork.
        # (c) cold start: a fresh process to its first vector. The default model's graph ships in the
        # package, so its first run exports nothing; a model of one's own is exported on its first run,
        # here a copy of the default one with a file added, which gives it another fingerprint.
        first_run, first_run_rss = first_embedding("onnx", cache)
        onnx_start, onnx_rss = median_of(args.repeat, lambda: first_embedding("onnx", cache))
        torch_start, torch_rss = median_of(args.repeat, lambda: first_embedding("torch", cache))
        own = Path(tmp) / "own-model"
        shutil.copytree(default_model_path(), own)
        (own / "NOTE.txt").write_text("a copy, so that it is not the model whose graph ships\n")
        exported, exported_rss = first_embedding("onnx", Path(tmp) / "own-cache", own)
        figures["cold_start"] = {
            "onnx_s": onnx_start, "torch_s": torch_start, "ratio_onnx_to_torch": onnx_start / torch_start,
            "onnx_first_run_s": first_run, "onnx_own_model_first_run_with_export_s": exported,
            "onnx_peak_rss_mib": onnx_rss, "torch_peak_rss_mib": torch_rss, "first_run_peak_rss_mib": first_run_rss,
            "own_model_first_run_peak_rss_mib": exported_rss,
        }

        # (d) whole `verifier check claims/` runs
        def check(cache_dir: Path, *extra: str) -> tuple[float, float]:
            wall, rss, _ = child("", cache_dir, ["check", "claims/", "-q", *extra])
            return wall, rss

        def fresh(name: str) -> Path:
            d = Path(tmp) / name
            shutil.rmtree(d, ignore_errors=True)
            return d

        # The shipped graph is read from the package, never cached: a cold run is a first run.
        cold_key, warm_key = COLD_KEY, "warm: embeddings, scores and facts cached"
        nofacts_key = "warm but facts not cached (spaCy runs)"
        runs = {
            cold_key: check(fresh("c1")),
            "cold again (median)": median_of(args.repeat, lambda: check(fresh("c2"))),
            "torch backend, embeddings not cached": median_of(args.repeat,
                                                              lambda: check(fresh("c3"), "--backend", "torch")),
        }
        warm = fresh("c4")
        check(warm)

        def without_facts() -> tuple[float, float]:
            # Everything cached but the facts: a warm run as it was before facts were cached.
            Store(warm).clear("facts")
            return check(warm)

        runs[nofacts_key] = median_of(args.repeat, without_facts)
        check(warm)
        runs[warm_key] = median_of(args.repeat, lambda: check(warm))
        figures["check"] = {k: {"wall_s": w, "peak_rss_mib": r} for k, (w, r) in runs.items()}
        figures["check_ratio_warm_to_cold"] = runs[warm_key][0] / runs[cold_key][0]
        figures["warm_breakdown_s"] = warm_breakdown(warm)

        # (a) the raw model, in this process, on the graph the runs above used
        onnx = load_embedder(None, "onnx", cache)
        reference = onnx.reference
        graph = onnx.shipped.read() if onnx.shipped is not None else read_graph(onnx.store, reference.fingerprint)
        assert graph is not None
        import onnxruntime as ort

        settings = json.loads(ort.InferenceSession(graph).get_modelmeta().custom_metadata_map["verifier.tokenizer"])
        st = reference._load()
        torch_rate, ref = rate(lambda t: st.encode(t, batch_size=args.batch, normalize_embeddings=True,
                                                   convert_to_numpy=True, show_progress_bar=False), texts)
        int8_rate, int8 = rate(raw_onnx(graph, reference.path, settings, args.batch), texts)
        int8_b1_rate, _ = rate(raw_onnx(graph, reference.path, settings, 1), texts)
        # (b) verifier's embedder through its own code path
        ours_rate, ours = rate(onnx.embed, texts)
        cos_raw = (int8 * ref).sum(axis=1)
        cos_ours = (ours * ref).sum(axis=1)
        figures["throughput"] = {
            "torch_fp32": torch_rate, "onnx_int8_raw": int8_rate, "onnx_int8_raw_batch1": int8_b1_rate,
            "verifier_embedder": ours_rate,
            "ratio_torch_to_raw_int8": torch_rate / int8_rate,
            "ratio_embedder_to_raw_int8": ours_rate / int8_rate,
            "ratio_embedder_to_raw_int8_batch1": ours_rate / int8_b1_rate,
            "cosine_to_fp32_raw_int8": {"mean": float(cos_raw.mean()), "min": float(cos_raw.min())},
            "cosine_to_fp32_embedder": {"mean": float(cos_ours.mean()), "min": float(cos_ours.min())},
        }

    figures["entailment"] = entail_speed(args.data, args.claims, args.large, cascades)
    print_table(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def raw_entail(folder: Path, max_length: int, pairs: list[tuple[str, str]], batch: int, side_by_side: int = 1) -> float:
    """Pairs per second of an exported entailment model called directly through onnxruntime.

    With ``side_by_side`` above 1, that many threads call one session at once, each call on one core.
    """
    from concurrent.futures import ThreadPoolExecutor

    import onnxruntime as ort
    from tokenizers import Tokenizer

    so = ort.SessionOptions()
    so.intra_op_num_threads = default_threads() if side_by_side == 1 else 1
    session = ort.InferenceSession(str(folder / "model.onnx"), sess_options=so, providers=["CPUExecutionProvider"])
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.enable_truncation(max_length=max_length, strategy="only_first")
    names = [i.name for i in session.get_inputs()]
    attr = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}
    enc = sorted(tok.encode_batch(pairs), key=lambda e: len(e.ids))

    def run(starts: range) -> None:
        for i in starts:
            part = enc[i:i + batch]
            n = max(len(e.ids) for e in part)
            feed = {k: np.array([getattr(e, attr[k]) + [0] * (n - len(e.ids)) for e in part], dtype=np.int64)
                    for k in names}
            session.run(None, feed)

    start = time.perf_counter()
    with ThreadPoolExecutor(side_by_side) as pool:
        list(pool.map(run, [range(k * batch, len(enc), batch * side_by_side) for k in range(side_by_side)]))
    return len(enc) / (time.perf_counter() - start)


class Counted:
    """An entailment model that counts the pairs it is asked to read."""

    def __init__(self, inner) -> None:
        self.inner, self.model_id, self.pairs = inner, inner.model_id, 0

    def probabilities(self, pairs):
        self.pairs += len(pairs)
        return self.inner.probabilities(pairs)


def cascade_policy(text: str) -> tuple[int, float]:
    """"2:0.5" -> (2, 0.5): a cascade's leading quotes and gate."""
    leading, _, gate = text.partition(":")
    try:
        policy = int(leading), float(gate or 0)
    except ValueError:
        policy = (-1, 0.0)
    if policy[0] < 0 or not 0.0 <= policy[1] < 1.0:
        raise argparse.ArgumentTypeError(f"{text!r} is not LEADING:GATE (LEADING 0 or more, GATE in [0, 1)), "
                                         "for example 2:0 or 0:0.5")
    return policy


def entail_speed(data: Path, n_claims: int, large: Path | None = None,
                 cascades: Sequence[tuple[int, float]] = ((0, 0.0),)) -> dict:
    """(e): each entailment model's raw rate beside verifier's, and the model time a new claim adds.

    The time per claim is the pipeline's whole reading of it (its quotes, then its parts'), with
    nothing cached: the small model alone, and with ``large`` each cascade of both, (leading, gate).
    """
    from verifier.claims import Claim
    from verifier.components import Components, build
    from verifier.judge import to_read
    from verifier.models.cascade import DECIDING, Cascade
    from verifier.models.entail import OnnxEntailment, shipped_folder
    from verifier.pipeline import Prepared, prepare, read_claims

    folders = {"small": shipped_folder(), **({"large": large} if large else {})}
    rows = [json.loads(line) for line in (data / "scifact" / "claims.dev.jsonl").read_text().splitlines()]
    docs = {json.loads(line)["doc_id"]: json.loads(line)["text"]
            for line in (data / "scifact" / "docs.dev.jsonl").read_text().splitlines()}
    rows = [r for r in rows if r["doc_id"] in docs][:n_claims]
    with tempfile.TemporaryDirectory(prefix="verifier-speed-") as tmp:
        claims = []
        for i, r in enumerate(rows):
            src = Path(tmp) / f"{i}.txt"
            src.write_text(docs[r["doc_id"]], encoding="utf-8")
            claims.append(Claim(id=f"c{i}", text=r["claim"], sources=(src,), file="bench", line=1))
        prep = prepare(claims, build(Settings(cache_dir=Path(tmp) / "cache")))
    pairs = [(q.quote, case.text) for case in prep.cases for q in to_read(case.candidates)]

    def pipeline_times(model) -> list[float]:
        built = build(Settings(cache_dir=None), Components(entailment=model))
        times = []
        for case in prep.cases:
            t = time.perf_counter()
            read_claims(Prepared([case]), built)
            times.append(time.perf_counter() - t)
        return times

    out: dict = {"claims": len(prep.cases), "pairs_whole": len(pairs)}
    for name, folder in folders.items():
        ours = OnnxEntailment(folder)
        ours.probabilities(pairs[:4])  # load and warm up
        start = time.perf_counter()
        ours.probabilities(pairs)
        ours_rate = len(pairs) / (time.perf_counter() - start)
        raw1, raw16 = (raw_entail(folder, int(ours.settings["max_length"]), pairs, b) for b in (1, 16))
        cores = default_threads()
        raw_side = raw_entail(folder, int(ours.settings["max_length"]), pairs, 1, cores)
        out[name] = {"raw_pairs_per_s_one_a_call": raw1, "raw_pairs_per_s_sorted_batch16": raw16,
                     "raw_pairs_per_s_side_by_side": raw_side, "side_by_side": cores,
                     "verifier_pairs_per_s": ours_rate, "ratio_verifier_to_raw_one_a_call": ours_rate / raw1}
    small = Counted(OnnxEntailment(folders["small"]))
    readers: dict[str, tuple[Any, Counted | None]] = {"small model alone": (small, None)}
    if large:
        big = Counted(OnnxEntailment(large))
        for leading, gate in cascades:
            label = (f"cascade, large reads the deciding {DECIDING}" + (f" + leading {leading}" if leading else "")
                     + (f", gate {gate:g}" if gate else ""))
            readers[label] = (Cascade(small, big, leading=leading, gate=gate), big)
    out["per_claim"] = {}
    for label, (model, big_counted) in readers.items():
        small.pairs = 0
        if big_counted is not None:
            big_counted.pairs = 0
        times = pipeline_times(model)
        out["per_claim"][label] = {"pairs_per_claim": small.pairs / len(times),
                                   "model_ms_median": 1000 * statistics.median(times),
                                   "model_ms_p90": 1000 * sorted(times)[int(0.9 * (len(times) - 1))]}
        if big_counted is not None:
            out["per_claim"][label]["large_pairs_per_claim"] = big_counted.pairs / len(times)
    return out


def print_table(f: dict, only_entailment: bool = False) -> None:
    if only_entailment:
        return print_entailment(f["entailment"])
    s, t, c = f["setup"], f["throughput"], f["cold_start"]
    print(f"{s['sentences']} sentences of {s['mean_words']} words on average, batch {s['batch']}, "
          f"{s['cpus']} CPUs; one run, one machine\n")
    print(f"{'(a, b) throughput':44}{'sentences/s':>12}{'x raw int8':>12}")
    for label, key in (("sentence-transformers, torch fp32", "torch_fp32"),
                       ("onnxruntime int8, raw, batch 64", "onnx_int8_raw"),
                       ("onnxruntime int8, raw, one text a call", "onnx_int8_raw_batch1"),
                       ("verifier's embedder (onnx backend)", "verifier_embedder")):
        print(f"  {label:42}{t[key]:12.1f}{t[key] / t['onnx_int8_raw']:12.2f}")
    print(f"  cosine to fp32: raw int8 mean {t['cosine_to_fp32_raw_int8']['mean']:.4f} "
          f"min {t['cosine_to_fp32_raw_int8']['min']:.4f}; embedder mean {t['cosine_to_fp32_embedder']['mean']:.4f} "
          f"min {t['cosine_to_fp32_embedder']['min']:.4f}\n")
    print(f"{'(c) process start to first embedding':44}{'seconds':>12}{'x torch':>12}{'peak MiB':>12}")
    print(f"  {'onnx backend (shipped graph)':42}{c['onnx_s']:12.2f}{c['ratio_onnx_to_torch']:12.2f}"
          f"{c['onnx_peak_rss_mib']:12.0f}")
    print(f"  {'torch backend':42}{c['torch_s']:12.2f}{1:12.2f}{c['torch_peak_rss_mib']:12.0f}")
    print(f"  {'onnx backend, first run (shipped graph)':42}{c['onnx_first_run_s']:12.2f}"
          f"{c['onnx_first_run_s'] / c['torch_s']:12.2f}{c['first_run_peak_rss_mib']:12.0f}")
    print(f"  {'onnx, --model DIR, first run (exports)':42}{c['onnx_own_model_first_run_with_export_s']:12.2f}"
          f"{c['onnx_own_model_first_run_with_export_s'] / c['torch_s']:12.2f}"
          f"{c['own_model_first_run_peak_rss_mib']:12.0f}\n")
    cold = f["check"][COLD_KEY]["wall_s"]
    print(f"{'(d) verifier check claims/':44}{'wall s':>12}{'x cold':>12}{'peak MiB':>12}")
    for label, v in f["check"].items():
        print(f"  {label:42}{v['wall_s']:12.2f}{v['wall_s'] / cold:12.2f}{v['peak_rss_mib']:12.0f}")
    print("\nwarm check, biggest costs (s):")
    for label, secs in f["warm_breakdown_s"].items():
        print(f"  {label:42}{secs:12.2f}")
    print_entailment(f["entailment"])


def print_entailment(e: dict) -> None:
    print(f"\n(e) entailment models, {e['pairs_whole']} pairs from {e['claims']} SciFact claims read whole")
    print(f"{'':44}{'pairs/s':>12}{'x raw':>12}")
    for name in ("small", "large"):
        if name not in e:
            continue
        m = e[name]
        print(f"  {name + ' model, onnxruntime raw, one pair a call':42}{m['raw_pairs_per_s_one_a_call']:12.1f}{1:12.2f}")
        print(f"  {name + ' model, raw, sorted batches of 16':42}{m['raw_pairs_per_s_sorted_batch16']:12.1f}"
              f"{m['raw_pairs_per_s_sorted_batch16'] / m['raw_pairs_per_s_one_a_call']:12.2f}")
        side = f"{name} model, raw, {m['side_by_side']} calls side by side"
        print(f"  {side:42}{m['raw_pairs_per_s_side_by_side']:12.1f}{m['raw_pairs_per_s_side_by_side'] / m['raw_pairs_per_s_one_a_call']:12.2f}")
        print(f"  {name + ' model, verifier code path':42}{m['verifier_pairs_per_s']:12.1f}"
              f"{m['ratio_verifier_to_raw_one_a_call']:12.2f}")
    print("  model time a new claim adds (its quotes and its parts', nothing cached):")
    for label, t in e["per_claim"].items():
        large = f" (large {t['large_pairs_per_claim']:.1f})" if "large_pairs_per_claim" in t else ""
        print(f"    {label:58} {t['pairs_per_claim']:5.1f} pairs{large}, median {t['model_ms_median']:.0f} ms, "
              f"p90 {t['model_ms_p90']:.0f} ms")

if __name__ == "__main__":
    sys.exit(main())
