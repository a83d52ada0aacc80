// SPDX-License-Identifier: Apache-2.0
// Network devices over rtnetlink: state by name, administrative up/down, and
// waiting for carrier on RTNLGRP_LINK events.
#pragma once

#include <linux/netlink.h>
#include <stdint.h>

#include "base/device_name.h"
#include "base/mac.h"
#include "base/status.h"
#include "netlink/socket.h"

namespace ipres {

// What kind of device it is (IFLA_LINKINFO's IFLA_INFO_KIND), where the
// kind changes what the operations do.
enum class LinkKind : uint8_t {
  kOther,
  // 802.1Q or 802.1ad: with `reorder_hdr off` its frames reach a packet
  // socket with the tag still inside.
  kVlan,
  // keepalived's VMAC among them: the node's physical address of the
  // subnet may be on the device it sits on.
  kMacvlan,
};

struct LinkInfo {
  int ifindex = 0;
  unsigned flags = 0;  // IFF_*
  MacAddress mac;
  bool has_mac = false;
  char name[kIfNameCapacity] = {};
  LinkKind kind = LinkKind::kOther;
  // IFLA_LINK: the device this one sits on (a VLAN's or a macvlan's lower
  // device); 0 when none, or when it is in another network namespace
  // (IFLA_LINK_NETNSID), where this index names nothing of ours.
  int lower_ifindex = 0;

  bool admin_up() const;
  // What iproute2 shows as the absence of NO-CARRIER: up and running.
  bool carrier() const;
};

// Decodes an RTM_NEWLINK message; false when it is malformed.
bool ParseLinkMessage(const nlmsghdr* msg, LinkInfo* out);

// The device called `name`; ENODEV when there is none.
Result<LinkInfo> GetLink(NetlinkSocket& nl, const char* name);
// The device a macvlan sits on (keepalived's VMAC's base device): true with
// its name in `base` (kIfNameCapacity bytes); false for any other kind.
Result<bool> GetMacvlanBase(NetlinkSocket& nl, const LinkInfo& link, char* base);
Status SetLinkUp(NetlinkSocket& nl, const LinkInfo& link, bool up);

// The device's net.ipv4.conf.DEV.promote_secondaries, read and set over
// rtnetlink (IFLA_AF_SPEC / AF_INET / IFLA_INET_CONF).
Result<uint32_t> GetPromoteSecondaries(NetlinkSocket& nl, const LinkInfo& link);
Status SetPromoteSecondaries(NetlinkSocket& nl, const LinkInfo& link, uint32_t value);
// The device's net.ipv6.conf.DEV.forwarding, over rtnetlink (IFLA_AF_SPEC /
// AF_INET6 / IFLA_INET6_CONF): a router's neighbour advertisements carry
// the Router flag, as the kernel's own do.
Result<bool> GetIpv6Forwarding(NetlinkSocket& nl, const LinkInfo& link);

// True when a device of this network namespace has `mac`: as its address
// (IFLA_ADDRESS), or as the permanent one the kernel reports beside it
// (IFLA_PERM_ADDRESS, Linux 5.6 on: a bond's slave, whose address is the
// bond's, keeps its own there). One RTM_GETLINK dump, read as it arrives.
Result<bool> IsNodeMac(NetlinkSocket& nl, const MacAddress& mac);

// IsNodeMac's reader of the dump, apart so the unit tests can feed it one.
// The all-zero MAC is nobody's, though the loopback device reports it.
class NodeMacFinder final : public DumpHandler {
 public:
  explicit NodeMacFinder(const MacAddress& mac) : mac_(mac) {}
  void Reset() override { found = false; }
  Status OnMessage(const nlmsghdr* msg) override;
  bool found = false;

 private:
  MacAddress mac_;
};

// Waits until the device is up with carrier (true) or timeout_ms passes
// (false). `events` is an open socket of its own that joins RTNLGRP_LINK
// here, before the state is read on `nl`, so the wait ends as soon as the
// event arrives. EINTR (a stop request) is returned as an error.
Result<bool> WaitForCarrier(NetlinkSocket& nl, NetlinkSocket& events, const char* name,
                            uint32_t timeout_ms);

}  // namespace ipres
