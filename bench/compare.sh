#!/usr/bin/env bash
# Side-by-side benchmark: `spherenet bench` against the PyTorch reference (bench/reference), same
# networks, batch and thread count, each configuration in its own process, alternating ours and the
# reference for ROUNDS rounds so both see the same load. Prints the ratio table and writes it, with
# the machine description, into docs/PERFORMANCE.md between the compare.sh markers.
#
#   bench/compare.sh              # everything (about 15 minutes on 2 quiet cores)
#   ROUNDS=1 STEPS=2 bench/compare.sh
#   QUICK=1 bench/compare.sh      # only the small networks (a minute or two)
#   BUDGET_MINUTES=14 bench/compare.sh   # no new round when the last one would not fit
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
THREADS="${THREADS:-2}"
ROUNDS="${ROUNDS:-2}"
STEPS="${STEPS:-2}"       # timed steps for the large networks (the small ones use 20x)
WARMUP="${WARMUP:-1}"
python=/usr/bin/python3   # Debian's torch lives there, not in a pyenv python

if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "compare.sh: installing python3-torch (Debian) ..." >&2
  apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null
fi
"$root/bin/spherenet" --version >/dev/null   # builds the tool when it is missing or stale

# PAUSE_PID: a long job on the same machine (an experiment, say) to pause for a quieter
# measurement; it is resumed whatever happens.
paused=""
if [ -n "${PAUSE_PID:-}" ]; then
  pid="$PAUSE_PID"
  if kill -STOP "$pid" 2>/dev/null; then
    paused="$pid"
    trap 'kill -CONT "$paused" 2>/dev/null || true' EXIT INT TERM
    echo "compare.sh: paused process $pid for the measurement" >&2
  fi
fi
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

results="$(mktemp)"
export OMP_NUM_THREADS="$THREADS"
ours() { "$root/bin/spherenet" bench --threads "$THREADS" --json "$@"; }
# "reference" runs as a PyTorch user would run it; "reference-tuned" in bin/spherenet's native
# environment (allocator and OpenMP settings, bin/native-env.sh), as ours does.
reference() {
  env -u GLIBC_TUNABLES -u LD_PRELOAD -u OMP_WAIT_POLICY \
    "$python" "$root/bench/reference/bench.py" --threads "$THREADS" "$@"
}
reference_tuned() {
  (. "$root/bin/native-env.sh" && exec "$python" "$root/bench/reference/bench.py" --threads "$THREADS" "$@")
}
environment="$(. "$root/bin/native-env.sh" &&
  echo "${LD_PRELOAD:+$(basename "$LD_PRELOAD") preloaded, }GLIBC_TUNABLES=$GLIBC_TUNABLES, OMP_WAIT_POLICY=$OMP_WAIT_POLICY")"

# label | sides | arguments (the same for every side). The default-environment reference is run
# where a target needs it; the tuned one everywhere, as the like-for-like comparison.
full="--input 3,32,32 --batch-size 128 --warmup $WARMUP --steps $STEPS"
# the small networks' steps are short: 20 warm-up steps per WARMUP, so that the JVM has compiled the
# step's Java code before the timing (with 3, the SphereNet's median was 1.3-1.6x its steady state)
small="--width 0.125 --input 1,28,28 --batch-size 64 --warmup $((WARMUP * 20)) --steps $((STEPS * 20))"
configs=(
  "spherenet9|ours reference reference_tuned|--model spherenet9 --width 1 $full"
  "cnn9|ours reference_tuned|--model cnn9 --width 1 $full"
  "fashion-spherenet9|ours reference reference_tuned|--model spherenet9 $small"
  "fashion-cnn9|ours reference_tuned|--model cnn9 $small"
  "sphereresnet32|ours reference_tuned|--model sphereresnet32 --width 0.25 $full"
  "resnet32|ours reference_tuned|--model resnet32 --width 0.25 $full"
)
if [ "${QUICK:-0}" = 1 ]; then configs=("${configs[@]:2}"); fi

run() { # run LABEL SIDE COMMAND ARGS...
  local label="$1" side="$2"; shift 2
  local out
  if out="$("$@" 2>/dev/null | tail -1)" && [ -n "$out" ]; then
    echo "{\"label\": \"$label\", \"side\": \"$side\", \"result\": $out}" >>"$results"
    echo "$out" | "$python" -c 'import json,sys; r=json.load(sys.stdin); print("  %-22s %-16s %9.1f ms/step %7.0f MiB" % (sys.argv[1], sys.argv[2], r["medianMs"], r["peakRssMiB"]))' "$label" "$side"
  else
    echo "  $label $side: FAILED" >&2
  fi
}

start=$SECONDS
rounds_done=0
for round in $(seq "$ROUNDS"); do
  if [ "${BUDGET_MINUTES:-0}" -gt 0 ] && [ "$rounds_done" -gt 0 ] &&
     [ $(( (SECONDS - start) / rounds_done * (rounds_done + 1) )) -gt $((BUDGET_MINUTES * 60)) ]; then
    echo "stopping after $rounds_done round(s): another would not fit in $BUDGET_MINUTES minutes"
    break
  fi
  echo "round $round of $ROUNDS"
  for config in "${configs[@]}"; do
    IFS='|' read -r label sides arguments <<<"$config"
    read -r -a args <<<"$arguments"
    read -r -a order <<<"$sides"
    # alternate who goes first, so neither side always runs right after the same neighbour
    if [ $((round % 2)) = 0 ]; then
      order=($(printf '%s\n' "${order[@]}" | tac))
    fi
    for side in "${order[@]}"; do
      run "$label" "${side//_/-}" "$side" "${args[@]}"
    done
  done
  rounds_done=$round
done

if [ -n "$paused" ]; then
  kill -CONT "$paused" 2>/dev/null || true
  paused=""
  quiet="partly: process $pid (PAUSE_PID) was paused during the measurement; other jobs were not"
else
  quiet="no: other jobs may have been running"
fi
load="at the start $load_before, at the end $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" "$root/bench/table.py" "$results" "$root/docs/PERFORMANCE.md" \
  --threads "$THREADS" --rounds "$rounds_done" --load "$load" --quiet "$quiet" \
  --environment "$environment"
rm -f "$results"
