// SPDX-License-Identifier: Apache-2.0
// The context every step of an operation runs in: the Host, the resource,
// and the log lines that name both. Internal to ops/.
#pragma once

#include <stdarg.h>
#include <stdint.h>

#include "base/ip_address.h"
#include "base/log.h"
#include "base/status.h"
#include "config/resource.h"
#include "host/host.h"

namespace ipres {

// One operation on one resource. Every line it logs starts "TAG: NAME: ".
struct Op {
  Host& host;
  const Resource& r;
  const char* name;

  void Log(LogLevel level, const char* fmt, ...) const __attribute__((format(printf, 3, 4)));
  // A failed step: "STEP: failed" with cause's errno, or with cause's context
  // when it has none (a Host check that did not pass). Logged, then returned.
  Status Failed(const Status& cause, const char* fmt, ...) const
      __attribute__((format(printf, 3, 4)));
  // A failed step whose cause's context says where it failed (the path of a
  // state file): "STEP: failed: CONTEXT: errno text". Logged, then returned.
  Status FailedWith(const Status& cause, const char* fmt, ...) const
      __attribute__((format(printf, 3, 4)));
  // A check that did not pass; logged, then returned.
  Status Error(const char* fmt, ...) const __attribute__((format(printf, 2, 3)));
  // A failed step that changes nothing for the operation: logged as Failed's
  // text would be, as a warning, and nothing returned.
  void Warn(const Status& cause, const char* fmt, ...) const __attribute__((format(printf, 3, 4)));

 private:
  Status LogFailedStep(LogLevel level, const Status& cause, bool with_context, const char* fmt,
                       va_list ap) const;
};

// A PHYSICAL resource protects the node's own address: restore and remove
// end here with success (spec step 1). Logged when so.
bool ProtectsPhysicalAddress(const Op& op);
// [Restore and Recover] set to Disable: restore, recover and quickCheck end
// here with success (spec "Checking protected IP addresses", "Monitoring").
// Logged when so.
bool RestoreAndRecoverDisabled(const Op& op);

// Text for log lines, valid until the end of the statement that made it
// (IpText, for addresses, is base/ip_address.h's).
struct SecondsText {
  explicit SecondsText(uint32_t ms);
  char s[16];
};

// Holds the tag's lock for one operation; check status() before going on.
class TagLock {
 public:
  TagLock(const Op& op, LockIntent intent);
  ~TagLock();
  TagLock(const TagLock&) = delete;
  TagLock& operator=(const TagLock&) = delete;
  const Status& status() const { return status_; }
  // Another process held the lock first: this operation waited for it.
  bool waited() const { return waited_; }

 private:
  const Op& op_;
  Status status_;
  bool waited_ = false;
};

}  // namespace ipres
