// SPDX-License-Identifier: Apache-2.0
// The sockets that speak for this node on one device's link: ARP for IPv4,
// Neighbour Discovery for IPv6, each kept open while the operations stay on
// that device. Part of SystemHost, which opens every socket the operations
// use (lkping, a command of its own, opens its pinger itself).
#pragma once

#include <stdint.h>

#include "base/ip_address.h"
#include "base/status.h"
#include "net/arp.h"
#include "net/duplicate_probe.h"
#include "net/link.h"

namespace ipres {

class LinkProbes {
 public:
  // The echo from `source` and the family's probe for `address` in one
  // window (Probes::ProbeForDuplicate).
  // `own` excludes answers in this node's own name (IPv6), `macs` answers
  // from this node's own MACs other than the device's.
  Result<Duplicate> ProbeForDuplicate(const LinkInfo& link, const IpAddress& source,
                                      const IpAddress& address, uint32_t window_ms,
                                      SourceFilter& own, MacFilter& macs);
  Status ArpAnnounce(const LinkInfo& link, Ipv4 address, Ipv4 target, GarpKind kind);
  // `router`: the device forwards IPv6 (GetIpv6Forwarding).
  Status NdpAnnounce(const LinkInfo& link, const Ipv6& address, bool router);

 private:
  // One ARP socket for the process, reopened only when the device changes:
  // each close costs the kernel's RCU grace period.
  Result<ArpSocket*> ArpOn(const LinkInfo& link);
  Result<NdpSocket*> NdpOn(const LinkInfo& link);

  ArpSocket arp_;
  NdpSocket ndp_;
};

}  // namespace ipres
