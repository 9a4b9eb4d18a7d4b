#!/usr/bin/env bash
# The journey test: the README's commands in the order a new user types them, in a fresh folder,
# with the tool `mvn verify` built (bin/spherenet). Every step checks the exit code, that an error
# is one line, and that no file changed unless changing it is the command's purpose (every file is
# hashed before and after each command). At the end, CheckJson.java reads every JSON file the tool
# wrote. Run by bin/test after `mvn verify`; about two minutes on two cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
here="$root/cli/src/test/journey"
spherenet="$root/bin/spherenet"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/spherenet-journey.XXXXXX")"
work="$tmp/user"     # the user's folder: runs/ and results/ go here
out="$tmp/stdout"
err="$tmp/stderr"
background=""
cleanup() {
  if [ -n "$background" ]; then kill "$background" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
mkdir -p "$work"
cd "$work"
cp "$here/trousers-rgba-96x64.png" "$here/shoe-gray-40x56.jpg" .
started=$SECONDS

fail() {
  echo "journey: FAILED: $*" >&2
  echo "--- stdout:" >&2; tail -n 20 "$out" >&2 || true
  echo "--- stderr:" >&2; tail -n 20 "$err" >&2 || true
  exit 1
}

# The SHA-256 of every file in the user's folder, except under the given paths.
hashes() {
  find . -type f -print0 | sort -z | xargs -0 -r sha256sum \
    | awk -v skip="$*" 'BEGIN { n = split(skip, p, " ") }
        { for (i = 1; i <= n; i++) if (index($2, "./" p[i]) == 1) next; print }'
}

# Checks that the command just run ended with $1 and changed no file outside the paths $2.
check() {
  local expected="$1" may="$2" before="$3" code="$4" what="$5"
  [ "$code" = "$expected" ] || fail "'$what' exited with $code, expected $expected"
  if [ "$expected" = 2 ]; then
    [ "$(wc -l <"$err")" = 1 ] && grep -q '^spherenet: ' "$err" \
      || fail "'$what': a user mistake should be one line on stderr"
  fi
  local changed
  changed="$(diff <(echo "$before") <(hashes $may) | grep '^[<>]' | awk '{ print $3 }' | sort -u || true)"
  [ -z "$changed" ] || fail "'$what' changed files it should not have: $changed"
}

# step EXPECTED_CODE "PATHS IT MAY CHANGE" ARGS...: runs 'spherenet ARGS'.
step() {
  local expected="$1" may="$2"; shift 2
  local before; before="$(hashes $may)"
  local start=$SECONDS
  set +e; "$spherenet" "$@" >"$out" 2>"$err"; local code=$?; set -e
  echo "journey: spherenet $*   ($((SECONDS - start)) s)"
  check "$expected" "$may" "$before" "$code" "spherenet $*"
}

# interrupted "PATHS IT MAY CHANGE" RUN_GLOB ARGS...: starts 'spherenet ARGS', presses Ctrl-C
# (SIGINT) once its run is training, and expects exit code 130 and a checkpoint.
interrupted() {
  local may="$1" run="$2"; shift 2
  local before; before="$(hashes $may)"
  local start=$SECONDS
  set -m # job control: a background job takes SIGINT as a terminal would give it
  "$spherenet" "$@" >"$out" 2>"$err" &
  background=$!
  set +m
  for _ in $(seq 1 600); do
    compgen -G "$run/model.json" >/dev/null && break # written when the training loop starts
    kill -0 "$background" 2>/dev/null || break
    sleep 0.2
  done
  compgen -G "$run/model.json" >/dev/null || fail "'spherenet $*' did not start training"
  kill -INT "$background"
  set +e; wait "$background"; local code=$?; set -e
  background=""
  echo "journey: spherenet $*   (Ctrl-C once training; $((SECONDS - start)) s)"
  check 130 "$may" "$before" "$code" "spherenet $* (Ctrl-C)"
  grep -q "stopped at iteration .* (checkpoint written); continue with 'spherenet train --resume" "$out" \
    || fail "no resume hint after Ctrl-C"
  compgen -G "$run/checkpoint.bin" >/dev/null || fail "no checkpoint after Ctrl-C"
}

expect_out() { grep -qE -- "$1" "$out" || fail "expected '$1' in the output"; }
expect_err() { grep -qE -- "$1" "$err" || fail "expected '$1' on stderr"; }

# 1. What is there, and every command's defaults
step 0 "" --help
for command in train eval predict models experiment report bench; do
  step 0 "" "$command" --help
  expect_out "default"
done

# 2. The README's first command, exactly as written, stopped with Ctrl-C
interrupted "runs/" "runs/spherenet9-linear-*" train
main="$(echo runs/spherenet9-linear-*)"

# 3. A short training run of our own, then its evaluation and predictions
short=(--iterations 60 --eval-every 30 --checkpoint-every 30 --eval-limit 500 --fraction 0.1)
step 0 "runs/first/" train --name first --operator "sigmoid(0.3)" --classifier w-softmax "${short[@]}"
expect_out "^runs/first: 60 iterations, test accuracy [0-9.]+% \(best [0-9.]+% at (30|60)\)"
for f in config.json model.json metrics.jsonl metrics.csv curves.png checkpoint.bin summary.json; do
  [ -f "runs/first/$f" ] || fail "runs/first/$f missing"
done
step 0 "" eval runs/first
expect_out "^accuracy [0-9.]+%"
step 0 "" predict runs/first trousers-rgba-96x64.png shoe-gray-40x56.jpg
expect_out "^trousers-rgba-96x64.png"
expect_out "^shoe-gray-40x56.jpg"
[ "$(grep -c '%$' "$out")" = 6 ] || fail "predict should show the top 3 classes of each image"
step 2 "" predict runs/first no-such-image.png
expect_err "no-such-image.png"

# 4. Resuming a finished run changes nothing; options that cannot change are refused
step 0 "" train --resume runs/first
expect_out "^runs/first: already finished: 60 iterations, test accuracy [0-9.]+% .*; nothing to resume$"
step 2 "" train --resume runs/first --lr 0.5 --iterations 500
expect_err "^spherenet: runs/first: --lr cannot change when a run is resumed"

# 5. Ctrl-C, then resume
small=(--width 0.0625 --batch-size 32 --iterations 150 --eval-every 50 --checkpoint-every 50 --eval-limit 300 --fraction 0.1)
interrupted "runs/second/" "runs/second" train --name second "${small[@]}"
grep -q '"finished" : false' runs/second/summary.json || fail "runs/second/summary.json should say unfinished"
step 0 "runs/second/" train --resume runs/second
expect_out "^runs/second: 150 iterations, test accuracy"
[ "$(grep -o '"iteration":[0-9]*' runs/second/metrics.jsonl | tr '\n' ' ')" = '"iteration":50 "iteration":100 "iteration":150 ' ] \
  || fail "runs/second/metrics.jsonl should hold iterations 50, 100, 150 once each"
grep -q '"finished" : true' runs/second/summary.json || fail "runs/second/summary.json should say finished"

# 6. A second run into a name already used is refused
step 2 "" train --name first "${short[@]}"
expect_err "already holds a run"

# 7. A study at tiny scale, the report page, the networks, a benchmark
step 0 "results/ runs/experiments/" experiment width --scale tiny
# a scale other than standard writes results/SCALE/, so no tiny report replaces a standard one
[ -f results/tiny/width/report.md ] && [ -f results/tiny/width/results.json ] || fail "results/tiny/width incomplete"
step 0 "results/tiny/report.html" report --results results/tiny
expect_out "results/tiny/report.html: 1 studies"
step 0 "" models
expect_out "^Parameters and MFLOPs of one 3x32x32 image"
step 0 "" bench --warmup 1 --steps 2
expect_out "ms/step"
step 0 "" bench --warmup 1 --steps 2 --json
mkdir -p "$tmp/bench" && cp "$out" "$tmp/bench/bench.json"

# 8. Every JSON file written, against its schema
mapfile -t written < <(find . "$tmp/bench" -type f \( -name '*.json' -o -name '*.jsonl' \) | sort)
[ "${#written[@]}" -ge 10 ] || fail "expected the JSON files of four runs, a study and a benchmark"
java -cp "$root/cli/target/lib/*" "$here/CheckJson.java" "${written[@]}" 2>&1 | grep -v '^Note: ' \
  || fail "JSON schema"
[ "${PIPESTATUS[0]}" = 0 ] || fail "JSON schema"
echo "journey: passed in $((SECONDS - started)) s (main run stopped at $main)"
