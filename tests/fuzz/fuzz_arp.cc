// SPDX-License-Identifier: Apache-2.0
// ARP frames off the wire, as the duplicate-address check's packet socket
// reads them (on a VLAN, through a tag), judged against an own MAC and address the input also
// picks.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/arp.h"

using namespace ipres;

namespace {

constexpr size_t kPrefix = 10;  // own MAC (6) and the protected address (4)

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < kPrefix) return 0;
  MacAddress own;
  memcpy(own.bytes, data, 6);
  Ipv4 address{static_cast<uint32_t>(data[6]) << 24 | static_cast<uint32_t>(data[7]) << 16 |
               static_cast<uint32_t>(data[8]) << 8 | data[9]};
  // As a VLAN's socket reads them (through one tag) and as any other's: a
  // frame without a tag means the same to both.
  const bool plain = IsArpConflict(data + kPrefix, size - kPrefix, false, own, address);
  if (plain && !IsArpConflict(data + kPrefix, size - kPrefix, true, own, address)) abort();
  // What this node sends itself must never look like someone else.
  uint8_t frame[kArpFrameSize];
  if (BuildArpProbe(own, address, frame, sizeof frame) != kArpFrameSize) abort();
  if (IsArpConflict(frame, sizeof frame, true, own, address)) abort();
  if (BuildGratuitousArp(GarpKind::kReply, own, address, address, frame, sizeof frame) !=
      kArpFrameSize) {
    abort();
  }
  if (IsArpConflict(frame, sizeof frame, true, own, address)) abort();
  return 0;
}
