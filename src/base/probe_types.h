// SPDX-License-Identifier: Apache-2.0
// What the probes and announcements take and give: plain data, used by
// net/'s ARP, NDP and ICMP code and read by the operations through the
// host's seams (which must not see net/).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/ip_address.h"
#include "base/status.h"

namespace ipres {

// arping -U: an ARP REQUEST, target hardware ff:ff:ff:ff:ff:ff.
// arping -A: an ARP REPLY, target hardware = own MAC.
// Both: sender = own MAC and `address`, target IP = `target`, Ethernet
// destination broadcast.
enum class GarpKind { kRequest, kReply };

// How a holder answered a duplicate probe: an echo reply (ICMP or ICMPv6),
// ARP, or Neighbour Discovery (an advertisement for the address, or another
// host's probe).
enum class Duplicate { kNone, kIcmpReply, kArpReply, kNdpAnswer };

// One connectivity-check window, as the operations use it: one echo to each
// target, all at once, from `source`; waits up to window_ms for the first
// valid reply (for unicast, from one of the targets) that the filter does
// not exclude. Unicast pings are bound to the source address only and follow
// the routing table, as `ping -I ADDR` does; the broadcast ping goes out on
// `device`.
struct PingWindow {
  const char* device = nullptr;
  IpAddress source;
  const IpAddress* targets = nullptr;
  size_t target_count = 0;
  bool broadcast = false;
  uint32_t window_ms = 0;
};
// How a window ended. An echo that could not be sent is no reply, as the
// spec's failed lkping is; the first such error is kept for the log.
struct PingOutcome {
  bool replied = false;
  IpAddress responder;
  Status send_error;
};

}  // namespace ipres
