// SPDX-License-Identifier: Apache-2.0
// SystemHost's Probes: the link's ARP and NDP sockets (LinkProbes), the
// connectivity check's pinger and the monitor's claim watch (EventSource),
// with this node's own addresses and MACs told apart (node_filters.h).
#include "host/node_filters.h"
#include "host/system_host_class.h"
#include "net/icmp.h"

namespace ipres {

Result<Duplicate> SystemHost::ProbeForDuplicate(const char* device, const IpAddress& source,
                                                const IpAddress& address, uint32_t window_ms) {
  Status s = Open();
  if (!s.ok()) return s;
  NodeAddressFilter own(nl_);
  NodeMacFilter macs(nl_);
  return OnLink(device, [&](const LinkInfo& link) {
    return probes_.ProbeForDuplicate(link, source, address, window_ms, own, macs);
  });
}

Status SystemHost::ArpAnnounce(const char* device, Ipv4 address, Ipv4 target, GarpKind kind) {
  return OnLink(device, [&](const LinkInfo& link) {
    return probes_.ArpAnnounce(link, address, target, kind);
  });
}

Status SystemHost::NdpAnnounce(const char* device, const Ipv6& address) {
  return OnLink(device, [&](const LinkInfo& link) -> Status {
    Result<bool> router = GetIpv6Forwarding(nl_, link);
    if (!router.ok()) return router.status();
    return probes_.NdpAnnounce(link, address, router.value());
  });
}

Result<PingOutcome> SystemHost::Ping(const PingWindow& window) {
  Status s = Open();
  if (!s.ok()) return s;
  NodeAddressFilter own(nl_);
  return ipres::Ping(window, &own);
}

Status SystemHost::WatchClaims(const char* device, const IpAddress& address) {
  return OnLink(device,
                [&](const LinkInfo& link) { return events_.claims().WatchClaims(link, address); });
}

Result<bool> SystemHost::ProbeClaims(const char* device, const IpAddress& address,
                                     uint32_t window_ms, MacAddress* claimant) {
  Status s = WatchClaims(device, address);
  if (!s.ok()) return s;
  return events_.ProbeClaims(address, window_ms, nl_, claimant);
}

Result<bool> SystemHost::TakeClaim(const IpAddress& address, MacAddress* claimant) {
  Status s = Open();
  if (!s.ok()) return s;
  return events_.TakeClaim(address, nl_, claimant);
}

}  // namespace ipres
