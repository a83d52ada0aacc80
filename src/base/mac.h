// SPDX-License-Identifier: Apache-2.0
// Ethernet hardware addresses.
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <string.h>

namespace ipres {

struct MacAddress {
  uint8_t bytes[6] = {};

  bool operator==(const MacAddress& o) const { return memcmp(bytes, o.bytes, 6) == 0; }
  bool operator!=(const MacAddress& o) const { return !(*this == o); }
};

// "aa:bb:cc:dd:ee:ff", as iproute2 prints a link-layer address, for log
// lines and records: valid until the end of the statement that made it.
struct MacText {
  explicit MacText(const MacAddress& m) {
    snprintf(s, sizeof s, "%02x:%02x:%02x:%02x:%02x:%02x", m.bytes[0], m.bytes[1], m.bytes[2],
             m.bytes[3], m.bytes[4], m.bytes[5]);
  }
  char s[18];
};

}  // namespace ipres
