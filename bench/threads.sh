#!/usr/bin/env bash
# How a small network's training step depends on PyTorch's threads and on how OpenMP's threads wait
# (docs/PERFORMANCE.md, "Threads"): `spherenet bench` at width 0.125 (1x28x28, batch 64) with
# 1 thread; 2 threads with sleeping waits (OMP_WAIT_POLICY=PASSIVE, what bin/native-env.sh sets);
# 2 threads with spinning waits (ACTIVE); and two 1-thread processes at once (what two shards of a
# study do). Prints one line per measurement: round, network, setting, median ms per step.
#
#   bench/threads.sh                   # 3 rounds, SphereNet-9 and CNN-9
#   ROUNDS=1 MODELS=spherenet9 bench/threads.sh
#   WIDTH=0.25 bench/threads.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
args=(--width "${WIDTH:-0.125}" --input 1,28,28 --batch-size 64 --warmup 5 --steps 40 --json)
median() { python3 -c "import json,sys; print(round(json.loads(sys.stdin.read())['medianMs'], 1))"; }
bench() { # bench THREADS POLICY MODEL
  OMP_NUM_THREADS="$1" OMP_WAIT_POLICY="$2" "$root/bin/spherenet" bench --model "$3" --threads "$1" "${args[@]}" \
    2>/dev/null | median
}
"$root/bin/spherenet" --version >/dev/null   # builds the tool first when needed
echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "${ROUNDS:-3}"); do
  for model in ${MODELS:-spherenet9 cnn9}; do
    echo "$round $model 1-thread $(bench 1 PASSIVE "$model")"
    echo "$round $model 2-threads-passive $(bench 2 PASSIVE "$model")"
    echo "$round $model 2-threads-active $(bench 2 ACTIVE "$model")"
    first="$(mktemp)"
    bench 1 PASSIVE "$model" > "$first" &
    second="$(bench 1 PASSIVE "$model")"
    wait
    echo "$round $model two-1-thread-processes-at-once $(cat "$first") $second"
    rm -f "$first"
  done
done
echo "== load $(cut -d' ' -f1-3 /proc/loadavg)"
