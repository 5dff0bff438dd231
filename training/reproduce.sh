#!/usr/bin/env bash
# Rebuild the shipped entailment model from scratch: pairs, training (hours on 2 cores), export.
# Resumable: run it again after a stop and training continues from its newest checkpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
RUN=training/runs
mkdir -p "$RUN"
[ -f "$RUN/pairs.jsonl" ] || "$PY" training/pairs.py --out "$RUN/pairs.jsonl"
"$PY" training/train_nli.py --pairs "$RUN/pairs.jsonl" --run "$RUN/nli" --epochs 1.5 2>&1 | tee -a "$RUN/nli.log"
"$PY" training/export_nli.py --model "$RUN/nli/final" --pairs "$RUN/pairs.jsonl" --figures docs/entailment-figures.json
