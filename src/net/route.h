// IPv4 routes over rtnetlink: the connected subnet route's preferred source,
// an address's leftover host route, and the route-cache flush.
#pragma once

#include <linux/netlink.h>
#include <stdint.h>

#include "base/ipv4.h"
#include "base/status.h"
#include "net/link.h"
#include "netlink/socket.h"

namespace ipres {

struct RouteInfo {
  Ipv4 destination;
  uint8_t prefix = 0;
  uint8_t tos = 0;
  uint8_t protocol = 0;
  uint8_t scope = 0;
  uint8_t type = 0;
  uint32_t table = 0;
  int oif = 0;
  bool has_priority = false;
  uint32_t priority = 0;
  Ipv4 preferred_source;  // 0.0.0.0 when none
};

// Decodes an RTM_NEWROUTE message for AF_INET; false when malformed or of
// another family.
bool ParseRouteMessage(const nlmsghdr* msg, RouteInfo* out);

// As `ip -4 route change NETWORK/PREFIX dev DEV src SOURCE`, but keeping the
// route's table, protocol, scope, type and metric as the kernel has them.
// SOURCE 0.0.0.0 drops the preferred source. A missing route (the kernel
// drops it with the address that was its source) is created as the kernel's
// own connected route would be.
Status SetRouteSource(NetlinkSocket& nl, const LinkInfo& link, Ipv4 network, uint8_t prefix,
                      Ipv4 source);

// The preferred source of the connected subnet route NETWORK/PREFIX on the
// device in the main table (0.0.0.0: none); ESRCH when there is no such route.
Result<Ipv4> GetRouteSource(NetlinkSocket& nl, const LinkInfo& link, Ipv4 network, uint8_t prefix);

// Creates the connected subnet route, with `source` (0.0.0.0: none) as its
// preferred source, only when the device has none: the kernel drops it with
// the address that was its source.
Status EnsureSubnetRoute(NetlinkSocket& nl, const LinkInfo& link, Ipv4 network, uint8_t prefix,
                         Ipv4 source);

// Deletes the /32 routes of `address` on the device that can outlive it:
// its local-table host route (only once no device holds the address) and a
// main-table /32 to it. Absent is fine.
Status DeleteHostRoute(NetlinkSocket& nl, const LinkInfo& link, Ipv4 address);

// echo 0 > /proc/sys/net/ipv4/route/flush; errors ignored, as the spec says.
void FlushRouteCache();

}  // namespace ipres
