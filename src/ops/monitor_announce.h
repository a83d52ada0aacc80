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

// When the monitor announces the address next, and whether that one is a
// refresh: one sent every GARP_REFRESH while nothing changes, quiet as the
// periodic checks are (contract "Binary": a syslog ring must not fill with
// "all is well"), logging only a frame that could not be sent.
struct Announcement {
  int64_t due_ms = kNoAnnouncement;
  bool refresh = false;
};

// At now + delay_ms (GARP_REFRESH when delay_ms is 0; none when that is 0
// too), logged in one line: "ADDRESS WHY DEVICE: ... again in N s".
Announcement ScheduleAnnouncement(const Op& op, int64_t now, uint32_t delay_ms, const char* why,
                                  bool refresh = false);
// Announces the address again while it is still on its device, and
// schedules the next GARP_REFRESH later (a refresh); gone: no further
// announcement. The first (GARP_REPEAT_DELAY's repeat) logs each frame and
// when the refreshes come; a refresh logs nothing that went out.
Announcement AnnounceAgain(Host& host, const Resource& r, bool refresh);
// AnnounceAgain for the announcement `due`, unless a defence is under
// DEFEND_INTERVAL old: then it waits for the interval's end, logged as
// "ADDRESS defended on DEVICE: ... again in N s". Sent within it, it would
// answer the claims that the interval holds back (contract: "Defended,
// rate-limited").
Announcement AnnounceWhenFree(Host& host, const Resource& r, const ConflictWatch& conflict,
                              const Announcement& due);

}  // namespace ipres
