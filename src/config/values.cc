// SPDX-License-Identifier: Apache-2.0
#include "config/values.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/text_fields.h"

namespace ipres {
namespace {

constexpr uint32_t kMaxSecondsMs = 86400u * 1000u;
constexpr uint32_t kMaxPingTries = 100;

}  // namespace

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

Span Trim(Span s) {
  while (s.n > 0 && IsSpace(s.p[0])) {
    ++s.p;
    --s.n;
  }
  while (s.n > 0 && IsSpace(s.p[s.n - 1])) --s.n;
  return s;
}

bool Refuse(ParseError* error, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(error->reason, sizeof error->reason, fmt, ap);
  va_end(ap);
  return false;
}

namespace {

// Why an IPv4 address cannot be a resource's address in its subnet, or
// nullptr when it can.
const char* Ipv4HostFault(Ipv4 a, unsigned prefix) {
  const uint8_t first = static_cast<uint8_t>(a.value >> 24);
  if (a.value == 0 || first == 127 || first >= 224) return "not a unicast host address";
  if (prefix < 31 && a == NetworkOf(a, prefix)) return "that is the subnet's network address";
  if (prefix < 31 && a == BroadcastOf(a, prefix)) return "that is the subnet's broadcast address";
  return nullptr;
}

const char* Ipv6HostFault(const Ipv6& a, unsigned prefix) {
  if (IsUnspecified(a) || IsLoopback(a) || IsMulticast(a) || IsV4Mapped(a)) {
    return IsMulticast(a) ? "a multicast address, not a unicast host address"
                          : "not a unicast host address";
  }
  if (IsLinkLocal(a)) return "a link-local address (fe80::/10) cannot be a resource's address";
  if (prefix < 127 && a == NetworkOf(a, prefix)) {
    return "that is the subnet's Subnet-Router anycast address";
  }
  return nullptr;
}

}  // namespace

bool ReadAddress(Span v, IpAddress* address, uint8_t* prefix_out, ParseError* error) {
  const int vn = static_cast<int>(v.n);
  const char* slash = static_cast<const char*>(memchr(v.p, '/', v.n));
  if (!slash) {
    // IPv4's own words for what looks like IPv4.
    return Refuse(error, "bad ADDRESS '%.*s': expected %s", vn, v.p,
                  memchr(v.p, ':', v.n) ? "IPV6/PREFIX" : "A.B.C.D/PREFIX");
  }
  IpAddress a;
  size_t alen = static_cast<size_t>(slash - v.p);
  if (!ParseIpAddress(v.p, alen, &a)) {
    return Refuse(error, "bad ADDRESS '%.*s': '%.*s' is not %s", vn, v.p, static_cast<int>(alen),
                  v.p, memchr(v.p, ':', alen) ? "an IPv6 address" : "a dotted-quad IPv4 address");
  }
  Span p{slash + 1, v.n - alen - 1};
  uint64_t prefix = 0;
  // No leading zero, as in the dotted quad before it.
  if ((p.n > 1 && p.p[0] == '0') ||
      ParseDecimal(p.p, p.n, 1, a.bits(), &prefix) != FieldParse::kOk) {
    return Refuse(error, "bad ADDRESS '%.*s': prefix length must be 1 to %u", vn, v.p, a.bits());
  }
  const unsigned bits = static_cast<unsigned>(prefix);
  const char* fault = a.is_v6() ? Ipv6HostFault(a.v6(), bits) : Ipv4HostFault(a.v4(), bits);
  if (fault) return Refuse(error, "bad ADDRESS '%.*s': %s", vn, v.p, fault);
  *address = a;
  *prefix_out = static_cast<uint8_t>(prefix);
  return true;
}

bool ReadDevice(Span v, char (&device)[kIfNameCapacity], ParseError* error) {
  const int vn = static_cast<int>(v.n);
  const DeviceNameFault fault = CheckDeviceName(v.p, v.n);
  if (fault == DeviceNameFault::kEmpty) return Refuse(error, "empty DEVICE");
  if (fault == DeviceNameFault::kTooLong) {
    return Refuse(error, "bad DEVICE '%.*s': %zu characters, a device name has at most %zu", vn,
                  v.p, v.n, kIfNameCapacity - 1);
  }
  if (fault == DeviceNameFault::kDotName) return Refuse(error, "bad DEVICE '%.*s'", vn, v.p);
  // Stricter than the kernel: the generator writes the name into C++ and
  // `ipres list` prints it, so printable ASCII only.
  bool printable = true;
  for (size_t i = 0; i < v.n; ++i) printable = printable && v.p[i] > ' ' && v.p[i] < 127;
  if (fault == DeviceNameFault::kBadCharacter || !printable) {
    return Refuse(error, "bad DEVICE '%.*s': no spaces, '/', ':' or control characters", vn, v.p);
  }
  memcpy(device, v.p, v.n);
  return true;
}

bool ReadPingList(Span v, Tunables* t, ParseError* error) {
  t->ping_list_count = 0;
  size_t i = 0;
  while (i < v.n) {
    while (i < v.n && (v.p[i] == ',' || IsSpace(v.p[i]))) ++i;
    size_t start = i;
    while (i < v.n && v.p[i] != ',' && !IsSpace(v.p[i])) ++i;
    if (i == start) break;
    IpAddress a;
    const Span entry{v.p + start, i - start};
    const bool v6 = memchr(entry.p, ':', entry.n) != nullptr;
    // An IPv4-mapped destination is one no ICMPv6 socket can send to.
    if (!ParseIpAddress(entry.p, entry.n, &a) || a.IsUnspecified() ||
        (v6 ? IsMulticast(a.v6()) || IsLoopback(a.v6()) || IsV4Mapped(a.v6())
            : (a.v4().value >> 24) >= 224)) {
      return Refuse(error, "bad PINGLIST entry '%.*s': expected a unicast %s address",
                    static_cast<int>(entry.n), entry.p, v6 ? "IPv6" : "dotted-quad IPv4");
    }
    if (a.is_v6() && IsLinkLocal(a.v6())) {
      // Pinged from the resource's address by the routing table, as `ping
      // -I ADDR` is: a link-local destination would need a zone.
      return Refuse(error,
                    "bad PINGLIST entry '%.*s': a link-local address cannot be pinged "
                    "from the resource's address",
                    static_cast<int>(entry.n), entry.p);
    }
    if (t->ping_list_count > 0 && !SameFamily(a, t->ping_list[0])) {
      return Refuse(error, "bad PINGLIST entry '%.*s': PINGLIST mixes IPv4 and IPv6 addresses",
                    static_cast<int>(entry.n), entry.p);
    }
    if (t->ping_list_count == kMaxPingList) {
      return Refuse(error, "PINGLIST has more than %zu addresses", kMaxPingList);
    }
    t->ping_list[t->ping_list_count++] = a;
  }
  return true;
}

bool ReadBool(const char* name, Span v, bool* field, ParseError* error) {
  if (v.Is("0") || v.Is("1")) {
    *field = v.p[0] == '1';
    return true;
  }
  return Refuse(error, "bad %s '%.*s': expected 0 or 1", name, static_cast<int>(v.n), v.p);
}

bool ReadCount(const char* name, Span v, uint32_t* field, ParseError* error) {
  uint64_t n = 0;
  // At most three digits, as the largest count has: "0001" is refused.
  if (v.n > 3 || ParseDecimal(v.p, v.n, 1, kMaxPingTries, &n) != FieldParse::kOk) {
    return Refuse(error, "bad %s '%.*s': expected a whole number from 1 to %u", name,
                  static_cast<int>(v.n), v.p, kMaxPingTries);
  }
  *field = static_cast<uint32_t>(n);
  return true;
}

bool ReadSeconds(const char* name, Span v, bool positive, uint32_t* field_ms, ParseError* error) {
  const int vn = static_cast<int>(v.n);
  switch (
      ParseSecondsMs(v.p, v.n, SecondsSyntax::kConfig, positive ? 1 : 0, kMaxSecondsMs, field_ms)) {
    case FieldParse::kOk:
      return true;
    case FieldParse::kMalformed:
      return Refuse(error, "bad %s '%.*s': expected seconds such as 5 or 0.25 (at most 3 decimals)",
                    name, vn, v.p);
    case FieldParse::kOutOfRange:
      break;
  }
  return Refuse(error, "%s=%.*s is out of range: %s to 86400 seconds", name, vn, v.p,
                positive ? "0.001" : "0");
}

}  // namespace ipres
