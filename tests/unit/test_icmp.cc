// SPDX-License-Identifier: Apache-2.0
#include <string.h>

#include "cmocka_cxx.h"
#include "net/icmp.h"

using namespace ipres;

namespace {

// Checksums in these vectors come from scapy, not from the code under test.
// ICMP echo request, id 0x1234, sequence 1, payload 00 01 .. 37 (ping's).
const uint8_t kRequestVector[64] = {
    0x08, 0x00, 0xee, 0xb7, 0x12, 0x34, 0x00, 0x01, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
    0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
    0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37};

// IPv4 192.0.2.10 -> 192.0.2.1, ttl 64, echo reply id 0xbeef sequence 7, same payload.
const uint8_t kReplyVector[84] = {
    0x45, 0x00, 0x00, 0x54, 0x04, 0xd2, 0x00, 0x00, 0x40, 0x01, 0xf1, 0xcb, 0xc0, 0x00,
    0x02, 0x0a, 0xc0, 0x00, 0x02, 0x01, 0x00, 0x00, 0x49, 0xf6, 0xbe, 0xef, 0x00, 0x07,
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
    0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b,
    0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29,
    0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37};
constexpr uint16_t kReplyId = 0xbeef;

uint8_t g_buf[128];

// A copy of the reply vector to mangle, returned with its length.
size_t ReplyCopy() {
  memcpy(g_buf, kReplyVector, sizeof kReplyVector);
  return sizeof kReplyVector;
}

// Recomputes both checksums after a test changed a field, so only that
// field can be what ParseEchoReply rejects.
void FixIpChecksum(uint8_t* p, size_t header_len) {
  p[10] = p[11] = 0;
  uint16_t c = InternetChecksum(p, header_len);
  p[10] = static_cast<uint8_t>(c >> 8);
  p[11] = static_cast<uint8_t>(c);
}

void FixChecksums(uint8_t* p, size_t len) {
  size_t ihl = static_cast<size_t>(p[0] & 0x0f) * 4;
  FixIpChecksum(p, ihl);
  p[ihl + 2] = p[ihl + 3] = 0;
  uint16_t c = InternetChecksum(p + ihl, len - ihl);
  p[ihl + 2] = static_cast<uint8_t>(c >> 8);
  p[ihl + 3] = static_cast<uint8_t>(c);
}

void SetTotalLength(uint8_t* p, size_t len) {
  p[2] = static_cast<uint8_t>(len >> 8);
  p[3] = static_cast<uint8_t>(len);
}

void ChecksumRfc1071Example(void**) {
  // RFC 1071 section 3: the sum of these words is 0xddf2.
  const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  assert_int_equal(InternetChecksum(data, sizeof data), 0x220d);
}

void ChecksumOddLengthAndZero(void**) {
  const uint8_t odd[] = {0x01, 0x02, 0x03};  // 0x0102 + 0x0300
  assert_int_equal(InternetChecksum(odd, sizeof odd), static_cast<uint16_t>(~0x0402));
  assert_int_equal(InternetChecksum(odd, 0), 0xffff);
  // End-around carry: 0xffff + 0x0001 folds to 0x0001.
  const uint8_t carry[] = {0xff, 0xff, 0x00, 0x01};
  assert_int_equal(InternetChecksum(carry, sizeof carry), 0xfffe);
  // A datagram with its checksum in place sums to zero.
  assert_int_equal(InternetChecksum(kReplyVector, 20), 0);
  assert_int_equal(InternetChecksum(kReplyVector + 20, 64), 0);
}

void BuildMatchesVector(void**) {
  uint8_t out[64];
  assert_int_equal(BuildEchoRequest(0x1234, 1, 56, out, sizeof out), 64);
  assert_memory_equal(out, kRequestVector, sizeof kRequestVector);
}

void BuildHeaderOnlyAndTooSmall(void**) {
  uint8_t out[64];
  assert_int_equal(BuildEchoRequest(0xffff, 0xfffe, 0, out, 8), 8);
  const uint8_t want[] = {0x08, 0x00, 0xf8, 0x00, 0xff, 0xff, 0xff, 0xfe};
  assert_memory_equal(out, want, sizeof want);
  assert_int_equal(BuildEchoRequest(1, 1, 0, out, 7), 0);
  assert_int_equal(BuildEchoRequest(1, 1, 57, out, sizeof out), 0);
  assert_int_equal(BuildEchoRequest(1, 1, 0xffff, out, sizeof out), 0);
}

void ParsesValidReply(void**) {
  EchoReply r;
  assert_true(ParseEchoReply(kReplyVector, sizeof kReplyVector, kReplyId, &r));
  assert_int_equal(r.from.v4().value, 0xc000020au);
  assert_int_equal(r.sequence, 7);
  assert_int_equal(r.ttl, 64);
  assert_int_equal(r.icmp_bytes, 64);
}

void ParsesReplyWithIpOptions(void**) {
  // IHL 6: four bytes of options (a NOP padded end-of-list) before ICMP.
  g_buf[0] = 0x46;
  memcpy(g_buf + 1, kReplyVector + 1, 19);
  g_buf[20] = 0x01;
  g_buf[21] = g_buf[22] = g_buf[23] = 0x00;
  memcpy(g_buf + 24, kReplyVector + 20, 64);
  SetTotalLength(g_buf, 88);
  FixChecksums(g_buf, 88);
  EchoReply r;
  assert_true(ParseEchoReply(g_buf, 88, kReplyId, &r));
  assert_int_equal(r.icmp_bytes, 64);
  assert_int_equal(r.sequence, 7);
}

void RejectsWrongIdentifier(void**) {
  EchoReply r;
  assert_false(ParseEchoReply(kReplyVector, sizeof kReplyVector, kReplyId + 1, &r));
  size_t len = ReplyCopy();
  g_buf[24] = 0x12;  // id 0x12ef, checksums fixed: only the id differs
  FixChecksums(g_buf, len);
  assert_false(ParseEchoReply(g_buf, len, kReplyId, &r));
  assert_true(ParseEchoReply(g_buf, len, 0x12ef, &r));
}

void RejectsBadIcmpChecksum(void**) {
  EchoReply r;
  size_t len = ReplyCopy();
  g_buf[23] ^= 0x01;
  assert_false(ParseEchoReply(g_buf, len, kReplyId, &r));
  len = ReplyCopy();
  g_buf[60] ^= 0x80;  // payload changed, checksum not
  assert_false(ParseEchoReply(g_buf, len, kReplyId, &r));
}

void RejectsBadIpChecksum(void**) {
  EchoReply r;
  size_t len = ReplyCopy();
  g_buf[11] ^= 0x01;
  assert_false(ParseEchoReply(g_buf, len, kReplyId, &r));
}

void RejectsTruncationAtEveryLength(void**) {
  EchoReply r;
  // As read: the header still claims 84 bytes.
  for (size_t n = 0; n < sizeof kReplyVector; ++n) {
    if (ParseEchoReply(kReplyVector, n, kReplyId, &r)) fail_msg("accepted %zu bytes", n);
  }
  // Consistently rewritten to the shorter length: too short for ICMP below
  // 28 bytes; longer ones fail the ICMP checksum over what is left.
  for (size_t n = 0; n < sizeof kReplyVector; ++n) {
    memcpy(g_buf, kReplyVector, n);
    if (n >= 4) SetTotalLength(g_buf, n);
    if (n >= 20) FixIpChecksum(g_buf, 20);
    if (ParseEchoReply(g_buf, n, kReplyId, &r)) fail_msg("accepted rewritten %zu bytes", n);
  }
  assert_false(ParseEchoReply(nullptr, 84, kReplyId, &r));
}

void RejectsShortIcmpEvenWithValidChecksums(void**) {
  EchoReply r;
  // 20 + 7 bytes, both checksums valid: still not an echo reply.
  ReplyCopy();
  SetTotalLength(g_buf, 27);
  FixChecksums(g_buf, 27);
  assert_false(ParseEchoReply(g_buf, 27, kReplyId, &r));
  // 20 + 8: a valid empty echo reply is accepted.
  ReplyCopy();
  SetTotalLength(g_buf, 28);
  FixChecksums(g_buf, 28);
  assert_true(ParseEchoReply(g_buf, 28, kReplyId, &r));
  assert_int_equal(r.icmp_bytes, 8);
}

void RejectsBadIpHeaderLength(void**) {
  EchoReply r;
  // Below the 20-byte minimum, with the checksum over 20 bytes valid.
  for (uint8_t ihl = 0; ihl < 5; ++ihl) {
    ReplyCopy();
    g_buf[0] = static_cast<uint8_t>(0x40 | ihl);
    FixIpChecksum(g_buf, 20);
    if (ParseEchoReply(g_buf, sizeof kReplyVector, kReplyId, &r)) fail_msg("accepted IHL %u", ihl);
  }
  // IHL 3 and 4 with a well-formed echo reply right after the short header
  // and both checksums valid: only the header length is wrong.
  for (uint8_t ihl = 3; ihl < 5; ++ihl) {
    size_t header = ihl * 4u;
    size_t len = header + 64;
    memcpy(g_buf, kReplyVector, header);
    g_buf[0] = static_cast<uint8_t>(0x40 | ihl);
    memcpy(g_buf + header, kReplyVector + 20, 64);
    SetTotalLength(g_buf, len);
    FixChecksums(g_buf, len);
    if (ParseEchoReply(g_buf, len, kReplyId, &r)) fail_msg("accepted crafted IHL %u", ihl);
  }
  // IHL 6..15 on a datagram without options: the header swallows the start
  // of the ICMP message, and what is left is no echo reply even with every
  // checksum recomputed.
  for (uint8_t ihl = 6; ihl < 16; ++ihl) {
    size_t len = ReplyCopy();
    g_buf[0] = static_cast<uint8_t>(0x40 | ihl);
    FixChecksums(g_buf, len);
    if (ParseEchoReply(g_buf, len, kReplyId, &r)) fail_msg("accepted IHL %u", ihl);
  }
  // IHL 15 (60 bytes) on a datagram of 40 bytes that says it is 40 long.
  ReplyCopy();
  g_buf[0] = 0x4f;
  SetTotalLength(g_buf, 40);
  assert_false(ParseEchoReply(g_buf, 40, kReplyId, &r));
}

void RejectsWrongVersionLengthProtocolFragment(void**) {
  EchoReply r;
  size_t len = ReplyCopy();
  g_buf[0] = 0x65;
  FixChecksums(g_buf, len);
  assert_false(ParseEchoReply(g_buf, len, kReplyId, &r));

  len = ReplyCopy();
  SetTotalLength(g_buf, 85);  // claims more than was read
  FixChecksums(g_buf, len);
  assert_false(ParseEchoReply(g_buf, len, kReplyId, &r));
  len = ReplyCopy();
  SetTotalLength(g_buf, 83);  // trailing bytes past the datagram
  FixChecksums(g_buf, 83);
  assert_false(ParseEchoReply(g_buf, len, kReplyId, &r));

  len = ReplyCopy();
  g_buf[9] = 17;  // UDP
  FixChecksums(g_buf, len);
  assert_false(ParseEchoReply(g_buf, len, kReplyId, &r));

  len = ReplyCopy();
  g_buf[6] = 0x20;  // more fragments
  FixChecksums(g_buf, len);
  assert_false(ParseEchoReply(g_buf, len, kReplyId, &r));
  len = ReplyCopy();
  g_buf[7] = 0x01;  // fragment offset
  FixChecksums(g_buf, len);
  assert_false(ParseEchoReply(g_buf, len, kReplyId, &r));
  len = ReplyCopy();
  g_buf[6] = 0x40;  // don't fragment: fine
  FixChecksums(g_buf, len);
  assert_true(ParseEchoReply(g_buf, len, kReplyId, &r));
}

void RejectsEchoRequestAndOtherTypes(void**) {
  EchoReply r;
  for (int type = 1; type < 256; ++type) {
    size_t len = ReplyCopy();
    g_buf[20] = static_cast<uint8_t>(type);
    FixChecksums(g_buf, len);
    if (ParseEchoReply(g_buf, len, kReplyId, &r)) fail_msg("accepted ICMP type %d", type);
  }
  size_t len = ReplyCopy();
  g_buf[21] = 1;  // echo reply with a non-zero code
  FixChecksums(g_buf, len);
  assert_false(ParseEchoReply(g_buf, len, kReplyId, &r));
  // Our own request as it loops back (type 8) is the case that matters most.
  memcpy(g_buf, kReplyVector, 20);
  memcpy(g_buf + 20, kRequestVector, 64);
  assert_false(ParseEchoReply(g_buf, 84, 0x1234, &r));
}

void RandomIdentifierIsNonZeroAndVaries(void**) {
  uint16_t first = RandomEchoIdentifier();
  bool varied = false;
  for (int i = 0; i < 16; ++i) {
    uint16_t id = RandomEchoIdentifier();
    assert_int_not_equal(id, 0);
    if (id != first) varied = true;
  }
  assert_int_not_equal(first, 0);
  assert_true(varied);  // 16 equal draws: about 2^-240
}

// ---- EchoTracker ----

const IpAddress kA = Ipv4{0xc000020au};      // 192.0.2.10
const IpAddress kB = Ipv4{0xc000020bu};      // 192.0.2.11
const IpAddress kOwn = Ipv4{0xc0000201u};    // 192.0.2.1
const IpAddress kBcast = Ipv4{0xc00002ffu};  // 192.0.2.255

EchoReply Reply(const IpAddress& from, uint16_t sequence) {
  EchoReply r;
  r.from = from;
  r.sequence = sequence;
  return r;
}

EchoTracker g_tracker;

void TrackerCountsOnceThenDuplicate(void**) {
  const IpAddress targets[] = {kA, kB};
  assert_true(g_tracker.Init(targets, 2, false, nullptr, 0));
  g_tracker.NoteSent(0, 1, 1000);
  g_tracker.NoteSent(1, 2, 1100);
  size_t target = 99;
  int64_t rtt = -1;
  assert_false(g_tracker.Replied(0));
  assert_true(g_tracker.Judge(Reply(kB, 2), 1600, &target, &rtt) == EchoTracker::Verdict::kCounted);
  assert_int_equal(target, 1);
  assert_int_equal(rtt, 500);
  assert_true(g_tracker.Replied(1));
  assert_false(g_tracker.Replied(0));
  assert_true(g_tracker.Judge(Reply(kB, 2), 1700, &target, &rtt) ==
              EchoTracker::Verdict::kDuplicate);
  assert_true(g_tracker.Judge(Reply(kA, 1), 900, &target, &rtt) == EchoTracker::Verdict::kCounted);
  assert_int_equal(rtt, 0);  // a clock never runs backwards into a negative time
  assert_true(g_tracker.Replied(0));
  assert_false(g_tracker.Replied(2));
}

void TrackerIgnoresUnsentSequences(void**) {
  const IpAddress targets[] = {kA};
  assert_true(g_tracker.Init(targets, 1, false, nullptr, 0));
  size_t target;
  int64_t rtt;
  assert_true(g_tracker.Judge(Reply(kA, 1), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
  g_tracker.NoteSent(0, 1, 0);
  assert_true(g_tracker.Judge(Reply(kA, 2), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
  assert_true(g_tracker.Judge(Reply(kA, 1 + EchoTracker::kTracked), 0, &target, &rtt) ==
              EchoTracker::Verdict::kIgnored);
  assert_true(g_tracker.Judge(Reply(kA, 0), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
  // A send that failed is forgotten.
  g_tracker.NoteSent(0, 3, 0);
  g_tracker.Forget(3);
  assert_true(g_tracker.Judge(Reply(kA, 3), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
  // Forgetting a sequence that only shares the slot leaves the newer one.
  g_tracker.Forget(static_cast<uint16_t>(1 + EchoTracker::kTracked));
  assert_true(g_tracker.Judge(Reply(kA, 1), 0, &target, &rtt) == EchoTracker::Verdict::kCounted);
  // An out-of-range target never counts.
  g_tracker.NoteSent(5, 4, 0);
  assert_true(g_tracker.Judge(Reply(kA, 4), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
}

void TrackerForgetsOldSends(void**) {
  const IpAddress targets[] = {kA};
  assert_true(g_tracker.Init(targets, 1, false, nullptr, 0));
  for (uint16_t s = 1; s <= EchoTracker::kTracked + 1; ++s) g_tracker.NoteSent(0, s, 0);
  size_t target;
  int64_t rtt;
  // Sequence 1 shares its slot with kTracked + 1, sent later.
  assert_true(g_tracker.Judge(Reply(kA, 1), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
  assert_true(g_tracker.Judge(Reply(kA, 2), 0, &target, &rtt) == EchoTracker::Verdict::kCounted);
  assert_true(g_tracker.Judge(Reply(kA, EchoTracker::kTracked + 1), 0, &target, &rtt) ==
              EchoTracker::Verdict::kCounted);
}

void TrackerUnicastNeedsTheTarget(void**) {
  const IpAddress targets[] = {kA, kB};
  assert_true(g_tracker.Init(targets, 2, false, nullptr, 0));
  g_tracker.NoteSent(0, 1, 0);
  size_t target;
  int64_t rtt;
  // kB is a target, but sequence 1 went to kA.
  assert_true(g_tracker.Judge(Reply(kB, 1), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
  assert_true(g_tracker.Judge(Reply(kOwn, 1), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
  assert_false(g_tracker.Replied(0));
  assert_false(g_tracker.Replied(1));
}

void TrackerBroadcastAnySourceButExcluded(void**) {
  const IpAddress targets[] = {kBcast};
  const IpAddress exclude[] = {kOwn, kB};
  assert_true(g_tracker.Init(targets, 1, true, exclude, 2));
  g_tracker.NoteSent(0, 1, 0);
  size_t target;
  int64_t rtt;
  assert_true(g_tracker.Judge(Reply(kOwn, 1), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
  assert_true(g_tracker.Judge(Reply(kB, 1), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
  assert_false(g_tracker.Replied(0));
  assert_true(g_tracker.Judge(Reply(kA, 1), 0, &target, &rtt) == EchoTracker::Verdict::kCounted);
  assert_true(g_tracker.Replied(0));
  // A second responder to the same echo is a duplicate, as ping's DUP!.
  assert_true(g_tracker.Judge(Reply(Ipv4{0xc000020cu}, 1), 0, &target, &rtt) ==
              EchoTracker::Verdict::kDuplicate);
  assert_true(g_tracker.Judge(Reply(kA, 2), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
}

void TrackerUnicastExcludedTarget(void**) {
  const IpAddress targets[] = {kA};
  const IpAddress exclude[] = {kA};
  assert_true(g_tracker.Init(targets, 1, false, exclude, 1));
  g_tracker.NoteSent(0, 1, 0);
  size_t target;
  int64_t rtt;
  assert_true(g_tracker.Judge(Reply(kA, 1), 0, &target, &rtt) == EchoTracker::Verdict::kIgnored);
}

// Expected() is what Judge() would not ignore, without counting anything:
// the Pinger asks its SourceFilter only about such replies.
void TrackerExpectedDoesNotCount(void**) {
  const IpAddress targets[] = {kA};
  const IpAddress exclude[] = {kB};
  assert_true(g_tracker.Init(targets, 1, false, exclude, 1));
  g_tracker.NoteSent(0, 1, 0);
  assert_true(g_tracker.Expected(Reply(kA, 1)));
  assert_false(g_tracker.Expected(Reply(kA, 2)));    // never sent
  assert_false(g_tracker.Expected(Reply(kOwn, 1)));  // not the target
  assert_false(g_tracker.Expected(Reply(kB, 1)));    // excluded
  assert_false(g_tracker.Replied(0));
  size_t target;
  int64_t rtt;
  assert_true(g_tracker.Judge(Reply(kA, 1), 0, &target, &rtt) == EchoTracker::Verdict::kCounted);
}

void TrackerRejectsOversizedLists(void**) {
  IpAddress many[EchoTracker::kMaxExcluded + 1] = {};
  assert_true(
      g_tracker.Init(many, EchoTracker::kMaxTargets, false, many, EchoTracker::kMaxExcluded));
  assert_false(g_tracker.Init(many, EchoTracker::kMaxTargets + 1, false, nullptr, 0));
  assert_false(g_tracker.Init(many, 1, false, many, EchoTracker::kMaxExcluded + 1));
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(ChecksumRfc1071Example),
      cmocka_unit_test(ChecksumOddLengthAndZero),
      cmocka_unit_test(BuildMatchesVector),
      cmocka_unit_test(BuildHeaderOnlyAndTooSmall),
      cmocka_unit_test(ParsesValidReply),
      cmocka_unit_test(ParsesReplyWithIpOptions),
      cmocka_unit_test(RejectsWrongIdentifier),
      cmocka_unit_test(RejectsBadIcmpChecksum),
      cmocka_unit_test(RejectsBadIpChecksum),
      cmocka_unit_test(RejectsTruncationAtEveryLength),
      cmocka_unit_test(RejectsShortIcmpEvenWithValidChecksums),
      cmocka_unit_test(RejectsBadIpHeaderLength),
      cmocka_unit_test(RejectsWrongVersionLengthProtocolFragment),
      cmocka_unit_test(RejectsEchoRequestAndOtherTypes),
      cmocka_unit_test(RandomIdentifierIsNonZeroAndVaries),
      cmocka_unit_test(TrackerCountsOnceThenDuplicate),
      cmocka_unit_test(TrackerIgnoresUnsentSequences),
      cmocka_unit_test(TrackerForgetsOldSends),
      cmocka_unit_test(TrackerUnicastNeedsTheTarget),
      cmocka_unit_test(TrackerBroadcastAnySourceButExcluded),
      cmocka_unit_test(TrackerUnicastExcludedTarget),
      cmocka_unit_test(TrackerExpectedDoesNotCount),
      cmocka_unit_test(TrackerRejectsOversizedLists),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
