#include "base/ip_address.h"

#include <string.h>

namespace ipres {

bool IpAddress::IsUnspecified() const {
  return v6_family_ ? ipres::IsUnspecified(v6_) : v4_.value == 0;
}

bool IpAddress::operator==(const IpAddress& o) const {
  if (v6_family_ != o.v6_family_) return false;
  return v6_family_ ? v6_ == o.v6_ : v4_ == o.v4_;
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
