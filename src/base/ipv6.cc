// SPDX-License-Identifier: Apache-2.0
#include "base/ipv6.h"

#include <arpa/inet.h>

namespace ipres {

bool ParseIpv6(const char* text, size_t len, Ipv6* out) {
  char copy[kIpv6TextCapacity];
  if (len == 0 || len >= sizeof copy || memchr(text, '\0', len)) return false;
  memcpy(copy, text, len);
  copy[len] = '\0';
  return inet_pton(AF_INET6, copy, out->bytes) == 1;
}

const char* FormatIpv6(const Ipv6& a, char* out) {
  if (!inet_ntop(AF_INET6, a.bytes, out, kIpv6TextCapacity)) out[0] = '\0';
  return out;
}

Ipv6 NetworkOf(const Ipv6& a, unsigned prefix) {
  Ipv6 n = a;
  for (unsigned i = 0; i < 16; ++i) {
    const unsigned first_bit = i * 8;
    if (prefix >= first_bit + 8) continue;
    const unsigned kept = prefix > first_bit ? prefix - first_bit : 0;
    n.bytes[i] &= static_cast<uint8_t>(0xff00u >> kept);
  }
  return n;
}

bool IsUnspecified(const Ipv6& a) {
  return a == Ipv6{};
}

bool IsLoopback(const Ipv6& a) {
  Ipv6 one;
  one.bytes[15] = 1;
  return a == one;
}

bool IsMulticast(const Ipv6& a) {
  return a.bytes[0] == 0xff;
}

bool IsLinkLocal(const Ipv6& a) {
  return a.bytes[0] == 0xfe && (a.bytes[1] & 0xc0) == 0x80;
}

bool IsV4Mapped(const Ipv6& a) {
  static const uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return memcmp(a.bytes, kPrefix, sizeof kPrefix) == 0;
}

Ipv6 AllNodes() {
  Ipv6 a;
  a.bytes[0] = 0xff;
  a.bytes[1] = 0x02;
  a.bytes[15] = 1;
  return a;
}

Ipv6 SolicitedNodeOf(const Ipv6& a) {
  Ipv6 group;
  group.bytes[0] = 0xff;
  group.bytes[1] = 0x02;
  group.bytes[11] = 0x01;
  group.bytes[12] = 0xff;
  memcpy(group.bytes + 13, a.bytes + 13, 3);
  return group;
}

}  // namespace ipres
