// SPDX-License-Identifier: Apache-2.0
#include <string.h>

#include "cmocka_cxx.h"
#include "net/arp.h"
#include "net/frame.h"

using namespace ipres;

namespace {

const MacAddress kOwn = {{0x02, 0x00, 0x5e, 0x10, 0x20, 0x30}};
const MacAddress kOther = {{0x02, 0x00, 0x5e, 0xaa, 0xbb, 0xcc}};
constexpr Ipv4 kVip = {0xc0000264};        // 192.0.2.100
constexpr Ipv4 kBcast = {0xc00002ff};      // 192.0.2.255
constexpr Ipv4 kElsewhere = {0xc0000265};  // 192.0.2.101

// The frames spelled out byte by byte, independently of the builder.
const uint8_t kGarpRequestToVip[kArpFrameSize] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0x08, 0x06,  // eth
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,                                      // request
    0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0xc0, 0x00, 0x02, 0x64,                          // sender
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc0, 0x00, 0x02, 0x64,                          // target
};
const uint8_t kGarpReplyToVip[kArpFrameSize] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0x08, 0x06,  // eth
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,                                      // reply
    0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0xc0, 0x00, 0x02, 0x64,                          // sender
    0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0xc0, 0x00, 0x02, 0x64,                          // target
};
const uint8_t kGarpRequestToBcast[kArpFrameSize] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0x08, 0x06,  // eth
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,                                      // request
    0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0xc0, 0x00, 0x02, 0x64,                          // sender
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc0, 0x00, 0x02, 0xff,                          // target
};
const uint8_t kGarpReplyToBcast[kArpFrameSize] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0x08, 0x06,  // eth
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,                                      // reply
    0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0xc0, 0x00, 0x02, 0x64,                          // sender
    0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0xc0, 0x00, 0x02, 0xff,                          // target
};
const uint8_t kProbe[kArpFrameSize] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0x08, 0x06,  // eth
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,                                      // request
    0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0x00, 0x00, 0x00, 0x00,                          // sender
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x64,                          // target
};

// Builds into a buffer larger than the frame so a write past it shows.
void ExpectGarp(GarpKind kind, Ipv4 target, const uint8_t* want) {
  uint8_t buf[kArpFrameSize + 8];
  memset(buf, 0xa5, sizeof buf);
  assert_int_equal(BuildGratuitousArp(kind, kOwn, kVip, target, buf, sizeof buf), kArpFrameSize);
  assert_memory_equal(buf, want, kArpFrameSize);
  for (size_t i = kArpFrameSize; i < sizeof buf; ++i) assert_int_equal(buf[i], 0xa5);
}

void GarpRequestToAddress(void**) {
  ExpectGarp(GarpKind::kRequest, kVip, kGarpRequestToVip);
}
void GarpReplyToAddress(void**) {
  ExpectGarp(GarpKind::kReply, kVip, kGarpReplyToVip);
}
void GarpRequestToBroadcast(void**) {
  ExpectGarp(GarpKind::kRequest, kBcast, kGarpRequestToBcast);
}
void GarpReplyToBroadcast(void**) {
  ExpectGarp(GarpKind::kReply, kBcast, kGarpReplyToBcast);
}

void ProbeFrame(void**) {
  uint8_t buf[kArpFrameSize + 8];
  memset(buf, 0xa5, sizeof buf);
  assert_int_equal(BuildArpProbe(kOwn, kVip, buf, sizeof buf), kArpFrameSize);
  assert_memory_equal(buf, kProbe, kArpFrameSize);
  for (size_t i = kArpFrameSize; i < sizeof buf; ++i) assert_int_equal(buf[i], 0xa5);
}

void BuildersRefuseSmallBuffers(void**) {
  uint8_t buf[kArpFrameSize];
  memset(buf, 0xa5, sizeof buf);
  assert_int_equal(BuildGratuitousArp(GarpKind::kRequest, kOwn, kVip, kVip, buf, 41), 0);
  assert_int_equal(BuildGratuitousArp(GarpKind::kReply, kOwn, kVip, kVip, buf, 0), 0);
  assert_int_equal(BuildArpProbe(kOwn, kVip, buf, 41), 0);
  for (uint8_t b : buf) assert_int_equal(b, 0xa5);
}

// An ARP frame from kOther (Ethernet and ARP sender), padded to the 60-byte
// minimum as it arrives from the wire.
struct Frame {
  uint8_t bytes[60];
};

Frame Arp(uint16_t op, const MacAddress& sha, Ipv4 spa, Ipv4 tpa) {
  Frame f = {};
  memcpy(f.bytes, kProbe, kArpFrameSize);
  memcpy(f.bytes + 6, sha.bytes, 6);
  f.bytes[21] = static_cast<uint8_t>(op);
  memcpy(f.bytes + 22, sha.bytes, 6);
  for (int i = 0; i < 4; ++i) {
    f.bytes[28 + i] = static_cast<uint8_t>(spa.value >> (24 - 8 * i));
    f.bytes[38 + i] = static_cast<uint8_t>(tpa.value >> (24 - 8 * i));
  }
  return f;
}

bool Conflict(const Frame& f) {
  return IsArpConflict(f.bytes, sizeof f.bytes, false, kOwn, kVip);
}

void ReplyFromOtherMacConflicts(void**) {
  assert_true(Conflict(Arp(2, kOther, kVip, kElsewhere)));
}

void RequestFromOtherMacConflicts(void**) {
  assert_true(Conflict(Arp(1, kOther, kVip, kElsewhere)));
  // Another host's own gratuitous ARP for the address.
  assert_true(Conflict(Arp(1, kOther, kVip, kVip)));
}

void OwnMacIsNoConflict(void**) {
  assert_false(Conflict(Arp(2, kOwn, kVip, kElsewhere)));
  assert_false(Conflict(Arp(1, kOwn, kVip, kVip)));
  assert_false(Conflict(Arp(1, kOwn, Ipv4{0}, kVip)));  // our own probe looped back
}

void OtherSenderIpIsNoConflict(void**) {
  assert_false(Conflict(Arp(2, kOther, kElsewhere, kVip)));
  assert_false(Conflict(Arp(1, kOther, kElsewhere, kVip)));  // someone asking for it
}

void OtherHostsProbeConflicts(void**) {
  assert_true(Conflict(Arp(1, kOther, Ipv4{0}, kVip)));
}

void ProbeForAnotherAddressIsNoConflict(void**) {
  assert_false(Conflict(Arp(1, kOther, Ipv4{0}, kElsewhere)));
}

void ReplyWithZeroSenderIsNoConflict(void**) {
  // Only a request is a probe; a reply claims its sender IP, and 0.0.0.0 is
  // no one's.
  assert_false(Conflict(Arp(2, kOther, Ipv4{0}, kVip)));
}

void EthernetSourceDoesNotDecide(void**) {
  // RFC 5227 judges the ARP sender hardware address, not the frame's source.
  Frame f = Arp(2, kOther, kVip, kVip);
  memcpy(f.bytes + 6, kOwn.bytes, 6);
  assert_true(Conflict(f));
  f = Arp(2, kOwn, kVip, kVip);
  memcpy(f.bytes + 6, kOther.bytes, 6);
  assert_false(Conflict(f));
}

void TruncatedIsNoConflict(void**) {
  Frame f = Arp(2, kOther, kVip, kVip);
  for (size_t len = 0; len < kArpFrameSize; ++len) {
    if (IsArpConflict(f.bytes, len, false, kOwn, kVip)) fail_msg("conflict at length %zu", len);
  }
  assert_true(IsArpConflict(f.bytes, kArpFrameSize, false, kOwn, kVip));
  assert_false(IsArpConflict(nullptr, 60, false, kOwn, kVip));
}

// Each header field changed in turn must turn a conflict into none.
void ExpectNotWithByte(size_t offset, uint8_t value) {
  Frame f = Arp(2, kOther, kVip, kVip);
  assert_true(Conflict(f));
  f.bytes[offset] = value;
  if (Conflict(f)) fail_msg("conflict with byte %zu = 0x%02x", offset, value);
}

void NotArpEthertype(void**) {
  ExpectNotWithByte(12, 0x86);  // 0x8606
  ExpectNotWithByte(13, 0x00);  // 0x0800, IPv4
  ExpectNotWithByte(13, 0x35);  // 0x0835, RARP
  Frame f = Arp(2, kOther, kVip, kVip);
  f.bytes[12] = 0x81;  // an 802.1Q tag where the ARP ethertype should be
  f.bytes[13] = 0x00;
  assert_false(Conflict(f));
}

void WrongHardwareType(void**) {
  ExpectNotWithByte(15, 6);  // IEEE 802
  ExpectNotWithByte(14, 1);  // 0x0101
}

void WrongProtocolType(void**) {
  ExpectNotWithByte(16, 0x86);  // 0x86dd
  ExpectNotWithByte(17, 0x06);  // 0x0806
}

void WrongLengths(void**) {
  ExpectNotWithByte(18, 8);
  ExpectNotWithByte(18, 0);
  ExpectNotWithByte(19, 16);
  ExpectNotWithByte(19, 0);
}

void WrongOpcode(void**) {
  ExpectNotWithByte(21, 0);
  ExpectNotWithByte(21, 3);  // RARP request
  ExpectNotWithByte(21, 4);  // RARP reply
  ExpectNotWithByte(20, 1);  // 0x0102
}

// The duplicate check's reader (ArpSocket::Receive) and the claim watch's
// judge a frame only when the link delivered it to this node: another
// host's ARP reply unicast to a third MAC, which a device in promiscuous
// mode hands up as PACKET_OTHERHOST, is no answer to this node's probe.
void OnlyFramesDeliveredHereCount(void**) {
  assert_true(DeliveredToThisNode(PACKET_HOST));
  assert_true(DeliveredToThisNode(PACKET_BROADCAST));
  assert_true(DeliveredToThisNode(PACKET_MULTICAST));
  assert_false(DeliveredToThisNode(PACKET_OTHERHOST));
  assert_false(DeliveredToThisNode(PACKET_OUTGOING));
  assert_false(DeliveredToThisNode(PACKET_LOOPBACK));
}

}  // namespace

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(GarpRequestToAddress),
      cmocka_unit_test(GarpReplyToAddress),
      cmocka_unit_test(GarpRequestToBroadcast),
      cmocka_unit_test(GarpReplyToBroadcast),
      cmocka_unit_test(ProbeFrame),
      cmocka_unit_test(BuildersRefuseSmallBuffers),
      cmocka_unit_test(ReplyFromOtherMacConflicts),
      cmocka_unit_test(RequestFromOtherMacConflicts),
      cmocka_unit_test(OwnMacIsNoConflict),
      cmocka_unit_test(OtherSenderIpIsNoConflict),
      cmocka_unit_test(OtherHostsProbeConflicts),
      cmocka_unit_test(ProbeForAnotherAddressIsNoConflict),
      cmocka_unit_test(ReplyWithZeroSenderIsNoConflict),
      cmocka_unit_test(EthernetSourceDoesNotDecide),
      cmocka_unit_test(TruncatedIsNoConflict),
      cmocka_unit_test(NotArpEthertype),
      cmocka_unit_test(WrongHardwareType),
      cmocka_unit_test(WrongProtocolType),
      cmocka_unit_test(WrongLengths),
      cmocka_unit_test(WrongOpcode),
      cmocka_unit_test(OnlyFramesDeliveredHereCount),
  };
  return cmocka_run_group_tests_name("arp", tests, nullptr, nullptr);
}
