// SPDX-License-Identifier: Apache-2.0
// SystemHost's Pacer: base/'s clocks and randomness, the stop signal, and
// a take-down's abandon request on the tag's lock.
#include <errno.h>
#include <time.h>

#include "base/clock.h"
#include "base/random.h"
#include "base/stop_signal.h"
#include "host/system_host_class.h"

namespace ipres {

bool SystemHost::StopRequested() {
  return StopSignalled() || tags_.AbandonRequested();
}

bool SystemHost::StopSignalled() {
  return ipres::StopSignalled();
}

int64_t SystemHost::NowMs() {
  return MonotonicMs();
}

int64_t SystemHost::WallClockS() {
  return ipres::WallClockS();
}

uint32_t SystemHost::JitterMs(uint32_t limit_ms) {
  return RandomUpTo(limit_ms);
}

void SystemHost::SleepMs(uint32_t ms) {
  timespec left = {static_cast<time_t>(ms / 1000), static_cast<long>(ms % 1000) * 1000000L};
  while (nanosleep(&left, &left) != 0 && errno == EINTR && !StopRequested()) {
  }
}

}  // namespace ipres
