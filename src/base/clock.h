// Monotonic time in milliseconds, and deadlines on it.
#pragma once

#include <stdint.h>

namespace ipres {

int64_t MonotonicMs();
// Microseconds, for round-trip times.
int64_t MonotonicUs();

// Milliseconds left until deadline_ms (never negative).
inline int64_t MsUntil(int64_t deadline_ms, int64_t now_ms) {
  return deadline_ms > now_ms ? deadline_ms - now_ms : 0;
}

}  // namespace ipres
