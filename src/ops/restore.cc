// SPDX-License-Identifier: Apache-2.0
// restore: bring the resource in service (spec "Bringing a Resource In
// Service"). Steps 2-7 are bring_up.cc's, shared with recover and the
// monitor.
#include "ops/bring_up.h"
#include "ops/op.h"
#include "ops/ops.h"
#include "ops/unfinished.h"
#include "ops/wanted.h"

namespace ipres {

namespace {

// From the lock on, with this restore's word recorded.
Status RestoreUnderWord(const Op& op, const Word& word) {
  TagLock lock(op, LockIntent::kBringUp);
  if (!lock.status().ok()) return lock.status();
  Result<bool> superseded = Superseded(op, word);
  if (!superseded.ok() || superseded.value()) return superseded.status();
  // A remove whose word comes after this may make the restore abandon.
  Status s = AcceptAbandonRequests(op);
  if (!s.ok()) return s;
  LeftUnfinished left(op);
  if (!left.status().ok()) return left.status();
  // 2.-7.
  return RestoreSteps(op, left);
}

}  // namespace

Status Restore(Host& host, const Resource& r) {
  Op op{host, r, "restore"};
  // 1. A physical address is there already; Disable means hands off.
  if (ProtectsPhysicalAddress(op)) return OkStatus();
  if (RestoreAndRecoverDisabled(op)) return OkStatus();
  // The engine's word first, before any wait: a restore killed while it
  // waits for the lock leaves it to the monitor to act on.
  Result<Word> word = RecordWord(op, true);
  if (!word.ok()) return word.status();
  Status s = RestoreUnderWord(op, word.value());
  // Contract "Cluster engines": a restore ended by SIGTERM leaves the
  // address absent, so its word goes too, or the monitor would put the
  // address back. An abandon needs no withdrawal: the remove's later word
  // has replaced this one.
  if (!s.ok() && host.StopSignalled()) WithdrawWord(op, word.value());
  return s;
}

}  // namespace ipres
