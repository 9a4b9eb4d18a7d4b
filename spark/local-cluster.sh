#!/usr/bin/env bash
# Runs data-parallel training and a tiny study on a real multi-process Spark cluster on this
# machine: Spark's local-cluster master starts a master and W worker processes from the project's
# own jars (no Spark installation), each executor a separate JVM with its own PyTorch.
#   spark/local-cluster.sh [WORKERS] [extra train options...]
# Spark looks for its jars under $SPARK_HOME/jars; this script makes such a folder from
# spark/target/lib (the Spark module's class path, Spark included) and the module's jar.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
workers="${1:-2}"
shift || true
[ -f "$root/spark/target/spherenet-spark.jar" ] || (cd "$root" && mvn -q -B package -DskipTests -pl spark -am)
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/jars"
touch "$home/RELEASE"   # marks an installed Spark: jars are in $SPARK_HOME/jars
ln -s "$root"/spark/target/lib/*.jar "$root/spark/target/spherenet-spark.jar" "$home/jars/"
export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13
# one task slot per executor (DJL: one gradient collector per JVM), 1 core each, 2 GB per worker
master="local-cluster[$workers,1,2048]"
export JAVA_OPTS="${JAVA_OPTS:--Xmx3g} -Dspark.executor.memory=1536m"
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
