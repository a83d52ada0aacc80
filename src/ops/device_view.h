// What the device's addresses say about the resource (spec: `ip -4 -o addr
// show dev DEV`), read in one pass however many the device holds.
#pragma once

#include <stdint.h>

#include "base/ipv4.h"
#include "base/status.h"
#include "ops/op.h"

namespace ipres {

struct DeviceView {
  // The protected address is on the device, with any prefix length (as the
  // spec's test reads it); `prefix` is the one it carries there.
  bool present = false;
  uint8_t prefix = 0;
  // The first primary address that is not the protected one, preferring the
  // protected subnet; 0.0.0.0 when there is none.
  Ipv4 physical;
  bool physical_in_subnet = false;
};
// The Host's error as it is (not logged): callers differ on ENODEV.
Result<DeviceView> ReadDevice(const Op& op);

}  // namespace ipres
