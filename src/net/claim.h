// SPDX-License-Identifier: Apache-2.0
// Another host claiming an address this node holds (contract "Conflicts
// while holding"; RFC 5227 2.4 for IPv4, RFC 4861 7.1.2 / 7.2.6 for IPv6).
// Pure code on bytes, as systemd's sd-ipv4acd keeps its rules apart from
// arp-util's sockets: which frames are claims, and the classic BPF programs
// that let the kernel drop every other frame before the monitor wakes.
// ClaimSocket (net/claim_socket.h) does the I/O.
#pragma once

#include <linux/filter.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ipv4.h"
#include "base/ipv6.h"
#include "base/mac.h"
#include "net/ndp.h"

namespace ipres {

// IPv4: an ARP request or reply (Ethernet, IPv4, 6/4 lengths) whose sender
// IP is `address` and whose sender hardware address is not `own`: true with
// that sender hardware address in *claimant. A probe (sender IP 0.0.0.0) is
// never a claim: the kernel answers those for a held address. Anything
// malformed or truncated is false. `allow_tag`: see ParseEthernetFrame.
bool IsArpClaim(const uint8_t* frame, size_t len, bool allow_tag, Ipv4 address,
                const MacAddress& own, MacAddress* claimant);

// Whether an ARP claim answers a probe: a reply to a sender whose IP was
// 0.0.0.0 (RFC 826 replies to the request's sender IP, RFC 5227 2.1.1's
// probe has none), where a gratuitous ARP names the address itself as
// target. A holder that announces nothing is told from a loud claimer so.
// (An advertisement answering a DAD probe goes to all nodes, unsolicited,
// as a claim does: for IPv6 no such line can be drawn.)
bool AnswersArpProbe(const uint8_t* frame, size_t len, bool allow_tag);

// IPv6: an Ethernet frame holding an IPv6 packet whose next header is
// ICMPv6 (no extension headers) with a valid ICMPv6 checksum, carrying a
// Neighbor Advertisement valid per RFC 4861 7.1.2 (ParseNdpMessage) for
// target `address`, whose target link-layer address (the Ethernet source
// when the option is absent) is not `own`: true with that address in
// *claimant. A solicitation, also a DAD probe from ::, is never a claim.
bool IsNaClaim(const uint8_t* frame, size_t len, bool allow_tag, const Ipv6& address,
               const MacAddress& own, MacAddress* claimant);

// Classic BPF programs for the packet socket of the watch: each accepts
// every frame its classifier above may call a claim (through one tag when
// allow_tag) and drops the rest, so unrelated ARP or IPv6 traffic never
// wakes the monitor. Only frames the link delivered to this node count
// (packet type host, broadcast or multicast): not this node's own going out,
// nor a frame of a VLAN the node has no device for, which the kernel hands
// to the base device with its tag taken off, as PACKET_OTHERHOST. Each
// returns its length in instructions, or 0 when `capacity` is too small
// (kClaimFilterCapacity is enough).
constexpr size_t kClaimFilterCapacity = 64;
size_t BuildArpClaimFilter(Ipv4 address, const MacAddress& own, bool allow_tag,
                           sock_filter* program, size_t capacity);
size_t BuildNaClaimFilter(const Ipv6& address, bool allow_tag, sock_filter* program,
                          size_t capacity);

// The probe the monitor sends for a holder that only answers, as a whole
// Ethernet frame from `own`: the RFC 5227 ARP probe (net/arp.h), or the
// RFC 4862 DAD Neighbor Solicitation from :: (net/ndp.h) to the address's
// solicited-node group, with `nonce`. Returns the length, or 0 when `size`
// is too small (kClaimProbeCapacity is enough). Another holder answers with
// an ARP reply or an advertisement that IsArpClaim / IsNaClaim call a claim.
constexpr size_t kClaimProbeCapacity = 96;
size_t BuildArpClaimProbe(Ipv4 address, const MacAddress& own, uint8_t* frame, size_t size);
size_t BuildNaClaimProbe(const Ipv6& address, const MacAddress& own, const NdpNonce& nonce,
                         uint8_t* frame, size_t size);

}  // namespace ipres
