#!/usr/bin/env bash
# The measurements behind docs/SCALING.md, on this machine: a step's compute time at the global
# batch and at half of it (one thread, as one task has), then data-parallel training of the
# default network (SphereNet-9, width 0.125, batch 64) on a multi-process local-cluster with
# N = 1 and 2 executors, each printing its synchronisation costs (time, compute, bytes).
#   spark/measure-scaling.sh [ITERATIONS]       (default 60)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
iterations="${1:-60}"
echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for batch in 64 32; do
  echo "== one step, batch $batch, 1 thread"
  "$root/bin/spherenet" bench --model spherenet9 --width 0.125 --batch-size "$batch" --input 1,28,28 --threads 1 --steps 20
done
source "$root/spark/spark-home.sh"
runs="$(mktemp -d)"
trap 'rm -rf "$SPARK_HOME" "$runs"' EXIT
common=(--iterations "$iterations" --eval-every "$iterations" --checkpoint-every "$iterations" --eval-limit 1000)
echo "== local (no Spark), 1 thread"
"$root/bin/spherenet" train --threads 1 --runs "$runs" --name local "${common[@]}" | tail -1
for n in 1 2; do
  echo "== local-cluster, $n executors of 1 core, gradient averaging"
  "$root/bin/spherenet" train --spark "local-cluster[$n,1,2048]" --workers "$n" --runs "$runs" --name "grad-$n" "${common[@]}" | tail -2
done
echo "== local-cluster, 2 executors, parameter averaging every 10"
"$root/bin/spherenet" train --spark "local-cluster[2,1,2048]" --workers 2 --average-every 10 --runs "$runs" --name "param-2" \
  --iterations "$iterations" --eval-every "$iterations" --checkpoint-every "$iterations" --eval-limit 1000 | tail -2
