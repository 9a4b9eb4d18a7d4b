#!/usr/bin/env bash
# Lock-step parity: the real training loop (spherenet parity-record) against an independent
# PyTorch implementation of the same recipe (bench/reference/parity.py, written from DESIGN.md and
# PAPER.md), on the same initial weights and the same batches of real Fashion-MNIST images, for
# 50 steps per case. Prints "max relative difference X over N steps" per case and exits non-zero
# when a case is over its bound (float64: 1e-9). docs/FIDELITY.md explains the cases and numbers.
#
#   bench/parity.sh                      # every case (about 3 minutes on 2 cores)
#   bench/parity.sh cnn9 loss-a-softmax  # some cases
#   KEEP=DIR bench/parity.sh             # keep the recorded runs in DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python=/usr/bin/python3   # Debian's torch lives there, not in a pyenv python

if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "parity.sh: installing python3-torch (Debian) ..." >&2
  apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null
fi
if [ -n "${KEEP:-}" ]; then
  work="$KEEP"; mkdir -p "$work"
else
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fi
export OMP_NUM_THREADS="${THREADS:-2}"
mapfile -t cases < <("$python" "$root/bench/reference/parity.py" prepare "$work" "$@")
status=0
"$root/bin/spherenet" parity-record "${cases[@]}" || status=$?   # a failed case: no files, FAILED below
# the reference in the default environment, as a PyTorch user runs it
env -u GLIBC_TUNABLES -u LD_PRELOAD -u OMP_WAIT_POLICY \
  "$python" "$root/bench/reference/parity.py" check "$work" "$@" || status=$?
exit "$status"
