// SPDX-License-Identifier: Apache-2.0
// The connectivity check restore and quickCheck share (spec "Connectivity
// check"): unicast to PINGLIST, broadcast to the subnet, or nothing.
#pragma once

#include <stdint.h>

#include "base/ipv4.h"
#include "base/status.h"
#include "config/resource.h"
#include "ops/op.h"

namespace ipres {

// quickCheck's limit on the whole check.
struct Deadline {
  int64_t at_ms;
  uint32_t timeout_ms;
};
// False when PINGLIST is empty and NOBCASTPING=1: the check sends nothing.
bool ConnectivityCheckPings(const Tunables& t);
// Up to IP_PINGTRIES attempts of: the PINGLIST at once, then (unless
// NOBCASTPING) the subnet broadcast, replies from this node's own addresses
// excluded. An echo that cannot be sent is no reply. A stop request ends it
// with an error after any window.
Status CheckConnectivity(const Op& op, const IpAddress& source, const Deadline* deadline);

}  // namespace ipres
