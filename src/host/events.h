// SPDX-License-Identifier: Apache-2.0
// The seam the monitor waits on between its rounds of work: one wait for
// what three other seams' objects announce (the link and its addresses,
// the claim watch of Probes, a tag's word of TagStore). It is a seam of its
// own because it belongs to none of them alone: in any one, that seam
// would speak for the other two. Declares no socket: SystemHost
// (system_events.cc) implements it; unit tests fake it.
#pragma once

#include <stdint.h>

#include "base/event_types.h"
#include "base/status.h"

namespace ipres {

class Events {
 public:
  // Link and address events, and kWordChanged when a tag's last word was
  // recorded (by any process): subscribe once, then take them one at a time.
  // kTimeout when timeout_ms passed without one; kEventsLost when the kernel
  // dropped some (read the state afresh). EINTR (a stop) is an error.
  // IPv6 address events only when `ipv6` (a resource of that family is
  // watched): a node's SLAAC refreshes must not wake an IPv4 monitor.
  virtual Status WatchEvents(bool ipv6) = 0;
  virtual Result<NetEvent> NextEvent(uint32_t timeout_ms) = 0;

 protected:
  ~Events() = default;
};

}  // namespace ipres
