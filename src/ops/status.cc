// status: is the address on its device here? Reads, sends nothing, no lock.
#include <errno.h>

#include "ops/device_view.h"
#include "ops/op.h"
#include "ops/ops.h"

namespace ipres {

Result<bool> QueryStatus(Host& host, const Resource& r) {
  Op op{host, r, "status"};
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok() && dev.status().err() == ENODEV) {
    op.Log(LogLevel::kInfo, "%s not on %s (no such device)", IpText(r.address).s, r.device);
    return false;
  }
  if (!dev.ok()) return op.Failed(dev.status(), "read addresses of %s", r.device);
  op.Log(LogLevel::kInfo, "%s %s %s", IpText(r.address).s, dev.value().present ? "on" : "not on",
         r.device);
  return dev.value().present;
}

}  // namespace ipres
