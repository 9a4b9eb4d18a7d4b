#!/usr/bin/env bash
# Builds the fused SphereConv kernels (sphere_kernels.c) into DIR/org/spherenet/nn/, where
# SphereKernels loads them from the class path. Maven runs it after compiling core. It needs a C
# compiler, Sleef (Debian: libsleef-dev) and the JDK's JNI headers; without them it says so and
# builds nothing, and SphereConv runs on the engine's own operations as before (the same values to a
# few ulps, SphereConvFusedTest).
# usage: build.sh CLASSES_DIR JAVA_HOME
set -euo pipefail
out="$1/org/spherenet/nn"
java_home="$2"
src="$(dirname "$0")/sphere_kernels.c"
lib="$out/libspherenet_kernels.so"
skip() {
  echo "[spherenet] fused SphereConv kernels not built ($1); SphereConv uses the engine's operations" >&2
  rm -f "$lib"
  exit 0
}
[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || skip "not Linux on x86-64"
command -v cc >/dev/null || skip "no C compiler (Debian: gcc)"
[ -f "$java_home/include/jni.h" ] || skip "no JNI headers in $java_home"
mkdir -p "$out"
[ -f "$lib" ] && [ -z "$(find "$(dirname "$src")" -newer "$lib")" ] && exit 0
# -ffp-contract=off: no fused multiply-adds (they round differently); -fno-math-errno and
# -fno-trapping-math only let loops with square roots and selections vectorise (values unchanged)
cc -O3 -mavx2 -mfma -ffp-contract=off -fno-math-errno -fno-trapping-math -fPIC -shared \
   -I"$java_home/include" -I"$java_home/include/linux" \
   "$src" -o "$lib.tmp" -lsleef 2>"$lib.log" || { cat "$lib.log" >&2; rm -f "$lib.log" "$lib.tmp"; skip "compilation failed; Debian: libsleef-dev"; }
rm -f "$lib.log"
mv "$lib.tmp" "$lib"
