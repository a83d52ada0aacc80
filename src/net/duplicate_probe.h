// SPDX-License-Identifier: Apache-2.0
// Is an address already in use on the link, before this node adds it? An
// RFC 5227 ARP probe (for IPv6 an RFC 4862 duplicate-address probe) and an
// echo go out together and one window waits for either answer: a holder
// that drops echoes still answers ARP or Neighbour Discovery, and one behind
// a router-like proxy answers the echo. The window's rules
// (DuplicateWindow, pure, unit-tested) stand apart from its sockets
// (ProbeForDuplicate), as systemd's sd-ipv4acd.c from its arp-util.c.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/ip_address.h"
#include "base/mac.h"
#include "base/probe_types.h"
#include "base/status.h"
#include "net/arp.h"
#include "net/icmp.h"
#include "net/ndp.h"
#include "net/ndp_socket.h"

namespace ipres {

class DuplicateWindow {
 public:
  static constexpr uint16_t kEchoSequence = 1;
  static constexpr size_t kEchoPayload = 56;

  DuplicateWindow(const IpAddress& address, int64_t opened_ms, uint32_t window_ms)
      : address_(address), deadline_ms_(opened_ms + window_ms) {}

  // How long to wait for an answer at now_ms; 0 once the window closed.
  int64_t LeftMs(int64_t now_ms) const;
  // A valid echo reply carrying the probe's identifier: it names a holder
  // only when it comes from the address itself, to the probe's sequence.
  void OnEchoReply(const EchoReply& reply);
  // The ARP socket saw another host use the address (IsArpConflict).
  void OnArpConflict();
  // A valid advertisement for the address, or another host's probe for it
  // (IsNdpConflict).
  void OnNdpConflict();
  // kNone until a holder answered; the first answer stands.
  Duplicate verdict() const { return verdict_; }

 private:
  IpAddress address_;
  int64_t deadline_ms_;
  Duplicate verdict_ = Duplicate::kNone;
};

// This node's MACs beside the probing device's own (contract "Devices": a
// VMAC's base device, a bond's slaves): an answer from one of them is the
// node's own, no other holder.
class MacFilter {
 public:
  virtual Result<bool> Excluded(const MacAddress& mac) = 0;

 protected:
  ~MacFilter() = default;
};

// Probes for `address` on the device `arp` is bound to (own: its MAC),
// the echo bound to `device` and sent from `source` (0.0.0.0: none bound),
// and waits up to window_ms for a holder to answer. An ARP answer from a
// MAC `macs` (may be null) calls the node's own does not count.
Result<Duplicate> ProbeForDuplicate(ArpSocket& arp, const MacAddress& own, const char* device,
                                    Ipv4 source, Ipv4 address, uint32_t window_ms, MacFilter* macs);

// The same for an IPv6 address on the device `ndp` is bound to (own: its
// MAC): the probe from ::, to the address's solicited-node group (joined
// for the window, so another host's probe arrives too), and the ICMPv6 echo
// from `source` (unspecified: none bound). An answer whose source `filter`
// calls this node's own, or whose link-layer address `macs` does, does not
// count (either may be null).
Result<Duplicate> ProbeForDuplicate(NdpSocket& ndp, const MacAddress& own, const char* device,
                                    const IpAddress& source, const Ipv6& address,
                                    uint32_t window_ms, SourceFilter* filter, MacFilter* macs);

}  // namespace ipres
