// SPDX-License-Identifier: Apache-2.0
// The link check (spec "Checking the link status"): restore's, with one
// down/up bounce, and quickCheck's, without.
#pragma once

#include "base/status.h"
#include "ops/op.h"

namespace ipres {

// "Link down" is not up or no carrier. kOnce takes a down device down and up
// once and waits up to IP_MAX_LINKCHK for carrier; the device is always
// brought back up once it was taken down, even when a stop is requested.
enum class Bounce { kNo, kOnce };
Status CheckLink(const Op& op, Bounce bounce);

}  // namespace ipres
