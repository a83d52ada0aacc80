// SPDX-License-Identifier: Apache-2.0
/* The allocator of the trap build (tests/alloc_check.sh): every entry point
 * of musl's allocator, public and internal, says who was called and aborts.
 * Linked before libc.a, these definitions keep musl's own allocator out, so
 * an ipres run that allocates at all dies here. */
#include <stddef.h>
#include <stdlib.h>
#include <unistd.h>

static void trap(const char *msg, size_t len) {
  (void)!write(2, msg, len);
  abort();
}
#define TRAP(name) trap("alloc trap: " name " called\n", sizeof "alloc trap: " name " called\n" - 1)

void *malloc(size_t n) { (void)n; TRAP("malloc"); return 0; }
void *calloc(size_t m, size_t n) { (void)m; (void)n; TRAP("calloc"); return 0; }
void *realloc(void *p, size_t n) { (void)p; (void)n; TRAP("realloc"); return 0; }
void free(void *p) { (void)p; TRAP("free"); }
void *aligned_alloc(size_t a, size_t n) { (void)a; (void)n; TRAP("aligned_alloc"); return 0; }
int posix_memalign(void **r, size_t a, size_t n) { (void)r; (void)a; (void)n; TRAP("posix_memalign"); return 12; }
void *memalign(size_t a, size_t n) { (void)a; (void)n; TRAP("memalign"); return 0; }
size_t malloc_usable_size(void *p) { (void)p; TRAP("malloc_usable_size"); return 0; }
/* musl's internal names (src/malloc): libc code such as atexit calls these. */
void *__libc_malloc(size_t n) { (void)n; TRAP("__libc_malloc"); return 0; }
void *__libc_malloc_impl(size_t n) { (void)n; TRAP("__libc_malloc_impl"); return 0; }
void *__libc_calloc(size_t m, size_t n) { (void)m; (void)n; TRAP("__libc_calloc"); return 0; }
void *__libc_realloc(void *p, size_t n) { (void)p; (void)n; TRAP("__libc_realloc"); return 0; }
void __libc_free(void *p) { (void)p; TRAP("__libc_free"); }
