// SPDX-License-Identifier: Apache-2.0
// ARP over AF_PACKET: the gratuitous ARPs arping -U / -A send, and the RFC 5227
// probe with its conflict listener. Frames are built and judged by pure
// functions (unit-tested on byte arrays); ArpSocket does the I/O.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/fd.h"
#include "base/ipv4.h"
#include "base/mac.h"
#include "base/probe_types.h"
#include "base/status.h"

namespace ipres {

// Ethernet header (14) + ARP for IPv4 over Ethernet (28); the kernel pads to
// the 60-byte minimum on the wire.
constexpr size_t kArpFrameSize = 42;

// Each returns the frame length (kArpFrameSize), or 0 if size is too small.
size_t BuildGratuitousArp(GarpKind kind, const MacAddress& own, Ipv4 address, Ipv4 target,
                          uint8_t* frame, size_t size);
// RFC 5227 probe: REQUEST, sender hardware own, sender IP 0.0.0.0, target
// hardware 00:00:00:00:00:00, target IP `address`, Ethernet broadcast.
size_t BuildArpProbe(const MacAddress& own, Ipv4 address, uint8_t* frame, size_t size);

// An ARP request or reply for IPv4 over Ethernet (RFC 826: hardware type 1,
// protocol type 0x0800, address lengths 6 and 4), as it was on the wire.
struct ArpPacket {
  bool request = false;  // else a reply
  MacAddress sender_mac;
  Ipv4 sender_ip;
  Ipv4 target_ip;
};

// Reads `frame` (as read from the packet socket, Ethernet header first,
// through a tag with `allow_tag`: ParseEthernetFrame); false for anything
// else, malformed or truncated. The ARP rules below go through here.
bool ParseArpFrame(const uint8_t* frame, size_t len, bool allow_tag, ArpPacket* out);

// True when `frame` (as read from the packet socket, Ethernet header first,
// through one tag with `allow_tag`: the socket's device is a VLAN) shows
// another host using `address`: an ARP request or reply whose sender IP is
// `address` from a sender hardware address other than `own`; or another
// host's probe for it (sender IP 0.0.0.0, target IP `address`, other MAC).
// Anything malformed, truncated or not Ethernet/IPv4 ARP is false.
bool IsArpConflict(const uint8_t* frame, size_t len, bool allow_tag, const MacAddress& own,
                   Ipv4 address);

class ArpSocket {
 public:
  // A packet socket for ETH_P_ARP bound to ifindex, non-blocking; `vlan`:
  // the device is a VLAN, whose frames may arrive tagged. Keep it open for
  // as long as it is useful: closing a packet socket waits out an RCU grace
  // period in the kernel (10-20 ms), opening one does not.
  Status Open(int ifindex, bool vlan);
  // Sends the frame to the Ethernet broadcast address.
  Status Send(const uint8_t* frame, size_t len);
  // Reads one pending frame into buf; returns its length, or 0 when none is
  // pending. Only frames delivered to this node count (DeliveredToThisNode):
  // its own going out and others' seen in promiscuous mode are skipped.
  Result<size_t> Receive(uint8_t* buf, size_t size);
  // Reads every pending frame until one is a conflict (IsArpConflict): true,
  // with its sender hardware address in *who when who is not null; false once
  // none is pending. Call when fd() polls readable during a probe window.
  Result<bool> ReceiveConflict(const MacAddress& own, Ipv4 address, MacAddress* who);
  // Discards every pending frame: what arrived before a probe is old news.
  Status Drain();
  int fd() const { return fd_.get(); }
  int ifindex() const { return ifindex_; }

 private:
  UniqueFd fd_;
  int ifindex_ = 0;
  bool vlan_ = false;
};

// Sends one gratuitous ARP on an open socket.
Status ArpAnnounce(ArpSocket& socket, const MacAddress& own, Ipv4 address, Ipv4 target,
                   GarpKind kind);

}  // namespace ipres
