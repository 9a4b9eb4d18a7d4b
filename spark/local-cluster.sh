#!/usr/bin/env bash
# Runs data-parallel training and a tiny study on a real multi-process Spark cluster on this
# machine: Spark's local-cluster master starts a master and W worker processes from the project's
# own jars (no Spark installation), each executor a separate JVM with its own PyTorch.
#   spark/local-cluster.sh [WORKERS] [extra train options...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
workers="${1:-2}"
shift || true
source "$root/spark/spark-home.sh"
trap 'rm -rf "$SPARK_HOME"' EXIT
# one task slot per executor (DJL: one gradient collector per JVM), 1 core each, 2 GB per worker
master="local-cluster[$workers,1,2048]"
runs="$(mktemp -d)"
train=(train --spark "$master" --workers "$workers" --runs "$runs" --iterations 40 --fraction 0.05
  --eval-every 20 --checkpoint-every 20 --eval-limit 1000 "$@")
echo "== train on $master"
"$root/bin/spherenet" "${train[@]}" --name cluster
echo "== the same, with an executor killed (SIGKILL) after the first checkpoint"
"$root/bin/spherenet" "${train[@]}" --name killed &
driver=$!
killed=""
for _ in $(seq 1 600); do
  if [ -f "$runs/killed/checkpoint.bin" ]; then
    # an executor JVM this driver started
    killed="$(pgrep -P "$driver" -f CoarseGrainedExecutorBackend | head -1 || true)"
    [ -n "$killed" ] && kill -9 "$killed" && echo "killed executor process $killed"
    break
  fi
  sleep 0.2
done
wait "$driver"
summary() { grep -v elapsedSeconds "$1/summary.json" | tr -d ' \n'; }
if [ -n "$killed" ] && [ "$(summary "$runs/cluster")" = "$(summary "$runs/killed")" ]; then
  echo "the run with a killed executor ended as the undisturbed one: $(summary "$runs/killed")"
else
  echo "local-cluster.sh: no executor was killed, or the runs differ" >&2
  exit 1
fi
echo "== experiment learnable --scale tiny on $master"
"$root/bin/spherenet" experiment learnable --scale tiny --spark "$master" \
  --results "$runs/results" --runs "$runs/experiments"
rm -rf "$runs"
