// SPDX-License-Identifier: Apache-2.0
// The watch for claims on one held address: a packet socket bound to the
// device for ETH_P_ARP (IPv4) or ETH_P_IPV6, with net/claim.h's BPF program
// attached before it is bound, so it never queues a frame the filter would
// drop. Non-blocking; the monitor polls fd() beside its netlink events.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/fd.h"
#include "base/ip_address.h"
#include "base/mac.h"
#include "base/status.h"

namespace ipres {

class ClaimSocket {
 public:
  // Watches `address` on the device `ifindex` whose MAC is `own`;
  // `vlan`: the device is a VLAN, whose frames may reach the socket with
  // their tag inside. Reopening an open socket closes the old one first.
  Status Open(int ifindex, const IpAddress& address, const MacAddress& own, bool vlan);
  void Close();
  // Sends one BuildArpClaimProbe / BuildNaClaimProbe frame on the device
  // (the NS with a fresh RandomNdpNonce).
  Status SendProbe();
  // Reads pending frames until one is a claim (IsArpClaim / IsNaClaim):
  // true with the claimant's MAC, and in *may_answer_probe whether it can be
  // the answer to this socket's probe (AnswersArpProbe; for IPv6 any
  // advertisement); false once none is pending. A frame the
  // link did not deliver to this node (net/claim.h) is skipped, as the
  // filter drops it. An error a device going down left pending on the
  // socket (ENETDOWN, ENXIO) is read and dropped, never returned.
  Result<bool> ReceiveClaim(MacAddress* claimant, bool* may_answer_probe);
  int fd() const { return fd_.get(); }
  int ifindex() const { return ifindex_; }
  const IpAddress& address() const { return address_; }

 private:
  UniqueFd fd_;
  int ifindex_ = 0;
  IpAddress address_;
  MacAddress own_;
  bool vlan_ = false;
};

}  // namespace ipres
