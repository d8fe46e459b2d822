// LD_PRELOAD library counting every heap allocation of a process; prints the total when it exits.
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <stddef.h>
#include <stdatomic.h>
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
static atomic_ulong count;
void *malloc(size_t s) { atomic_fetch_add(&count, 1); return __libc_malloc(s); }
void *calloc(size_t n, size_t s) { atomic_fetch_add(&count, 1); return __libc_calloc(n, s); }
void *realloc(void *p, size_t s) { atomic_fetch_add(&count, 1); return __libc_realloc(p, s); }
int posix_memalign(void **o, size_t a, size_t s) { atomic_fetch_add(&count, 1); void *p = __libc_memalign(a, s); if (!p) return 12; *o = p; return 0; }
__attribute__((destructor)) static void report(void) { fprintf(stderr, "mallocs: %lu\n", (unsigned long)atomic_load(&count)); }
