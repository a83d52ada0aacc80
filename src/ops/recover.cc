// SPDX-License-Identifier: Apache-2.0
// recover: remove, then restore (spec "Recovery"), under one lock. The
// monitor's recover first asks, under that lock, whether it is still needed.
#include "ops/bring_up.h"
#include "ops/op.h"
#include "ops/ops.h"
#include "ops/periodic_check.h"
#include "ops/take_down.h"
#include "ops/unfinished.h"
#include "ops/wanted.h"

namespace ipres {

namespace {

// What the monitor's recover asks under the lock before it takes anything
// down; `ipres recover` asks nothing (an explicit order).
struct Unless {
  bool not_wanted = false;          // the last word is not a restore
  bool put_back_meanwhile = false;  // the lock's last holder put it back in service
};

// Another operation held the lock when this recover asked for it (a restore:
// an engine's, the mdev hook's, an operator's) and may have put the resource
// back in service while this one waited: judged as quickCheck judges it, as
// the monitor's failed quickCheck did. Only after a wait: otherwise nothing
// changed since that quickCheck, and checking again would only double the
// time a broken resource waits. Never when a killed restore left its add
// unfinished (the recover completes or undoes that). True: leave it.
Result<bool> PutBackMeanwhile(const Op& op) {
  op.Log(LogLevel::kInfo, "lock: another operation held it: checking again as quickCheck does");
  if (QuickCheckSteps(op.host, op.r).ok()) {
    op.Log(LogLevel::kInfo, "%s put back in service by another operation meanwhile: leaving it",
           IpText(op.r.address).s);
    return true;
  }
  // A stop cut the check short: what it would have found is not known.
  if (op.host.StopRequested()) return op.FailCheck("stopped by signal: nothing changed");
  return false;
}

Result<Recovery> RecoverUnless(Host& host, const Resource& r, Unless unless) {
  Op op{host, r, "recover"};
  // 1. A physical address is not this node's to take down and up.
  if (r.t.physical) return op.FailCheck("a physical address cannot be recovered");
  if (RestoreAndRecoverDisabled(op)) return Recovery::kRecovered;
  TagLock lock(op, LockIntent::kBringUp);
  if (!lock.status().ok()) return lock.status();
  // Asked under the lock: a remove that ran meanwhile has had its say.
  if (unless.not_wanted) {
    Result<bool> wanted = host.IsWanted(r.tag);
    if (!wanted.ok())
      return op.FailRecord(wanted.status(), "read whether %s is wanted here", r.tag);
    if (!wanted.value()) {
      op.Log(LogLevel::kInfo, "the last word on %s is not a restore: leaving it", r.tag);
      return Recovery::kNotWanted;
    }
  }
  Status s = AcceptAbandonRequests(op);
  if (!s.ok()) return s;
  LeftUnfinished left(op);
  if (!left.status().ok()) return left.status();
  if (unless.put_back_meanwhile && lock.waited() && !left.address_added()) {
    Result<bool> back = PutBackMeanwhile(op);
    if (!back.ok()) return back.status();
    if (back.value()) return Recovery::kPutBackMeanwhile;
  }
  // 2. Remove; restore only when the address is gone.
  s = RemoveSteps(op, left);
  if (!s.ok()) return s;
  s = RestoreSteps(op, left);
  if (!s.ok()) return s;
  return Recovery::kRecovered;
}

}  // namespace

Status Recover(Host& host, const Resource& r) {
  return RecoverUnless(host, r, Unless{}).status();
}

Result<Recovery> RecoverForMonitor(Host& host, const Resource& r) {
  Unless unless;
  unless.not_wanted = true;
  unless.put_back_meanwhile = true;
  return RecoverUnless(host, r, unless);
}

}  // namespace ipres
