// SPDX-License-Identifier: Apache-2.0
// IPv6 addresses as the 16 bytes of the wire (network order), with strict
// text parsing and the RFC 4291 scopes ipres needs to tell apart.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <string.h>

namespace ipres {

struct Ipv6 {
  uint8_t bytes[16] = {};

  bool operator==(const Ipv6& o) const { return memcmp(bytes, o.bytes, 16) == 0; }
  bool operator!=(const Ipv6& o) const { return !(*this == o); }
};

// INET6_ADDRSTRLEN: the longest text form and its NUL.
constexpr size_t kIpv6TextCapacity = 46;

// RFC 4291 text ("2001:db8::1", "::ffff:192.0.2.1"): no zone ("%eth0"), no
// brackets, no prefix. Reads exactly `len` characters.
bool ParseIpv6(const char* text, size_t len, Ipv6* out);
// RFC 5952 text into out (kIpv6TextCapacity bytes); returns out.
const char* FormatIpv6(const Ipv6& a, char* out);

Ipv6 NetworkOf(const Ipv6& a, unsigned prefix);
bool IsUnspecified(const Ipv6& a);  // ::
bool IsLoopback(const Ipv6& a);     // ::1
bool IsMulticast(const Ipv6& a);    // ff00::/8
bool IsLinkLocal(const Ipv6& a);    // fe80::/10
bool IsV4Mapped(const Ipv6& a);     // ::ffff:0:0/96

// ff02::1, all nodes on the link.
Ipv6 AllNodes();
// ff02::1:ffXX:XXXX, the solicited-node group of `a` (RFC 4291 2.7.1): where
// a duplicate-address probe for `a` goes and where its holder listens.
Ipv6 SolicitedNodeOf(const Ipv6& a);

}  // namespace ipres
