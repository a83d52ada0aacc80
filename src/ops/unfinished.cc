#include "ops/unfinished.h"

#include <errno.h>

namespace ipres {

Result<uint32_t> RepairUnfinished(const Op& op) {
  Result<uint32_t> left = op.host.Unfinished(op.r.tag);
  if (!left.ok())
    return op.FailedWith(left.status(), "read what was left unfinished on %s", op.r.tag);
  if (left.value() & kDeviceDown) {
    const char* dev = op.r.device;
    op.Log(LogLevel::kWarning, "a killed operation left %s down for its link check: bringing it up",
           dev);
    Status s = op.host.SetLinkUp(dev, true);
    if (!s.ok() && s.err() != ENODEV) return op.Failed(s, "bring %s up", dev);
    op.Log(LogLevel::kInfo, "bring %s up: %s", dev, s.ok() ? "done" : "no such device");
    ClearUnfinished(op, kDeviceDown);
  }
  return left.value() & ~static_cast<uint32_t>(kDeviceDown);
}

void ClearUnfinished(const Op& op, uint32_t steps) {
  Status s = op.host.ClearUnfinished(op.r.tag, steps);
  if (!s.ok()) op.Warn(s, "record that %s is finished", op.r.tag);
}

}  // namespace ipres
