// SPDX-License-Identifier: Apache-2.0
// The monitor's recover after a failed quickCheck (spec "Recovery"), and its
// back-off: a failed recover waits 1 s, then twice as long each time, up to
// a minute or LKCHECKINTERVAL, within 25% either way at random so two nodes
// that failed at the same moment do not retry in step.
#pragma once

#include <stdint.h>

#include "config/resource.h"
#include "host/host.h"

namespace ipres {

struct RecoveryState {
  int64_t not_before_ms = 0;  // no recover before then
  uint32_t failures = 0;      // recovers failed in a row
};

// Recovers r now, or says when it may; returns when the monitor should
// check r next.
int64_t RecoverWithBackoff(Host& host, const Resource& r, RecoveryState& state);

}  // namespace ipres
