// SPDX-License-Identifier: Apache-2.0
#include "net/icmp.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "base/byte_order.h"
#include "base/device_name.h"
#include "base/random.h"
#include "net/icmp6.h"

namespace ipres {
namespace {

constexpr uint8_t kTypeEchoReply = 0;
constexpr uint8_t kTypeEchoRequest = 8;
constexpr size_t kIcmpHeaderBytes = 8;
constexpr size_t kIpMinHeaderBytes = 20;
constexpr uint8_t kProtocolIcmp = 1;
// From <linux/icmp.h>, which clashes with the libc headers: a bit set in the
// filter drops that ICMP type before it reaches the socket.
constexpr int kIcmpFilterOption = 1;

const char* DeviceName(const char* device) {
  return device ? device : "any device";
}

}  // namespace

uint16_t InternetChecksum(const uint8_t* data, size_t len, uint32_t sum) {
  size_t i = 0;
  for (; i + 1 < len; i += 2) sum += LoadBigEndian16(data + i);
  if (i < len) sum += static_cast<uint32_t>(data[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffffu) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

size_t BuildEchoRequest(uint16_t id, uint16_t sequence, size_t payload_len, uint8_t* out,
                        size_t size) {
  if (payload_len > 0xffffu - kIcmpHeaderBytes || size < kIcmpHeaderBytes + payload_len) return 0;
  size_t len = kIcmpHeaderBytes + payload_len;
  out[0] = kTypeEchoRequest;
  out[1] = 0;
  StoreBigEndian16(out + 2, 0);
  StoreBigEndian16(out + 4, id);
  StoreBigEndian16(out + 6, sequence);
  // ping's pattern, so captures of both look alike.
  for (size_t i = 0; i < payload_len; ++i) out[kIcmpHeaderBytes + i] = static_cast<uint8_t>(i);
  StoreBigEndian16(out + 2, InternetChecksum(out, len));
  return len;
}

bool ParseEchoReply(const uint8_t* packet, size_t len, uint16_t id, EchoReply* out) {
  if (packet == nullptr || len < kIpMinHeaderBytes) return false;
  if ((packet[0] >> 4) != 4) return false;
  size_t header_len = static_cast<size_t>(packet[0] & 0x0f) * 4;
  if (header_len < kIpMinHeaderBytes || header_len > len) return false;
  // The kernel hands a raw socket the whole reassembled datagram: anything
  // else in the length field means a lie or a truncated read.
  if (LoadBigEndian16(packet + 2) != len) return false;
  if (LoadBigEndian16(packet + 6) & 0x3fff) return false;  // a fragment (MF or offset)
  if (packet[9] != kProtocolIcmp) return false;
  if (InternetChecksum(packet, header_len) != 0) return false;
  const uint8_t* icmp = packet + header_len;
  size_t icmp_len = len - header_len;
  if (icmp_len < kIcmpHeaderBytes) return false;
  if (icmp[0] != kTypeEchoReply || icmp[1] != 0) return false;
  if (InternetChecksum(icmp, icmp_len) != 0) return false;
  if (LoadBigEndian16(icmp + 4) != id) return false;
  out->from = Ipv4{LoadBigEndian32(packet + 12)};
  out->sequence = LoadBigEndian16(icmp + 6);
  out->ttl = packet[8];
  out->icmp_bytes = static_cast<uint16_t>(icmp_len);
  return true;
}

uint16_t RandomEchoIdentifier() {
  uint16_t id = 0;
  while (id == 0) FillRandom(&id, sizeof id);
  return id;
}

Status IcmpSocket::Open(int af, const char* device, const IpAddress& source, bool broadcast) {
  v6_ = af == AF_INET6;
  ifindex_ = 0;
  if (!source.IsUnspecified() && source.af() != af) {
    return Status::Errno(EAFNOSUPPORT, "echo from %s on %s: another family", IpText(source).s,
                         DeviceName(device));
  }
  if (!v6_) return OpenIpv4(device, source.v4(), broadcast);
  const Ipv6 bound = source.v6();
  return OpenEcho6Socket(&fd_, device, source.IsUnspecified() ? nullptr : &bound, &ifindex_);
}

Status IcmpSocket::OpenIpv4(const char* device, Ipv4 source, bool broadcast) {
  int fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
  if (fd < 0) return Status::Errno(errno, "raw ICMP socket on %s", DeviceName(device));
  fd_.Reset(fd);
  // Only echo replies wake us: every other ICMP message on the host would.
  uint32_t filter = ~(1u << kTypeEchoReply);
  if (setsockopt(fd, SOL_RAW, kIcmpFilterOption, &filter, sizeof filter) != 0) {
    return Status::Errno(errno, "ICMP_FILTER on %s", DeviceName(device));
  }
  if (device != nullptr) {
    size_t n = strlen(device);
    if (n == 0 || n >= kIfNameCapacity) return Status::Errno(ENODEV, "device '%s'", device);
    if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, static_cast<socklen_t>(n)) != 0) {
      return Status::Errno(errno, "SO_BINDTODEVICE %s", device);
    }
  }
  if (broadcast) {
    int on = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) != 0) {
      return Status::Errno(errno, "SO_BROADCAST on %s", DeviceName(device));
    }
  }
  if (source.value != 0) {
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = ToNet(source);
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      return Status::Errno(errno, "bind %s on %s", IpText(source).s, DeviceName(device));
    }
  }
  return OkStatus();
}

Status IcmpSocket::SendEcho(const IpAddress& destination, uint16_t id, uint16_t sequence,
                            size_t payload_len) {
  if (v6_) {
    const Ipv6 to = destination.v6();
    const bool scoped = IsLinkLocal(to) || IsMulticast(to);
    return SendEcho6(fd_.get(), to, scoped ? ifindex_ : 0, id, sequence, payload_len);
  }
  const IpText text(destination);
  uint8_t packet[kIcmpHeaderBytes + 1472];
  size_t len = BuildEchoRequest(id, sequence, payload_len, packet, sizeof packet);
  if (len == 0) return Status::Errno(EMSGSIZE, "echo to %s", text.s);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = ToNet(destination.v4());
  ssize_t n = sendto(fd_.get(), packet, len, 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (n < 0) return Status::Errno(errno, "sendto %s", text.s);
  if (static_cast<size_t>(n) != len) {
    return Status::Errno(EMSGSIZE, "sendto %s sent %zd of %zu bytes", text.s, n, len);
  }
  return OkStatus();
}

Result<bool> IcmpSocket::ReceiveReply(uint16_t id, EchoReply* out) {
  if (v6_) {
    Echo6Reply reply;
    Result<bool> got = ReceiveEcho6(fd_.get(), id, &reply);
    if (!got.ok() || !got.value()) return got;
    out->from = reply.from;
    out->sequence = reply.sequence;
    out->ttl = reply.hop_limit;
    out->icmp_bytes = reply.icmp_bytes;
    return true;
  }
  // Larger than any echo reply we send; a bigger datagram is not ours.
  uint8_t packet[1024];
  for (;;) {
    ssize_t n = recv(fd_.get(), packet, sizeof packet, MSG_TRUNC);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return false;
      return Status::Errno(errno, "recv on ICMP socket");
    }
    if (static_cast<size_t>(n) > sizeof packet) continue;
    if (ParseEchoReply(packet, static_cast<size_t>(n), id, out)) return true;
  }
}

}  // namespace ipres
