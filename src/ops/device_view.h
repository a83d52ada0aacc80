// SPDX-License-Identifier: Apache-2.0
// What the device's addresses of the resource's family say about it (spec:
// `ip -4 -o addr show dev DEV`, for IPv6 `ip -6`), read in one pass however
// many the device holds.
#pragma once

#include <stdint.h>

#include "base/ip_address.h"
#include "base/status.h"
#include "ops/op.h"

namespace ipres {

struct DeviceView {
  // The protected address is on the device, with any prefix length (as the
  // spec's test reads it); `prefix` is the one it carries there.
  bool present = false;
  uint8_t prefix = 0;
  // IPv6: the kernel's DAD has not finished, or found a holder.
  bool tentative = false;
  bool dad_failed = false;
  // IPv6: never the kernel's pick as a source for new connections, which
  // SOURCE_ADDRESS=0 asks; still in service.
  bool deprecated = false;
  // The first primary address that is not the protected one, preferring the
  // protected subnet; unspecified when there is none. For IPv6 the oldest
  // of global scope that the kernel would use as a source (not tentative,
  // dadfailed, privacy or deprecated).
  IpAddress physical;
  bool physical_in_subnet = false;
};
// The Host's error as it is (not logged): callers differ on ENODEV.
Result<DeviceView> ReadDevice(const Op& op);
// contract "Devices": the node's physical address of the resource's subnet
// on the device a macvlan sits on (keepalived's VMAC has no address of its
// own); unspecified when the device is no macvlan or there is none there.
Result<IpAddress> BasePhysical(const Op& op);
// An address the kernel does not use yet (tentative) or will not (DAD
// found a holder) is not in service: that error (logged), else OK.
Status CheckUsable(const Op& op, const DeviceView& dev);

}  // namespace ipres
