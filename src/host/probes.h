// SPDX-License-Identifier: Apache-2.0
// The seam through which the operations probe the link and speak for this
// node on it: the duplicate check, gratuitous ARP and unsolicited Neighbor
// Advertisements, the connectivity check's pings and the claim watch.
// Declares no socket: SystemHost (system_probes.cc) implements it over
// net/; unit tests fake it.
#pragma once

#include <stdint.h>

#include "base/ip_address.h"
#include "base/ipv4.h"
#include "base/ipv6.h"
#include "base/mac.h"
#include "base/probe_types.h"
#include "base/status.h"

namespace ipres {

class Probes {
 public:
  // An echo (ICMP or ICMPv6) from `source` (unspecified: none bound) and a
  // probe for `address` (an RFC 5227 ARP probe; for IPv6 an RFC 4862
  // Neighbor Solicitation from ::), both in one window of window_ms.
  virtual Result<Duplicate> ProbeForDuplicate(const char* device, const IpAddress& source,
                                              const IpAddress& address, uint32_t window_ms) = 0;
  virtual Status ArpAnnounce(const char* device, Ipv4 address, Ipv4 target, GarpKind kind) = 0;
  // One unsolicited Neighbor Advertisement for `address` to all nodes,
  // Override set, with the device's MAC (RFC 4861 7.2.6).
  virtual Status NdpAnnounce(const char* device, const Ipv6& address) = 0;
  // One connectivity-check window (see PingWindow). Replies from any address
  // of this node never count.
  virtual Result<PingOutcome> Ping(const PingWindow& window) = 0;

  // The monitor's watch for other hosts claiming `address` on `device`
  // (contract "Conflicts while holding"): their claims come out of
  // Events::NextEvent as kClaimed events, never for a MAC of this node's.
  // Kept open between calls; a device made again under its name is followed.
  virtual Status WatchClaims(const char* device, const IpAddress& address) = 0;
  // Watches, then sends one probe for the address (an RFC 5227 ARP probe;
  // for IPv6 a duplicate-address Neighbor Solicitation from ::) and waits
  // up to window_ms for another host to answer it: a holder that announces
  // nothing. True with its MAC in *claimant; a claim that arrives in the
  // window counts the same.
  virtual Result<bool> ProbeClaims(const char* device, const IpAddress& address, uint32_t window_ms,
                                   MacAddress* claimant) = 0;
  // A claim of `address` that reached its watch and was not told yet, taken
  // without waiting: true with the claimant. The monitor asks before it
  // blames a failed check on the network, since a claim that came while the
  // check ran may be why.
  virtual Result<bool> TakeClaim(const IpAddress& address, MacAddress* claimant) = 0;

 protected:
  ~Probes() = default;
};

}  // namespace ipres
