// SPDX-License-Identifier: Apache-2.0
// recover: remove, then restore (spec "Recovery"), steps 1-2 in the spec's
// order, under one lock. The monitor's recover first asks, under that lock,
// whether it is still needed.
#include "ops/op.h"
#include "ops/ops.h"
#include "ops/periodic_check.h"
#include "ops/remove.h"
#include "ops/restore.h"
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
  if (op.host.StopRequested()) return op.Stopped(StopText::kNothingChanged);
  return false;
}

// A physical address is not this node's to take down and up.
// spec: recover 1
Status CheckProtectedIpAddresses(const Op& op) {
  if (op.r.t.physical) return op.FailCheck("a physical address cannot be recovered");
  return OkStatus();
}

// remove's steps 2-6, then restore's 2-7 when the address is gone, under
// one lock; first, under it, what `unless` asks.
// spec: recover 2
Result<Recovery> PerformRecoveryProcess(const Op& op, Unless unless) {
  const Resource& r = op.r;
  TagLock lock(op, LockIntent::kBringUp);
  IPRES_TRY(lock.status());
  // Asked under the lock: a remove that ran meanwhile has had its say.
  if (unless.not_wanted) {
    Result<bool> wanted = op.host.IsWanted(r.tag);
    if (!wanted.ok())
      return op.FailRecord(wanted.status(), "read whether %s is wanted here", r.tag);
    if (!wanted.value()) {
      op.Log(LogLevel::kInfo, "the last word on %s is not a restore: leaving it", r.tag);
      return Recovery::kNotWanted;
    }
  }
  IPRES_TRY(AcceptAbandonRequests(op));
  LeftUnfinished left(op);
  IPRES_TRY(left.status());
  if (unless.put_back_meanwhile && lock.waited() && !left.address_added()) {
    IPRES_TRY_ASSIGN(const bool back, PutBackMeanwhile(op));
    if (back) return Recovery::kPutBackMeanwhile;
  }
  IPRES_TRY(RemoveSteps(op, left));
  IPRES_TRY(RestoreSteps(op, left));
  return Recovery::kRecovered;
}

Result<Recovery> RecoverUnless(Host& host, const Resource& r, Unless unless) {
  Op op{host, r, "recover"};
  IPRES_TRY(CheckProtectedIpAddresses(op));
  if (RestoreAndRecoverDisabled(op)) return Recovery::kRecovered;
  return PerformRecoveryProcess(op, unless);
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
