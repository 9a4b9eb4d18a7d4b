/*
 * Peak live heap memory of a process, to tell memory in use from allocator overhead in
 * docs/PERFORMANCE.md (peak resident memory counts both). Preloaded, it counts every malloc,
 * calloc, realloc and aligned allocation through glibc and prints at exit the peak of bytes live
 * at once, and glibc's arena size (its high-water mark when trimming is off). glibc only: with
 * tcmalloc preloaded instead it sees nothing.
 *
 *   gcc -O2 -shared -fPIC -o /tmp/mtrack.so bench/mtrack.c
 *   SPHERENET_ALLOCATOR=glibc MTRACK_OUT=/tmp/mtrack.txt LD_PRELOAD=/tmp/mtrack.so \
 *     bin/spherenet bench --model spherenet9 --width 1 --input 3,32,32 --warmup 1 --steps 3
 *   cat /tmp/mtrack.txt    # one line per process the launcher started; the java line is last
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* glibc's own entry points: calling them avoids dlsym, which itself allocates */
extern void *__libc_malloc(size_t);
extern void __libc_free(void *);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static _Atomic long live, peak;

static void counted(void *p) {
  if (!p) return;
  long now = atomic_fetch_add(&live, (long) malloc_usable_size(p)) + (long) malloc_usable_size(p);
  long seen = atomic_load(&peak);
  while (now > seen && !atomic_compare_exchange_weak(&peak, &seen, now)) {}
}

static void released(void *p) {
  if (p) atomic_fetch_sub(&live, (long) malloc_usable_size(p));
}

void *malloc(size_t n) { void *p = __libc_malloc(n); counted(p); return p; }
void free(void *p) { released(p); __libc_free(p); }
void *calloc(size_t a, size_t b) { void *p = __libc_calloc(a, b); counted(p); return p; }
void *realloc(void *q, size_t n) {
  released(q);
  void *p = __libc_realloc(q, n);
  counted(p ? p : (n ? q : NULL)); /* on failure the old block is still live */
  return p;
}
void *memalign(size_t a, size_t n) { void *p = __libc_memalign(a, n); counted(p); return p; }
void *aligned_alloc(size_t a, size_t n) { return memalign(a, n); }
void *valloc(size_t n) { return memalign(sysconf(_SC_PAGESIZE), n); }
int posix_memalign(void **r, size_t a, size_t n) {
  void *p = memalign(a, n);
  if (!p) return ENOMEM;
  *r = p;
  return 0;
}

__attribute__((destructor)) static void report(void) {
  struct mallinfo2 mi = mallinfo2();
  char line[300];
  int len = snprintf(line, sizeof line,
      "mtrack: peak live %ld MiB; glibc arena %zu MiB (in use at exit %zu MiB), mmapped %zu MiB\n",
      atomic_load(&peak) >> 20, mi.arena >> 20, mi.uordblks >> 20, mi.hblkhd >> 20);
  const char *path = getenv("MTRACK_OUT");
  int fd = path ? open(path, O_WRONLY | O_CREAT | O_APPEND, 0644) : 2;
  if (fd >= 0 && write(fd, line, len) < 0) {}
  if (path && fd >= 0) close(fd);
}
