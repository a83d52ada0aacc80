// SPDX-License-Identifier: Apache-2.0
// One protected address with every effective parameter, as compiled in from
// board/NAME/ipres.conf.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/device_name.h"
#include "base/ip_address.h"

namespace ipres {

constexpr size_t kTagCapacity = 32;  // 1..31 characters + NUL
constexpr size_t kMaxPingList = 16;
constexpr size_t kMaxResources = 64;

struct Tunables {
  uint32_t ping_time_ms = 1000;            // IP_PINGTIME
  uint32_t ping_tries = 3;                 // IP_PINGTRIES
  uint32_t ping_timeout_ms = 1000;         // IP_PINGTIMEOUT
  uint32_t quickcheck_timeout_ms = 12000;  // IP_QUICKCHECK_TIMEOUT
  uint32_t wait_linkdown_ms = 5000;        // IP_WAIT_LINKDOWN
  uint32_t max_linkchk_ms = 5000;          // IP_MAX_LINKCHK
  uint32_t lkcheck_interval_ms = 120000;   // LKCHECKINTERVAL
  uint32_t garp_repeat_delay_ms = 5000;    // GARP_REPEAT_DELAY
  uint32_t garp_refresh_ms = 0;            // GARP_REFRESH
  bool source_address = false;             // SOURCE_ADDRESS
  bool restore_and_recover = true;         // RESTORE_AND_RECOVER
  bool physical = false;                   // PHYSICAL
  bool autostart = true;                   // AUTOSTART
  bool no_link_check = false;              // IP_NOLINKCHECK
  bool no_ip_unique = false;               // NOIPUNIQUE
  bool no_bcast_ping = false;              // NOBCASTPING
  uint8_t ping_list_count = 0;             // PINGLIST
  IpAddress ping_list[kMaxPingList] = {};  // all of the ADDRESS's family
};

struct Resource {
  char tag[kTagCapacity] = {};
  IpAddress address;
  uint8_t prefix = 0;
  char device[kIfNameCapacity] = {};
  Tunables t;
};

}  // namespace ipres
