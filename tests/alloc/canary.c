// SPDX-License-Identifier: Apache-2.0
/* The canary of tests/alloc_check.sh: one heap allocation, made before main.
 * Linked into a copy of ipres, it must make both checks fail; if it does not,
 * the checks cannot see an allocation and the test says so. */
#include <stdlib.h>

__attribute__((constructor)) static void ipres_alloc_canary(void) {
  void *volatile p = malloc(32);
  free(p);
}
