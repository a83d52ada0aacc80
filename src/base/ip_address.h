// SPDX-License-Identifier: Apache-2.0
// An address of either family, as a resource, its PINGLIST and the Host
// interface carry it. IPv4 keeps its host-order Ipv4 (and every IPv4 path
// its bytes); IPv6 is the wire's 16 bytes.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "base/ipv4.h"
#include "base/ipv6.h"

namespace ipres {

class IpAddress {
 public:
  constexpr IpAddress() = default;  // 0.0.0.0
  // Implicit: an Ipv4 or Ipv6 is an IpAddress of its family.
  constexpr IpAddress(Ipv4 a)  // NOLINT(google-explicit-constructor)
      : bytes_{{static_cast<uint8_t>(a.value >> 24), static_cast<uint8_t>(a.value >> 16),
                static_cast<uint8_t>(a.value >> 8), static_cast<uint8_t>(a.value)}} {}
  constexpr IpAddress(const Ipv6& a)  // NOLINT(google-explicit-constructor)
      : v6_family_(true), bytes_(a) {}

  bool is_v6() const { return v6_family_; }
  int af() const { return v6_family_ ? AF_INET6 : AF_INET; }
  unsigned bits() const { return v6_family_ ? 128 : 32; }
  // The family's value; 0.0.0.0 or :: when the address is of the other one.
  Ipv4 v4() const;
  Ipv6 v6() const { return v6_family_ ? bytes_ : Ipv6{}; }
  // 0.0.0.0 or ::, "none" wherever an address is optional.
  bool IsUnspecified() const;

  bool operator==(const IpAddress& o) const;
  bool operator!=(const IpAddress& o) const { return !(*this == o); }

 private:
  bool v6_family_ = false;
  // The address in network order; IPv4 in the first four bytes, the rest
  // zero, so equal addresses are equal bytes (and the config table, which
  // holds 17 per resource, stays small).
  Ipv6 bytes_;
};

// A dotted quad (ParseIpv4) or an IPv6 address (ParseIpv6), exactly `len`
// characters.
bool ParseIpAddress(const char* text, size_t len, IpAddress* out);
bool ParseIpAddress(const char* text, IpAddress* out);

IpAddress NetworkOf(const IpAddress& a, unsigned prefix);
bool SameFamily(const IpAddress& a, const IpAddress& b);

// Text for log lines and output, valid until the end of the statement that
// made it.
struct IpText {
  explicit IpText(const IpAddress& a);
  char s[kIpv6TextCapacity];
};

}  // namespace ipres
