// SPDX-License-Identifier: Apache-2.0
#include "net/arp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <string.h>
#include <sys/socket.h>

#include "base/byte_order.h"
#include "net/frame.h"

namespace ipres {
namespace {

// Offsets into ARP for IPv4 over Ethernet (RFC 826), behind the Ethernet
// header.
constexpr size_t kArpHtype = 0;
constexpr size_t kArpPtype = 2;
constexpr size_t kArpHlen = 4;
constexpr size_t kArpPlen = 5;
constexpr size_t kArpOp = 6;
constexpr size_t kArpSha = 8;
constexpr size_t kArpSpa = 14;
constexpr size_t kArpTha = 18;
constexpr size_t kArpTpa = 24;
constexpr size_t kArpBytes = 28;
static_assert(kEthernetHeaderSize + kArpBytes == kArpFrameSize, "ARP frame size");

constexpr uint16_t kHtypeEthernet = 1;
constexpr uint16_t kOpRequest = 1;
constexpr uint16_t kOpReply = 2;

constexpr MacAddress kBroadcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
constexpr MacAddress kZeroMac = {};

size_t BuildArp(uint16_t op, const MacAddress& own, Ipv4 sender_ip, const MacAddress& target_mac,
                Ipv4 target_ip, uint8_t* frame, size_t size) {
  if (size < kArpFrameSize) return 0;
  PutEthernetHeader(kBroadcast, own, kEthertypeArp, frame);
  uint8_t* arp = frame + kEthernetHeaderSize;
  StoreBigEndian16(arp + kArpHtype, kHtypeEthernet);
  StoreBigEndian16(arp + kArpPtype, ETHERTYPE_IP);
  arp[kArpHlen] = 6;
  arp[kArpPlen] = 4;
  StoreBigEndian16(arp + kArpOp, op);
  memcpy(arp + kArpSha, own.bytes, 6);
  StoreBigEndian32(arp + kArpSpa, sender_ip.value);
  memcpy(arp + kArpTha, target_mac.bytes, 6);
  StoreBigEndian32(arp + kArpTpa, target_ip.value);
  return kArpFrameSize;
}

bool IsConflict(const ArpPacket& arp, const MacAddress& own, Ipv4 address) {
  if (arp.sender_mac == own) return false;
  if (arp.sender_ip == address) return true;
  // RFC 5227 2.1.1: two hosts probing for the same address at once must both
  // give it up, since neither can tell which of them would win.
  return arp.request && arp.sender_ip == Ipv4{0} && arp.target_ip == address;
}

}  // namespace

size_t BuildGratuitousArp(GarpKind kind, const MacAddress& own, Ipv4 address, Ipv4 target,
                          uint8_t* frame, size_t size) {
  if (kind == GarpKind::kReply) {
    return BuildArp(kOpReply, own, address, own, target, frame, size);
  }
  return BuildArp(kOpRequest, own, address, kBroadcast, target, frame, size);
}

size_t BuildArpProbe(const MacAddress& own, Ipv4 address, uint8_t* frame, size_t size) {
  return BuildArp(kOpRequest, own, Ipv4{0}, kZeroMac, address, frame, size);
}

bool ParseArpFrame(const uint8_t* frame, size_t len, bool allow_tag, ArpPacket* out) {
  EthernetFrame eth;
  if (!ParseEthernetFrame(frame, len, allow_tag, &eth) || eth.ethertype != kEthertypeArp ||
      eth.payload_len < kArpBytes) {
    return false;
  }
  const uint8_t* arp = eth.payload;
  if (LoadBigEndian16(arp + kArpHtype) != kHtypeEthernet ||
      LoadBigEndian16(arp + kArpPtype) != ETHERTYPE_IP || arp[kArpHlen] != 6 ||
      arp[kArpPlen] != 4) {
    return false;
  }
  const uint16_t op = LoadBigEndian16(arp + kArpOp);
  if (op != kOpRequest && op != kOpReply) return false;
  out->request = op == kOpRequest;
  memcpy(out->sender_mac.bytes, arp + kArpSha, 6);
  out->sender_ip = Ipv4{LoadBigEndian32(arp + kArpSpa)};
  out->target_ip = Ipv4{LoadBigEndian32(arp + kArpTpa)};
  return true;
}

bool IsArpConflict(const uint8_t* frame, size_t len, bool allow_tag, const MacAddress& own,
                   Ipv4 address) {
  ArpPacket arp;
  return ParseArpFrame(frame, len, allow_tag, &arp) && IsConflict(arp, own, address);
}

Status ArpSocket::Open(int ifindex, bool vlan) {
  // Protocol 0 until bind: the socket sees no frame from any other interface
  // in the window between socket() and bind().
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Errno(errno, "socket AF_PACKET for ARP on ifindex %d", ifindex);
  UniqueFd owned(fd);
  // A long-lived socket sees every ARP frame on the link; only the last few
  // matter, so a small queue (the kernel doubles this) is enough.
  int queue = 8192;
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &queue, sizeof queue) != 0) {
    return Status::Errno(errno, "SO_RCVBUF on the ARP socket for ifindex %d", ifindex);
  }
  sockaddr_ll sll = {};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ARP);
  sll.sll_ifindex = ifindex;
  if (bind(fd, reinterpret_cast<const sockaddr*>(&sll), sizeof sll) != 0) {
    return Status::Errno(errno, "bind ARP socket to ifindex %d", ifindex);
  }
  fd_ = static_cast<UniqueFd&&>(owned);
  ifindex_ = ifindex;
  vlan_ = vlan;
  return OkStatus();
}

Status ArpSocket::Send(const uint8_t* frame, size_t len) {
  sockaddr_ll sll = {};
  sll.sll_family = AF_PACKET;
  sll.sll_protocol = htons(ETH_P_ARP);
  sll.sll_ifindex = ifindex_;
  ssize_t n;
  do {
    n = sendto(fd_.get(), frame, len, 0, reinterpret_cast<const sockaddr*>(&sll), sizeof sll);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Status::Errno(errno, "sendto ARP on ifindex %d", ifindex_);
  if (static_cast<size_t>(n) != len) {
    return Status::Fail("sendto ARP on ifindex %d: sent %zd of %zu bytes", ifindex_, n, len);
  }
  return OkStatus();
}

Result<size_t> ArpSocket::Receive(uint8_t* buf, size_t size) {
  for (;;) {
    sockaddr_ll from = {};
    socklen_t from_len = sizeof from;
    ssize_t n = recvfrom(fd_.get(), buf, size, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return static_cast<size_t>(0);
      // The socket is kept across operations: a device that went down
      // since (a cable pull, the link check's bounce) is no failure of this
      // read.
      if (IsDeviceDownError(errno)) continue;
      return Status::Errno(errno, "recvfrom ARP on ifindex %d", ifindex_);
    }
    if (!DeliveredToThisNode(from.sll_pkttype)) continue;
    return static_cast<size_t>(n);
  }
}

Result<bool> ArpSocket::ReceiveConflict(const MacAddress& own, Ipv4 address, MacAddress* who) {
  uint8_t buf[128];
  for (;;) {
    Result<size_t> got = Receive(buf, sizeof buf);
    if (!got.ok()) return got.status();
    if (got.value() == 0) return false;
    ArpPacket arp;
    if (ParseArpFrame(buf, got.value(), vlan_, &arp) && IsConflict(arp, own, address)) {
      if (who != nullptr) *who = arp.sender_mac;
      return true;
    }
  }
}

Status ArpSocket::Drain() {
  uint8_t frame[256];
  for (;;) {
    Result<size_t> got = Receive(frame, sizeof frame);
    if (!got.ok()) return got.status();
    if (got.value() == 0) return OkStatus();
  }
}

Status ArpAnnounce(ArpSocket& socket, const MacAddress& own, Ipv4 address, Ipv4 target,
                   GarpKind kind) {
  uint8_t frame[kArpFrameSize];
  size_t len = BuildGratuitousArp(kind, own, address, target, frame, sizeof frame);
  return socket.Send(frame, len);
}

}  // namespace ipres
