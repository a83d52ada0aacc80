// SPDX-License-Identifier: Apache-2.0
// A state directory of the test's own, standing for /run/ipres: a fresh
// mkdtemp folder under /tmp per test (the directory itself, g_dir, is left
// for the code under test to make), removed with all it holds afterwards.
#pragma once

#include <stdio.h>
#include <stdlib.h>

inline char g_base[64];  // mkdtemp's, per test
inline char g_dir[96];   // g_base/ipres: the state directory

// cmocka setup and teardown; 0 on success.
inline int Setup(void**) {
  snprintf(g_base, sizeof g_base, "/tmp/ipres-unit-XXXXXX");
  if (!mkdtemp(g_base)) return -1;
  snprintf(g_dir, sizeof g_dir, "%s/ipres", g_base);
  return 0;
}

inline int Teardown(void**) {
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_base);
  return system(cmd) == 0 ? 0 : -1;
}
