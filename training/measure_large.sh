#!/usr/bin/env bash
# Measure a trained 12-layer run against the shipped small model, every figure the ship decision needs.
# Usage: training/measure_large.sh RUN_NAME   (for example mpnet-full, after reproduce_large.sh finished it)
# Steps, each written to training/runs/RUN_NAME-measure/ and skipped when its output is there (rerun
# the same command after a stop): the int8 export with its figures against fp32 and on the benchmarks'
# gold evidence; the thresholds fitted with 5 folds for the small model and the cascade; the probe
# files read by the cascade at its fitted thresholds; the speed of both models; the same fit and
# probes for the gated cascade (GATE: the large model reads a deciding quote only where the small one
# leans that far, and no leading quotes; its readings are a subset of the first cascade's, so they
# come from the cache); then the large model alone (not needed to decide, so last). About two hours
# on a quiet 2-core machine, the figures the decision needs first; run it in the background under nohup.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
NAME=${1:?usage: training/measure_large.sh RUN_NAME}
RUN=training/runs
QUANTIZE=${QUANTIZE:-dynamic}  # export_nli.py --quantize (dynamic: the shipped graph); blocks writes to RUN_NAME-blocks-measure
OUT="$RUN/$NAME$([ "$QUANTIZE" = dynamic ] || echo "-$QUANTIZE")-measure"
MODEL="$OUT/entail-large"
LEADING=${LEADING:-2}
GATE=${GATE:-0.5}
mkdir -p "$OUT"
[ -f "$RUN/$NAME/final/config.json" ] || { echo "$RUN/$NAME/final is not a finished run: resume its training first" >&2; exit 2; }

step() {  # step OUTPUT COMMAND...: run unless OUTPUT exists; the log is OUTPUT.log, OUTPUT appears on success
    local out=$1; shift
    [ -s "$out" ] && { echo "have $out"; return; }
    echo "running $(basename "$out") ..."
    nice -n 10 "$@" > "$out.log" 2>&1
    cp "$out.log" "$out"
}
# The thresholds fitted on every claim, as a file verifier reads (the last JSON object of the fit's output).
thresholds() {
    "$PY" - "$1" "$2" <<'EOF'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
fitted = json.loads(re.findall(r"^\{\n.*?^\}", text, re.S | re.M)[-1])
open(sys.argv[2], "w", encoding="utf-8").write(json.dumps({"version": 1, **fitted}, indent=1) + "\n")
EOF
}

[ -f "$MODEL/model.onnx" ] || nice -n 10 "$PY" training/export_nli.py --model "$RUN/$NAME/final" \
    --pairs "$RUN/pairs.jsonl" --out "$MODEL" --base-name all-mpnet-base-v2 --ship int8 --no-bias --quantize "$QUANTIZE" \
    --validate 2000 --figures "$OUT/export-figures.json" > "$OUT/export.log" 2>&1
# The ship decision's figures first (the cascade is what would ship); the large model alone after.
step "$OUT/fit-small.txt" "$PY" benchmarks/fit_thresholds.py --dry-run --jobs 2
step "$OUT/fit-cascade.txt" "$PY" benchmarks/fit_thresholds.py --dry-run --jobs 2 --large "$MODEL" --large-leading "$LEADING"
thresholds "$OUT/fit-cascade.txt" "$OUT/th-cascade.json"
step "$OUT/probes-cascade.txt" "$PY" benchmarks/probes.py --large "$MODEL" --large-leading "$LEADING" \
    --large-thresholds "$OUT/th-cascade.json"
step "$OUT/speed.txt" "$PY" benchmarks/speed.py --entailment-only --large "$MODEL" --claims 40 \
    --cascade "$LEADING:0" --cascade "0:$GATE"
step "$OUT/fit-cascade-gate.txt" "$PY" benchmarks/fit_thresholds.py --dry-run --jobs 2 --large "$MODEL" --large-gate "$GATE"
thresholds "$OUT/fit-cascade-gate.txt" "$OUT/th-cascade-gate.json"
step "$OUT/probes-cascade-gate.txt" "$PY" benchmarks/probes.py --large "$MODEL" --large-gate "$GATE" \
    --large-thresholds "$OUT/th-cascade-gate.json"
step "$OUT/fit-large.txt" "$PY" benchmarks/fit_thresholds.py --dry-run --jobs 2 --nli-model "$MODEL"
thresholds "$OUT/fit-large.txt" "$OUT/th-large.json"
step "$OUT/probes-large.txt" "$PY" benchmarks/probes.py --nli-model "$MODEL" --large-thresholds "$OUT/th-large.json"
echo "figures in $OUT: export.log (gold evidence), fit-*.txt (folds), probes-*.txt, speed.txt"
