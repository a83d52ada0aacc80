// SPDX-License-Identifier: Apache-2.0
// Monotonic time in milliseconds, and deadlines on it; wall-clock time for
// what an operator reads.
#pragma once

#include <stdint.h>

namespace ipres {

int64_t MonotonicMs();
// Microseconds, for round-trip times.
int64_t MonotonicUs();

// Seconds since the epoch (CLOCK_REALTIME).
int64_t WallClockS();
// Seconds since the epoch as "2026-12-04T23:41:07Z" (UTC: no time zone file
// to read, the same on every node, and no allocator: see clock.cc).
struct UtcText {
  explicit UtcText(int64_t epoch_s);
  char s[64];  // room for any int the fields may hold
};

// Milliseconds left until deadline_ms (never negative).
inline int64_t MsUntil(int64_t deadline_ms, int64_t now_ms) {
  return deadline_ms > now_ms ? deadline_ms - now_ms : 0;
}

}  // namespace ipres
