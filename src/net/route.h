// SPDX-License-Identifier: Apache-2.0
// IPv4 and IPv6 routes over rtnetlink: the connected subnet route's preferred source,
// an address's leftover host route, and the route-cache flush.
#pragma once

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>

#include "base/ip_address.h"
#include "base/status.h"
#include "net/link.h"
#include "netlink/message.h"
#include "netlink/socket.h"

namespace ipres {

struct RouteInfo {
  IpAddress destination;  // its family is the route's
  uint8_t prefix = 0;
  uint8_t tos = 0;
  uint8_t protocol = 0;
  uint8_t scope = 0;
  uint8_t type = 0;
  uint32_t table = 0;
  int oif = 0;
  bool has_priority = false;
  uint32_t priority = 0;
  IpAddress preferred_source;  // unspecified when none
};

// Decodes an RTM_NEWROUTE message for AF_INET or AF_INET6; false when
// malformed or of another family.
bool ParseRouteMessage(const nlmsghdr* msg, RouteInfo* out);

// The connected route the kernel makes for an address of NETWORK/PREFIX on
// the device.
RouteInfo ConnectedRoute(const LinkInfo& link, const IpAddress& network, uint8_t prefix);
// The family header and attributes of an RTM_NEWROUTE for `route` with
// `source` (unspecified: none) as its preferred source: SetRouteSource sends
// it with NLM_F_REPLACE for the route it found, EnsureSubnetRoute with
// NLM_F_CREATE|NLM_F_EXCL for ConnectedRoute(). Pure, so the unit tests
// check its bytes.
void PutRouteWithSource(Request<rtmsg>& req, const RouteInfo& route, const IpAddress& source);

// As `ip route change NETWORK/PREFIX dev DEV src SOURCE`, but keeping the
// route's table, protocol, scope, type and metric as the kernel has them.
// An unspecified SOURCE drops the preferred source. A missing route is
// created as the kernel's own connected route would be: IPv4 drops the route
// with the address that was its source; IPv6 keeps it and clears its source,
// and drops it only with the last address of the prefix on the device.
Status SetRouteSource(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& network,
                      uint8_t prefix, const IpAddress& source);

// The preferred source of the connected subnet route NETWORK/PREFIX on the
// device in the main table (unspecified: none); ESRCH when there is no such route.
Result<IpAddress> GetRouteSource(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& network,
                                 uint8_t prefix);

// Creates the connected subnet route, with `source` (unspecified: none) as its
// preferred source, only when the device has none (see SetRouteSource for
// when the kernel drops it). An IPv6 route that is there keeps the source it
// has: the kernel has cleared it if it was the deleted address.
Status EnsureSubnetRoute(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& network,
                         uint8_t prefix, const IpAddress& source);

// Waits up to timeout_ms for the local-table host route of `address` on the
// device: true once it is there. IPv6 puts an address it was told to add in
// service from a work queue, a moment after the add's ACK; until its local
// route is in, packets to it (the neighbour advertisement answering this
// node's first solicitation from it) are dropped as not this node's.
Result<bool> LocalRouteWithin(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& address,
                              uint32_t timeout_ms);

// Deletes the host routes (/32, /128) of `address` on the device that can
// outlive it: its local-table route (only once no device holds the address)
// and a main-table host route to it. Absent is fine.
Status DeleteHostRoute(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& address);

// echo 0 > /proc/sys/net/ipv{4,6}/route/flush for af; errors ignored, as the
// spec says.
void FlushRouteCache(int af);

}  // namespace ipres
