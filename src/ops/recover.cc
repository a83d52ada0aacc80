// recover: remove, then restore (spec "Recovery"), under one lock.
#include "ops/common.h"
#include "ops/ops.h"

namespace ipres {

Status Recover(Host& host, const Resource& r) {
  Op op{host, r, "recover"};
  // 1. A physical address is not this node's to take down and up.
  if (r.t.physical) return op.Error("a physical address cannot be recovered");
  if (!r.t.restore_and_recover) {
    op.Log(LogLevel::kInfo, "Restore and Recover is Disable: nothing to do");
    return Status::Ok();
  }
  Status s = LockTag(op);
  if (!s.ok()) return s;
  // 2. Remove; restore only when the address is gone.
  s = RemoveSteps(op);
  if (!s.ok()) return s;
  return RestoreSteps(op);
}

}  // namespace ipres
