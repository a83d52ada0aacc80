// SPDX-License-Identifier: Apache-2.0
#include "base/ipv4.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

namespace ipres {

bool ParseIpv4(const char* text, size_t len, Ipv4* out) {
  uint32_t value = 0;
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= len || text[i] != '.') return false;
      ++i;
    }
    size_t start = i;
    unsigned octet = 0;
    while (i < len && text[i] >= '0' && text[i] <= '9' && i - start < 3) {
      octet = octet * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
    }
    size_t digits = i - start;
    if (digits == 0 || octet > 255) return false;
    if (digits > 1 && text[start] == '0') return false;  // would read as octal elsewhere
    value = (value << 8) | octet;
  }
  if (i != len) return false;
  out->value = value;
  return true;
}

bool ParseIpv4(const char* text, Ipv4* out) {
  return ParseIpv4(text, strlen(text), out);
}

const char* FormatIpv4(Ipv4 a, char* out) {
  snprintf(out, 16, "%u.%u.%u.%u", (a.value >> 24) & 255u, (a.value >> 16) & 255u,
           (a.value >> 8) & 255u, a.value & 255u);
  return out;
}

uint32_t ToNet(Ipv4 a) {
  return htonl(a.value);
}
Ipv4 FromNet(uint32_t net) {
  return Ipv4{ntohl(net)};
}

}  // namespace ipres
