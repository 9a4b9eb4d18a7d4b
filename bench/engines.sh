#!/usr/bin/env bash
# Two engines side by side: builds this checkout's tool twice, once per DJL + libtorch pair, into
# temporary copies, then runs `spherenet bench` on each network alternately (OLD, NEW, OLD, ...)
# for ROUNDS rounds so both see the same load, and prints the median ms/step and peak memory of
# each with the ratio OLD / NEW.
#
#   bench/engines.sh                          # 0.27.0 + 2.1.1 against the pom's engine
#   OLD=0.27.0/2.1.1 NEW=0.36.0/2.7.1 ROUNDS=3 bench/engines.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
OLD="${OLD:-0.27.0/2.1.1}"
NEW="${NEW:-$(sed -n 's#.*<djl.version>\(.*\)</djl.version>.*#\1#p' "$root/pom.xml" | head -1)/$(sed -n 's#.*<pytorch.version>\(.*\)</pytorch.version>.*#\1#p' "$root/pom.xml" | head -1)}"
ROUNDS="${ROUNDS:-3}"
THREADS="${THREADS:-2}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

build() { # build ENGINE(djl/pytorch) DIR
  local djl="${1%/*}" torch="${1#*/}"
  mkdir -p "$2"
  git -C "$root" ls-files -z | (cd "$root" && xargs -0 tar cf -) | tar xf - -C "$2"
  (cd "$2" && mvn -q -B -ntp package -DskipTests -pl cli -am \
      -Ddjl.version="$djl" -Dpytorch.version="$torch") >&2
}
echo "engines.sh: building $OLD and $NEW ..." >&2
build "$OLD" "$work/old"
build "$NEW" "$work/new"

# name | bench arguments
configs=(
  "SphereNet-9, width 0.125, 1x28x28, batch 64|--model spherenet9 --width 0.125 --input 1,28,28 --batch-size 64 --warmup 20 --steps 40"
  "CNN-9, width 0.125, 1x28x28, batch 64|--model cnn9 --width 0.125 --input 1,28,28 --batch-size 64 --warmup 20 --steps 40"
  "SphereNet-9, width 1, 3x32x32, batch 128|--model spherenet9 --width 1 --input 3,32,32 --batch-size 128 --warmup 1 --steps 3"
  "CNN-9, width 1, 3x32x32, batch 128|--model cnn9 --width 1 --input 3,32,32 --batch-size 128 --warmup 1 --steps 3"
)
results="$work/results.tsv"
for round in $(seq 1 "$ROUNDS"); do
  for config in "${configs[@]}"; do
    name="${config%%|*}"; args="${config#*|}"
    for side in old new; do
      # shellcheck disable=SC2086
      json="$("$work/$side/bin/spherenet" bench --threads "$THREADS" --json $args)"
      printf '%s\t%s\t%s\n' "$name" "$side" "$json" >> "$results"
    done
  done
  echo "engines.sh: round $round of $ROUNDS done" >&2
done
echo "Machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) at the end; old = DJL/libtorch $OLD, new = $NEW"
python3 - "$results" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, side, js = line.rstrip("\n").split("\t", 2)
    rows.setdefault(name, {}).setdefault(side, []).append(json.loads(js))
def med(runs, key):
    return statistics.median(r[key] for r in runs)
print("| network | old ms/step | new ms/step | old / new | old peak MiB | new peak MiB |")
print("|---|---|---|---|---|---|")
for name, sides in rows.items():
    o, n = sides["old"], sides["new"]
    mo, mn = med(o, "medianMs"), med(n, "medianMs")
    po, pn = med(o, "peakRssMiB"), med(n, "peakRssMiB")
    print(f"| {name} | {mo:.1f} | {mn:.1f} | {mo / mn:.2f}x | {po:.0f} | {pn:.0f} |")
EOF
