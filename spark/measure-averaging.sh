#!/usr/bin/env bash
# Which parameter-averaging interval keeps accuracy (docs/SCALING.md): the default network
# (SphereNet-9, width 0.125, batch 64, Adam) for ITERATIONS steps on 2 executors of a
# local-cluster, gradient averaging against parameter averaging every K steps, and a local run.
#   spark/measure-averaging.sh [ITERATIONS] [K...]     (default 400; K = 5 20 80, dividing ITERATIONS)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
iterations="${1:-400}"
shift || true
intervals=("${@:-5 20 80}")
read -r -a intervals <<< "${intervals[*]}"
source "$root/spark/spark-home.sh"
runs="$(mktemp -d)"
trap 'rm -rf "$SPARK_HOME" "$runs"' EXIT
common=(--iterations "$iterations" --eval-every "$iterations" --checkpoint-every "$iterations" --eval-limit 5000)
echo "== local (no Spark)"
"$root/bin/spherenet" train --runs "$runs" --name local "${common[@]}" | tail -1
echo "== 2 executors, gradient averaging"
"$root/bin/spherenet" train --spark "local-cluster[2,1,2048]" --workers 2 --runs "$runs" --name grad "${common[@]}" | tail -2
for k in "${intervals[@]}"; do
  echo "== 2 executors, parameter averaging every $k"
  "$root/bin/spherenet" train --spark "local-cluster[2,1,2048]" --workers 2 --average-every "$k" --runs "$runs" \
    --name "param-$k" "${common[@]}" | tail -2
done
