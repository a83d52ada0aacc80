// SPDX-License-Identifier: Apache-2.0
// The monitor's repeated announcements (GARP_REPEAT_DELAY after the address
// comes up, or is found up at the monitor's start, then every GARP_REFRESH):
// each returns when the next one is due.
#pragma once

#include <stdint.h>

#include "host/host.h"
#include "ops/conflict_watch.h"
#include "ops/op.h"

namespace ipres {

constexpr int64_t kNoAnnouncement = INT64_MAX;

// now + delay_ms (GARP_REFRESH when delay_ms is 0; kNoAnnouncement when that
// is 0 too), logged in one line: "ADDRESS WHY DEVICE: ... again in N s".
int64_t ScheduleAnnouncement(const Op& op, int64_t now, uint32_t delay_ms, const char* why);
// Announces the address again while it is still on its device, and
// schedules the next GARP_REFRESH later; gone: no further announcement.
int64_t AnnounceAgain(Host& host, const Resource& r);
// AnnounceAgain, unless a defence is under DEFEND_INTERVAL old: then the
// announcement waits for the interval's end, logged as "ADDRESS defended on
// DEVICE: ... again in N s". Sent within it, it would answer the claims that
// the interval holds back (contract: "Defended, rate-limited").
int64_t AnnounceWhenFree(Host& host, const Resource& r, const ConflictWatch& conflict);

}  // namespace ipres
