// SPDX-License-Identifier: Apache-2.0
#include <string.h>

#include "cmocka_cxx.h"
#include "net/ndp.h"

using namespace ipres;

namespace {

const MacAddress kOwn = {{0x02, 0x00, 0x5e, 0x10, 0x20, 0x30}};
const MacAddress kOther = {{0x02, 0x00, 0x5e, 0xaa, 0xbb, 0xcc}};
const NdpNonce kNonce = {{0x01, 0x02, 0x03, 0x04, 0x05, 0x06}};
const NdpNonce kOtherNonce = {{0x11, 0x12, 0x13, 0x14, 0x15, 0x16}};

// 2001:db8::100, its solicited-node group ff02::1:ff00:100, ff02::1 and a
// neighbour 2001:db8::7, spelled as bytes.
const Ipv6 kVip = {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00}};
const Ipv6 kVipGroup = {{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0x00, 0x01, 0x00}};
const Ipv6 kAllNodes = {{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01}};
const Ipv6 kNeighbour = {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x07}};
const Ipv6 kUnspecified = {};

// RFC 4861 4.3 and 4.4 laid out by hand; the checksums computed apart from
// ipres (RFC 8200 8.1 pseudo-header).
const uint8_t kProbe[kNdpPacketSize] = {
    0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 58,   255,  // IPv6
    0,    0,    0,    0,    0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0,    0,  // ::
    0xff, 0x02, 0,    0,    0,    0,    0,    0,
    0,    0,    0,    0x01, 0xff, 0x00, 0x01, 0x00,  // group
    135,  0,    0x33, 0xda, 0,    0,    0,    0,     // NS
    0x20, 0x01, 0x0d, 0xb8, 0,    0,    0,    0,
    0,    0,    0,    0,    0,    0,    0x01, 0x00,  // target
    14,   1,    0x01, 0x02, 0x03, 0x04, 0x05, 0x06,  // nonce
};
const uint8_t kAdvert[kNdpPacketSize] = {
    0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 58,   255,                                 // IPv6
    0x20, 0x01, 0x0d, 0xb8, 0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0x01, 0x00,  // source
    0xff, 0x02, 0,    0,    0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0,    0x01,  // ff02::1
    136,  0,    0x78, 0xed, 0x20, 0,    0,    0,                                   // NA, O
    0x20, 0x01, 0x0d, 0xb8, 0,    0,    0,    0,    0, 0, 0, 0, 0, 0, 0x01, 0x00,  // target
    2,    1,    0x02, 0x00, 0x5e, 0x10, 0x20, 0x30,                                // TLLA
};
constexpr size_t kIp = 40;  // where the ICMPv6 message starts in a built packet

// A received message: the built packet's ICMPv6 part, with its envelope.
struct Received {
  uint8_t icmp[64] = {};
  size_t len = 0;
  NdpEnvelope envelope;

  bool Parse(NdpMessage* out) const { return ParseNdpMessage(icmp, len, envelope, out); }
};

Received FromPacket(const uint8_t* packet, int hop_limit = 255) {
  Received r;
  r.len = kNdpPacketSize - kIp;
  memcpy(r.icmp, packet + kIp, r.len);
  memcpy(r.envelope.source.bytes, packet + 8, 16);
  memcpy(r.envelope.destination.bytes, packet + 24, 16);
  r.envelope.hop_limit = hop_limit;
  return r;
}

Received OwnProbe() {
  return FromPacket(kProbe);
}
Received OwnAdvert() {
  return FromPacket(kAdvert);
}
Received OtherAdvert() {
  Received r = OwnAdvert();
  memcpy(r.icmp + 26, kOther.bytes, 6);
  return r;
}

bool Conflicts(const Received& r) {
  NdpMessage m;
  return r.Parse(&m) && IsNdpConflict(m, kVip, kOwn, kNonce);
}

// Builds into a buffer larger than the packet so a write past it shows.
void ExpectBuilt(size_t built, const uint8_t* buf, const uint8_t* want) {
  assert_int_equal(built, kNdpPacketSize);
  assert_memory_equal(buf, want, kNdpPacketSize);
  for (size_t i = kNdpPacketSize; i < kNdpPacketSize + 8; ++i) assert_int_equal(buf[i], 0xa5);
}

void ProbeBytes(void**) {
  uint8_t buf[kNdpPacketSize + 8];
  memset(buf, 0xa5, sizeof buf);
  ExpectBuilt(BuildDuplicateProbe(kVip, kNonce, buf, sizeof buf), buf, kProbe);
}

void AdvertBytes(void**) {
  uint8_t buf[kNdpPacketSize + 8];
  memset(buf, 0xa5, sizeof buf);
  ExpectBuilt(BuildUnsolicitedAdvert(kVip, kOwn, false, buf, sizeof buf), buf, kAdvert);
}

// A router's: the Router flag set beside Override, the checksum one less
// 0x80 (RFC 1071's sum takes the flag's 0x8000 as it is, then inverts).
void RouterAdvertBytes(void**) {
  uint8_t want[kNdpPacketSize];
  memcpy(want, kAdvert, sizeof want);
  want[44] |= 0x80;
  const uint16_t sum = static_cast<uint16_t>(want[42] << 8 | want[43]);
  const uint32_t less = static_cast<uint32_t>(sum) + 0xffffu - 0x8000u;
  const uint16_t folded = static_cast<uint16_t>((less & 0xffffu) + (less >> 16));
  want[42] = static_cast<uint8_t>(folded >> 8);
  want[43] = static_cast<uint8_t>(folded);
  uint8_t buf[kNdpPacketSize + 8];
  memset(buf, 0xa5, sizeof buf);
  ExpectBuilt(BuildUnsolicitedAdvert(kVip, kOwn, true, buf, sizeof buf), buf, want);
}

void BuildersRefuseSmallBuffers(void**) {
  uint8_t buf[kNdpPacketSize];
  memset(buf, 0xa5, sizeof buf);
  assert_int_equal(BuildDuplicateProbe(kVip, kNonce, buf, kNdpPacketSize - 1), 0);
  assert_int_equal(BuildUnsolicitedAdvert(kVip, kOwn, false, buf, kNdpPacketSize - 1), 0);
  for (uint8_t b : buf) assert_int_equal(b, 0xa5);
}

void ProbeParses(void**) {
  NdpMessage m;
  assert_true(OwnProbe().Parse(&m));
  assert_int_equal(static_cast<int>(m.type), static_cast<int>(NdpType::kSolicitation));
  assert_true(m.source == kUnspecified);
  assert_true(m.target == kVip);
  assert_false(m.has_link_layer);
  assert_true(m.has_nonce);
  assert_true(m.nonce == kNonce);
  assert_false(m.router || m.solicited || m.override_entry);
}

void AdvertParses(void**) {
  NdpMessage m;
  assert_true(OwnAdvert().Parse(&m));
  assert_int_equal(static_cast<int>(m.type), static_cast<int>(NdpType::kAdvertisement));
  assert_true(m.source == kVip);
  assert_true(m.target == kVip);
  assert_true(m.has_link_layer);
  assert_true(m.link_layer == kOwn);
  assert_false(m.has_nonce);
  assert_true(m.override_entry);
  assert_false(m.router || m.solicited);
}

void OtherHostsAdvertConflicts(void**) {
  assert_true(Conflicts(OtherAdvert()));
  // From any source, and without a link-layer address option too.
  Received r = OtherAdvert();
  r.envelope.source = kNeighbour;
  assert_true(Conflicts(r));
  r.len = 24;
  assert_true(Conflicts(r));
}

void OwnMacAdvertIsNoConflict(void**) {
  assert_false(Conflicts(OwnAdvert()));
}

void AdvertForAnotherTargetIsNoConflict(void**) {
  Received r = OtherAdvert();
  r.icmp[8 + 15] = 0x07;
  assert_false(Conflicts(r));
}

void OtherHostsProbeConflicts(void**) {
  Received r = OwnProbe();
  memcpy(r.icmp + 26, kOtherNonce.bytes, 6);
  assert_true(Conflicts(r));
  r.len = 24;  // Linux without enhanced DAD sends no nonce
  assert_true(Conflicts(r));
}

void OwnProbeIsNoConflict(void**) {
  assert_false(Conflicts(OwnProbe()));
}

// Address resolution for the address, from a host that expects it on-link.
void ResolutionIsNoConflict(void**) {
  Received r = OwnProbe();
  r.envelope.source = kNeighbour;
  r.icmp[24] = 1;  // source link-layer address
  memcpy(r.icmp + 26, kOther.bytes, 6);
  NdpMessage m;
  assert_true(r.Parse(&m));
  assert_true(m.has_link_layer && m.link_layer == kOther);
  assert_false(IsNdpConflict(m, kVip, kOwn, kNonce));
}

void HopLimitBelow255IsRefused(void**) {
  NdpMessage m;
  assert_false(FromPacket(kAdvert, 254).Parse(&m));
  assert_false(FromPacket(kAdvert, 64).Parse(&m));
  assert_false(FromPacket(kProbe, 1).Parse(&m));
  assert_false(FromPacket(kAdvert, 0).Parse(&m));
}

void NonZeroCodeIsRefused(void**) {
  Received r = OtherAdvert();
  r.icmp[1] = 1;
  NdpMessage m;
  assert_false(r.Parse(&m));
}

void OtherTypesAreRefused(void**) {
  NdpMessage m;
  const uint8_t types[] = {0, 128, 129, 133, 134, 137, 255};
  for (uint8_t type : types) {
    Received r = OtherAdvert();
    r.icmp[0] = type;
    assert_false(r.Parse(&m));
  }
}

void TruncatedIsRefused(void**) {
  NdpMessage m;
  for (size_t len = 0; len < 24; ++len) {
    Received r = OtherAdvert();
    r.len = len;
    assert_false(r.Parse(&m));
  }
  // An option cut short: its header, then its value.
  Received r = OtherAdvert();
  r.len = 25;
  assert_false(r.Parse(&m));
  r.len = 31;
  assert_false(r.Parse(&m));
  assert_false(ParseNdpMessage(nullptr, 32, r.envelope, &m));
}

void ZeroLengthOptionIsRefused(void**) {
  Received r = OtherAdvert();
  r.icmp[25] = 0;
  NdpMessage m;
  assert_false(r.Parse(&m));
  // Also behind a valid one, and of a type ipres ignores.
  r = OtherAdvert();
  r.icmp[32] = 99;
  r.icmp[33] = 0;
  r.len = 40;
  assert_false(r.Parse(&m));
}

void OptionOverrunningIsRefused(void**) {
  Received r = OtherAdvert();
  r.icmp[25] = 2;  // 16 bytes, 8 present
  NdpMessage m;
  assert_false(r.Parse(&m));
}

void UnknownOptionsAreSkipped(void**) {
  Received r = OtherAdvert();
  const uint8_t mtu[8] = {5, 1, 0, 0, 0, 0, 0x05, 0xdc};
  memcpy(r.icmp + 32, mtu, 8);
  r.len = 40;
  NdpMessage m;
  assert_true(r.Parse(&m));
  assert_true(m.link_layer == kOther);
}

void NonEthernetLinkLayerIsRefused(void**) {
  Received r = OtherAdvert();
  r.icmp[25] = 2;
  r.len = 40;
  NdpMessage m;
  assert_false(r.Parse(&m));
}

void ProbeWithSourceLinkLayerIsRefused(void**) {
  Received r = OwnProbe();
  memcpy(r.icmp + 32, r.icmp + 24, 8);  // the nonce moves behind
  r.icmp[24] = 1;
  r.icmp[25] = 1;
  memcpy(r.icmp + 26, kOther.bytes, 6);
  r.len = 40;
  NdpMessage m;
  assert_false(r.Parse(&m));
}

void ProbeToOtherThanSolicitedNodeIsRefused(void**) {
  NdpMessage m;
  const Ipv6 destinations[] = {kAllNodes, kVip, kNeighbour};
  for (const Ipv6& to : destinations) {
    Received r = OwnProbe();
    r.envelope.destination = to;
    memcpy(r.icmp + 26, kOtherNonce.bytes, 6);
    assert_false(r.Parse(&m));
  }
  // Any solicited-node group passes: RFC 4861 asks no more.
  Received r = OwnProbe();
  r.envelope.destination.bytes[15] = 0x42;
  assert_true(r.Parse(&m));
}

void SolicitedAdvertToMulticastIsRefused(void**) {
  Received r = OtherAdvert();
  r.icmp[4] |= 0x40;
  NdpMessage m;
  assert_false(r.Parse(&m));
  // Unicast, as an answer to address resolution: valid, and still a claim.
  r.envelope.destination = kNeighbour;
  assert_true(r.Parse(&m));
  assert_true(m.solicited);
  assert_true(IsNdpConflict(m, kVip, kOwn, kNonce));
}

void MulticastTargetIsRefused(void**) {
  NdpMessage m;
  Received r = OtherAdvert();
  memcpy(r.icmp + 8, kAllNodes.bytes, 16);
  assert_false(r.Parse(&m));
  r = OwnProbe();
  memcpy(r.icmp + 8, kVipGroup.bytes, 16);
  assert_false(r.Parse(&m));
}

// Whatever came in, a refused message leaves *out as it was.
void RefusedLeavesOutAlone(void**) {
  NdpMessage m;
  m.target = kNeighbour;
  Received r = OtherAdvert();
  r.icmp[1] = 1;
  assert_false(r.Parse(&m));
  assert_true(m.target == kNeighbour);
  assert_false(m.has_link_layer);
}

void LongerNonceIsNotOurs(void**) {
  Received r = OwnProbe();
  r.icmp[25] = 2;  // 14 bytes of nonce, the first 6 ours
  r.len = 40;
  NdpMessage m;
  assert_true(r.Parse(&m));
  assert_false(m.has_nonce);
  assert_true(IsNdpConflict(m, kVip, kOwn, kNonce));
}

}  // namespace

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ProbeBytes),
      cmocka_unit_test(AdvertBytes),
      cmocka_unit_test(RouterAdvertBytes),
      cmocka_unit_test(BuildersRefuseSmallBuffers),
      cmocka_unit_test(ProbeParses),
      cmocka_unit_test(AdvertParses),
      cmocka_unit_test(OtherHostsAdvertConflicts),
      cmocka_unit_test(OwnMacAdvertIsNoConflict),
      cmocka_unit_test(AdvertForAnotherTargetIsNoConflict),
      cmocka_unit_test(OtherHostsProbeConflicts),
      cmocka_unit_test(OwnProbeIsNoConflict),
      cmocka_unit_test(ResolutionIsNoConflict),
      cmocka_unit_test(HopLimitBelow255IsRefused),
      cmocka_unit_test(NonZeroCodeIsRefused),
      cmocka_unit_test(OtherTypesAreRefused),
      cmocka_unit_test(TruncatedIsRefused),
      cmocka_unit_test(ZeroLengthOptionIsRefused),
      cmocka_unit_test(OptionOverrunningIsRefused),
      cmocka_unit_test(UnknownOptionsAreSkipped),
      cmocka_unit_test(NonEthernetLinkLayerIsRefused),
      cmocka_unit_test(ProbeWithSourceLinkLayerIsRefused),
      cmocka_unit_test(ProbeToOtherThanSolicitedNodeIsRefused),
      cmocka_unit_test(SolicitedAdvertToMulticastIsRefused),
      cmocka_unit_test(MulticastTargetIsRefused),
      cmocka_unit_test(RefusedLeavesOutAlone),
      cmocka_unit_test(LongerNonceIsNotOurs),
  };
  return cmocka_run_group_tests_name("ndp", tests, nullptr, nullptr);
}
