// SPDX-License-Identifier: Apache-2.0
#include "ops/monitor_word.h"

#include "ops/device_view.h"
#include "ops/monitor_op.h"
#include "ops/remove.h"
#include "ops/restore.h"
#include "ops/unfinished.h"
#include "ops/wanted.h"

namespace ipres {

Word LastWordOf(Host& host, const Resource& r, bool* readable) {
  Result<Word> word = host.LastWord(r.tag);
  if (readable) *readable = word.ok();
  if (word.ok()) return word.value();
  MonitorOp(host, r).Log(LogLevel::kError, "%s: not looking after it",
                         StatusText(word.status()).c_str());
  return Word();
}

void FinishUnfinished(Host& host, const Resource& r) {
  Result<uint32_t> recorded = host.Unfinished(r.tag);
  if (recorded.ok() && recorded.value() == 0) return;
  const Op op = MonitorOp(host, r);
  TagLock lock(op, LockIntent::kBringUp);
  if (!lock.status().ok()) return;
  LeftUnfinished left(op);
  if (!left.status().ok() || !left.address_added()) return;
  op.Log(LogLevel::kWarning, "a killed operation added %s and did not finish: finishing it",
         IpText(r.address).s);
  if (LastWordOf(host, r).kind != WordKind::kRestore) {
    RemoveSteps(op, left).IgnoreError("logged; the quickCheck that follows judges the result");
  } else if (AcceptAbandonRequests(op).ok()) {
    RestoreSteps(op, left).IgnoreError("logged; the quickCheck that follows judges the result");
  }
}

void TakeDownAfterRemove(Host& host, const Resource& r) {
  const Op op = MonitorOp(host, r);
  TagLock lock(op, LockIntent::kTakeDown);
  if (!lock.status().ok()) return;
  // Asked under the lock: a restore may have spoken since.
  if (LastWordOf(host, r).kind == WordKind::kRestore) return;
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok() || !dev.value().present) return;
  op.Log(LogLevel::kWarning,
         "the last word is remove and %s is still on %s (that remove was "
         "killed): taking it down",
         IpText(r.address).s, r.device);
  LeftUnfinished left(op);
  RemoveSteps(op, left).IgnoreError("logged; a remove's exit status is nobody's here");
}

}  // namespace ipres
