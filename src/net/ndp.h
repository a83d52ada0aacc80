// SPDX-License-Identifier: Apache-2.0
// Neighbour Discovery (RFC 4861) for one IPv6 address, as ARP is for IPv4:
// the RFC 4862 duplicate-address probe (with an RFC 7527 nonce), the
// unsolicited Neighbor Advertisement, and the validation of what a raw
// ICMPv6 socket receives. Pure functions on bytes, unit-tested; NdpSocket
// (net/ndp_socket.h) does the I/O.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/ipv6.h"
#include "base/mac.h"

namespace ipres {

// RFC 7527's nonce, 6 bytes as Linux sends it: the probe carries one so this
// node can tell its own probe, looped back by the link, from another host's.
struct NdpNonce {
  uint8_t bytes[6] = {};

  bool operator==(const NdpNonce& o) const { return memcmp(bytes, o.bytes, 6) == 0; }
  bool operator!=(const NdpNonce& o) const { return !(*this == o); }
};

// Both builders write a whole IPv6 packet, for a socket with IPV6_HDRINCL
// (the probe's source :: is one the kernel would never choose): IPv6 header
// (40) + Neighbor Solicitation or Advertisement (24) + one option (8), the
// ICMPv6 checksum over the pseudo-header filled in.
constexpr size_t kNdpPacketSize = 72;

// RFC 4862 5.4.2: a Neighbor Solicitation from :: to the solicited-node
// group of `address`, hop limit 255, target `address`, no source link-layer
// address option, a Nonce option. Returns kNdpPacketSize, or 0 if size is
// too small.
size_t BuildDuplicateProbe(const Ipv6& address, const NdpNonce& nonce, uint8_t* packet,
                           size_t size);
// RFC 4861 7.2.6: a Neighbor Advertisement from `address` to ff02::1, hop
// limit 255, Override set, Solicited clear, Router set on a router (RFC
// 4861 7.2.5: a neighbour that sees it clear stops using this node as its
// router), target `address`, a Target Link-Layer Address option with `own`.
// Returns kNdpPacketSize, or 0 if size is too small.
size_t BuildUnsolicitedAdvert(const Ipv6& address, const MacAddress& own, bool router,
                              uint8_t* packet, size_t size);

// What the IPv6 header said, as a raw socket reports it beside the ICMPv6
// message: the source from msg_name, the destination from IPV6_PKTINFO, the
// hop limit from IPV6_HOPLIMIT.
struct NdpEnvelope {
  Ipv6 source;
  Ipv6 destination;
  int hop_limit = 0;
};

enum class NdpType : uint8_t { kSolicitation = 135, kAdvertisement = 136 };

struct NdpMessage {
  NdpType type = NdpType::kSolicitation;
  Ipv6 source;
  Ipv6 target;
  // Advertisements only; false in a solicitation.
  bool router = false;
  bool solicited = false;
  bool override_entry = false;
  // A solicitation's source link-layer address option, an advertisement's
  // target link-layer address option (the first one).
  bool has_link_layer = false;
  MacAddress link_layer;
  // The first Nonce option, when 6 bytes long: a nonce of another length is
  // not this node's and is left out.
  bool has_nonce = false;
  NdpNonce nonce;
};

// `icmp` is the ICMPv6 message as a raw IPPROTO_ICMPV6 socket delivers it
// (ICMPv6 header first; the kernel has checked its checksum). True only for
// a Neighbor Solicitation or Advertisement valid per RFC 4861 7.1.1 / 7.1.2
// (hop limit 255, code 0, at least 24 bytes, target not multicast, every
// option non-empty and inside the message; a solicitation from :: only to a
// solicited-node group and without a source link-layer address option; an
// advertisement to a multicast group not solicited) whose link-layer
// address options are Ethernet's 6 bytes; fills `out`. Anything else: false.
bool ParseNdpMessage(const uint8_t* icmp, size_t len, const NdpEnvelope& envelope, NdpMessage* out);

// `packet` is a whole IPv6 packet as a packet socket reads it behind the
// Ethernet header, where nothing has been checked: version 6, a payload
// length that fits `len` (the rest is the link's padding), next header
// ICMPv6 (a message behind an extension header is refused), a valid ICMPv6
// checksum; then ParseNdpMessage with the header's addresses and hop limit.
bool ParseNdpPacket(const uint8_t* packet, size_t len, NdpMessage* out);

// True when a valid message shows another host using `address`: an
// advertisement for it whose target link-layer address is not `own` (this
// node's own), or a duplicate-address probe for it (a solicitation from ::)
// that does not carry `own_nonce` (this node's own probe, looped back).
// A solicitation from a unicast source is address resolution, not a claim.
bool IsNdpConflict(const NdpMessage& message, const Ipv6& address, const MacAddress& own,
                   const NdpNonce& own_nonce);

}  // namespace ipres
