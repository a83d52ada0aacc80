// SPDX-License-Identifier: Apache-2.0
// NDP messages as the duplicate-address check's raw ICMPv6 socket reads
// them, with the envelope the kernel reports beside them, judged against an
// own MAC, address and nonce the input also picks.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/ndp.h"

using namespace ipres;

namespace {

// Own MAC (6), the protected address (16), own nonce (6), then the envelope:
// source (16), destination (16), hop limit (1).
constexpr size_t kPrefix = 61;
constexpr size_t kIpHeader = 40;

bool Parse(const uint8_t* packet, NdpMessage* out) {
  NdpEnvelope envelope;
  memcpy(envelope.source.bytes, packet + 8, 16);
  memcpy(envelope.destination.bytes, packet + 24, 16);
  envelope.hop_limit = packet[7];
  return ParseNdpMessage(packet + kIpHeader, kNdpPacketSize - kIpHeader, envelope, out);
}

// What this node sends itself parses and never looks like someone else.
void CheckOwnPackets(const MacAddress& own, const Ipv6& address, const NdpNonce& nonce) {
  uint8_t packet[kNdpPacketSize];
  NdpMessage m;
  if (BuildDuplicateProbe(address, nonce, packet, sizeof packet) != kNdpPacketSize) abort();
  // A multicast address has no probe that validates: RFC 4861 refuses the target.
  if (Parse(packet, &m) == IsMulticast(address)) abort();
  if (!IsMulticast(address) && IsNdpConflict(m, address, own, nonce)) abort();
  if (BuildUnsolicitedAdvert(address, own, false, packet, sizeof packet) != kNdpPacketSize) abort();
  if (Parse(packet, &m) == IsMulticast(address)) abort();
  if (!IsMulticast(address) && IsNdpConflict(m, address, own, nonce)) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kPrefix) return 0;
  MacAddress own;
  Ipv6 address;
  NdpNonce nonce;
  NdpEnvelope envelope;
  memcpy(own.bytes, data, 6);
  memcpy(address.bytes, data + 6, 16);
  memcpy(nonce.bytes, data + 22, 6);
  memcpy(envelope.source.bytes, data + 28, 16);
  memcpy(envelope.destination.bytes, data + 44, 16);
  envelope.hop_limit = data[60];
  const uint8_t* icmp = data + kPrefix;
  const size_t len = size - kPrefix;
  NdpMessage m;
  if (ParseNdpMessage(icmp, len, envelope, &m)) {
    // Only what RFC 4861 7.1 lets through.
    if (envelope.hop_limit != 255 || len < 24 || icmp[1] != 0) abort();
    if (icmp[0] != 135 && icmp[0] != 136) abort();
    if (IsMulticast(m.target) || memcmp(m.target.bytes, icmp + 8, 16) != 0) abort();
    if (m.type == NdpType::kSolicitation && IsUnspecified(m.source) && m.has_link_layer) abort();
    if (m.type == NdpType::kAdvertisement && IsMulticast(envelope.destination) && m.solicited) {
      abort();
    }
    if (IsNdpConflict(m, address, own, nonce) && m.target != address) abort();
  }
  CheckOwnPackets(own, address, nonce);
  return 0;
}
