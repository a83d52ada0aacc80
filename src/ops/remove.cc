// SPDX-License-Identifier: Apache-2.0
// remove: take the resource out of service (spec "Taking a Resource Out of
// Service"). Steps 2-6 are take_down.cc's, shared with recover and restore.
// Once the address is there it is deleted whatever else fails.
#include "ops/op.h"
#include "ops/ops.h"
#include "ops/take_down.h"
#include "ops/unfinished.h"
#include "ops/wanted.h"

namespace ipres {

Status Remove(Host& host, const Resource& r) {
  Op op{host, r, "remove"};
  // 1. A physical address is never taken away.
  if (ProtectsPhysicalAddress(op)) return OkStatus();
  // The engine's word first, before any wait: a remove killed while it
  // waits for the lock leaves it to the monitor to act on.
  Result<Word> word = RecordWord(op, false);
  if (!word.ok()) return word.status();
  TagLock lock(op, LockIntent::kTakeDown);
  if (!lock.status().ok()) return lock.status();
  Result<bool> superseded = Superseded(op, word.value());
  if (!superseded.ok() || superseded.value()) return superseded.status();
  // What a killed operation left (its device down) is repaired first; the
  // address goes even when that fails.
  LeftUnfinished left(op);
  // 2.-6.
  return RemoveSteps(op, left);
}

}  // namespace ipres
