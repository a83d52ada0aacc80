// SPDX-License-Identifier: Apache-2.0
// The narrow interface through which the operations see the machine. The
// real implementation (SystemHost) is the only code that opens sockets; unit
// tests give the operations a mock.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/ip_address.h"
#include "base/mac.h"
#include "base/status.h"
#include "net/address.h"
#include "net/arp.h"
#include "net/duplicate_probe.h"
#include "net/icmp.h"
#include "net/net_event.h"

namespace ipres {

struct LinkState {
  int ifindex = 0;
  bool admin_up = false;  // IFF_UP
  // IFF_UP and IFF_RUNNING (operational per RFC 2863: operstate UP or
  // UNKNOWN), not IFF_LOWER_UP (the driver's L1 signal alone); iproute2
  // prints NO-CARRIER for up without IFF_RUNNING.
  bool carrier = false;
};

// Why an operation takes a tag's lock. A take-down preempts a bring-up: it
// asks the process holding the lock for a restore or recover to abandon it
// (the address then ends absent) instead of waiting for it to finish.
enum class LockIntent { kBringUp, kTakeDown };

// What taking a tag's lock found.
struct LockTaken {
  // Another process held the lock when this one asked for it: this one
  // waited for it to let go, and that operation may have changed the
  // resource meanwhile.
  bool waited = false;
  // A take-down's request made the bring-up holding the lock give up.
  bool abandoned = false;
};

// Changes an operation makes that a later step must undo or complete. Each
// is recorded in the tag's state before it is made and cleared once that
// step is done, so the next operation on the tag finds what a killed
// process left half done.
// Another host's claim on a held address that stands (contract "Conflicts
// while holding"), as the monitor records it for quickCheck and the engines.
struct Conflict {
  MacAddress claimant;
  int64_t stands_until_ms = 0;  // on NowMs's clock; 0: no conflict recorded
};

// Which operation spoke last on a tag, and the generation it drew (unique
// to that operation): an operation that finds another generation once it
// holds the lock was superseded by a later word.
enum class WordKind { kNone, kRestore, kRemove };
struct Word {
  WordKind kind = WordKind::kNone;
  uint64_t generation = 0;  // 0 with kNone
  int writer = 0;           // the process that recorded it (0: unknown)
  // That process still runs (as LastWord found it): its operation will see
  // the word through, so the monitor waits for it rather than race it.
  bool writer_running = false;
  bool operator==(const Word& o) const { return kind == o.kind && generation == o.generation; }
  bool operator!=(const Word& o) const { return !(*this == o); }
};

// The periodic checks whose results a tag's check record keeps (contract
// "Binary": they log only what changed since the tag's last result).
enum class CheckKind : uint8_t { kNone, kReady, kQuickCheck, kMonitor };
// "ready", "quickCheck", "monitor" ("none" for kNone), as records and
// status name them.
const char* CheckKindName(CheckKind kind);

// The tag's last check and its last failure, as `ipres status` shows them.
// Times are wall-clock seconds since the epoch: an operator compares them
// with syslog's, and they mean the same to every process.
struct CheckRecord {
  static constexpr size_t kReasonCapacity = 256;
  CheckKind last = CheckKind::kNone;  // kNone: no check recorded yet
  bool last_ok = false;
  int64_t last_at_s = 0;
  // The latest failure (failed_at_s 0: none yet), and when the run of
  // failures it belongs to began.
  CheckKind failed = CheckKind::kNone;
  int64_t failed_at_s = 0;
  int64_t failing_since_s = 0;
  char reason[kReasonCapacity] = {};  // one line of printable ASCII
};

enum UnfinishedStep : uint32_t {
  kDeviceDown = 1u << 0,    // restore's link bounce took the device down
  kAddressAdded = 1u << 1,  // restore added the address, not yet in service
  kEveryStep = ~0u,         // clears the record whatever it holds
};

class Host {
 public:
  // Link. A missing device is an error (ENODEV).
  virtual Result<LinkState> LinkStateOf(const char* device) = 0;
  virtual Status SetAdminUp(const char* device, bool up) = 0;
  // True as soon as the device is up with carrier; false when timeout_ms ran out.
  virtual Result<bool> CarrierWithin(const char* device, uint32_t timeout_ms) = 0;
  // The device a macvlan (keepalived's VMAC) sits on: true with its name in
  // `base` (kIfNameCapacity bytes); false when `device` is no macvlan.
  virtual Result<bool> BaseDevice(const char* device, char* base) = 0;

  // Hands the visitor every address of family af (AF_INET, AF_INET6) of one
  // device, or of the whole node when device is nullptr, one at a time as
  // the kernel's dump delivers them.
  virtual Status ReadAddresses(int af, const char* device, AddressVisitor& visitor) = 0;
  // An IPv4 address with its subnet's broadcast; an IPv6 one without DAD,
  // preferred or deprecated as `use` says.
  virtual Status AssignAddress(const char* device, const IpAddress& address, uint8_t prefix,
                               SourceUse use) = 0;
  // An IPv6 address already there made preferred or deprecated, as
  // AssignAddress would have added it.
  virtual Status SetSourceUse(const char* device, const IpAddress& address, uint8_t prefix,
                              SourceUse use) = 0;
  virtual Status RemoveAddress(const char* device, const IpAddress& address, uint8_t prefix) = 0;

  virtual Status ForgetNeighbours(const char* device) = 0;
  virtual Status ArpAnnounce(const char* device, Ipv4 address, Ipv4 target, GarpKind kind) = 0;
  // One unsolicited Neighbor Advertisement for `address` to all nodes,
  // Override set, with the device's MAC (RFC 4861 7.2.6).
  virtual Status NdpAnnounce(const char* device, const Ipv6& address) = 0;

  // Routes: the connected subnet route's preferred source (unspecified: none).
  virtual Status SetSubnetSource(const char* device, const IpAddress& network, uint8_t prefix,
                                 const IpAddress& source) = 0;
  // That route's preferred source (unspecified: none); ESRCH without the route.
  virtual Result<IpAddress> SubnetSource(const char* device, const IpAddress& network,
                                         uint8_t prefix) = 0;
  // Recreates the connected subnet route with `source` when the device has
  // none (the kernel drops it with the address that was its source).
  virtual Status ReinstateSubnetRoute(const char* device, const IpAddress& network, uint8_t prefix,
                                      const IpAddress& source) = 0;
  // Deletes the local host route of an address if the kernel left it behind.
  virtual Status DropLocalRoute(const char* device, const IpAddress& address) = 0;
  // Best effort, as the spec says: the route cache of af.
  virtual void InvalidateRouteCache(int af) = 0;

  // An echo (ICMP or ICMPv6) from `source` (unspecified: none bound) and a
  // probe for `address` (an RFC 5227 ARP probe; for IPv6 an RFC 4862
  // Neighbor Solicitation from ::), both in one window of window_ms.
  virtual Result<Duplicate> CheckDuplicate(const char* device, const IpAddress& source,
                                           const IpAddress& address, uint32_t window_ms) = 0;
  // One connectivity-check window (see PingWindow). Replies from any address
  // of this node never count.
  virtual Result<PingOutcome> Ping(const PingWindow& window) = 0;

  // The monitor's watch for other hosts claiming `address` on `device`
  // (contract "Conflicts while holding"): their claims come out of
  // NextEvent as kClaimed events, never for a MAC of this node's. Kept
  // open between calls; a device made again under its name is followed.
  virtual Status WatchClaims(const char* device, const IpAddress& address) = 0;
  // Watches, then sends one probe for the address (an RFC 5227 ARP probe;
  // for IPv6 a duplicate-address Neighbor Solicitation from ::) and waits
  // up to window_ms for another host to answer it: a holder that announces
  // nothing. True with its MAC in *claimant; a claim that arrives in the
  // window counts the same.
  virtual Result<bool> ProbeClaims(const char* device, const IpAddress& address, uint32_t window_ms,
                                   MacAddress* claimant) = 0;

  // A claim of `address` that reached its watch and was not told yet, taken
  // without waiting: true with the claimant. The monitor asks before it
  // blames a failed check on the network, since a claim that came while the
  // check ran may be why.
  virtual Result<bool> TakeClaim(const IpAddress& address, MacAddress* claimant) = 0;

  // Link and address events, and kWordChanged when a tag's last word was
  // recorded (by any process): subscribe once, then take them one at a time.
  // kTimeout when timeout_ms passed without one; kEventsLost when the kernel
  // dropped some (read the state afresh). EINTR (a stop) is an error.
  // IPv6 address events only when `ipv6` (a resource of that family is
  // watched): a node's SLAAC refreshes must not wake an IPv4 monitor.
  virtual Status WatchEvents(bool ipv6) = 0;
  virtual Result<NetEvent> NextEvent(uint32_t timeout_ms) = 0;

  // Serialises operations on one tag across processes (the kernel releases
  // the lock if the process dies). One lock at a time per process. A
  // take-down that finds a bring-up accepting abandon requests holding the
  // lock asks it to abandon before it waits. LockTaken says whether it waited and whether
  // the bring-up gave up at the request.
  virtual Result<LockTaken> LockTag(const char* tag, LockIntent intent) = 0;
  // The bring-up holding the lock may be asked to abandon from now until
  // UnlockTag; before, and for anything but a bring-up, a request is ignored.
  // An error when that cannot be recorded (a take-down would then wait).
  virtual Status AcceptAbandonRequests() = 0;
  virtual void UnlockTag() = 0;
  // The engine's last word on the tag (contract "The last word wins"):
  // recorded by restore (wanted) and remove (not) before they wait for
  // anything, the tag's lock included, each under a generation of its own;
  // the record renamed into place last is the latest word. Kept under /run,
  // so a reboot forgets it. A remove that cannot write its record (no room)
  // deletes it instead: no word. An error when it cannot be recorded or read
  // (a record ipres did not write).
  virtual Result<Word> RecordWord(const char* tag, bool wanted) = 0;
  virtual Result<Word> LastWord(const char* tag) = 0;
  // Deletes the tag's word if it is still `mine` (compared in the writers'
  // turn, so a later word is never lost): a restore stopped by signal
  // leaves no word for the monitor to act on. A later word is success.
  virtual Status WithdrawWord(const char* tag, const Word& mine) = 0;
  // Whether the last word was a restore: held here after a restore, not
  // after a remove nor before any word.
  Result<bool> IsWanted(const char* tag) {
    Result<Word> word = LastWord(tag);
    if (!word.ok()) return word.status();
    return word.value().kind == WordKind::kRestore;
  }
  // The UnfinishedStep bits recorded for the tag (0: none), under its lock.
  // Marking fails when it cannot be recorded: the step must not be taken.
  virtual Status MarkUnfinished(const char* tag, uint32_t steps) = 0;
  virtual Status ClearUnfinished(const char* tag, uint32_t steps) = 0;
  virtual Result<uint32_t> Unfinished(const char* tag) = 0;
  // The standing conflict: written whole by the monitor watching the tag,
  // read by quickCheck (none recorded: stands_until_ms 0). An error when it
  // cannot be written or read (a record ipres did not write).
  virtual Status RecordConflict(const char* tag, const Conflict& conflict) = 0;
  virtual Result<Conflict> RecordedConflict(const char* tag) = 0;
  // The tag's check record: written whole by each periodic check, read by
  // the next and by status, without privilege and without making
  // /run/ipres (none recorded: CheckKind::kNone). An error when it cannot be
  // written or read (a record ipres did not write).
  virtual Status RecordCheck(const char* tag, const CheckRecord& record) = 0;
  virtual Result<CheckRecord> LastCheck(const char* tag) = 0;
  // True once the process was asked to stop (SIGTERM, SIGINT), or a
  // take-down asked it to abandon the bring-up it holds the lock for: the
  // operation must leave the resource in a defined state and return.
  virtual bool StopRequested() = 0;
  // Only the signal (SIGTERM, SIGINT), not an abandon request.
  virtual bool StopSignalled() = 0;

  virtual int64_t NowMs() = 0;
  // Wall-clock seconds since the epoch, for the check record.
  virtual int64_t WallClockS() = 0;
  // Sleeps up to ms; returns early when a stop is requested.
  virtual void SleepMs(uint32_t ms) = 0;
  // A random delay in [0, limit_ms]: two nodes that failed together must
  // not retry in step.
  virtual uint32_t JitterMs(uint32_t limit_ms) = 0;

 protected:
  ~Host() = default;
};

}  // namespace ipres
