// SPDX-License-Identifier: Apache-2.0
// IPv4 addresses as host-order integers, with strict text parsing.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace ipres {

struct Ipv4 {
  uint32_t value = 0;  // host byte order

  constexpr bool operator==(const Ipv4& o) const { return value == o.value; }
  constexpr bool operator!=(const Ipv4& o) const { return value != o.value; }
};

// Dotted quad only ("192.0.2.1"): four decimal parts 0-255, no leading zeros,
// no shorthand. Reads exactly `len` characters. Returns false on anything else.
bool ParseIpv4(const char* text, size_t len, Ipv4* out);
bool ParseIpv4(const char* text, Ipv4* out);

// Writes the dotted quad into out (at least 16 bytes); returns out.
const char* FormatIpv4(Ipv4 a, char* out);

constexpr uint32_t PrefixMask(unsigned prefix) {
  return prefix == 0 ? 0u : prefix >= 32 ? 0xffffffffu : ~((1u << (32 - prefix)) - 1u);
}
constexpr Ipv4 NetworkOf(Ipv4 a, unsigned prefix) {
  return Ipv4{a.value & PrefixMask(prefix)};
}
// The subnet's broadcast address; for /31 and /32 there is none, so the
// limited broadcast 255.255.255.255 is what "the subnet" can be reached by.
constexpr Ipv4 BroadcastOf(Ipv4 a, unsigned prefix) {
  return prefix >= 31 ? Ipv4{0xffffffffu} : Ipv4{a.value | ~PrefixMask(prefix)};
}

// Network-order helpers for the wire.
uint32_t ToNet(Ipv4 a);
Ipv4 FromNet(uint32_t net);

}  // namespace ipres
