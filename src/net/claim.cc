// SPDX-License-Identifier: Apache-2.0
#include "net/claim.h"

#include <linux/if_packet.h>

#include "base/byte_order.h"
#include "net/arp.h"
#include "net/frame.h"

namespace ipres {
namespace {

// The Ethernet header's type, after the destination and source MACs; behind
// a tag, the inner type is kVlanTagSize further on.
constexpr uint32_t kEthertypeAt = 12;
// What the filters read, from the start of the payload behind the Ethernet
// header (and a tag: the X register holds its size then). RFC 826 for ARP;
// RFC 8200 3 and RFC 4861 4.4 for an advertisement.
constexpr uint32_t kArpHtype = 0;
constexpr uint32_t kArpPtype = 2;
constexpr uint32_t kArpHlen = 4;
constexpr uint32_t kArpPlen = 5;
constexpr uint32_t kArpOp = 6;
constexpr uint32_t kArpSha = 8;
constexpr uint32_t kArpSpa = 14;
constexpr uint32_t kArpBytes = 28;
constexpr uint32_t kIpVersion = 0;
constexpr uint32_t kIpNextHeader = 6;
constexpr uint32_t kIpHopLimit = 7;
constexpr uint32_t kIcmpType = 40;
constexpr uint32_t kIcmpCode = 41;
constexpr uint32_t kNaTarget = 48;

constexpr uint32_t kArpHtypeEthernet = 1;
constexpr uint32_t kArpPtypeIpv4 = 0x0800;
constexpr uint32_t kArpHlenEthernet = 6;
constexpr uint32_t kArpPlenIpv4 = 4;
constexpr uint32_t kArpOpRequest = 1;
constexpr uint32_t kArpOpReply = 2;
constexpr uint32_t kIpVersionBits = 0xf0;  // the first byte's high nibble
constexpr uint32_t kIpv6Version = 0x60;
constexpr uint32_t kNextHeaderIcmpv6 = 58;
constexpr uint32_t kNdpHopLimit = 255;
constexpr uint32_t kIcmpNeighborAdvert = 136;

// The kernel keeps min(frame, this) bytes of an accepted frame: all of it.
constexpr uint32_t kAcceptWholeFrame = 0xffffffff;

// Classic BPF for a packet socket: the frame from its Ethernet header on, a
// load past its end drops it. Every check that fails jumps to one "drop" at
// the end, which Finish places; the jumps to it are marked until then.
class FilterWriter {
 public:
  FilterWriter(sock_filter* program, size_t capacity) : program_(program), capacity_(capacity) {}

  // Drops a frame the link did not deliver to this node: the packet types
  // count up from host, broadcast and multicast to the others.
  void RequireDelivered() {
    Put(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, static_cast<uint32_t>(SKF_AD_OFF + SKF_AD_PKTTYPE)));
    Put(BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, PACKET_MULTICAST, kToDrop, 0));
  }
  // The frame's ethertype, through one 802.1Q/802.1ad tag with allow_tag:
  // afterwards X holds where the payload starts behind the Ethernet header.
  void RequireEthertype(uint16_t ethertype, bool allow_tag) {
    Put(BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, 0));
    Put(BPF_STMT(BPF_LD | BPF_H | BPF_ABS, kEthertypeAt));
    if (!allow_tag) {
      Require(ethertype);
      return;
    }
    // Untagged: on past the five instructions that read through a tag.
    Put(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ethertype, 5, 0));
    Put(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kEthertypeVlan, 1, 0));
    Put(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kEthertypeQinQ, 0, kToDrop));
    Put(BPF_STMT(BPF_LD | BPF_H | BPF_ABS, kEthertypeAt + kVlanTagSize));
    Put(BPF_STMT(BPF_LDX | BPF_W | BPF_IMM, kVlanTagSize));
    Require(ethertype);
  }
  // A = the payload's field at `offset`, of size BPF_B, BPF_H or BPF_W.
  void Load(uint16_t size, uint32_t offset) {
    Put(BPF_STMT(BPF_LD | size | BPF_IND, static_cast<uint32_t>(kEthernetHeaderSize + offset)));
  }
  // Drops a frame whose payload is shorter than `bytes`: the load of its
  // last byte fails past the frame's end.
  void RequireLength(uint32_t bytes) { Load(BPF_B, bytes - 1); }
  void Mask(uint32_t bits) { Put(BPF_STMT(BPF_ALU | BPF_AND | BPF_K, bits)); }
  // Drops the frame unless A == value.
  void Require(uint32_t value) { Put(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, 0, kToDrop)); }
  // Skips `if_equal` instructions when A == value, else `if_not`.
  void Jump(uint32_t value, uint8_t if_equal, uint8_t if_not) {
    Put(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, value, if_equal, if_not));
  }
  void RequireField(uint16_t size, uint32_t offset, uint32_t value) {
    Load(size, offset);
    Require(value);
  }

  // Accepts what got this far, places the drop: the program's length, or 0
  // when it does not fit.
  size_t Finish() {
    Put(BPF_STMT(BPF_RET | BPF_K, kAcceptWholeFrame));
    Put(BPF_STMT(BPF_RET | BPF_K, 0));
    if (length_ > capacity_) return 0;
    const size_t drop = length_ - 1;
    for (size_t i = 0; i < drop; ++i) {
      const uint8_t to_drop = static_cast<uint8_t>(drop - i - 1);
      if (program_[i].jt == kToDrop) program_[i].jt = to_drop;
      if (program_[i].jf == kToDrop) program_[i].jf = to_drop;
    }
    return length_;
  }

 private:
  // No jump of these short programs is that long (kClaimFilterCapacity).
  static constexpr uint8_t kToDrop = 0xff;
  static_assert(kClaimFilterCapacity < kToDrop, "a real jump could read as one to the drop");

  void Put(const sock_filter& instruction) {
    if (length_ < capacity_) program_[length_] = instruction;
    ++length_;
  }

  sock_filter* program_;
  size_t capacity_;
  size_t length_ = 0;
};

}  // namespace

bool IsArpClaim(const uint8_t* frame, size_t len, bool allow_tag, Ipv4 address,
                const MacAddress& own, MacAddress* claimant) {
  ArpPacket arp;
  // A probe's sender IP 0.0.0.0 is never a held address: it cannot match.
  if (address == Ipv4{0} || !ParseArpFrame(frame, len, allow_tag, &arp)) return false;
  if (arp.sender_ip != address || arp.sender_mac == own) return false;
  *claimant = arp.sender_mac;
  return true;
}

bool AnswersArpProbe(const uint8_t* frame, size_t len, bool allow_tag) {
  ArpPacket arp;
  return ParseArpFrame(frame, len, allow_tag, &arp) && !arp.request && arp.target_ip == Ipv4{0};
}

bool IsNaClaim(const uint8_t* frame, size_t len, bool allow_tag, const Ipv6& address,
               const MacAddress& own, MacAddress* claimant) {
  EthernetFrame eth;
  NdpMessage message;
  if (!ParseEthernetFrame(frame, len, allow_tag, &eth) || eth.ethertype != kEthertypeIpv6 ||
      !ParseNdpPacket(eth.payload, eth.payload_len, &message)) {
    return false;
  }
  if (message.type != NdpType::kAdvertisement || message.target != address) return false;
  // RFC 4861 4.4: the option may be left out on a link whose frames name
  // their sender, as Ethernet's do.
  const MacAddress& holder = message.has_link_layer ? message.link_layer : eth.source;
  if (holder == own) return false;
  *claimant = holder;
  return true;
}

size_t BuildArpClaimFilter(Ipv4 address, const MacAddress& own, bool allow_tag,
                           sock_filter* program, size_t capacity) {
  FilterWriter f(program, capacity);
  f.RequireDelivered();
  f.RequireEthertype(kEthertypeArp, allow_tag);
  f.RequireLength(kArpBytes);
  f.RequireField(BPF_H, kArpHtype, kArpHtypeEthernet);
  f.RequireField(BPF_H, kArpPtype, kArpPtypeIpv4);
  f.RequireField(BPF_B, kArpHlen, kArpHlenEthernet);
  f.RequireField(BPF_B, kArpPlen, kArpPlenIpv4);
  f.Load(BPF_H, kArpOp);
  f.Jump(kArpOpRequest, 1, 0);
  f.Require(kArpOpReply);
  f.RequireField(BPF_W, kArpSpa, address.value);
  // The sender MAC is not `own`: its first four bytes differ (on to the
  // accept, past the last two's check), or else its last two.
  f.Load(BPF_W, kArpSha);
  f.Jump(LoadBigEndian32(own.bytes), 0, 2);
  f.Load(BPF_H, kArpSha + 4);
  f.Jump(LoadBigEndian16(own.bytes + 4), 1, 0);
  return f.Finish();
}

size_t BuildNaClaimFilter(const Ipv6& address, bool allow_tag, sock_filter* program,
                          size_t capacity) {
  FilterWriter f(program, capacity);
  f.RequireDelivered();
  f.RequireEthertype(kEthertypeIpv6, allow_tag);
  f.Load(BPF_B, kIpVersion);
  f.Mask(kIpVersionBits);
  f.Require(kIpv6Version);
  f.RequireField(BPF_B, kIpNextHeader, kNextHeaderIcmpv6);
  f.RequireField(BPF_B, kIpHopLimit, kNdpHopLimit);
  f.RequireField(BPF_B, kIcmpType, kIcmpNeighborAdvert);
  f.RequireField(BPF_B, kIcmpCode, 0);
  for (uint32_t at = 0; at < sizeof address.bytes; at += 4) {
    f.RequireField(BPF_W, kNaTarget + at, LoadBigEndian32(address.bytes + at));
  }
  return f.Finish();
}

size_t BuildArpClaimProbe(Ipv4 address, const MacAddress& own, uint8_t* frame, size_t size) {
  return BuildArpProbe(own, address, frame, size);
}

size_t BuildNaClaimProbe(const Ipv6& address, const MacAddress& own, const NdpNonce& nonce,
                         uint8_t* frame, size_t size) {
  if (size < kEthernetHeaderSize + kNdpPacketSize) return 0;
  // RFC 2464 7: an IPv6 multicast goes to 33:33 and the group's last four
  // bytes, of which a solicited-node group's first is 0xff.
  const Ipv6 group = SolicitedNodeOf(address);
  const MacAddress destination = {
      {0x33, 0x33, group.bytes[12], group.bytes[13], group.bytes[14], group.bytes[15]}};
  PutEthernetHeader(destination, own, kEthertypeIpv6, frame);
  return kEthernetHeaderSize + BuildDuplicateProbe(address, nonce, frame + kEthernetHeaderSize,
                                                   size - kEthernetHeaderSize);
}

}  // namespace ipres
