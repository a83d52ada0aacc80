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

// Where a stop request (SIGTERM) ended an operation; each text is written
// once, in StopTextOf (op.cc).
enum class StopText {
  kStopped,            // the bare text: no more said
  kBeforeAdding,       // restore, before its add
  kAddressRemoved,     // restore, after taking its address off again
  kNothingChanged,     // the monitor's recover, before taking anything down
  kLinkCheck,          // during the link check's bounce
  kConnectivityCheck,  // after a connectivity check's ping window
};
const char* StopTextOf(StopText where);

// One operation on one resource. Every line it logs starts "TAG: NAME: ".
struct Op {
  Host& host;
  const Resource& r;
  const char* name;

  void Log(LogLevel level, const char* fmt, ...) const __attribute__((format(printf, 3, 4)));

  // How a step reports a failure; each logs one line, then returns the
  // Status it logged (but WarnStep). Which one:
  // - FailCheck: nothing failed underneath, a check did not pass (link down,
  //   address in use, no reply): "TEXT", no errno.
  // - FailStep: a Host call of the step failed (an add, a route, a read of
  //   the device): "STEP: failed" and the errno; when the cause has no
  //   errno (a Host check that did not pass), "STEP: failed: CONTEXT".
  // - FailRecord: a read or write of the tag's records (lock, word,
  //   unfinished, conflict) failed: "STEP: failed: CONTEXT: errno text",
  //   the cause's context naming the file.
  // - WarnStep: a Host call failed but the operation goes on as if it had
  //   not (announcements, route cleanup): FailRecord's text as a warning,
  //   nothing returned.
  Status FailCheck(const char* fmt, ...) const __attribute__((format(printf, 2, 3)));
  Status FailStep(const Status& cause, const char* fmt, ...) const
      __attribute__((format(printf, 3, 4)));
  Status FailRecord(const Status& cause, const char* fmt, ...) const
      __attribute__((format(printf, 3, 4)));
  void WarnStep(const Status& cause, const char* fmt, ...) const
      __attribute__((format(printf, 3, 4)));
  // A stop request (SIGTERM) ends the operation here: StopText's text,
  // logged and returned as FailCheck does.
  Status Stopped(StopText where) const;

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
