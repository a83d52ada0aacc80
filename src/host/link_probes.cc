// SPDX-License-Identifier: Apache-2.0
#include "host/link_probes.h"

#include <errno.h>

namespace ipres {

Result<Duplicate> LinkProbes::ProbeForDuplicate(const LinkInfo& link, const IpAddress& source,
                                                const IpAddress& address, uint32_t window_ms,
                                                SourceFilter& own, MacFilter& macs) {
  if (address.is_v6()) {
    Result<NdpSocket*> ndp = NdpOn(link);
    if (!ndp.ok()) return ndp.status();
    return ipres::ProbeForDuplicate(*ndp.value(), link.mac, link.name, source, address.v6(),
                                    window_ms, &own, &macs);
  }
  Result<ArpSocket*> arp = ArpOn(link);
  if (!arp.ok()) return arp.status();
  return ipres::ProbeForDuplicate(*arp.value(), link.mac, link.name, source.v4(), address.v4(),
                                  window_ms, &macs);
}

Status LinkProbes::ArpAnnounce(const LinkInfo& link, Ipv4 address, Ipv4 target, GarpKind kind) {
  Result<ArpSocket*> arp = ArpOn(link);
  if (!arp.ok()) return arp.status();
  return ipres::ArpAnnounce(*arp.value(), link.mac, address, target, kind);
}

Status LinkProbes::NdpAnnounce(const LinkInfo& link, const Ipv6& address, bool router) {
  Result<NdpSocket*> ndp = NdpOn(link);
  if (!ndp.ok()) return ndp.status();
  return ndp.value()->NdpAnnounce(address, link.mac, router);
}

Result<ArpSocket*> LinkProbes::ArpOn(const LinkInfo& link) {
  if (!link.has_mac) return Status::Errno(EOPNOTSUPP, "%s has no MAC address", link.name);
  // One index is one device, of one kind, for as long as it exists.
  if (arp_.fd() < 0 || arp_.ifindex() != link.ifindex) {
    Status s = arp_.Open(link.ifindex, link.kind == LinkKind::kVlan);
    if (!s.ok()) return s;
  }
  return &arp_;
}

Result<NdpSocket*> LinkProbes::NdpOn(const LinkInfo& link) {
  if (!link.has_mac) return Status::Errno(EOPNOTSUPP, "%s has no MAC address", link.name);
  if (ndp_.fd() < 0 || ndp_.ifindex() != link.ifindex) {
    Status s = ndp_.Open(link.name, link.ifindex);
    if (!s.ok()) return s;
  }
  return &ndp_;
}

}  // namespace ipres
