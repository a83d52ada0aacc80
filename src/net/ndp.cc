// SPDX-License-Identifier: Apache-2.0
#include "net/ndp.h"

#include <string.h>

#include "base/byte_order.h"
#include "net/icmp.h"

namespace ipres {
namespace {

// Offsets into the IPv6 header (RFC 8200 3).
constexpr size_t kIpVersionClass = 0;
constexpr size_t kIpPayloadLength = 4;
constexpr size_t kIpNextHeader = 6;
constexpr size_t kIpHopLimit = 7;
constexpr size_t kIpSource = 8;
constexpr size_t kIpDestination = 24;
constexpr size_t kIpHeaderBytes = 40;

// Offsets into a Neighbor Solicitation or Advertisement (RFC 4861 4.3, 4.4).
constexpr size_t kIcmpType = 0;
constexpr size_t kIcmpCode = 1;
constexpr size_t kIcmpChecksum = 2;
constexpr size_t kNaFlags = 4;
constexpr size_t kTarget = 8;
constexpr size_t kOptions = 24;

constexpr uint8_t kNextHeaderIcmpv6 = 58;
constexpr uint8_t kNdpHopLimit = 255;
constexpr uint8_t kFlagRouter = 0x80;
constexpr uint8_t kFlagSolicited = 0x40;
constexpr uint8_t kFlagOverride = 0x20;

// Option types (RFC 4861 4.6, RFC 3971 5.3.2); lengths count 8-byte units.
constexpr uint8_t kOptionSourceLinkLayer = 1;
constexpr uint8_t kOptionTargetLinkLayer = 2;
constexpr uint8_t kOptionNonce = 14;
constexpr size_t kOptionUnit = 8;
constexpr size_t kOptionHeaderBytes = 2;

constexpr size_t kIcmpBytes = kNdpPacketSize - kIpHeaderBytes;

// Lays out the IPv6 header and the message's first 24 bytes; the caller adds
// the option and then the checksum.
void LayOut(const Ipv6& source, const Ipv6& destination, NdpType type, uint8_t flags,
            const Ipv6& target, uint8_t* packet) {
  memset(packet, 0, kNdpPacketSize);
  packet[kIpVersionClass] = 6 << 4;
  StoreBigEndian16(packet + kIpPayloadLength, kIcmpBytes);
  packet[kIpNextHeader] = kNextHeaderIcmpv6;
  packet[kIpHopLimit] = kNdpHopLimit;
  memcpy(packet + kIpSource, source.bytes, 16);
  memcpy(packet + kIpDestination, destination.bytes, 16);
  uint8_t* icmp = packet + kIpHeaderBytes;
  icmp[kIcmpType] = static_cast<uint8_t>(type);
  icmp[kNaFlags] = flags;
  memcpy(icmp + kTarget, target.bytes, 16);
}

void PutOption(uint8_t type, const uint8_t* value, uint8_t* packet) {
  uint8_t* option = packet + kIpHeaderBytes + kOptions;
  option[0] = type;
  option[1] = 1;
  memcpy(option + kOptionHeaderBytes, value, kOptionUnit - kOptionHeaderBytes);
}

// The ICMPv6 checksum of the `icmp_len`-byte message behind the IPv6 header
// at `packet`, over the pseudo-header of RFC 8200 8.1: source and
// destination lie just before the message, so one pass sums them with it;
// the upper-layer length and next header are added apart. 0 for a message
// whose checksum field is right.
uint16_t Icmp6Checksum(const uint8_t* packet, size_t icmp_len) {
  return InternetChecksum(packet + kIpSource, 32 + icmp_len,
                          static_cast<uint32_t>(icmp_len) + kNextHeaderIcmpv6);
}

// Summed while the field still holds LayOut's 0.
void FillChecksum(uint8_t* packet) {
  StoreBigEndian16(packet + kIpHeaderBytes + kIcmpChecksum, Icmp6Checksum(packet, kIcmpBytes));
}

bool IsSolicitedNodeGroup(const Ipv6& a) {
  return SolicitedNodeOf(a) == a;
}

// Walks the options after the fixed part: every one must be non-empty and
// inside the message (RFC 4861 7.1.1, 7.1.2). Keeps the first link-layer
// address option of `link_layer_type` and the first 6-byte nonce; false for
// a malformed option or a link-layer address that is not Ethernet's.
bool ParseOptions(const uint8_t* options, size_t len, uint8_t link_layer_type, NdpMessage* out) {
  size_t at = 0;
  while (at < len) {
    if (len - at < kOptionHeaderBytes) return false;
    const uint8_t type = options[at];
    const size_t bytes = static_cast<size_t>(options[at + 1]) * kOptionUnit;
    if (bytes == 0 || bytes > len - at) return false;
    const uint8_t* value = options + at + kOptionHeaderBytes;
    if (type == link_layer_type) {
      if (bytes != kOptionUnit) return false;
      if (!out->has_link_layer) {
        memcpy(out->link_layer.bytes, value, 6);
        out->has_link_layer = true;
      }
    } else if (type == kOptionNonce && bytes == kOptionUnit && !out->has_nonce) {
      memcpy(out->nonce.bytes, value, 6);
      out->has_nonce = true;
    }
    at += bytes;
  }
  return true;
}

}  // namespace

size_t BuildDuplicateProbe(const Ipv6& address, const NdpNonce& nonce, uint8_t* packet,
                           size_t size) {
  if (size < kNdpPacketSize) return 0;
  LayOut(Ipv6{}, SolicitedNodeOf(address), NdpType::kSolicitation, 0, address, packet);
  PutOption(kOptionNonce, nonce.bytes, packet);
  FillChecksum(packet);
  return kNdpPacketSize;
}

size_t BuildUnsolicitedAdvert(const Ipv6& address, const MacAddress& own, bool router,
                              uint8_t* packet, size_t size) {
  if (size < kNdpPacketSize) return 0;
  const uint8_t flags = static_cast<uint8_t>(kFlagOverride | (router ? kFlagRouter : 0));
  LayOut(address, AllNodes(), NdpType::kAdvertisement, flags, address, packet);
  PutOption(kOptionTargetLinkLayer, own.bytes, packet);
  FillChecksum(packet);
  return kNdpPacketSize;
}

bool ParseNdpMessage(const uint8_t* icmp, size_t len, const NdpEnvelope& envelope,
                     NdpMessage* out) {
  if (icmp == nullptr || len < kOptions || len > 0xffff) return false;
  if (envelope.hop_limit != kNdpHopLimit || icmp[kIcmpCode] != 0) return false;
  const uint8_t type = icmp[kIcmpType];
  if (type != static_cast<uint8_t>(NdpType::kSolicitation) &&
      type != static_cast<uint8_t>(NdpType::kAdvertisement)) {
    return false;
  }
  NdpMessage m;
  m.type = static_cast<NdpType>(type);
  m.source = envelope.source;
  memcpy(m.target.bytes, icmp + kTarget, 16);
  if (IsMulticast(m.target)) return false;
  const bool advert = m.type == NdpType::kAdvertisement;
  if (advert) {
    m.router = (icmp[kNaFlags] & kFlagRouter) != 0;
    m.solicited = (icmp[kNaFlags] & kFlagSolicited) != 0;
    m.override_entry = (icmp[kNaFlags] & kFlagOverride) != 0;
  }
  const uint8_t link_layer_type = advert ? kOptionTargetLinkLayer : kOptionSourceLinkLayer;
  if (!ParseOptions(icmp + kOptions, len - kOptions, link_layer_type, &m)) return false;
  if (advert) {
    if (IsMulticast(envelope.destination) && m.solicited) return false;
  } else if (IsUnspecified(envelope.source)) {
    if (!IsSolicitedNodeGroup(envelope.destination) || m.has_link_layer) return false;
  }
  *out = m;
  return true;
}

bool ParseNdpPacket(const uint8_t* packet, size_t len, NdpMessage* out) {
  if (packet == nullptr || len < kIpHeaderBytes || packet[kIpVersionClass] >> 4 != 6) return false;
  // Whatever follows the payload is the link's padding.
  const size_t icmp_len = LoadBigEndian16(packet + kIpPayloadLength);
  if (icmp_len > len - kIpHeaderBytes || packet[kIpNextHeader] != kNextHeaderIcmpv6) return false;
  if (Icmp6Checksum(packet, icmp_len) != 0) return false;
  NdpEnvelope envelope;
  memcpy(envelope.source.bytes, packet + kIpSource, 16);
  memcpy(envelope.destination.bytes, packet + kIpDestination, 16);
  envelope.hop_limit = packet[kIpHopLimit];
  return ParseNdpMessage(packet + kIpHeaderBytes, icmp_len, envelope, out);
}

bool IsNdpConflict(const NdpMessage& message, const Ipv6& address, const MacAddress& own,
                   const NdpNonce& own_nonce) {
  if (message.target != address) return false;
  if (message.type == NdpType::kAdvertisement) {
    return !(message.has_link_layer && message.link_layer == own);
  }
  if (!IsUnspecified(message.source)) return false;
  return !(message.has_nonce && message.nonce == own_nonce);
}

}  // namespace ipres
