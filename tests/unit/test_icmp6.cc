// SPDX-License-Identifier: Apache-2.0
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "cmocka_cxx.h"
#include "net/icmp6.h"

using namespace ipres;

namespace {

// From scapy's ICMPv6EchoRequest(id=0x1234, seq=1, cksum=0,
// data=bytes(range(56))), not from the code under test: the checksum is
// left 0 for the kernel.
const uint8_t kRequestVector[64] = {
    0x80, 0x00, 0x00, 0x00, 0x12, 0x34, 0x00, 0x01, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
    0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
    0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37};

// An echo reply as a raw ICMPv6 socket hands it over: id 0xbeef, sequence
// 7, the same payload (the checksum is the kernel's business, any value).
constexpr uint16_t kReplyId = 0xbeef;
uint8_t g_reply[64];
uint8_t g_big[65536 + 8];

size_t ReplyCopy() {
  memcpy(g_reply, kRequestVector, sizeof kRequestVector);
  g_reply[0] = 129;
  g_reply[2] = 0x11;
  g_reply[3] = 0x11;
  g_reply[4] = 0xbe;
  g_reply[5] = 0xef;
  g_reply[7] = 7;
  return sizeof g_reply;
}

void BuildMatchesVector(void**) {
  uint8_t out[64];
  memset(out, 0xaa, sizeof out);
  assert_int_equal(BuildEcho6Request(0x1234, 1, 56, out, sizeof out), 64);
  assert_memory_equal(out, kRequestVector, sizeof kRequestVector);
}

void BuildRefusesWhatDoesNotFit(void**) {
  uint8_t out[64];
  assert_int_equal(BuildEcho6Request(1, 1, 56, out, 63), 0);
  assert_int_equal(BuildEcho6Request(1, 1, 0, out, 7), 0);
  assert_int_equal(BuildEcho6Request(1, 1, 0, out, 8), 8);
  assert_int_equal(out[0], 128);
  // 65527 + 8 is the largest ICMPv6 message an echo may be here.
  assert_int_equal(BuildEcho6Request(1, 1, 65528, g_big, sizeof g_big), 0);
  assert_int_equal(BuildEcho6Request(1, 1, 65527, g_big, sizeof g_big), 65535);
}

void PayloadWrapsAt256(void**) {
  uint8_t p[300];
  FillEchoPayload(p, sizeof p);
  assert_int_equal(p[0], 0);
  assert_int_equal(p[255], 255);
  assert_int_equal(p[256], 0);
  assert_int_equal(p[299], 43);
}

void ParsesReply(void**) {
  size_t len = ReplyCopy();
  uint16_t seq = 0, bytes = 0;
  assert_true(ParseEcho6Reply(g_reply, len, kReplyId, &seq, &bytes));
  assert_int_equal(seq, 7);
  assert_int_equal(bytes, 64);
  // The header alone is a well-formed reply.
  assert_true(ParseEcho6Reply(g_reply, 8, kReplyId, &seq, &bytes));
  assert_int_equal(bytes, 8);
}

void RejectsTruncationAtEveryLength(void**) {
  ReplyCopy();
  uint16_t seq = 0, bytes = 0;
  for (size_t len = 0; len < 8; ++len) {
    assert_false(ParseEcho6Reply(g_reply, len, kReplyId, &seq, &bytes));
  }
  assert_false(ParseEcho6Reply(nullptr, 64, kReplyId, &seq, &bytes));
}

void RejectsOtherTypesCodesAndIdentifiers(void**) {
  uint16_t seq = 0, bytes = 0;
  // Our own request (looped back), destination unreachable, an IPv4 reply, NA.
  const uint8_t other_types[] = {128, 1, 0, 136};
  for (uint8_t type : other_types) {
    size_t len = ReplyCopy();
    g_reply[0] = type;
    assert_false(ParseEcho6Reply(g_reply, len, kReplyId, &seq, &bytes));
  }
  size_t len = ReplyCopy();
  g_reply[1] = 1;
  assert_false(ParseEcho6Reply(g_reply, len, kReplyId, &seq, &bytes));
  ReplyCopy();
  assert_false(ParseEcho6Reply(g_reply, len, kReplyId ^ 0x0100, &seq, &bytes));
  assert_false(ParseEcho6Reply(g_reply, len, kReplyId ^ 0x0001, &seq, &bytes));
}

void RejectsOversize(void**) {
  memcpy(g_big, kRequestVector, 8);
  g_big[0] = 129;
  g_big[4] = 0xbe;
  g_big[5] = 0xef;
  uint16_t seq = 0, bytes = 0;
  assert_true(ParseEcho6Reply(g_big, 65535, kReplyId, &seq, &bytes));
  assert_int_equal(bytes, 65535);
  // Longer than an IPv6 payload length can say: not a message we read whole.
  assert_false(ParseEcho6Reply(g_big, 65536, kReplyId, &seq, &bytes));
}

// Control data built as the kernel lays it out.
struct Control {
  alignas(cmsghdr) uint8_t buf[256] = {};
  size_t used = 0;

  cmsghdr* Add(int level, int type, size_t data_len) {
    cmsghdr* c = reinterpret_cast<cmsghdr*>(buf + used);
    c->cmsg_len = CMSG_LEN(data_len);
    c->cmsg_level = level;
    c->cmsg_type = type;
    used += CMSG_SPACE(data_len);
    return c;
  }
  void AddHopLimit(int value) {
    cmsghdr* c = Add(IPPROTO_IPV6, IPV6_HOPLIMIT, sizeof value);
    memcpy(CMSG_DATA(c), &value, sizeof value);
  }
  msghdr Msg() {
    msghdr m = {};
    m.msg_control = buf;
    m.msg_controllen = used;
    return m;
  }
};

void ReadsHopLimit(void**) {
  Control c;
  c.AddHopLimit(255);
  uint8_t hop = 0;
  assert_true(ReadHopLimit(c.Msg(), &hop));
  assert_int_equal(hop, 255);
  // After another message (IPV6_PKTINFO, had it been asked for).
  Control d;
  d.Add(IPPROTO_IPV6, IPV6_PKTINFO, sizeof(in6_pktinfo));
  d.AddHopLimit(0);
  hop = 9;
  assert_true(ReadHopLimit(d.Msg(), &hop));
  assert_int_equal(hop, 0);
}

void RejectsMissingOrTruncatedHopLimit(void**) {
  uint8_t hop = 0;
  Control none;
  assert_false(ReadHopLimit(none.Msg(), &hop));
  Control other;
  other.Add(SOL_SOCKET, SO_TIMESTAMP, 16);
  assert_false(ReadHopLimit(other.Msg(), &hop));
  Control ctrunc;
  ctrunc.AddHopLimit(64);
  msghdr m = ctrunc.Msg();
  m.msg_flags = MSG_CTRUNC;
  assert_false(ReadHopLimit(m, &hop));
  // The message claims more than the buffer holds.
  Control past;
  past.AddHopLimit(64);
  m = past.Msg();
  m.msg_controllen = CMSG_LEN(sizeof(int)) - 1;
  assert_false(ReadHopLimit(m, &hop));
  m.msg_controllen = sizeof(cmsghdr) - 1;
  assert_false(ReadHopLimit(m, &hop));
  m.msg_control = nullptr;
  m.msg_controllen = CMSG_SPACE(sizeof(int));
  assert_false(ReadHopLimit(m, &hop));
}

void RejectsMalformedHopLimit(void**) {
  uint8_t hop = 0;
  const int bad_values[] = {-1, 256, 0x7fffffff};
  for (int v : bad_values) {
    Control c;
    c.AddHopLimit(v);
    assert_false(ReadHopLimit(c.Msg(), &hop));
  }
  Control small;
  small.Add(IPPROTO_IPV6, IPV6_HOPLIMIT, 1);
  assert_false(ReadHopLimit(small.Msg(), &hop));
  Control twice;
  twice.AddHopLimit(64);
  twice.AddHopLimit(255);
  assert_false(ReadHopLimit(twice.Msg(), &hop));
  Control short_len;
  short_len.AddHopLimit(64);
  reinterpret_cast<cmsghdr*>(short_len.buf)->cmsg_len = sizeof(cmsghdr) - 1;
  assert_false(ReadHopLimit(short_len.Msg(), &hop));
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(BuildMatchesVector),
      cmocka_unit_test(BuildRefusesWhatDoesNotFit),
      cmocka_unit_test(PayloadWrapsAt256),
      cmocka_unit_test(ParsesReply),
      cmocka_unit_test(RejectsTruncationAtEveryLength),
      cmocka_unit_test(RejectsOtherTypesCodesAndIdentifiers),
      cmocka_unit_test(RejectsOversize),
      cmocka_unit_test(ReadsHopLimit),
      cmocka_unit_test(RejectsMissingOrTruncatedHopLimit),
      cmocka_unit_test(RejectsMalformedHopLimit),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
