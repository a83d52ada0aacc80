// SPDX-License-Identifier: Apache-2.0
// /proc/locks lines as the kernel writes them: only a granted FLOCK on the
// lock file names the holder a take-down may ask to abandon.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "cmocka_cxx.h"
#include "host/proc_locks.h"

using namespace ipres;

namespace {

struct Case {
  const char* line;
  bool held;
  int pid;
};

// The lock file: device 00:1a, inode 4567.
LockedFile TheFile() {
  LockedFile file;
  file.dev_major = 0;
  file.dev_minor = 0x1a;
  file.inode = 4567;
  return file;
}

void ParsesEachKindOfLine(void**) {
  const Case cases[] = {
      // granted flocks on the file
      {"1: FLOCK  ADVISORY  WRITE 123 00:1a:4567 0 EOF", true, 123},
      {"12: FLOCK  ADVISORY  READ 9 00:1a:4567 0 EOF", true, 9},
      {"3:\tFLOCK\tADVISORY\tWRITE\t77\t00:1a:4567\t0\tEOF", true, 77},
      // a waiter for that lock, listed under it
      {"1: -> FLOCK  ADVISORY  WRITE 124 00:1a:4567 0 EOF", false, 0},
      // other kinds of lock on the same file
      {"2: POSIX  ADVISORY  WRITE 123 00:1a:4567 0 EOF", false, 0},
      {"2: OFDLCK ADVISORY  WRITE -1 00:1a:4567 0 EOF", false, 0},
      {"4: LEASE  ACTIVE    READ 123 00:1a:4567 0 EOF", false, 0},
      // flocks on other files
      {"5: FLOCK  ADVISORY  WRITE 123 00:1b:4567 0 EOF", false, 0},
      {"5: FLOCK  ADVISORY  WRITE 123 01:1a:4567 0 EOF", false, 0},
      {"5: FLOCK  ADVISORY  WRITE 123 00:1a:4568 0 EOF", false, 0},
      {"5: FLOCK  ADVISORY  WRITE 123 00:1a:45670 0 EOF", false, 0},
      // malformed
      {"", false, 0},
      {"1: FLOCK", false, 0},
      {"1: FLOCK  ADVISORY  WRITE 123", false, 0},
      {"1: FLOCK  ADVISORY  WRITE 123 00:1a", false, 0},
      {"1: FLOCK  ADVISORY  WRITE 123 00:1a: 0 EOF", false, 0},
      {"1: FLOCK  ADVISORY  WRITE 123 :1a:4567 0 EOF", false, 0},
      {"1: FLOCK  ADVISORY  WRITE 12x 00:1a:4567 0 EOF", false, 0},
      {"1: FLOCK  ADVISORY  WRITE 123 00:1A:4567 0 EOF", false,
       0},  // the kernel writes hex lowercase
      {"1: FLOCK  ADVISORY  WRITE 123 00:1a:45a7 0 EOF", false, 0},
      {"1: FLOCK  ADVISORY  WRITE 99999999999999999999 00:1a:4567 0 EOF", false, 0},
      {"1: flock  ADVISORY  WRITE 123 00:1a:4567 0 EOF", false, 0},
  };
  for (const Case& c : cases) {
    char line[128];
    snprintf(line, sizeof line, "%s", c.line);
    int pid = 0;
    const bool held = ParseFlockHolder(line, TheFile(), &pid);
    if (held != c.held || pid != c.pid) {
      fail_msg("\"%s\": got %s pid %d, expected %s pid %d", c.line, held ? "held" : "not held", pid,
               c.held ? "held" : "not held", c.pid);
    }
  }
}

// The kernel's own listing names this process for a flock it holds, and
// nobody for a file nobody locks.
void ReadsTheKernelsListing(void**) {
  char path[] = "/tmp/ipres-proc-locks-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  unlink(path);
  assert_int_equal(FlockHolderPid(fd), 0);
  assert_int_equal(flock(fd, LOCK_EX), 0);
  assert_int_equal(FlockHolderPid(fd), getpid());
  close(fd);
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(ParsesEachKindOfLine),
      cmocka_unit_test(ReadsTheKernelsListing),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
