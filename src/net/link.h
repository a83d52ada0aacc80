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

struct LinkInfo {
  int ifindex = 0;
  unsigned flags = 0;  // IFF_*
  MacAddress mac;
  bool has_mac = false;
  char name[kIfNameCapacity] = {};

  bool admin_up() const;
  // What iproute2 shows as the absence of NO-CARRIER: up and running.
  bool carrier() const;
};

// Decodes an RTM_NEWLINK message; false when it is malformed.
bool ParseLinkMessage(const nlmsghdr* msg, LinkInfo* out);

// The device called `name`; ENODEV when there is none.
Result<LinkInfo> GetLink(NetlinkSocket& nl, const char* name);
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
