// SPDX-License-Identifier: Apache-2.0
// Neighbour Discovery on a raw ICMPv6 socket bound to one device, as
// ArpSocket is ARP on a packet socket: the kernel checks each message's
// checksum and reports its hop limit and destination, so no AF_PACKET is
// needed. Packets are built and judged by net/ndp.h.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/device_name.h"
#include "base/fd.h"
#include "base/ipv6.h"
#include "base/mac.h"
#include "base/status.h"
#include "net/ndp.h"

namespace ipres {

// A nonce for one probe (getrandom; the clock while the pool is not ready).
NdpNonce RandomNdpNonce();

class NdpSocket {
 public:
  // A raw ICMPv6 socket on `device` (index `ifindex`), non-blocking, that
  // receives only Neighbor Solicitations and Advertisements with their hop
  // limit and destination, sends whole IPv6 packets (IPV6_HDRINCL) and does
  // not loop its own multicasts back to this node. It sends even while the
  // device has no IPv6 address that is not tentative (see Send).
  Status Open(const char* device, int ifindex);
  // Another host's probe for `address` goes to its solicited-node group, and
  // the kernel drops multicast for a group nobody on the node joined: join it
  // for the probe window and leave it after (joining twice is EADDRINUSE).
  // Closing the socket leaves it too.
  Status JoinSolicitedNode(const Ipv6& address);
  Status LeaveSolicitedNode(const Ipv6& address);
  // BuildDuplicateProbe / BuildUnsolicitedAdvert, sent on the device.
  Status SendProbe(const Ipv6& address, const NdpNonce& nonce);
  Status NdpAnnounce(const Ipv6& address, const MacAddress& own, bool router);
  // Reads pending messages until one is valid (ParseNdpMessage): true with
  // *out filled; false once none is pending.
  Result<bool> Receive(NdpMessage* out);
  // Reads pending messages until one is a conflict (IsNdpConflict): true,
  // with the message in *who when who is not null; false once none is
  // pending. Call when fd() polls readable during a probe window.
  Result<bool> ReceiveConflict(const Ipv6& address, const MacAddress& own,
                               const NdpNonce& own_nonce, NdpMessage* who);
  // Discards every pending message: what arrived before a probe is old news.
  Status Drain();
  int fd() const { return fd_.get(); }
  int ifindex() const { return ifindex_; }
  const char* device() const { return device_; }

 private:
  Status Configure();
  Status SetOption(int level, int name, const void* value, size_t size, const char* what);
  Status Membership(int option, const Ipv6& address, const char* what);
  Status Send(const uint8_t* packet, size_t len, const Ipv6& address, const char* what);

  UniqueFd fd_;
  int ifindex_ = 0;
  char device_[kIfNameCapacity] = {};
};

}  // namespace ipres
