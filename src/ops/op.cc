// SPDX-License-Identifier: Apache-2.0
#include "ops/op.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/text_fields.h"

namespace ipres {

void Op::Log(LogLevel level, const char* fmt, ...) const {
  char text[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  ipres::Log(level, "%s: %s: %s", r.tag, name, text);
}

Status Op::LogFailedStep(LogLevel level, const Status& cause, bool with_context, const char* fmt,
                         va_list ap) const {
  char step[Status::kMessageCapacity];
  vsnprintf(step, sizeof step, fmt, ap);
  Status s = cause.err() == 0 ? Status::Fail("%s: failed: %s", step, cause.context())
             : with_context   ? Status::Errno(cause.err(), "%s: failed: %s", step, cause.context())
                              : Status::Errno(cause.err(), "%s: failed", step);
  Log(level, "%s", StatusText(s).c_str());
  return s;
}

Status Op::FailStep(const Status& cause, const char* fmt, ...) const {
  va_list ap;
  va_start(ap, fmt);
  Status s = LogFailedStep(LogLevel::kError, cause, false, fmt, ap);
  va_end(ap);
  return s;
}

Status Op::FailRecord(const Status& cause, const char* fmt, ...) const {
  va_list ap;
  va_start(ap, fmt);
  Status s = LogFailedStep(LogLevel::kError, cause, true, fmt, ap);
  va_end(ap);
  return s;
}

void Op::WarnStep(const Status& cause, const char* fmt, ...) const {
  va_list ap;
  va_start(ap, fmt);
  LogFailedStep(LogLevel::kWarning, cause, true, fmt, ap)
      .IgnoreError("a warning: logged, and the operation goes on");
  va_end(ap);
}

Status Op::FailCheck(const char* fmt, ...) const {
  char text[Status::kMessageCapacity];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  Log(LogLevel::kError, "%s", text);
  return Status::Fail("%s", text);
}

const char* StopTextOf(StopText where) {
  switch (where) {
    case StopText::kBeforeAdding:
      return "stopped by signal before adding the address";
    case StopText::kAddressRemoved:
      return "stopped by signal, address removed";
    case StopText::kNothingChanged:
      return "stopped by signal: nothing changed";
    case StopText::kLinkCheck:
      return "link check: stopped by signal";
    case StopText::kConnectivityCheck:
      return "connectivity check: stopped by signal";
    case StopText::kStopped:
      break;
  }
  return "stopped by signal";
}

Status Op::Stopped(StopText where) const {
  return FailCheck("%s", StopTextOf(where));
}

bool ProtectsPhysicalAddress(const Op& op) {
  if (!op.r.t.physical) return false;
  op.Log(LogLevel::kInfo, "physical address: nothing to do");
  return true;
}

bool RestoreAndRecoverDisabled(const Op& op) {
  if (op.r.t.restore_and_recover) return false;
  op.Log(LogLevel::kInfo, "Restore and Recover is Disable: nothing to do");
  return true;
}

SecondsText::SecondsText(uint32_t ms) {
  FormatSeconds(ms, s, sizeof s);
}

TagLock::TagLock(const Op& op, LockIntent intent) : op_(op) {
  Result<LockTaken> locked = op.host.LockTag(op.r.tag, intent);
  if (!locked.ok()) {
    status_ = op.FailRecord(locked.status(), "lock %s", op.r.tag);
    return;
  }
  waited_ = locked.value().waited;
  if (locked.value().abandoned) {
    op.Log(LogLevel::kInfo, "lock: a restore was running; it abandoned at this remove's request");
  }
}

TagLock::~TagLock() {
  if (status_.ok()) op_.host.UnlockTag();
}

}  // namespace ipres
