// SPDX-License-Identifier: Apache-2.0
#include "base/ip_address.h"

#include <string.h>

#include "base/byte_order.h"

namespace ipres {

Ipv4 IpAddress::v4() const {
  if (v6_family_) return Ipv4{};
  return Ipv4{LoadBigEndian32(bytes_.bytes)};
}

bool IpAddress::IsUnspecified() const {
  return ipres::IsUnspecified(bytes_);
}

bool IpAddress::operator==(const IpAddress& o) const {
  return v6_family_ == o.v6_family_ && bytes_ == o.bytes_;
}

bool ParseIpAddress(const char* text, size_t len, IpAddress* out) {
  if (memchr(text, ':', len)) {
    Ipv6 a;
    if (!ParseIpv6(text, len, &a)) return false;
    *out = a;
    return true;
  }
  Ipv4 a;
  if (!ParseIpv4(text, len, &a)) return false;
  *out = a;
  return true;
}

bool ParseIpAddress(const char* text, IpAddress* out) {
  return ParseIpAddress(text, strlen(text), out);
}

IpAddress NetworkOf(const IpAddress& a, unsigned prefix) {
  if (a.is_v6()) return NetworkOf(a.v6(), prefix);
  return NetworkOf(a.v4(), prefix);
}

bool SameFamily(const IpAddress& a, const IpAddress& b) {
  return a.is_v6() == b.is_v6();
}

IpText::IpText(const IpAddress& a) {
  if (a.is_v6()) {
    FormatIpv6(a.v6(), s);
  } else {
    FormatIpv4(a.v4(), s);
  }
}

}  // namespace ipres
