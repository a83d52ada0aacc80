// SPDX-License-Identifier: Apache-2.0
// The seam that paces an operation: its clocks, its sleeps and jitter, and
// whether it must stop. SystemHost (system_pacer.cc) implements it; unit
// tests fake it, so no test waits on the wall clock.
#pragma once

#include <stdint.h>

namespace ipres {

class Pacer {
 public:
  // True once the process was asked to stop (SIGTERM, SIGINT), or a
  // take-down asked it to abandon the bring-up it holds the lock for: the
  // operation must leave the resource in a defined state and return.
  virtual bool StopRequested() = 0;
  // Only the signal (SIGTERM, SIGINT), not an abandon request.
  virtual bool StopSignalled() = 0;

  virtual int64_t NowMs() = 0;
  // Wall-clock seconds since the epoch, for the check record.
  virtual int64_t WallClockS() = 0;
  // Sleeps up to ms; returns early when a stop is requested.
  virtual void SleepMs(uint32_t ms) = 0;
  // A random delay in [0, limit_ms]: two nodes that failed together must
  // not retry in step.
  virtual uint32_t JitterMs(uint32_t limit_ms) = 0;

 protected:
  ~Pacer() = default;
};

}  // namespace ipres
