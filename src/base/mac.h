// Ethernet hardware addresses.
#pragma once

#include <stdint.h>
#include <string.h>

namespace ipres {

struct MacAddress {
  uint8_t bytes[6] = {};

  bool operator==(const MacAddress& o) const { return memcmp(bytes, o.bytes, 6) == 0; }
  bool operator!=(const MacAddress& o) const { return !(*this == o); }
};

}  // namespace ipres
