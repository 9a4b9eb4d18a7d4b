#!/usr/bin/env bash
# The fused SphereConv (core/src/main/c, FusedBackward) against the same step through autograd
# (SPHERENET_FUSED=0) and against the CNN twin: `spherenet bench`, each setting in its own
# process, the three alternating, ROUNDS rounds (docs/PERFORMANCE.md, "Fused SphereConv").
# Prints one line per measurement: round, setting, threads, median / fastest ms per step, peak MiB.
#
#   bench/fused.sh                    # width 0.125 (1x28x28, batch 64), 1 and 2 threads, 3 rounds
#   WIDE=1 bench/fused.sh             # also width 1 (3x32x32, batch 128, 2 threads)
#   ROUNDS=1 THREADS=1 bench/fused.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
report() { python3 -c "
import json, sys
d = json.loads(sys.stdin.read())
print('%.1f %.1f %.0f' % (d['medianMs'], d['minMs'], d['peakRssMiB']))"; }
bench() { # bench FUSED THREADS MODEL ARGS...
  local fused="$1" threads="$2" model="$3"; shift 3
  SPHERENET_FUSED="$fused" OMP_NUM_THREADS="$threads" "$root/bin/spherenet" bench --model "$model" \
    --threads "$threads" --json "$@" 2>/dev/null | report
}
"$root/bin/spherenet" --version >/dev/null   # builds the tool first when needed
echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "round setting threads median_ms fastest_ms peak_MiB"
narrow=(--width 0.125 --input 1,28,28 --batch-size 64 --warmup 10 --steps 40)
wide=(--width 1 --input 3,32,32 --batch-size 128 --warmup 2 --steps 5)
for round in $(seq 1 "${ROUNDS:-3}"); do
  for threads in ${THREADS:-1 2}; do
    echo "$round narrow-spherenet9-fused $threads $(bench 1 "$threads" spherenet9 "${narrow[@]}")"
    echo "$round narrow-spherenet9-autograd $threads $(bench 0 "$threads" spherenet9 "${narrow[@]}")"
    echo "$round narrow-cnn9 $threads $(bench 1 "$threads" cnn9 "${narrow[@]}")"
  done
  if [ -n "${WIDE:-}" ]; then
    echo "$round wide-spherenet9-fused 2 $(bench 1 2 spherenet9 "${wide[@]}")"
    echo "$round wide-spherenet9-autograd 2 $(bench 0 2 spherenet9 "${wide[@]}")"
    echo "$round wide-cnn9 2 $(bench 1 2 cnn9 "${wide[@]}")"
  fi
done
echo "== load $(cut -d' ' -f1-3 /proc/loadavg)"
