# shellcheck shell=bash
# The native environment PyTorch's CPU kernels run in, sourced by bin/spherenet, bin/test and
# bench/compare.sh (for its tuned reference). It must be set before the JVM starts.
#
# Allocator. With glibc's malloc, PyTorch's large tensors are either unmapped and faulted in again
# every step (the default) or, with the tuning below, kept in a heap that fragments: a SphereNet-9
# step at the authors' widths peaks at 3.4-3.5 GiB resident for 1.4 GiB of live tensors. tcmalloc
# (Debian's libtcmalloc-minimal4) avoids both: 1.7 GiB, and steps as fast or faster
# (docs/PERFORMANCE.md, "Memory"). It is used when installed, unless SPHERENET_ALLOCATOR=glibc.
if [ "${SPHERENET_ALLOCATOR:-tcmalloc}" = tcmalloc ] && [ -z "${LD_PRELOAD:-}" ]; then
  for lib in /usr/lib/*-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib64/libtcmalloc_minimal.so.4; do
    if [ -f "$lib" ]; then
      export LD_PRELOAD="$lib"
      # tcmalloc reports every allocation over 1 GiB on stderr; large batches make such tensors
      export TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD="${TCMALLOC_LARGE_ALLOC_REPORT_THRESHOLD:-1099511627776}"
      break
    fi
  done
fi
# glibc's tuning, harmless under tcmalloc: large tensors stay mapped instead of being unmapped every
# step (DESIGN.md section 2), in one arena, because the JVM runs PyTorch off the main thread, whose
# arena mmaps every chunk of 64 MiB or more whatever the threshold (a SphereNet-9 step 35.7 s -> 17.6 s).
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=4294967295:glibc.malloc.trim_threshold=4294967295:glibc.malloc.arena_max=1}"
# OpenMP threads that wait by spinning steal the cores from each other as soon as anything else
# runs (seen: 60 small steps in 80 s instead of 9 s beside another busy process); sleeping waits avoid it.
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
