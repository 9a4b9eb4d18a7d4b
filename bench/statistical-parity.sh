#!/usr/bin/env bash
# Statistical parity at full length (issue 12, part 3): the main job's recipe (SphereNet-9 with the
# linear SphereConv) and its CNN twin (the conv operator), several seeds each, trained end to end by
# the independent PyTorch implementation (bench/reference/train_reference.py: its own
# initialisation, shuffling and flips), beside the Java runs of the very same settings that
# `spherenet experiment operators` records in results/trials/. Writes the comparison table into
# docs/FIDELITY.md.
#
#   bench/statistical-parity.sh               # the missing PyTorch runs (about 10 min each here), the table
#   DEVICE=cuda bench/statistical-parity.sh   # the PyTorch runs on a GPU
#   bench/statistical-parity.sh --table-only  # the table from the runs that exist
#
# The PyTorch runs go to results/fidelity/pytorch-OPERATOR-seedS.jsonl (one JSON line per
# evaluation); a finished one is not run again. The Java side is not run here: the operators study
# trains exactly these settings (bin/spherenet experiment operators).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python=/usr/bin/python3   # Debian's torch lives there, not in a pyenv python
seeds="${SEEDS:-3}"
out="$root/results/fidelity"

if [ "${1:-}" != --table-only ]; then
  if ! "$python" -c 'import torch' 2>/dev/null; then
    echo "statistical-parity.sh: installing python3-torch (Debian) ..." >&2
    apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null
  fi
  mkdir -p "$out"
  for seed in $(seq 1 "$seeds"); do
    for operator in linear conv; do
      log="$out/pytorch-$operator-seed$seed.jsonl"
      if [ -s "$log" ]; then continue; fi
      echo "statistical-parity.sh: PyTorch, $operator, seed $seed ..." >&2
      # written aside and renamed when complete: an interrupted run leaves no half record behind
      "$python" "$root/bench/reference/train_reference.py" --seed "$seed" --device "${DEVICE:-cpu}" \
        --set operator="$operator" --set evalEvery=200 > "$log.tmp"
      mv "$log.tmp" "$log"
    done
  done
fi
"$python" "$root/bench/reference/statistical_parity.py" "$root" "$seeds"
