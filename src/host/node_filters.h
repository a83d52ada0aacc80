// SPDX-License-Identifier: Apache-2.0
// "This node's own" for the probes' answers, asked of the kernel at each
// answer rather than held as a list of everything the node has. Part of
// SystemHost.
#pragma once

#include "base/ip_address.h"
#include "base/mac.h"
#include "net/address.h"
#include "net/duplicate_probe.h"
#include "net/icmp.h"
#include "net/link.h"
#include "netlink/socket.h"

namespace ipres {

// Replies from this node's own addresses.
class NodeAddressFilter final : public SourceFilter {
 public:
  explicit NodeAddressFilter(NetlinkSocket& nl) : nl_(nl) {}
  Result<bool> Excluded(const IpAddress& source) override { return IsNodeAddress(nl_, source); }

 private:
  NetlinkSocket& nl_;
};

// Answers from any of this node's devices' MACs (contract "Devices": a
// VMAC's base device and a bond's slaves among them).
class NodeMacFilter final : public MacFilter {
 public:
  explicit NodeMacFilter(NetlinkSocket& nl) : nl_(nl) {}
  Result<bool> Excluded(const MacAddress& mac) override { return IsNodeMac(nl_, mac); }

 private:
  NetlinkSocket& nl_;
};

}  // namespace ipres
