// What more than one operation shares: the context every step logs through,
// the device's addresses, the link and connectivity checks, and the steps
// recover borrows from remove and restore. Internal to ops/.
#pragma once

#include <stdarg.h>
#include <stdint.h>

#include "base/ipv4.h"
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
  Status FailedStep(const Status& cause, bool with_context, const char* fmt, va_list ap) const;
};

// Text for log lines, valid until the end of the statement that made it.
struct IpText {
  explicit IpText(Ipv4 a) { FormatIpv4(a, s); }
  char s[16];
};
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

 private:
  const Op& op_;
  Status status_;
};

// What the device's addresses say about the resource, read in one pass
// however many the device holds.
struct DeviceView {
  // The protected address is on the device, with any prefix length (as the
  // spec's `ip -4 -o addr show dev DEV` test reads it); `prefix` is the one
  // it carries there.
  bool present = false;
  uint8_t prefix = 0;
  // The first primary address that is not the protected one, preferring the
  // protected subnet; 0.0.0.0 when there is none.
  Ipv4 physical;
  bool physical_in_subnet = false;
};
// The Host's error as it is (not logged): callers differ on ENODEV.
Result<DeviceView> ReadDevice(const Op& op);

// "Link down" is not up or no carrier. kOnce takes a down device down and up
// once and waits up to IP_MAX_LINKCHK for carrier; the device is always
// brought back up once it was taken down, even when a stop is requested.
enum class Bounce { kNo, kOnce };
Status CheckLink(const Op& op, Bounce bounce);

// quickCheck's limit on the whole check.
struct Deadline {
  int64_t at_ms;
  uint32_t timeout_ms;
};
// False when PINGLIST is empty and NOBCASTPING=1: the check sends nothing.
bool ConnectivityCheckPings(const Tunables& t);
// Up to IP_PINGTRIES attempts of: the PINGLIST at once, then (unless
// NOBCASTPING) the subnet broadcast, replies from this node's own addresses
// excluded. An echo that cannot be sent is no reply. A stop request ends it
// with an error after any window.
Status CheckConnectivity(const Op& op, Ipv4 source, const Deadline* deadline);

// Records what this node was told about the tag (restore: wanted, remove:
// not). A failure is the operation's: logged, then returned, so the caller
// fails before it changes anything.
Status RecordWanted(const Op& op, bool wanted);
// From here until the lock is released a remove may make this bring-up
// abandon. A failure to record that is logged, then returned.
Status AcceptAbandonRequests(const Op& op);

// The four gratuitous ARPs of restore (-U and -A to the address, then to the
// subnet broadcast). False when any could not be sent (each is logged).
bool AnnounceAddress(const Op& op);

// What a killed operation on the tag left half done, for a caller holding
// the lock: a device its bounce left down is brought up here. Returns the
// UnfinishedStep bits left to the caller (kAddressAdded).
Result<uint32_t> RepairUnfinished(const Op& op);
// The steps are done; a failure to record that is logged only (a stale
// record costs the next operation a harmless repeat).
void ClearUnfinished(const Op& op, uint32_t steps);

// remove's steps 2-6 and restore's steps 2-7, for a caller holding the lock.
// `left`: what RepairUnfinished returned (an address a killed restore added
// is taken off again when it does not pass the checks).
Status RemoveSteps(const Op& op);
Status RestoreSteps(const Op& op, uint32_t left);
// remove's steps 3-6 for an address that `dev` found present: the route
// source back to the subnet's physical address (none: no source), delete
// the address with the prefix it carries, its host route and the route
// cache. The delete's result.
Status TakeDown(const Op& op, const DeviceView& dev);

}  // namespace ipres
