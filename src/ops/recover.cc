// recover: remove, then restore (spec "Recovery"), under one lock.
#include "ops/bring_up.h"
#include "ops/op.h"
#include "ops/ops.h"
#include "ops/take_down.h"
#include "ops/unfinished.h"
#include "ops/wanted.h"

namespace ipres {

namespace {

enum class Unless { kNothing, kNotWanted };

Status RecoverUnless(Host& host, const Resource& r, Unless unless) {
  Op op{host, r, "recover"};
  // 1. A physical address is not this node's to take down and up.
  if (r.t.physical) return op.Error("a physical address cannot be recovered");
  if (RestoreAndRecoverDisabled(op)) return OkStatus();
  TagLock lock(op, LockIntent::kBringUp);
  if (!lock.status().ok()) return lock.status();
  // Asked under the lock: a remove that ran meanwhile has had its say.
  if (unless == Unless::kNotWanted) {
    Result<bool> wanted = host.IsWanted(r.tag);
    if (!wanted.ok())
      return op.FailedWith(wanted.status(), "read whether %s is wanted here", r.tag);
    if (!wanted.value()) {
      op.Log(LogLevel::kInfo, "%s was removed here since: leaving it", r.tag);
      return OkStatus();
    }
  }
  Status s = AcceptAbandonRequests(op);
  if (!s.ok()) return s;
  LeftUnfinished left(op);
  if (!left.status().ok()) return left.status();
  // 2. Remove; restore only when the address is gone.
  s = RemoveSteps(op, left);
  if (!s.ok()) return s;
  return RestoreSteps(op, left);
}

}  // namespace

Status Recover(Host& host, const Resource& r) {
  return RecoverUnless(host, r, Unless::kNothing);
}

Status RecoverIfWanted(Host& host, const Resource& r) {
  return RecoverUnless(host, r, Unless::kNotWanted);
}

}  // namespace ipres
