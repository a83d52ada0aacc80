// SPDX-License-Identifier: Apache-2.0
#include "net/route.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "net/address.h"
#include "netlink/attr.h"
#include "netlink/message.h"

namespace ipres {
namespace {

// The kernel's work queue runs within a millisecond or two.
constexpr long kLocalRoutePollNs = 1000000;

class RouteFinder final : public DumpHandler {
 public:
  RouteFinder(int oif, const IpAddress& destination, uint8_t prefix, uint32_t table, uint8_t type)
      : oif_(oif), destination_(destination), prefix_(prefix), table_(table), type_(type) {}
  void Reset() override { found = false; }
  Status OnMessage(const nlmsghdr* msg) override {
    RouteInfo r;
    if (msg->nlmsg_type != RTM_NEWROUTE || !ParseRouteMessage(msg, &r)) return OkStatus();
    if (r.oif == oif_ && r.destination == destination_ && r.prefix == prefix_ &&
        r.table == table_ && r.type == type_ && !found) {
      route = r;
      found = true;
    }
    return OkStatus();
  }
  RouteInfo route;
  bool found = false;

 private:
  int oif_;
  IpAddress destination_;
  uint8_t prefix_;
  uint32_t table_;
  uint8_t type_;
};

Result<RouteInfo> FindRoute(NetlinkSocket& nl, int oif, const IpAddress& destination,
                            uint8_t prefix, uint32_t table, uint8_t type, const char* what) {
  Request<rtmsg> req(RTM_GETROUTE, 0);
  req.family().rtm_family = static_cast<uint8_t>(destination.af());
  req.family().rtm_type = type;  // with the attributes, filters under NETLINK_GET_STRICT_CHK
  req.PutU32(RTA_TABLE, table);
  req.PutU32(RTA_OIF, static_cast<uint32_t>(oif));
  RouteFinder finder(oif, destination, prefix, table, type);
  Status s = nl.Dump(req, finder, what);
  if (!s.ok()) return s;
  if (!finder.found) return Status::Errno(ESRCH, "%s: no such route", what);
  return finder.route;
}

void PutRouteKey(Request<rtmsg>& req, const RouteInfo& r) {
  rtmsg& rtm = req.family();
  rtm.rtm_family = static_cast<uint8_t>(r.destination.af());
  rtm.rtm_dst_len = r.prefix;
  rtm.rtm_tos = r.tos;
  rtm.rtm_table = static_cast<uint8_t>(r.table < 256 ? r.table : RT_TABLE_UNSPEC);
  rtm.rtm_protocol = r.protocol;
  rtm.rtm_scope = r.scope;
  rtm.rtm_type = r.type;
  req.PutU32(RTA_TABLE, r.table);
  if (r.prefix > 0) req.PutIp(RTA_DST, r.destination);
  req.PutU32(RTA_OIF, static_cast<uint32_t>(r.oif));
  if (r.has_priority) req.PutU32(RTA_PRIORITY, r.priority);
}

Status CreateConnectedRoute(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& network,
                            uint8_t prefix, const IpAddress& source, const char* what) {
  Request<rtmsg> req(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  PutRouteWithSource(req, ConnectedRoute(link, network, prefix), source);
  return nl.Request(req, what);
}

// The connected subnet route: main table, unicast, on the device.
Result<RouteInfo> FindSubnetRoute(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& network,
                                  uint8_t prefix, const char* what) {
  return FindRoute(nl, link.ifindex, network, prefix, RT_TABLE_MAIN, RTN_UNICAST, what);
}

void DescribeSubnetRoute(const char* verb, const LinkInfo& link, const IpAddress& network,
                         uint8_t prefix, const IpAddress& source, char* out, size_t size) {
  snprintf(out, size, "%s route %s/%u dev %s to %s", verb, IpText(network).s, prefix, link.name,
           source.IsUnspecified() ? "none" : IpText(source).s);
}

}  // namespace

RouteInfo ConnectedRoute(const LinkInfo& link, const IpAddress& network, uint8_t prefix) {
  RouteInfo connected;
  connected.destination = network;
  connected.prefix = prefix;
  connected.protocol = RTPROT_KERNEL;
  // As the kernel's own: IPv6 routes are all of universe scope, and its
  // prefix routes carry metric 256 (IP6_RT_PRIO_ADDRCONF).
  connected.scope = network.is_v6() ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
  connected.has_priority = network.is_v6();
  connected.priority = network.is_v6() ? 256 : 0;
  connected.type = RTN_UNICAST;
  connected.table = RT_TABLE_MAIN;
  connected.oif = link.ifindex;
  return connected;
}

void PutRouteWithSource(Request<rtmsg>& req, const RouteInfo& route, const IpAddress& source) {
  PutRouteKey(req, route);
  if (!source.IsUnspecified()) req.PutIp(RTA_PREFSRC, source);
}

bool ParseRouteMessage(const nlmsghdr* msg, RouteInfo* out) {
  const rtmsg* rtm = FamilyHeader<rtmsg>(msg);
  AttrTable attrs;
  if (!rtm || (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)) return false;
  const int af = rtm->rtm_family;
  if (rtm->rtm_dst_len > (af == AF_INET6 ? 128 : 32)) return false;
  if (!attrs.ParseMessage(msg, sizeof(rtmsg))) return false;
  *out = RouteInfo();
  if (af == AF_INET6) out->destination = out->preferred_source = Ipv6{};
  out->prefix = rtm->rtm_dst_len;
  out->tos = rtm->rtm_tos;
  out->protocol = rtm->rtm_protocol;
  out->scope = rtm->rtm_scope;
  out->type = rtm->rtm_type;
  out->table = rtm->rtm_table;
  attrs.GetU32(RTA_TABLE, &out->table);
  // The kernel sends RTA_DST for every prefix but /0: a route without it, or
  // with an address of the wrong size, would read as the default route.
  if (out->prefix > 0 && !attrs.GetIp(RTA_DST, af, &out->destination)) return false;
  uint32_t oif = 0;
  if (attrs.GetU32(RTA_OIF, &oif)) out->oif = static_cast<int>(oif);
  out->has_priority = attrs.GetU32(RTA_PRIORITY, &out->priority);
  if (attrs.Has(RTA_PREFSRC) && !attrs.GetIp(RTA_PREFSRC, af, &out->preferred_source)) {
    return false;
  }
  return true;
}

Status SetRouteSource(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& network,
                      uint8_t prefix, const IpAddress& source) {
  char what[160];
  DescribeSubnetRoute("set source of", link, network, prefix, source, what, sizeof what);
  Result<RouteInfo> found = FindSubnetRoute(nl, link, network, prefix, what);
  if (found.ok()) {
    Request<rtmsg> req(RTM_NEWROUTE, NLM_F_REPLACE);
    PutRouteWithSource(req, found.value(), source);
    return nl.Request(req, what);
  }
  if (found.status().err() != ESRCH) return found.status();
  // The kernel deletes the subnet route together with the address that was
  // its preferred source (an address deleted by hand): put back the
  // connected route the kernel would have made, with the source asked for.
  return CreateConnectedRoute(nl, link, network, prefix, source, what);
}

Result<IpAddress> GetRouteSource(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& network,
                                 uint8_t prefix) {
  char what[160];
  snprintf(what, sizeof what, "read route %s/%u dev %s", IpText(network).s, prefix, link.name);
  Result<RouteInfo> found = FindSubnetRoute(nl, link, network, prefix, what);
  if (!found.ok()) return found.status();
  return found.value().preferred_source;
}

Status EnsureSubnetRoute(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& network,
                         uint8_t prefix, const IpAddress& source) {
  char what[160];
  DescribeSubnetRoute("recreate", link, network, prefix, source, what, sizeof what);
  Result<RouteInfo> found = FindSubnetRoute(nl, link, network, prefix, what);
  if (found.ok()) return OkStatus();
  if (found.status().err() != ESRCH) return found.status();
  Status s = CreateConnectedRoute(nl, link, network, prefix, source, what);
  return s.err() == EEXIST ? OkStatus() : s;
}

Result<bool> LocalRouteWithin(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& address,
                              uint32_t timeout_ms) {
  char what[112];
  snprintf(what, sizeof what, "read local route %s dev %s", IpText(address).s, link.name);
  const int64_t deadline = MonotonicMs() + timeout_ms;
  const uint8_t host_prefix = static_cast<uint8_t>(address.bits());
  for (;;) {
    Result<RouteInfo> found =
        FindRoute(nl, link.ifindex, address, host_prefix, RT_TABLE_LOCAL, RTN_LOCAL, what);
    if (found.ok()) return true;
    if (found.status().err() != ESRCH) return found.status();
    if (MonotonicMs() >= deadline) return false;
    const timespec step = {0, kLocalRoutePollNs};
    nanosleep(&step, nullptr);
  }
}

Status DeleteHostRoute(NetlinkSocket& nl, const LinkInfo& link, const IpAddress& address) {
  char what[112];
  // While the address is still assigned (its delete failed), its local route
  // is what delivers its traffic: leave that one alone.
  Result<bool> held = IsNodeAddress(nl, address);
  if (!held.ok()) return held.status();
  const bool assigned = held.value();
  const struct {
    uint32_t table;
    uint8_t type;
  } kinds[] = {{RT_TABLE_LOCAL, RTN_LOCAL}, {RT_TABLE_MAIN, RTN_UNICAST}};
  for (const auto& kind : kinds) {
    if (assigned && kind.table == RT_TABLE_LOCAL) continue;
    const uint8_t host_prefix = static_cast<uint8_t>(address.bits());
    snprintf(what, sizeof what, "delete host route %s/%u dev %s table %s", IpText(address).s,
             host_prefix, link.name, kind.table == RT_TABLE_LOCAL ? "local" : "main");
    Result<RouteInfo> found =
        FindRoute(nl, link.ifindex, address, host_prefix, kind.table, kind.type, what);
    if (!found.ok() && found.status().err() == ESRCH) continue;
    if (!found.ok()) return found.status();
    Request<rtmsg> req(RTM_DELROUTE, 0);
    PutRouteKey(req, found.value());
    Status s = nl.Request(req, what);
    if (!s.ok() && s.err() != ESRCH) return s;
  }
  return OkStatus();
}

void FlushRouteCache(int af) {
  int fd =
      open(af == AF_INET6 ? "/proc/sys/net/ipv6/route/flush" : "/proc/sys/net/ipv4/route/flush",
           O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  ssize_t ignored = write(fd, "0\n", 2);
  (void)ignored;
  close(fd);
}

}  // namespace ipres
