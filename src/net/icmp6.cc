// SPDX-License-Identifier: Apache-2.0
#include "net/icmp6.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <string.h>

#include "base/byte_order.h"
#include "base/device_name.h"

namespace ipres {
namespace {

constexpr uint8_t kTypeEcho6Request = ICMP6_ECHO_REQUEST;
constexpr uint8_t kTypeEcho6Reply = ICMP6_ECHO_REPLY;
// Larger than any echo we send (or lkping's largest): an echo is at most
// the 8-byte header and 1472 bytes of payload, as for IPv4.
constexpr size_t kMaxEcho6Bytes = kIcmp6EchoHeaderBytes + 1472;

const char* DeviceName(const char* device) {
  return device ? device : "any device";
}

Status SetIntOption(int fd, int level, int name, int value, const char* what, const char* device) {
  if (setsockopt(fd, level, name, &value, sizeof value) != 0) {
    return Status::Errno(errno, "%s on %s", what, DeviceName(device));
  }
  return OkStatus();
}

Status BindToDevice(int fd, const char* device, unsigned* ifindex) {
  size_t n = strlen(device);
  if (!IsValidDeviceName(device)) return Status::Errno(ENODEV, "device '%s'", device);
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, static_cast<socklen_t>(n)) != 0) {
    return Status::Errno(errno, "SO_BINDTODEVICE %s", device);
  }
  // The scope an echo to ff02::1 carries (SendEcho6): with the binding, it
  // leaves on the device, not where the routing table would send it.
  *ifindex = if_nametoindex(device);
  if (*ifindex == 0) return Status::Errno(errno, "index of device %s", device);
  return OkStatus();
}

Status BindToSource(int fd, const Ipv6& source, const char* device, unsigned ifindex) {
  char text[kIpv6TextCapacity];
  sockaddr_in6 addr = {};
  addr.sin6_family = AF_INET6;
  memcpy(&addr.sin6_addr, source.bytes, sizeof source.bytes);
  if (IsLinkLocal(source)) {
    // The kernel refuses a link-local bind without its interface (EINVAL).
    if (ifindex == 0) {
      return Status::Errno(EINVAL, "bind %s without a device", FormatIpv6(source, text));
    }
    addr.sin6_scope_id = ifindex;
  }
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return Status::Errno(errno, "bind %s on %s", FormatIpv6(source, text), DeviceName(device));
  }
  return OkStatus();
}

}  // namespace

void FillEchoPayload(uint8_t* payload, size_t len) {
  for (size_t i = 0; i < len; ++i) payload[i] = static_cast<uint8_t>(i);
}

size_t BuildEcho6Request(uint16_t id, uint16_t sequence, size_t payload_len, uint8_t* out,
                         size_t size) {
  if (payload_len > 0xffffu - kIcmp6EchoHeaderBytes || size < kIcmp6EchoHeaderBytes + payload_len) {
    return 0;
  }
  out[0] = kTypeEcho6Request;
  out[1] = 0;
  StoreBigEndian16(out + 2, 0);  // the kernel's to fill (see icmp6.h)
  StoreBigEndian16(out + 4, id);
  StoreBigEndian16(out + 6, sequence);
  FillEchoPayload(out + kIcmp6EchoHeaderBytes, payload_len);
  return kIcmp6EchoHeaderBytes + payload_len;
}

bool ParseEcho6Reply(const uint8_t* icmp, size_t len, uint16_t id, uint16_t* sequence,
                     uint16_t* icmp_bytes) {
  if (icmp == nullptr || len < kIcmp6EchoHeaderBytes || len > 0xffffu) return false;
  if (icmp[0] != kTypeEcho6Reply || icmp[1] != 0) return false;
  if (LoadBigEndian16(icmp + 4) != id) return false;
  *sequence = LoadBigEndian16(icmp + 6);
  *icmp_bytes = static_cast<uint16_t>(len);
  return true;
}

bool ReadHopLimit(const msghdr& msg, uint8_t* hop_limit) {
  if (msg.msg_flags & MSG_CTRUNC) return false;
  if (msg.msg_controllen > 0 && msg.msg_control == nullptr) return false;
  // Walked by hand rather than with CMSG_NXTHDR: CMSG_FIRSTHDR does not
  // check the first message's length against msg_controllen, and the
  // headers are copied out so the buffer need not be aligned.
  const uint8_t* p = static_cast<const uint8_t*>(msg.msg_control);
  size_t left = msg.msg_controllen;
  bool found = false;
  int value = -1;
  while (left >= sizeof(cmsghdr)) {
    cmsghdr c;
    memcpy(&c, p, sizeof c);
    if (c.cmsg_len < CMSG_LEN(0) || c.cmsg_len > left) return false;
    if (c.cmsg_level == IPPROTO_IPV6 && c.cmsg_type == IPV6_HOPLIMIT) {
      if (found || c.cmsg_len != CMSG_LEN(sizeof value)) return false;
      memcpy(&value, p + CMSG_LEN(0), sizeof value);
      found = true;
    }
    size_t step = CMSG_ALIGN(c.cmsg_len);
    if (step >= left) break;
    p += step;
    left -= step;
  }
  if (!found || value < 0 || value > 255) return false;
  *hop_limit = static_cast<uint8_t>(value);
  return true;
}

msghdr DatagramHeader(sockaddr_in6* peer, iovec* iov, void* control, size_t control_len) {
  msghdr msg = {};
  msg.msg_name = peer;
  msg.msg_namelen = sizeof *peer;
  msg.msg_iov = iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = control_len;
  return msg;
}

Result<bool> ReceiveIcmp6(int fd, uint8_t* buf, size_t size, Icmp6Datagram* out) {
  for (;;) {
    sockaddr_in6 from = {};
    iovec iov = {buf, size};
    alignas(cmsghdr) uint8_t control[CMSG_SPACE(sizeof(int)) * 2];
    msghdr msg = DatagramHeader(&from, &iov, control, sizeof control);
    ssize_t n = recvmsg(fd, &msg, 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
      return Status::Errno(errno, "recvmsg on ICMPv6 socket");
    }
    if (msg.msg_flags & MSG_TRUNC) continue;
    if (msg.msg_namelen != sizeof from || from.sin6_family != AF_INET6) continue;
    if (!ReadHopLimit(msg, &out->hop_limit)) continue;
    out->len = static_cast<size_t>(n);
    memcpy(out->from.bytes, &from.sin6_addr, sizeof out->from.bytes);
    out->from_scope = from.sin6_scope_id;
    return true;
  }
}

Status OpenEcho6Socket(UniqueFd* fd, const char* device, const Ipv6* source, unsigned* ifindex) {
  *ifindex = 0;
  int s = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
  if (s < 0) return Status::Errno(errno, "raw ICMPv6 socket on %s", DeviceName(device));
  fd->Reset(s);
  // Only echo replies wake us: every NDP and MLD message on the link would.
  icmp6_filter filter;
  ICMP6_FILTER_SETBLOCKALL(&filter);
  ICMP6_FILTER_SETPASS(kTypeEcho6Reply, &filter);
  if (setsockopt(s, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter) != 0) {
    return Status::Errno(errno, "ICMP6_FILTER on %s", DeviceName(device));
  }
  Status st = SetIntOption(s, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT", device);
  if (!st.ok()) return st;
  // This node answers from its own addresses, which never count: no need
  // to hear them. The multicast hop limit stays the kernel's 1 (link scope).
  st = SetIntOption(s, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0, "IPV6_MULTICAST_LOOP", device);
  if (!st.ok()) return st;
  if (device != nullptr) {
    st = BindToDevice(s, device, ifindex);
    if (!st.ok()) return st;
  }
  if (source != nullptr) return BindToSource(s, *source, device, *ifindex);
  return OkStatus();
}

Status SendEcho6(int fd, const Ipv6& destination, unsigned scope_ifindex, uint16_t id,
                 uint16_t sequence, size_t payload_len) {
  char text[kIpv6TextCapacity];
  uint8_t packet[kMaxEcho6Bytes];
  size_t len = BuildEcho6Request(id, sequence, payload_len, packet, sizeof packet);
  if (len == 0) return Status::Errno(EMSGSIZE, "echo to %s", FormatIpv6(destination, text));
  sockaddr_in6 addr = {};
  addr.sin6_family = AF_INET6;
  memcpy(&addr.sin6_addr, destination.bytes, sizeof destination.bytes);
  addr.sin6_scope_id = scope_ifindex;
  ssize_t n = sendto(fd, packet, len, 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (n < 0) return Status::Errno(errno, "sendto %s", FormatIpv6(destination, text));
  if (static_cast<size_t>(n) != len) {
    return Status::Errno(EMSGSIZE, "sendto %s sent %zd of %zu bytes", FormatIpv6(destination, text),
                         n, len);
  }
  return OkStatus();
}

Result<bool> ReceiveEcho6(int fd, uint16_t id, Echo6Reply* out) {
  uint8_t packet[kMaxEcho6Bytes];
  Icmp6Datagram d;
  for (;;) {
    Result<bool> got = ReceiveIcmp6(fd, packet, sizeof packet, &d);
    if (!got.ok() || !got.value()) return got;
    if (!ParseEcho6Reply(packet, d.len, id, &out->sequence, &out->icmp_bytes)) continue;
    out->from = d.from;
    out->from_scope = d.from_scope;
    out->hop_limit = d.hop_limit;
    return true;
  }
}

}  // namespace ipres
