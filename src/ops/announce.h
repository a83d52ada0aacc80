// SPDX-License-Identifier: Apache-2.0
// Telling the network the address is here (spec "Assigning virtual IP
// addresses and flushing the ARP table", after the add): restore's flush and
// gratuitous ARPs, and the monitor's later repeats of the ARPs.
#pragma once

#include "ops/op.h"

namespace ipres {

// What AnnounceAddress logs: a line per frame (restore, the monitor's
// repeats), or only the frames that could not be sent (a defence, whose one
// line says what it sends).
enum class AnnounceLog { kEachFrame, kFailuresOnly };

// The four gratuitous ARPs of restore (-U and -A to the address, then to the
// subnet broadcast); for IPv6, four unsolicited neighbour advertisements.
// False when any could not be sent (each is logged).
bool AnnounceAddress(const Op& op, AnnounceLog log = AnnounceLog::kEachFrame);
// What AnnounceAddress sends, for log lines: "gratuitous ARPs" or
// "neighbour advertisements".
const char* AnnouncementsOf(const Resource& r);
// Flush the device's neighbours, then AnnounceAddress; when an announcement
// cannot go out, the spec's fallback: flush again, so at least this node
// forgets stale neighbours. A failure here is logged, never fatal.
void FlushAndAnnounce(const Op& op);

}  // namespace ipres
