// SPDX-License-Identifier: Apache-2.0
// SystemHost's LinkConfig: each step one rtnetlink request of net/ on the
// device's resolved link (SystemHost::OnLink).
#include "host/system_host_class.h"
#include "net/address.h"
#include "net/neighbour.h"
#include "net/route.h"

namespace ipres {

// The operation's own read of the link: always the kernel's word, and
// the link the steps after it work on.
Result<LinkState> SystemHost::GetLink(const char* device) {
  Status s = Resolve(device);
  if (!s.ok()) return s;
  LinkState state;
  state.ifindex = link_.ifindex;
  state.admin_up = link_.admin_up();
  state.carrier = link_.carrier();
  return state;
}

Status SystemHost::SetLinkUp(const char* device, bool up) {
  return OnLink(device, [&](const LinkInfo& link) { return ipres::SetLinkUp(nl_, link, up); });
}

Result<bool> SystemHost::WaitForCarrier(const char* device, uint32_t timeout_ms) {
  NetlinkSocket link_events;
  Status s = Open();
  if (s.ok()) s = link_events.Open();
  if (!s.ok()) return s;
  return ipres::WaitForCarrier(nl_, link_events, device, timeout_ms);
}

Result<bool> SystemHost::GetMacvlanBase(const char* device, char* base) {
  return OnLink(device,
                [&](const LinkInfo& link) { return ipres::GetMacvlanBase(nl_, link, base); });
}

Status SystemHost::VisitAddresses(int af, const char* device, AddressVisitor& visitor) {
  if (device) {
    return OnLink(device, [&](const LinkInfo& link) {
      return ipres::VisitAddresses(nl_, af, link.ifindex, visitor);
    });
  }
  Status s = Open();
  if (!s.ok()) return s;
  return ipres::VisitAddresses(nl_, af, 0, visitor);
}

// An IPv6 address is in service once its local route is in (a second at
// most; the checks after it tell whether it works).
Status SystemHost::AddAddress(const char* device, const IpAddress& address, uint8_t prefix,
                              SourceUse use) {
  return OnLink(device, [&](const LinkInfo& link) -> Status {
    Status s = ipres::AddAddress(nl_, link, address, prefix, use);
    if (!s.ok() || !address.is_v6()) return s;
    Result<bool> routed = LocalRouteWithin(nl_, link, address, 1000);
    return routed.ok() ? OkStatus() : routed.status();
  });
}

Status SystemHost::ReplaceAddress(const char* device, const IpAddress& address, uint8_t prefix,
                                  SourceUse use) {
  return OnLink(device, [&](const LinkInfo& link) {
    return ipres::ReplaceAddress(nl_, link, address, prefix, use);
  });
}

Status SystemHost::DeleteAddress(const char* device, const IpAddress& address, uint8_t prefix) {
  return OnLink(device, [&](const LinkInfo& link) {
    return ipres::DeleteAddress(nl_, link, address, prefix);
  });
}

Status SystemHost::FlushNeighbours(const char* device) {
  return OnLink(device, [&](const LinkInfo& link) { return ipres::FlushNeighbours(nl_, link); });
}

Status SystemHost::SetRouteSource(const char* device, const IpAddress& network, uint8_t prefix,
                                  const IpAddress& source) {
  return OnLink(device, [&](const LinkInfo& link) {
    return ipres::SetRouteSource(nl_, link, network, prefix, source);
  });
}

Result<IpAddress> SystemHost::GetRouteSource(const char* device, const IpAddress& network,
                                             uint8_t prefix) {
  return OnLink(device, [&](const LinkInfo& link) {
    return ipres::GetRouteSource(nl_, link, network, prefix);
  });
}

Status SystemHost::EnsureSubnetRoute(const char* device, const IpAddress& network, uint8_t prefix,
                                     const IpAddress& source) {
  return OnLink(device, [&](const LinkInfo& link) {
    return ipres::EnsureSubnetRoute(nl_, link, network, prefix, source);
  });
}

Status SystemHost::DeleteHostRoute(const char* device, const IpAddress& address) {
  return OnLink(device,
                [&](const LinkInfo& link) { return ipres::DeleteHostRoute(nl_, link, address); });
}

void SystemHost::FlushRouteCache(int af) {
  ipres::FlushRouteCache(af);
}

}  // namespace ipres
