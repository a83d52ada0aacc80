// SPDX-License-Identifier: Apache-2.0
#include "net/ndp_socket.h"

#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "base/random.h"
#include "net/icmp6.h"

namespace ipres {
namespace {

// The largest message worth reading: a Neighbor Solicitation or
// Advertisement fits an Ethernet frame; a longer one arrives truncated
// (MSG_TRUNC) and is skipped, since its options cannot all be checked.
constexpr size_t kReceiveBytes = 1500;

sockaddr_in6 LinkScoped(const uint8_t* address, int ifindex) {
  sockaddr_in6 to = {};
  to.sin6_family = AF_INET6;
  memcpy(&to.sin6_addr, address, 16);
  to.sin6_scope_id = static_cast<uint32_t>(ifindex);
  return to;
}

// Fills the envelope from the control messages IPV6_RECVPKTINFO and
// IPV6_RECVHOPLIMIT asked for; false when either is missing or the message
// came in on another device (before SO_BINDTODEVICE took effect).
bool ReadEnvelope(msghdr* msg, const sockaddr_in6& from, int ifindex, NdpEnvelope* envelope) {
  bool have_destination = false;
  bool have_hop_limit = false;
  memcpy(envelope->source.bytes, &from.sin6_addr, 16);
  for (cmsghdr* c = CMSG_FIRSTHDR(msg); c != nullptr; c = CMSG_NXTHDR(msg, c)) {
    if (c->cmsg_level != IPPROTO_IPV6) continue;
    if (c->cmsg_type == IPV6_PKTINFO && c->cmsg_len >= CMSG_LEN(sizeof(in6_pktinfo))) {
      in6_pktinfo info;
      memcpy(&info, CMSG_DATA(c), sizeof info);
      memcpy(envelope->destination.bytes, &info.ipi6_addr, 16);
      have_destination = static_cast<int>(info.ipi6_ifindex) == ifindex;
    } else if (c->cmsg_type == IPV6_HOPLIMIT && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
      memcpy(&envelope->hop_limit, CMSG_DATA(c), sizeof(int));
      have_hop_limit = true;
    }
  }
  return have_destination && have_hop_limit;
}

}  // namespace

NdpNonce RandomNdpNonce() {
  NdpNonce nonce;
  FillRandom(nonce.bytes, sizeof nonce.bytes);
  return nonce;
}

Status NdpSocket::SetOption(int level, int name, const void* value, size_t size, const char* what) {
  if (setsockopt(fd_.get(), level, name, value, static_cast<socklen_t>(size)) != 0) {
    return Status::Errno(errno, "%s on the NDP socket for %s", what, device_);
  }
  return OkStatus();
}

Status NdpSocket::Open(const char* device, int ifindex) {
  if (!IsValidDeviceName(device)) return Status::Errno(ENODEV, "NDP socket on device '%s'", device);
  memcpy(device_, device, strlen(device) + 1);
  ifindex_ = ifindex;
  int fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
  if (fd < 0) return Status::Errno(errno, "raw ICMPv6 socket for NDP on %s", device_);
  fd_.Reset(fd);
  Status s = Configure();
  if (!s.ok()) fd_.Reset(-1);
  return s;
}

Status NdpSocket::Configure() {
  // Blocks everything first: the rest of the host's ICMPv6 would wake us.
  icmp6_filter filter;
  ICMP6_FILTER_SETBLOCKALL(&filter);
  ICMP6_FILTER_SETPASS(ND_NEIGHBOR_SOLICIT, &filter);
  ICMP6_FILTER_SETPASS(ND_NEIGHBOR_ADVERT, &filter);
  Status s = SetOption(IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter, "ICMP6_FILTER");
  if (!s.ok()) return s;
  s = SetOption(SOL_SOCKET, SO_BINDTODEVICE, device_, strlen(device_), "SO_BINDTODEVICE");
  if (!s.ok()) return s;
  // A long-lived socket sees every NS and NA on the link; only the last few
  // matter, so a small queue (the kernel doubles this) is enough.
  const int queue = 8192;
  s = SetOption(SOL_SOCKET, SO_RCVBUF, &queue, sizeof queue, "SO_RCVBUF");
  if (!s.ok()) return s;
  const int on = 1;
  const int off = 0;
  s = SetOption(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof on, "IPV6_RECVHOPLIMIT");
  if (s.ok()) s = SetOption(IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on, "IPV6_RECVPKTINFO");
  if (s.ok()) s = SetOption(IPPROTO_IPV6, IPV6_HDRINCL, &on, sizeof on, "IPV6_HDRINCL");
  if (s.ok()) s = SetOption(IPPROTO_IPV6, IPV6_FREEBIND, &on, sizeof on, "IPV6_FREEBIND");
  if (s.ok()) {
    s = SetOption(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof off, "IPV6_MULTICAST_LOOP");
  }
  return s;
}

Status NdpSocket::Membership(int option, const Ipv6& address, const char* what) {
  ipv6_mreq group = {};
  const Ipv6 solicited = SolicitedNodeOf(address);
  memcpy(&group.ipv6mr_multiaddr, solicited.bytes, 16);
  group.ipv6mr_interface = static_cast<unsigned>(ifindex_);
  if (setsockopt(fd_.get(), IPPROTO_IPV6, option, &group, sizeof group) != 0) {
    char text[kIpv6TextCapacity];
    return Status::Errno(errno, "%s %s on %s", what, FormatIpv6(solicited, text), device_);
  }
  return OkStatus();
}

Status NdpSocket::JoinSolicitedNode(const Ipv6& address) {
  return Membership(IPV6_ADD_MEMBERSHIP, address, "join");
}

Status NdpSocket::LeaveSolicitedNode(const Ipv6& address) {
  return Membership(IPV6_DROP_MEMBERSHIP, address, "leave");
}

Status NdpSocket::Send(const uint8_t* packet, size_t len, const Ipv6& address, const char* what) {
  // The destination sits in the IPv6 header the packet starts with.
  sockaddr_in6 to = LinkScoped(packet + 24, ifindex_);
  // The kernel routes even a whole packet, and wants a source for that: left
  // to itself it picks one of the device's addresses and fails
  // (EADDRNOTAVAIL) while the device has none that is not tentative, as for
  // a second after it came up. The address itself, which IPV6_FREEBIND
  // allows before it is on the device, spares that; the header keeps its own.
  alignas(cmsghdr) uint8_t control[CMSG_SPACE(sizeof(in6_pktinfo))] = {};
  iovec iov = {const_cast<uint8_t*>(packet), len};
  msghdr msg = DatagramHeader(&to, &iov, control, sizeof control);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = IPPROTO_IPV6;
  c->cmsg_type = IPV6_PKTINFO;
  c->cmsg_len = CMSG_LEN(sizeof(in6_pktinfo));
  in6_pktinfo info = {};
  memcpy(&info.ipi6_addr, address.bytes, 16);
  info.ipi6_ifindex = static_cast<unsigned>(ifindex_);
  memcpy(CMSG_DATA(c), &info, sizeof info);
  ssize_t n;
  do {
    n = sendmsg(fd_.get(), &msg, 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Status::Errno(errno, "sendmsg %s on %s", what, device_);
  if (static_cast<size_t>(n) != len) {
    return Status::Fail("sendmsg %s on %s: sent %zd of %zu bytes", what, device_, n, len);
  }
  return OkStatus();
}

Status NdpSocket::SendProbe(const Ipv6& address, const NdpNonce& nonce) {
  uint8_t packet[kNdpPacketSize];
  return Send(packet, BuildDuplicateProbe(address, nonce, packet, sizeof packet), address,
              "duplicate-address probe");
}

Status NdpSocket::NdpAnnounce(const Ipv6& address, const MacAddress& own, bool router) {
  uint8_t packet[kNdpPacketSize];
  return Send(packet, BuildUnsolicitedAdvert(address, own, router, packet, sizeof packet), address,
              "neighbour advertisement");
}

Result<bool> NdpSocket::Receive(NdpMessage* out) {
  uint8_t buf[kReceiveBytes];
  alignas(cmsghdr) uint8_t control[CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
  for (;;) {
    sockaddr_in6 from = {};
    iovec iov = {buf, sizeof buf};
    msghdr msg = DatagramHeader(&from, &iov, control, sizeof control);
    ssize_t n = recvmsg(fd_.get(), &msg, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
      return Status::Errno(errno, "recvmsg NDP on %s", device_);
    }
    if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) continue;
    NdpEnvelope envelope;
    if (!ReadEnvelope(&msg, from, ifindex_, &envelope)) continue;
    if (ParseNdpMessage(buf, static_cast<size_t>(n), envelope, out)) return true;
  }
}

Result<bool> NdpSocket::ReceiveConflict(const Ipv6& address, const MacAddress& own,
                                        const NdpNonce& own_nonce, NdpMessage* who) {
  for (;;) {
    NdpMessage message;
    Result<bool> got = Receive(&message);
    if (!got.ok() || !got.value()) return got;
    if (IsNdpConflict(message, address, own, own_nonce)) {
      if (who != nullptr) *who = message;
      return true;
    }
  }
}

Status NdpSocket::Drain() {
  for (;;) {
    NdpMessage message;
    Result<bool> got = Receive(&message);
    if (!got.ok()) return got.status();
    if (!got.value()) return OkStatus();
  }
}

}  // namespace ipres
