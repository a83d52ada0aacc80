// SPDX-License-Identifier: Apache-2.0
#include "ops/unfinished.h"

#include <errno.h>

namespace ipres {

LeftUnfinished::LeftUnfinished(const Op& op) : op_(op) {
  Result<uint32_t> left = op.host.Unfinished(op.r.tag);
  if (!left.ok()) {
    status_ = op.FailRecord(left.status(), "read what was left unfinished on %s", op.r.tag);
    return;
  }
  if (left.value() & kDeviceDown) {
    const char* dev = op.r.device;
    op.Log(LogLevel::kWarning, "a killed operation left %s down for its link check: bringing it up",
           dev);
    Status s = op.host.SetLinkUp(dev, true);
    if (!s.ok() && s.err() != ENODEV) {
      status_ = op.FailStep(s, "bring %s up", dev);
      return;
    }
    op.Log(LogLevel::kInfo, "bring %s up: %s", dev, s.ok() ? "done" : "no such device");
    ClearUnfinished(op, kDeviceDown);
  }
  address_added_ = (left.value() & kAddressAdded) != 0;
}

Status LeftUnfinished::RecordAdding() {
  Status s = op_.host.MarkUnfinished(op_.r.tag, kAddressAdded);
  if (s.ok()) return s;
  return op_.FailRecord(s, "record that %s is being added", IpText(op_.r.address).s);
}

void LeftUnfinished::AddressSettled() {
  ClearUnfinished(op_, status_.ok() ? kAddressAdded : kEveryStep);
  address_added_ = false;
}

void ClearUnfinished(const Op& op, uint32_t steps) {
  Status s = op.host.ClearUnfinished(op.r.tag, steps);
  if (!s.ok()) op.WarnStep(s, "record that %s is finished", op.r.tag);
}

}  // namespace ipres
