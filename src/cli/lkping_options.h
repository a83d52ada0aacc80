// SPDX-License-Identifier: Apache-2.0
// lkping's command line as a pure function, so every option and every bad
// one is unit-tested without sending anything.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/device_name.h"
#include "base/ip_address.h"
#include "base/status.h"
#include "net/icmp.h"

namespace ipres {

struct LkpingOptions {
  bool broadcast = false;                        // -b
  uint64_t count = 0;                            // -c; 0: no limit
  uint32_t deadline_ms = 0;                      // -w; 0: none (as ping's -w 0)
  uint32_t timeout_ms = 10000;                   // -W: how long to linger when nothing answered
  uint32_t interval_ms = 1000;                   // -i
  IpAddress source;                              // -I ADDR; unspecified: the kernel picks
  char device[kIfNameCapacity] = {};             // -I DEV; empty: any
  IpAddress exclude[EchoTracker::kMaxExcluded];  // -z, repeatable
  size_t exclude_count = 0;
  bool quiet = false;     // -q
  bool help = false;      // -h, --help: print the usage, nothing else is required
  bool version = false;   // -V, --version: print the version, nothing else is required
  IpAddress destination;  // -I ADDR is of its family
  const char* destination_text = nullptr;
};

// argv[0] is the program name. Options may follow DEST, as ping allows.
Status ParseLkpingOptions(int argc, char* const* argv, LkpingOptions* out);

extern const char kLkpingUsage[];

}  // namespace ipres
