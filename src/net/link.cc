// SPDX-License-Identifier: Apache-2.0
#include "net/link.h"

#include <errno.h>
#include <linux/if.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "base/clock.h"
#include "netlink/attr.h"
#include "netlink/message.h"

namespace ipres {

bool LinkInfo::admin_up() const {
  return (flags & IFF_UP) != 0;
}

bool LinkInfo::carrier() const {
  return (flags & IFF_UP) && (flags & IFF_RUNNING);
}

namespace {

LinkKind KindOf(const AttrTable& link) {
  AttrTable info;
  const char* kind = nullptr;
  if (!info.ParseNested(link, IFLA_LINKINFO) || !info.GetString(IFLA_INFO_KIND, &kind)) {
    return LinkKind::kOther;
  }
  if (strcmp(kind, "vlan") == 0) return LinkKind::kVlan;
  if (strcmp(kind, "macvlan") == 0) return LinkKind::kMacvlan;
  return LinkKind::kOther;
}

}  // namespace

bool ParseLinkMessage(const nlmsghdr* msg, LinkInfo* out) {
  const ifinfomsg* ifi = FamilyHeader<ifinfomsg>(msg);
  AttrTable attrs;
  if (!ifi || !attrs.ParseMessage(msg, sizeof(ifinfomsg))) return false;
  *out = LinkInfo();
  out->ifindex = ifi->ifi_index;
  out->flags = ifi->ifi_flags;
  const char* name = nullptr;
  if (attrs.GetString(IFLA_IFNAME, &name) && strlen(name) < kIfNameCapacity) {
    memcpy(out->name, name, strlen(name) + 1);
  }
  out->has_mac = attrs.GetBytes(IFLA_ADDRESS, out->mac.bytes, sizeof out->mac.bytes);
  out->kind = KindOf(attrs);
  uint32_t lower = 0;
  if (!attrs.Has(IFLA_LINK_NETNSID) && attrs.GetU32(IFLA_LINK, &lower) && lower <= INT32_MAX) {
    out->lower_ifindex = static_cast<int>(lower);
  }
  return out->ifindex > 0;
}

namespace {

// Asks for one device, by index or (when name is given) by name, without
// the statistics nobody here reads. A GETLINK without NLM_F_DUMP answers
// with the link, then (with NLM_F_ACK) an ACK: `reader` is handed the link.
Status QueryLink(NetlinkSocket& nl, int ifindex, const char* name, DumpHandler& reader,
                 const char* what) {
  Request<ifinfomsg> req(RTM_GETLINK, 0);
  req.family().ifi_family = AF_UNSPEC;
  req.family().ifi_index = ifindex;
  if (name) req.PutString(IFLA_IFNAME, name);
  req.PutU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  return nl.Query(req, reader, what);
}

// One entry of a family's device configuration as the kernel reports it in
// IFLA_AF_SPEC: IPv4's IFLA_INET_CONF (promote_secondaries) or IPv6's
// IFLA_INET6_CONF (forwarding), arrays of 32-bit values.
class DevConfReader final : public DumpHandler {
 public:
  DevConfReader(uint16_t family, uint16_t conf, size_t index)
      : family_(family), conf_(conf), index_(index) {}
  void Reset() override { found = false; }
  Status OnMessage(const nlmsghdr* msg) override {
    AttrTable link, spec, inet;
    if (msg->nlmsg_type != RTM_NEWLINK || !link.ParseMessage(msg, sizeof(ifinfomsg)) ||
        !spec.ParseNested(link, IFLA_AF_SPEC) || !inet.ParseNested(spec, family_)) {
      return OkStatus();
    }
    size_t len = inet.PayloadLength(conf_);
    if (len < (index_ + 1) * sizeof(uint32_t)) return OkStatus();
    const uint8_t* conf = static_cast<const uint8_t*>(inet.Payload(conf_));
    memcpy(&value, conf + index_ * sizeof(uint32_t), sizeof value);
    found = true;
    return OkStatus();
  }
  uint32_t value = 0;
  bool found = false;

 private:
  uint16_t family_;
  uint16_t conf_;
  size_t index_;
};

Result<uint32_t> ReadDevConf(NetlinkSocket& nl, const LinkInfo& link, DevConfReader& reader,
                             const char* name) {
  char what[64];
  snprintf(what, sizeof what, "read %s of %s", name, link.name);
  Status s = QueryLink(nl, link.ifindex, nullptr, reader, what);
  if (!s.ok()) return s;
  if (!reader.found) return Status::Errno(EPROTO, "%s: not in the kernel's reply", what);
  return reader.value;
}

// What one datagram of RTNLGRP_LINK events says of the device: it has
// carrier (true), not yet (false), or it went away (ENODEV).
Result<bool> CarrierInEvents(const uint8_t* data, size_t len, int ifindex, const char* name) {
  MessageReader reader(data, len);
  while (const nlmsghdr* msg = reader.Next()) {
    if (msg->nlmsg_type != RTM_NEWLINK && msg->nlmsg_type != RTM_DELLINK) continue;
    LinkInfo info;
    if (!ParseLinkMessage(msg, &info) || info.ifindex != ifindex) continue;
    if (msg->nlmsg_type == RTM_DELLINK) {
      return Status::Errno(ENODEV, "device %s went away while waiting for carrier", name);
    }
    if (info.carrier()) return true;
  }
  return false;
}

}  // namespace

namespace {

// The one device that `ifindex`, or `name` when given, names.
Result<LinkInfo> QueryOneLink(NetlinkSocket& nl, int ifindex, const char* name, const char* what) {
  class One final : public DumpHandler {
   public:
    void Reset() override { found = false; }
    Status OnMessage(const nlmsghdr* msg) override {
      if (msg->nlmsg_type != RTM_NEWLINK) return OkStatus();
      if (!ParseLinkMessage(msg, &info)) return Status::Errno(EPROTO, "malformed link message");
      found = true;
      return OkStatus();
    }
    LinkInfo info;
    bool found = false;
  } one;

  Status s = QueryLink(nl, ifindex, name, one, what);
  if (!s.ok()) return s;
  if (!one.found) return Status::Errno(ENODEV, "%s", what);
  return one.info;
}

}  // namespace

Result<LinkInfo> GetLink(NetlinkSocket& nl, const char* name) {
  if (strlen(name) >= kIfNameCapacity) return Status::Errno(ENODEV, "device %s", name);
  char what[64];
  snprintf(what, sizeof what, "device %s", name);
  return QueryOneLink(nl, 0, name, what);
}

Result<bool> GetMacvlanBase(NetlinkSocket& nl, const LinkInfo& link, char* base) {
  if (link.kind != LinkKind::kMacvlan || link.lower_ifindex == 0) return false;
  char what[64];
  snprintf(what, sizeof what, "the base device of %s (index %d)", link.name, link.lower_ifindex);
  Result<LinkInfo> lower = QueryOneLink(nl, link.lower_ifindex, nullptr, what);
  if (!lower.ok()) return lower.status();
  memcpy(base, lower.value().name, kIfNameCapacity);
  return true;
}

Status SetLinkUp(NetlinkSocket& nl, const LinkInfo& link, bool up) {
  Request<ifinfomsg> req(RTM_NEWLINK, 0);
  req.family().ifi_family = AF_UNSPEC;
  req.family().ifi_index = link.ifindex;
  req.family().ifi_change = IFF_UP;
  req.family().ifi_flags = up ? IFF_UP : 0;
  char what[64];
  snprintf(what, sizeof what, "set %s %s", link.name, up ? "up" : "down");
  return nl.Request(req, what);
}

Result<uint32_t> GetPromoteSecondaries(NetlinkSocket& nl, const LinkInfo& link) {
  // IPV4_DEVCONF_* count from 1.
  DevConfReader reader(AF_INET, IFLA_INET_CONF, IPV4_DEVCONF_PROMOTE_SECONDARIES - 1);
  return ReadDevConf(nl, link, reader, "promote_secondaries");
}

Result<bool> GetIpv6Forwarding(NetlinkSocket& nl, const LinkInfo& link) {
  DevConfReader reader(AF_INET6, IFLA_INET6_CONF, DEVCONF_FORWARDING);
  Result<uint32_t> value = ReadDevConf(nl, link, reader, "IPv6 forwarding");
  if (!value.ok()) return value.status();
  return value.value() != 0;
}

Status SetPromoteSecondaries(NetlinkSocket& nl, const LinkInfo& link, uint32_t value) {
  Request<ifinfomsg> req(RTM_NEWLINK, 0);
  req.family().ifi_index = link.ifindex;
  nlattr* spec = req.BeginNest(IFLA_AF_SPEC);
  nlattr* inet = req.BeginNest(AF_INET);
  nlattr* conf = req.BeginNest(IFLA_INET_CONF);
  req.PutU32(IPV4_DEVCONF_PROMOTE_SECONDARIES, value);
  req.EndNest(conf);
  req.EndNest(inet);
  req.EndNest(spec);
  char what[64];
  snprintf(what, sizeof what, "set promote_secondaries=%u on %s", value, link.name);
  return nl.Request(req, what);
}

Status NodeMacFinder::OnMessage(const nlmsghdr* msg) {
  AttrTable attrs;
  if (msg->nlmsg_type != RTM_NEWLINK || mac_ == MacAddress{} ||
      !attrs.ParseMessage(msg, sizeof(ifinfomsg))) {
    return OkStatus();
  }
  MacAddress mac;
  found |= attrs.GetBytes(IFLA_ADDRESS, mac.bytes, sizeof mac.bytes) && mac == mac_;
  found |= attrs.GetBytes(IFLA_PERM_ADDRESS, mac.bytes, sizeof mac.bytes) && mac == mac_;
  return OkStatus();
}

Result<bool> IsNodeMac(NetlinkSocket& nl, const MacAddress& mac) {
  Request<ifinfomsg> req(RTM_GETLINK, 0);
  req.family().ifi_family = AF_UNSPEC;
  req.PutU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  NodeMacFinder finder(mac);
  Status s = nl.Dump(req, finder, "read the node's devices and their MACs");
  if (!s.ok()) return s;
  return finder.found;
}

Result<bool> WaitForCarrier(NetlinkSocket& nl, NetlinkSocket& events, const char* name,
                            uint32_t timeout_ms) {
  const int64_t deadline = MonotonicMs() + timeout_ms;
  // Subscribe before reading the state, so no change can fall in between.
  Status s = events.JoinGroup(RTNLGRP_LINK);
  if (!s.ok()) return s;
  Result<LinkInfo> now = GetLink(nl, name);
  if (!now.ok()) return now.status();
  if (now.value().carrier()) return true;
  const int ifindex = now.value().ifindex;
  for (;;) {
    int64_t left = MsUntil(deadline, MonotonicMs());
    if (left == 0) return false;
    Result<size_t> got = events.ReceiveEvent(static_cast<int>(left));
    if (!got.ok() && got.status().err() == ENOBUFS) {
      // Events were lost; the current state says what we missed.
      Result<LinkInfo> again = GetLink(nl, name);
      if (!again.ok()) return again.status();
      if (again.value().carrier()) return true;
      continue;
    }
    if (!got.ok()) return got.status();
    Result<bool> carrier = CarrierInEvents(events.buffer(), got.value(), ifindex, name);
    if (!carrier.ok() || carrier.value()) return carrier;
  }
}

}  // namespace ipres
