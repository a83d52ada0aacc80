// SPDX-License-Identifier: Apache-2.0
#include "ops/periodic_check.h"

#include <errno.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "ops/ops.h"

namespace ipres {
namespace {

// What the check's verdict makes of the tag's record.
CheckRecord NextRecord(const CheckRecord& before, CheckKind kind, const Status& verdict,
                       int64_t now_s) {
  CheckRecord next = before;
  next.last = kind;
  next.last_ok = verdict.ok();
  next.last_at_s = now_s;
  if (verdict.ok()) return next;
  const bool already_failing = before.last != CheckKind::kNone && !before.last_ok;
  next.failed = kind;
  next.failed_at_s = now_s;
  next.failing_since_s = already_failing ? before.failing_since_s : now_s;
  // Cut to fit: the reason is one line of a small record.
  const StatusText reason(verdict);
  const size_t len = strnlen(reason.c_str(), sizeof next.reason - 1);
  memcpy(next.reason, reason.c_str(), len);
  next.reason[len] = '\0';
  return next;
}

// The one line of a pass that changes the tag's result: "ready: yes",
// "quickCheck: passed", or the monitor's "monitor: quickCheck: passed" (its
// check is a quickCheck), with what it was before. Log, not Op::Log: with a
// recorded reason of CheckRecord::kReasonCapacity the line is longer than
// an Op::Log line may be.
void LogPass(const Resource& r, CheckKind kind, const CheckRecord& before) {
  const char* name = CheckKindName(kind);
  const char* what = kind == CheckKind::kMonitor ? "quickCheck: " : "";
  const char* passed = kind == CheckKind::kReady ? "yes" : "passed";
  if (before.last == CheckKind::kNone) {
    Log(LogLevel::kInfo, "%s: %s: %s%s (no earlier check recorded)", r.tag, name, what, passed);
    return;
  }
  if (before.last_ok) {
    Log(LogLevel::kInfo, "%s: %s: %s%s", r.tag, name, what, passed);
    return;
  }
  Log(LogLevel::kInfo, "%s: %s: %s%s (failing since %s: %s: %s)", r.tag, name, what, passed,
      UtcText(before.failing_since_s).s, CheckKindName(before.failed), before.reason);
}

}  // namespace

Status CheckQuietly(Host& host, const Resource& r, CheckKind kind,
                    Status (*steps)(Host& host, const Resource& r), PassLine pass_line) {
  const char* name = CheckKindName(kind);
  Result<CheckRecord> before = host.LastCheck(r.tag);
  // EINVAL is a record ipres did not write; any other error is /run/ipres
  // itself refused or unreadable, which the contract makes exit 1 with
  // nothing done.
  const bool refused = !before.ok() && before.status().err() != EINVAL;
  if (!before.ok()) {
    Log(refused ? LogLevel::kError : LogLevel::kWarning, "%s: %s: read the check record: %s", r.tag,
        name, StatusText(before.status()).c_str());
  }
  if (refused) return before.status();
  const CheckRecord last = before.ok() ? before.value() : CheckRecord();
  LogHold hold;
  Status verdict = steps(host, r);
  if (verdict.ok()) {
    hold.Drop();
  } else {
    hold.Emit();
  }
  // A record ipres did not write stays as it is, for the operator to see.
  if (!before.ok()) return verdict;
  Status recorded = host.RecordCheck(r.tag, NextRecord(last, kind, verdict, host.WallClockS()));
  const bool first = last.last == CheckKind::kNone;
  // Nothing recorded before and nothing can be now (no /run/ipres, /run
  // read-only): a pass has nothing to compare with and nothing to say.
  if (verdict.ok() && first && !recorded.ok()) return verdict;
  if (verdict.ok() && (first || !last.last_ok || pass_line == PassLine::kAlways)) {
    LogPass(r, kind, last);
  }
  if (!recorded.ok()) {
    Log(LogLevel::kWarning, "%s: %s: record the check: %s", r.tag, name,
        StatusText(recorded).c_str());
  }
  return verdict;
}

Status QuickCheck(Host& host, const Resource& r) {
  return CheckQuietly(host, r, CheckKind::kQuickCheck, QuickCheckSteps);
}

Status Ready(Host& host, const Resource& r) {
  return CheckQuietly(host, r, CheckKind::kReady, ReadySteps);
}

}  // namespace ipres
