// SPDX-License-Identifier: Apache-2.0
// The claim watch's rules on bytes (net/frame.h, net/claim.h): which ARP and
// NDP frames claim a held address, through a tag or not, with every frame
// also run through the family's BPF program (bpf_run.h), so the kernel never
// drops a claim and never wakes the monitor for frames that are unrelated.
#include <stdio.h>
#include <string.h>

#include "bpf_run.h"
#include "cmocka_cxx.h"
#include "net/arp.h"
#include "net/claim.h"
#include "net/frame.h"

using namespace ipres;
using bpf_test::BpfRun;

namespace {

const MacAddress kOwn = {{0x02, 0x00, 0x5e, 0x10, 0x20, 0x30}};
const MacAddress kOther = {{0x02, 0x00, 0x5e, 0xaa, 0xbb, 0xcc}};
const MacAddress kThird = {{0x02, 0x00, 0x5e, 0x01, 0x02, 0x03}};
// Differs from kOwn in its last two bytes only, then in its first four only:
// the filter compares the sender MAC in two loads.
const MacAddress kOwnButLast = {{0x02, 0x00, 0x5e, 0x10, 0x20, 0x31}};
const MacAddress kOwnButFirst = {{0x03, 0x00, 0x5e, 0x10, 0x20, 0x30}};
const MacAddress kBroadcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
const MacAddress kAllNodesMac = {{0x33, 0x33, 0, 0, 0, 0x01}};
const MacAddress kVipGroupMac = {{0x33, 0x33, 0xff, 0x00, 0x01, 0x00}};
constexpr Ipv4 kVip = {0xc0000264};        // 192.0.2.100
constexpr Ipv4 kElsewhere = {0xc0000265};  // 192.0.2.101

#define V6_2001_DB8(last2, last1) 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last2, last1
const Ipv6 kVip6 = {{V6_2001_DB8(0x01, 0x00)}};        // 2001:db8::100
const Ipv6 kElsewhere6 = {{V6_2001_DB8(0x01, 0x01)}};  // 2001:db8::101
const Ipv6 kNeighbour = {{V6_2001_DB8(0, 0x07)}};      // 2001:db8::7
const Ipv6 kAllNodes = {{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01}};
const Ipv6 kVipGroup = {{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0x00, 0x01, 0x00}};
const NdpNonce kNonce = {{0x01, 0x02, 0x03, 0x04, 0x05, 0x06}};

constexpr uint16_t kVlan = 0x8100;
constexpr uint16_t kQinQ = 0x88a8;
constexpr uint16_t kTags[] = {kVlan, kQinQ};
constexpr bool kBoth[] = {false, true};
constexpr uint32_t kDelivered[] = {PACKET_HOST, PACKET_BROADCAST, PACKET_MULTICAST};
constexpr uint32_t kNotDelivered[] = {PACKET_OTHERHOST, PACKET_OUTGOING, PACKET_LOOPBACK};

// ---- frames, laid out by hand ------------------------------------------------

struct Frame {
  uint8_t bytes[160] = {};
  size_t len = 0;
};

void Put16(uint8_t* at, uint32_t v) {
  at[0] = static_cast<uint8_t>(v >> 8);
  at[1] = static_cast<uint8_t>(v);
}

Frame Ethernet(const MacAddress& destination, const MacAddress& source, uint16_t type) {
  Frame f;
  memcpy(f.bytes, destination.bytes, 6);
  memcpy(f.bytes + 6, source.bytes, 6);
  Put16(f.bytes + 12, type);
  f.len = 14;
  return f;
}

// An ARP packet from `sha` (the Ethernet source too), broadcast, padded to
// the 60-byte minimum as it comes from the wire.
Frame Arp(uint16_t op, const MacAddress& sha, Ipv4 spa, Ipv4 tpa) {
  Frame f = Ethernet(kBroadcast, sha, 0x0806);
  uint8_t* arp = f.bytes + 14;
  Put16(arp, 1);
  Put16(arp + 2, 0x0800);
  arp[4] = 6;
  arp[5] = 4;
  Put16(arp + 6, op);
  memcpy(arp + 8, sha.bytes, 6);
  Put16(arp + 14, spa.value >> 16);
  Put16(arp + 16, spa.value);
  Put16(arp + 24, tpa.value >> 16);
  Put16(arp + 26, tpa.value);
  f.len = 60;
  return f;
}

// The frame with a tag (`tpid`, VLAN 7) behind its MACs, as a VLAN made with
// `reorder_hdr off` hands it to a packet socket.
Frame Tagged(const Frame& in, uint16_t tpid) {
  Frame f;
  memcpy(f.bytes, in.bytes, 12);
  Put16(f.bytes + 12, tpid);
  Put16(f.bytes + 14, 7);
  memcpy(f.bytes + 16, in.bytes + 12, in.len - 12);
  f.len = in.len + 4;
  return f;
}

// A Neighbor Solicitation or Advertisement in an IPv6 packet, by default
// another host's unsolicited advertisement for the address (RFC 4861 7.2.6).
struct Nd {
  MacAddress eth_destination = kAllNodesMac;
  MacAddress eth_source = kOther;
  Ipv6 source = kVip6;
  Ipv6 destination = kAllNodes;
  uint8_t hop_limit = 255;
  uint8_t type = 136;
  uint8_t code = 0;
  uint8_t flags = 0x20;  // Override
  Ipv6 target = kVip6;
  uint8_t option = 2;  // target link-layer address; 0: none
  uint8_t option_value[6] = {0x02, 0x00, 0x5e, 0xaa, 0xbb, 0xcc};
  bool hop_by_hop = false;  // an extension header before the message
};

// RFC 8200 8.1, apart from ipres: source, destination, upper-layer length,
// next header, then the message.
uint16_t Icmp6Checksum(const uint8_t* ip, const uint8_t* icmp, size_t len) {
  uint32_t sum = static_cast<uint32_t>(len) + 58;
  for (size_t i = 8; i < 40; i += 2) sum += static_cast<uint32_t>(ip[i] << 8 | ip[i + 1]);
  for (size_t i = 0; i < len; i += 2) {
    sum += static_cast<uint32_t>(icmp[i] << 8 | (i + 1 < len ? icmp[i + 1] : 0));
  }
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

Frame Build(const Nd& nd) {
  Frame f = Ethernet(nd.eth_destination, nd.eth_source, 0x86dd);
  uint8_t* ip = f.bytes + 14;
  const size_t extension = nd.hop_by_hop ? 8 : 0;
  const size_t icmp_len = 24 + (nd.option ? 8 : 0);
  ip[0] = 0x60;
  Put16(ip + 4, static_cast<uint32_t>(extension + icmp_len));
  ip[6] = nd.hop_by_hop ? 0 : 58;
  ip[7] = nd.hop_limit;
  memcpy(ip + 8, nd.source.bytes, 16);
  memcpy(ip + 24, nd.destination.bytes, 16);
  if (nd.hop_by_hop) {
    const uint8_t options[8] = {58, 0, 1, 4, 0, 0, 0, 0};  // PadN
    memcpy(ip + 40, options, 8);
  }
  uint8_t* icmp = ip + 40 + extension;
  icmp[0] = nd.type;
  icmp[1] = nd.code;
  icmp[4] = nd.flags;
  memcpy(icmp + 8, nd.target.bytes, 16);
  if (nd.option) {
    icmp[24] = nd.option;
    icmp[25] = 1;
    memcpy(icmp + 26, nd.option_value, 6);
  }
  Put16(icmp + 2, Icmp6Checksum(ip, icmp, icmp_len));
  f.len = 14 + 40 + extension + icmp_len;
  return f;
}

// An untagged frame of Build's changed after it: summed again, so only the
// change can make it invalid.
Frame Resummed(Frame f) {
  uint8_t* ip = f.bytes + 14;
  uint8_t* icmp = ip + 40;
  const size_t len = f.len - 14 - 40;
  Put16(icmp + 2, 0);
  Put16(icmp + 2, Icmp6Checksum(ip, icmp, len));
  return f;
}

// Another host's unsolicited advertisement for the address.
Nd Claim6() {
  return Nd();
}
Nd WithOption(Nd nd, uint8_t type, const uint8_t* value) {
  nd.option = type;
  memcpy(nd.option_value, value, 6);
  return nd;
}
// A neighbour resolving the address: from its own, with its MAC.
Nd Resolution() {
  Nd nd = WithOption(Nd(), 1, kOther.bytes);
  nd.eth_destination = kVipGroupMac;
  nd.source = kNeighbour;
  nd.destination = kVipGroup;
  nd.type = 135;
  nd.flags = 0;
  return nd;
}
// Another host's duplicate-address probe for the address.
Nd DadProbe() {
  Nd nd = WithOption(Resolution(), 14, kNonce.bytes);
  nd.source = Ipv6{};
  return nd;
}

// ---- the verdicts: classifier and filter ---------------------------------------

enum class Filter { kPass, kDrop };

void ExpectFilter(const char* what, const sock_filter* program, size_t n, const Frame& f,
                  Filter want) {
  const long kept = BpfRun(program, n, f.bytes, f.len);
  if (kept < 0) fail_msg("%s: the kernel would refuse the program", what);
  if (want == Filter::kPass && kept != static_cast<long>(f.len)) {
    fail_msg("%s: the filter kept %ld of %zu bytes", what, kept, f.len);
  }
  if (want == Filter::kDrop && kept != 0) fail_msg("%s: the filter passed %ld bytes", what, kept);
}

// The classifier's verdict, and the filter's over the same bytes; a claim
// that the filter would drop is a table error, never expected.
void ExpectArp(const char* what, const Frame& f, bool allow_tag, bool claim, Filter filter,
               const MacAddress& claimant = kOther) {
  if (claim && filter == Filter::kDrop) fail_msg("%s: a claim must pass the filter", what);
  MacAddress who = kThird;
  const bool got = IsArpClaim(f.bytes, f.len, allow_tag, kVip, kOwn, &who);
  if (got != claim) fail_msg("%s: IsArpClaim said %d", what, got);
  if (claim && who != claimant) fail_msg("%s: the wrong claimant", what);
  if (!claim && who != kThird) fail_msg("%s: claimant written without a claim", what);
  sock_filter program[kClaimFilterCapacity];
  const size_t n = BuildArpClaimFilter(kVip, kOwn, allow_tag, program, kClaimFilterCapacity);
  ExpectFilter(what, program, n, f, filter);
}

void ExpectNa(const char* what, const Frame& f, bool allow_tag, bool claim, Filter filter,
              const MacAddress& claimant = kOther) {
  if (claim && filter == Filter::kDrop) fail_msg("%s: a claim must pass the filter", what);
  MacAddress who = kThird;
  const bool got = IsNaClaim(f.bytes, f.len, allow_tag, kVip6, kOwn, &who);
  if (got != claim) fail_msg("%s: IsNaClaim said %d", what, got);
  if (claim && who != claimant) fail_msg("%s: the wrong claimant", what);
  if (!claim && who != kThird) fail_msg("%s: claimant written without a claim", what);
  sock_filter program[kClaimFilterCapacity];
  const size_t n = BuildNaClaimFilter(kVip6, allow_tag, program, kClaimFilterCapacity);
  ExpectFilter(what, program, n, f, filter);
}

void ExpectArpBothWays(const char* what, const Frame& f, bool claim, Filter filter) {
  ExpectArp(what, f, false, claim, filter);
  ExpectArp(what, f, true, claim, filter);
}

void ExpectNaBothWays(const char* what, const Frame& f, bool claim, Filter filter,
                      const MacAddress& claimant = kOther) {
  ExpectNa(what, f, false, claim, filter, claimant);
  ExpectNa(what, f, true, claim, filter, claimant);
}

// ---- Ethernet ---------------------------------------------------------------------

void UntaggedFrame(void**) {
  const Frame f = Arp(1, kOther, kVip, kVip);
  for (bool allow_tag : kBoth) {
    EthernetFrame e;
    assert_true(ParseEthernetFrame(f.bytes, f.len, allow_tag, &e));
    assert_true(e.destination == kBroadcast);
    assert_true(e.source == kOther);
    assert_int_equal(e.ethertype, kEthertypeArp);
    assert_false(e.tagged);
    assert_ptr_equal(e.payload, f.bytes + 14);
    assert_int_equal(e.payload_len, f.len - 14);
  }
}

void TaggedFrame(void**) {
  for (uint16_t tpid : kTags) {
    const Frame f = Tagged(Arp(1, kOther, kVip, kVip), tpid);
    EthernetFrame e;
    assert_false(ParseEthernetFrame(f.bytes, f.len, false, &e));
    assert_true(ParseEthernetFrame(f.bytes, f.len, true, &e));
    assert_true(e.source == kOther);
    assert_int_equal(e.ethertype, kEthertypeArp);
    assert_true(e.tagged);
    assert_ptr_equal(e.payload, f.bytes + 18);
    assert_int_equal(e.payload_len, f.len - 18);
  }
}

void ShortOrDoubleTaggedFrames(void**) {
  EthernetFrame e;
  const Frame f = Tagged(Arp(1, kOther, kVip, kVip), kVlan);
  for (size_t len = 0; len < 18; ++len) {
    if (ParseEthernetFrame(f.bytes, len, true, &e)) fail_msg("parsed at length %zu", len);
  }
  assert_true(ParseEthernetFrame(f.bytes, 18, true, &e));  // a tag and an empty payload
  assert_int_equal(e.payload_len, 0);
  const Frame plain = Arp(1, kOther, kVip, kVip);
  assert_true(ParseEthernetFrame(plain.bytes, 14, false, &e));  // a header alone
  assert_int_equal(e.payload_len, 0);
  assert_false(ParseEthernetFrame(nullptr, 60, true, &e));
  for (uint16_t outer : kTags) {
    for (uint16_t inner : kTags) {
      const Frame twice = Tagged(Tagged(Arp(1, kOther, kVip, kVip), inner), outer);
      assert_false(ParseEthernetFrame(twice.bytes, twice.len, true, &e));
    }
  }
}

void EthernetHeaderBytes(void**) {
  uint8_t buf[16];
  memset(buf, 0xa5, sizeof buf);
  PutEthernetHeader(kVipGroupMac, kOwn, kEthertypeIpv6, buf);
  const uint8_t want[14] = {0x33, 0x33, 0xff, 0x00, 0x01, 0x00, 0x02,
                            0x00, 0x5e, 0x10, 0x20, 0x30, 0x86, 0xdd};
  assert_memory_equal(buf, want, 14);
  assert_int_equal(buf[14], 0xa5);
}

// ---- ARP ----------------------------------------------------------------------------

void ArpClaims(void**) {
  ExpectArpBothWays("reply from another MAC", Arp(2, kOther, kVip, kElsewhere), true,
                    Filter::kPass);
  ExpectArpBothWays("gratuitous request", Arp(1, kOther, kVip, kVip), true, Filter::kPass);
  ExpectArpBothWays("gratuitous reply", Arp(2, kOther, kVip, kVip), true, Filter::kPass);
  ExpectArpBothWays("request asking for another", Arp(1, kOther, kVip, kElsewhere), true,
                    Filter::kPass);
  // Either half of the sender MAC differing from ours makes it another's.
  ExpectArp("MAC differs at the end", Arp(2, kOwnButLast, kVip, kVip), false, true, Filter::kPass,
            kOwnButLast);
  ExpectArp("MAC differs at the start", Arp(2, kOwnButFirst, kVip, kVip), false, true,
            Filter::kPass, kOwnButFirst);
  // Unpadded, as this node's own sends leave before the kernel pads them.
  Frame f = Arp(2, kOther, kVip, kVip);
  f.len = 42;
  ExpectArpBothWays("unpadded", f, true, Filter::kPass);
}

void ArpNonClaims(void**) {
  ExpectArpBothWays("own MAC", Arp(2, kOwn, kVip, kVip), false, Filter::kDrop);
  ExpectArpBothWays("own gratuitous request", Arp(1, kOwn, kVip, kVip), false, Filter::kDrop);
  ExpectArpBothWays("probe", Arp(1, kOther, Ipv4{0}, kVip), false, Filter::kDrop);
  ExpectArpBothWays("reply from 0.0.0.0", Arp(2, kOther, Ipv4{0}, kVip), false, Filter::kDrop);
  ExpectArpBothWays("other sender IP", Arp(2, kOther, kElsewhere, kVip), false, Filter::kDrop);
  ExpectArpBothWays("asking for it", Arp(1, kOther, kElsewhere, kVip), false, Filter::kDrop);
}

void ArpClaimantIsTheSenderMac(void**) {
  // RFC 5227 judges the ARP sender hardware address, not the frame's source.
  Frame f = Arp(2, kOther, kVip, kVip);
  memcpy(f.bytes + 6, kOwn.bytes, 6);
  ExpectArpBothWays("from our MAC, sender another", f, true, Filter::kPass);
  f = Arp(2, kOwn, kVip, kVip);
  memcpy(f.bytes + 6, kOther.bytes, 6);
  ExpectArpBothWays("from another MAC, sender ours", f, false, Filter::kDrop);
}

// A holder's answer to this node's probe (a reply to 0.0.0.0, as Linux
// sends it) is told from a gratuitous claim (target: the address itself).
void ArpAnswerToAProbe(void**) {
  const Frame answer = Arp(2, kOther, kVip, Ipv4{0});
  ExpectArpBothWays("the answer to a probe", answer, true, Filter::kPass);
  assert_true(AnswersArpProbe(answer.bytes, answer.len, false));
  assert_true(AnswersArpProbe(Tagged(answer, kVlan).bytes, answer.len + 4, true));
  assert_false(AnswersArpProbe(Tagged(answer, kVlan).bytes, answer.len + 4, false));
  const Frame garp_request = Arp(1, kOther, kVip, kVip);
  const Frame garp_reply = Arp(2, kOther, kVip, kVip);
  const Frame resolution = Arp(1, kOther, kVip, kElsewhere);  // the holder asks another
  const Frame probe = Arp(1, kOther, Ipv4{0}, kVip);
  assert_false(AnswersArpProbe(garp_request.bytes, garp_request.len, false));
  assert_false(AnswersArpProbe(garp_reply.bytes, garp_reply.len, false));
  assert_false(AnswersArpProbe(resolution.bytes, resolution.len, false));
  assert_false(AnswersArpProbe(probe.bytes, probe.len, false));
  assert_false(AnswersArpProbe(answer.bytes, 41, false));  // truncated
}

// Each ARP header field changed in turn turns the claim into none, and the
// filter drops it too.
void ExpectArpNotWithByte(size_t offset, uint8_t value) {
  Frame f = Arp(2, kOther, kVip, kVip);
  f.bytes[offset] = value;
  char what[48];
  snprintf(what, sizeof what, "byte %zu = 0x%02x", offset, value);
  ExpectArpBothWays(what, f, false, Filter::kDrop);
  ExpectArp(what, Tagged(f, kVlan), true, false, Filter::kDrop);
}

void ArpWrongFields(void**) {
  ExpectArpNotWithByte(12, 0x86);  // ethertype 0x8606
  ExpectArpNotWithByte(13, 0x00);  // IPv4
  ExpectArpNotWithByte(13, 0x35);  // RARP
  ExpectArpNotWithByte(15, 6);     // hardware type IEEE 802
  ExpectArpNotWithByte(14, 1);     // 0x0101
  ExpectArpNotWithByte(16, 0x86);  // protocol type 0x86dd
  ExpectArpNotWithByte(17, 0x06);  // 0x0806
  ExpectArpNotWithByte(18, 8);     // hardware length
  ExpectArpNotWithByte(18, 0);
  ExpectArpNotWithByte(19, 16);  // protocol length
  ExpectArpNotWithByte(19, 0);
  ExpectArpNotWithByte(21, 0);  // opcode
  ExpectArpNotWithByte(21, 3);  // RARP request
  ExpectArpNotWithByte(21, 4);  // RARP reply
  ExpectArpNotWithByte(20, 1);  // 0x0102
}

void ArpTagged(void**) {
  for (uint16_t tpid : kTags) {
    const Frame claim = Tagged(Arp(2, kOther, kVip, kVip), tpid);
    ExpectArp("tagged, allowed", claim, true, true, Filter::kPass);
    ExpectArp("tagged, not allowed", claim, false, false, Filter::kDrop);
    ExpectArp("tagged probe", Tagged(Arp(1, kOther, Ipv4{0}, kVip), tpid), true, false,
              Filter::kDrop);
    ExpectArp("tagged own", Tagged(Arp(2, kOwn, kVip, kVip), tpid), true, false, Filter::kDrop);
    ExpectArp("tagged IPv6", Tagged(Build(Claim6()), tpid), true, false, Filter::kDrop);
    for (uint16_t inner : kTags) {
      ExpectArpBothWays("double tag", Tagged(claim, inner), false, Filter::kDrop);
    }
  }
}

void ArpTruncated(void**) {
  for (bool tagged : kBoth) {
    const Frame whole =
        tagged ? Tagged(Arp(2, kOther, kVip, kVip), kVlan) : Arp(2, kOther, kVip, kVip);
    const size_t needed = tagged ? 46 : 42;
    for (size_t len = 0; len < needed; ++len) {
      Frame f = whole;
      f.len = len;
      char what[48];
      snprintf(what, sizeof what, "%s, %zu bytes", tagged ? "tagged" : "untagged", len);
      ExpectArp(what, f, true, false, Filter::kDrop);
    }
    Frame f = whole;
    f.len = needed;
    ExpectArp("just whole", f, true, true, Filter::kPass);
  }
}

void ArpHostile(void**) {
  MacAddress who = kThird;
  assert_false(IsArpClaim(nullptr, 60, true, kVip, kOwn, &who));
  Frame f = Arp(2, kOther, kVip, kVip);
  memset(f.bytes, 0xff, sizeof f.bytes);
  ExpectArpBothWays("all ones", f, false, Filter::kDrop);
  memset(f.bytes, 0, sizeof f.bytes);
  ExpectArpBothWays("all zeros", f, false, Filter::kDrop);
  // An ARP ethertype over an IPv6 packet.
  f = Build(Claim6());
  Put16(f.bytes + 12, 0x0806);
  ExpectArpBothWays("IPv6 behind an ARP type", f, false, Filter::kDrop);
  // A tag that promises ARP and carries no more.
  f = Tagged(Arp(2, kOther, kVip, kVip), kVlan);
  f.len = 18;
  ExpectArp("a tag alone", f, true, false, Filter::kDrop);
  // A held address of 0.0.0.0 is no address: a probe never matches it.
  who = kThird;
  const Frame probe = Arp(1, kOther, Ipv4{0}, kVip);
  assert_false(IsArpClaim(probe.bytes, probe.len, false, Ipv4{0}, kOwn, &who));
  assert_true(who == kThird);
  // The IPv6 classifier sees nothing in ARP.
  assert_false(IsNaClaim(probe.bytes, probe.len, true, kVip6, kOwn, &who));
}

void ArpConflictReadsTheSameFrames(void**) {
  // IsArpConflict (the duplicate check) reads through ParseEthernetFrame as
  // the claim watch does: a tagged answer is a conflict on a VLAN's socket
  // (reorder_hdr off), and on no other.
  const Frame f = Arp(2, kOther, kVip, kVip);
  for (bool allow_tag : kBoth) assert_true(IsArpConflict(f.bytes, f.len, allow_tag, kOwn, kVip));
  for (uint16_t tpid : kTags) {
    const Frame tagged = Tagged(f, tpid);
    assert_false(IsArpConflict(tagged.bytes, tagged.len, false, kOwn, kVip));
    assert_true(IsArpConflict(tagged.bytes, tagged.len, true, kOwn, kVip));
    // Its own answer, tagged, is still its own; a probe through the tag too.
    const Frame own = Tagged(Arp(2, kOwn, kVip, kVip), tpid);
    assert_false(IsArpConflict(own.bytes, own.len, true, kOwn, kVip));
    const Frame probe = Tagged(Arp(1, kOther, Ipv4{0}, kVip), tpid);
    assert_true(IsArpConflict(probe.bytes, probe.len, true, kOwn, kVip));
  }
  // Two tags (no device here is a VLAN on a VLAN's frames): nothing.
  const Frame twice = Tagged(Tagged(f, kQinQ), kVlan);
  assert_false(IsArpConflict(twice.bytes, twice.len, true, kOwn, kVip));
  const Frame tagged = Tagged(f, kVlan);
  ArpPacket arp;
  assert_true(ParseArpFrame(tagged.bytes, tagged.len, true, &arp));
  assert_false(arp.request);
  assert_true(arp.sender_mac == kOther);
  assert_true(arp.sender_ip == kVip);
  assert_true(arp.target_ip == kVip);
}

// ---- Neighbor Advertisements ---------------------------------------------------------

void NaClaims(void**) {
  ExpectNaBothWays("unsolicited advertisement", Build(Claim6()), true, Filter::kPass);
  Nd nd = Claim6();
  nd.flags = 0x40 | 0x20;  // Solicited, to a unicast address: an answer
  nd.destination = kNeighbour;
  nd.eth_destination = kThird;
  ExpectNaBothWays("solicited, to a unicast address", Build(nd), true, Filter::kPass);
  nd = Claim6();
  nd.flags = 0;  // no Override: still says who has it
  ExpectNaBothWays("without Override", Build(nd), true, Filter::kPass);
  // The option names the holder, whoever sent the frame.
  nd = Claim6();
  nd.eth_source = kOwn;
  ExpectNaBothWays("sent from our MAC for another", Build(nd), true, Filter::kPass);
  nd = WithOption(Claim6(), 2, kThird.bytes);
  ExpectNaBothWays("option names a third", Build(nd), true, Filter::kPass, kThird);
  // The link's padding behind the packet is not part of it.
  Frame f = Build(Claim6());
  memset(f.bytes + f.len, 0xee, 10);
  f.len += 10;
  ExpectNaBothWays("padded", f, true, Filter::kPass);
}

void NaWithoutOptionNamesTheEthernetSource(void**) {
  Nd nd = Claim6();
  nd.option = 0;
  nd.eth_source = kThird;
  ExpectNaBothWays("no option, from a third", Build(nd), true, Filter::kPass, kThird);
  nd.eth_source = kOwn;
  ExpectNaBothWays("no option, from our MAC", Build(nd), false, Filter::kPass);
  // A nonce is no link-layer address either.
  nd = WithOption(Claim6(), 14, kNonce.bytes);
  nd.eth_source = kThird;
  ExpectNaBothWays("only a nonce, from a third", Build(nd), true, Filter::kPass, kThird);
}

void NaNonClaimsTheFilterDrops(void**) {
  ExpectNaBothWays("other target", Build([] {
                     Nd nd = Claim6();
                     nd.target = kElsewhere6;
                     nd.source = kElsewhere6;
                     return nd;
                   }()),
                   false, Filter::kDrop);
  Nd nd = Claim6();
  nd.hop_limit = 64;  // routed here from elsewhere
  ExpectNaBothWays("hop limit 64", Build(nd), false, Filter::kDrop);
  nd = Claim6();
  nd.code = 1;
  ExpectNaBothWays("code 1", Build(nd), false, Filter::kDrop);
  ExpectNaBothWays("resolution", Build(Resolution()), false, Filter::kDrop);
  ExpectNaBothWays("duplicate-address probe", Build(DadProbe()), false, Filter::kDrop);
  nd = Claim6();
  nd.type = 128;  // an echo request whose data looks like the target
  nd.option = 0;
  ExpectNaBothWays("echo request", Build(nd), false, Filter::kDrop);
  nd = Claim6();
  nd.hop_by_hop = true;
  ExpectNaBothWays("behind an extension header", Build(nd), false, Filter::kDrop);
  Frame f = Build(Claim6());
  f.bytes[14] = 0x40;  // IPv4's version
  ExpectNaBothWays("version 4", f, false, Filter::kDrop);
  f = Build(Claim6());
  Put16(f.bytes + 12, 0x0800);
  ExpectNaBothWays("IPv4 ethertype", f, false, Filter::kDrop);
  ExpectNaBothWays("ARP claim", Arp(2, kOther, kVip, kVip), false, Filter::kDrop);
}

// What the filter cannot judge without walking options or summing: each
// wakes the monitor, whose classifier refuses it.
void NaNonClaimsTheClassifierRefuses(void**) {
  ExpectNaBothWays("our own advertisement", Build(WithOption(Claim6(), 2, kOwn.bytes)), false,
                   Filter::kPass);
  Nd nd = WithOption(Claim6(), 2, kOwn.bytes);
  nd.eth_source = kOther;
  ExpectNaBothWays("option names us, sent by another", Build(nd), false, Filter::kPass);
  Frame f = Build(Claim6());
  f.bytes[14 + 40 + 2] ^= 0x01;
  ExpectNaBothWays("bad checksum", f, false, Filter::kPass);
  f = Build(Claim6());
  f.bytes[f.len - 1] ^= 0x80;  // the option's MAC, under the checksum
  ExpectNaBothWays("changed after summing", f, false, Filter::kPass);
  nd = Claim6();
  nd.flags = 0x40 | 0x20;  // Solicited, to a multicast group: RFC 4861 7.1.2
  ExpectNaBothWays("solicited to ff02::1", Build(nd), false, Filter::kPass);
  f = Build(Claim6());
  Put16(f.bytes + 18, 40);  // payload length past the frame's end
  ExpectNaBothWays("payload length larger than the frame", f, false, Filter::kPass);
  f = Build(Claim6());
  f.bytes[14 + 40 + 25] = 0;  // an empty option: RFC 4861 7.1.2
  ExpectNaBothWays("empty option", Resummed(f), false, Filter::kPass);
}

void NaTagged(void**) {
  for (uint16_t tpid : kTags) {
    const Frame claim = Tagged(Build(Claim6()), tpid);
    ExpectNa("tagged, allowed", claim, true, true, Filter::kPass);
    ExpectNa("tagged, not allowed", claim, false, false, Filter::kDrop);
    ExpectNa("tagged probe", Tagged(Build(DadProbe()), tpid), true, false, Filter::kDrop);
    ExpectNa("tagged ARP", Tagged(Arp(2, kOther, kVip, kVip), tpid), true, false, Filter::kDrop);
    for (uint16_t inner : kTags) {
      ExpectNaBothWays("double tag", Tagged(claim, inner), false, Filter::kDrop);
    }
  }
}

void NaTruncated(void**) {
  for (bool tagged : kBoth) {
    const Frame whole = tagged ? Tagged(Build(Claim6()), kQinQ) : Build(Claim6());
    const size_t tag = tagged ? 4 : 0;
    // The filter reads up to the target's end; the classifier needs it all.
    const size_t target_end = tag + 14 + 40 + 24;
    for (size_t len = 0; len < whole.len; ++len) {
      Frame f = whole;
      f.len = len;
      char what[48];
      snprintf(what, sizeof what, "%s, %zu bytes", tagged ? "tagged" : "untagged", len);
      ExpectNa(what, f, true, false, len < target_end ? Filter::kDrop : Filter::kPass);
    }
  }
  MacAddress who = kThird;
  assert_false(IsNaClaim(nullptr, 100, true, kVip6, kOwn, &who));
}

// ---- the programs and the probes ------------------------------------------------------

// Only what the link delivered to this node: a claim this node sends itself,
// one between two other hosts seen in promiscuous mode, or one of a VLAN
// without a device here (the kernel hands it over untagged, as OTHERHOST)
// never wakes the monitor.
void FiltersPassOnlyFramesDeliveredHere(void**) {
  const Frame arp = Arp(2, kOther, kVip, kVip);
  const Frame na = Build(Claim6());
  for (bool allow_tag : kBoth) {
    sock_filter arp_program[kClaimFilterCapacity];
    sock_filter na_program[kClaimFilterCapacity];
    const size_t arp_len =
        BuildArpClaimFilter(kVip, kOwn, allow_tag, arp_program, kClaimFilterCapacity);
    const size_t na_len = BuildNaClaimFilter(kVip6, allow_tag, na_program, kClaimFilterCapacity);
    for (uint32_t type : kDelivered) {
      assert_int_equal(BpfRun(arp_program, arp_len, arp.bytes, arp.len, type), arp.len);
      assert_int_equal(BpfRun(na_program, na_len, na.bytes, na.len, type), na.len);
    }
    for (uint32_t type : kNotDelivered) {
      assert_int_equal(BpfRun(arp_program, arp_len, arp.bytes, arp.len, type), 0);
      assert_int_equal(BpfRun(na_program, na_len, na.bytes, na.len, type), 0);
    }
  }
}

void FiltersRefuseSmallBuffers(void**) {
  sock_filter program[kClaimFilterCapacity];
  for (bool allow_tag : kBoth) {
    const size_t arp = BuildArpClaimFilter(kVip, kOwn, allow_tag, program, kClaimFilterCapacity);
    const size_t na = BuildNaClaimFilter(kVip6, allow_tag, program, kClaimFilterCapacity);
    assert_true(arp > 0 && na > 0);
    assert_int_equal(BuildArpClaimFilter(kVip, kOwn, allow_tag, program, arp - 1), 0);
    assert_int_equal(BuildNaClaimFilter(kVip6, allow_tag, program, na - 1), 0);
    assert_int_equal(BuildArpClaimFilter(kVip, kOwn, allow_tag, program, 0), 0);
  }
}

void ArpProbeBytes(void**) {
  // RFC 5227 2.1.1, as test_arp spells it: sender IP 0.0.0.0, target the
  // address, target MAC zero, to the broadcast.
  const uint8_t want[42] = {
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0x08, 0x06,  // eth
      0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,              // request
      0x02, 0x00, 0x5e, 0x10, 0x20, 0x30, 0x00, 0x00, 0x00, 0x00,  // sender
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x64,  // target
  };
  uint8_t buf[kClaimProbeCapacity];
  memset(buf, 0xa5, sizeof buf);
  assert_int_equal(BuildArpClaimProbe(kVip, kOwn, buf, sizeof buf), sizeof want);
  assert_memory_equal(buf, want, sizeof want);
  assert_int_equal(buf[sizeof want], 0xa5);
  assert_int_equal(BuildArpClaimProbe(kVip, kOwn, buf, sizeof want - 1), 0);
  // Our own probe, looped back, claims nothing.
  Frame f;
  memcpy(f.bytes, want, sizeof want);
  f.len = sizeof want;
  ExpectArpBothWays("own probe", f, false, Filter::kDrop);
}

void NaProbeBytes(void**) {
  // RFC 4862 5.4.2 to the solicited-node group ff02::1:ff00:100, on the
  // Ethernet multicast address RFC 2464 7 maps it to; the checksum as
  // test_ndp has it for this nonce.
  const uint8_t want[86] = {
      0x33,
      0x33,
      0xff,
      0x00,
      0x01,
      0x00,
      0x02,
      0x00,
      0x5e,
      0x10,
      0x20,
      0x30,
      0x86,
      0xdd,  // eth
      0x60,
      0x00,
      0x00,
      0x00,
      0x00,
      0x20,
      58,
      255,  // IPv6
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,  // ::
      0xff,
      0x02,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0x01,
      0xff,
      0x00,
      0x01,
      0x00,  // ff02::1:ff00:100
      135,
      0,
      0x33,
      0xda,
      0,
      0,
      0,
      0,                        // NS
      V6_2001_DB8(0x01, 0x00),  // target
      14,
      1,
      0x01,
      0x02,
      0x03,
      0x04,
      0x05,
      0x06,  // nonce
  };
  uint8_t buf[kClaimProbeCapacity];
  memset(buf, 0xa5, sizeof buf);
  assert_int_equal(BuildNaClaimProbe(kVip6, kOwn, kNonce, buf, sizeof buf), sizeof want);
  assert_memory_equal(buf, want, sizeof want);
  assert_int_equal(buf[sizeof want], 0xa5);
  assert_int_equal(Icmp6Checksum(buf + 14, buf + 54, 32), 0);
  assert_int_equal(BuildNaClaimProbe(kVip6, kOwn, kNonce, buf, sizeof want - 1), 0);
  assert_int_equal(BuildNaClaimProbe(kVip6, kOwn, kNonce, buf, 14), 0);
  Frame f;
  memcpy(f.bytes, want, sizeof want);
  f.len = sizeof want;
  ExpectNaBothWays("own probe", f, false, Filter::kDrop);
}

}  // namespace

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(UntaggedFrame),
      cmocka_unit_test(TaggedFrame),
      cmocka_unit_test(ShortOrDoubleTaggedFrames),
      cmocka_unit_test(EthernetHeaderBytes),
      cmocka_unit_test(ArpClaims),
      cmocka_unit_test(ArpNonClaims),
      cmocka_unit_test(ArpClaimantIsTheSenderMac),
      cmocka_unit_test(ArpAnswerToAProbe),
      cmocka_unit_test(ArpWrongFields),
      cmocka_unit_test(ArpTagged),
      cmocka_unit_test(ArpTruncated),
      cmocka_unit_test(ArpHostile),
      cmocka_unit_test(ArpConflictReadsTheSameFrames),
      cmocka_unit_test(NaClaims),
      cmocka_unit_test(NaWithoutOptionNamesTheEthernetSource),
      cmocka_unit_test(NaNonClaimsTheFilterDrops),
      cmocka_unit_test(NaNonClaimsTheClassifierRefuses),
      cmocka_unit_test(NaTagged),
      cmocka_unit_test(NaTruncated),
      cmocka_unit_test(FiltersPassOnlyFramesDeliveredHere),
      cmocka_unit_test(FiltersRefuseSmallBuffers),
      cmocka_unit_test(ArpProbeBytes),
      cmocka_unit_test(NaProbeBytes),
  };
  return cmocka_run_group_tests_name("claim", tests, nullptr, nullptr);
}
