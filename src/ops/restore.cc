// SPDX-License-Identifier: Apache-2.0
// restore: bring the resource in service (spec "Bringing a Resource In
// Service"), steps 1-7 in the spec's order. Steps 2-7 (RestoreSteps) are
// also recover's second half and the monitor's finishing of an add a killed
// restore left. Once they have added the address, they either end with it
// in service or take it away again: a failed step or a stop request after
// the add never leaves it half in service.
#include "ops/restore.h"

#include <errno.h>

#include "ops/announce.h"
#include "ops/connectivity_check.h"
#include "ops/device_view.h"
#include "ops/link_check.h"
#include "ops/ops.h"
#include "ops/remove.h"
#include "ops/wanted.h"

namespace ipres {
namespace {

// The node's own connections keep its physical address as their source
// (contract, "IPv6 resources"): IPv4 adds the address as a secondary of the
// node's own, which the kernel does not pick; an IPv6 one with
// SOURCE_ADDRESS=0 is added deprecated, which it picks for a new connection
// only when the node has no preferred address of that scope. With
// SOURCE_ADDRESS=1 the prefix route's src makes it the source.
SourceUse SourceUseOf(const Resource& r) {
  return r.address.is_v6() && !r.t.source_address ? SourceUse::kDeprecated : SourceUse::kPreferred;
}

// Steps 6 and 7, below; step 3 runs them on an address it finds there.
Status PutInService(const Op& op);

// A physical address is there already; Disable means hands off. True: the
// restore ends here with success.
// spec: restore 1
bool CheckProtectedIpAddresses(const Op& op) {
  return ProtectsPhysicalAddress(op) || RestoreAndRecoverDisabled(op);
}

// With one down/up bounce of a device that is down.
// spec: restore 2
Status CheckLinkStatus(const Op& op) {
  return CheckLink(op, Bounce::kOnce);
}

// An IPv6 address found preferred where SOURCE_ADDRESS=0 wants it
// deprecated (added by hand, or by an older ipres), or the other way round,
// is made as step 5 adds it: until then the node's own new connections
// would leave from it and break when it moves. Only when it differs, since
// the kernel reports each change as a new address. The address works
// either way, so a refusal is a warning.
void CompleteSourceUse(const Op& op, const DeviceView& dev) {
  const Resource& r = op.r;
  const SourceUse want = SourceUseOf(r);
  if (!r.address.is_v6() || dev.deprecated == (want == SourceUse::kDeprecated)) return;
  const char* use = want == SourceUse::kDeprecated ? "deprecated" : "preferred";
  Status s = op.host.ReplaceAddress(r.device, r.address, dev.prefix, want);
  if (s.ok()) {
    op.Log(LogLevel::kInfo, "make %s/%u on %s %s: done", IpText(r.address).s, dev.prefix, r.device,
           use);
  } else {
    op.WarnStep(s, "make %s/%u on %s %s", IpText(r.address).s, dev.prefix, r.device, use);
  }
}

// An address already there is completed (a restore killed after its add
// may have left the route source or the announcements undone; both are
// harmless to repeat; its source use is set as the add sets it) and judged
// as quickCheck judges it (its link check is step 2's, just made), and left
// there, unless a killed restore added it: that one is taken off again, as
// the killed restore would have.
Status CompleteFound(const Op& op, const DeviceView& dev, LeftUnfinished& left) {
  const Resource& r = op.r;
  op.Log(LogLevel::kInfo, "%s already on %s: completing it and checking it as quickCheck does",
         IpText(r.address).s, r.device);
  // Announced only once it is usable: overriding neighbours' entries for
  // an address the kernel found held elsewhere would take it from its
  // holder.
  Status s = CheckUsable(op, dev);
  if (s.ok()) {
    CompleteSourceUse(op, dev);
    FlushAndAnnounce(op);
    s = PutInService(op);
  }
  const bool stopped = op.host.StopRequested();
  if (s.ok() || (!stopped && !left.address_added())) {
    if (s.ok()) left.AddressSettled();
    return s;
  }
  // The contract holds for an address found here too: a restore ended by
  // SIGTERM leaves it absent, so the engine never sees it half owned.
  op.Log(LogLevel::kWarning, "%s: taking %s off %s",
         stopped ? StopTextOf(StopText::kStopped) : "a killed restore added it",
         IpText(r.address).s, r.device);
  IPRES_TRY(TakeDown(op, dev));
  left.AddressSettled();
  return stopped ? op.Stopped(StopText::kAddressRemoved) : s;
}

// Reads the device into `dev`. An address already there is completed and
// judged (CompleteFound), and the restore ends with that result; else OK,
// and the steps go on.
// spec: restore 3
Status PreConfirmAssignmentStatus(const Op& op, LeftUnfinished& left, DeviceView& dev) {
  Result<DeviceView> read = ReadDevice(op);
  if (!read.ok()) return op.FailStep(read.status(), "read addresses of %s", op.r.device);
  dev = read.value();
  if (!dev.present) return OkStatus();
  return CompleteFound(op, dev, left);
}

// Anyone answering for the address, by ICMP from the physical address or
// by ARP, holds it already. Under preemption the old holder is often still
// letting go when this restore starts, so an answer is checked again, each
// check a whole IP_PINGTIMEOUT window apart, before it counts.
constexpr int kDuplicateRechecks = 3;

const char* DuplicateAnswerText(Duplicate answer, const IpAddress& address) {
  switch (answer) {
    case Duplicate::kIcmpReply:
      return address.is_v6() ? "ICMPv6 echo" : "ICMP echo";
    case Duplicate::kArpReply:
      return "ARP";
    case Duplicate::kNdpAnswer:
      return "neighbour discovery";
    case Duplicate::kNone:
      break;
  }
  return "nothing";
}

// spec: restore 4
Status CheckDuplication(const Op& op, const IpAddress& physical) {
  const Resource& r = op.r;
  if (r.t.no_ip_unique) {
    op.Log(LogLevel::kInfo, "duplicate check: skipped (NOIPUNIQUE=1)");
    return OkStatus();
  }
  for (int check = 0;; ++check) {
    const int64_t started = op.host.NowMs();
    Result<Duplicate> seen =
        op.host.ProbeForDuplicate(r.device, physical, r.address, r.t.ping_timeout_ms);
    if (!seen.ok()) {
      return op.FailStep(seen.status(), "duplicate check for %s on %s", IpText(r.address).s,
                         r.device);
    }
    if (seen.value() == Duplicate::kNone) {
      op.Log(LogLevel::kInfo, "duplicate check: %s free", IpText(r.address).s);
      return OkStatus();
    }
    const char* how = DuplicateAnswerText(seen.value(), r.address);
    if (check == kDuplicateRechecks) {
      return op.FailCheck("duplicate check: %s in use on the network (it answered %s)",
                          IpText(r.address).s, how);
    }
    op.Log(LogLevel::kInfo,
           "duplicate check: %s answered %s; checking again in case it is letting go (%d of %d)",
           IpText(r.address).s, how, check + 1, kDuplicateRechecks);
    const int64_t spent = op.host.NowMs() - started;
    if (spent < r.t.ping_timeout_ms)
      op.host.SleepMs(static_cast<uint32_t>(r.t.ping_timeout_ms - spent));
    if (op.host.StopRequested()) return op.Stopped(StopText::kBeforeAdding);
  }
}

// Add the address, flush this node's neighbours and announce it
// (FlushAndAnnounce). Recorded first, so a kill between the add and the end
// of the checks is finished by the next operation on the tag. Only a
// refused add is an error: nothing has changed then.
// spec: restore 5
Status AssignAddressAndFlushArpTable(const Op& op, LeftUnfinished& left) {
  const Resource& r = op.r;
  IPRES_TRY(left.RecordAdding());
  Status s = op.host.AddAddress(r.device, r.address, r.prefix, SourceUseOf(r));
  if (s.err() == EEXIST) {
    op.Log(LogLevel::kWarning, "add %s/%u on %s: already there (added meanwhile)",
           IpText(r.address).s, r.prefix, r.device);
  } else if (!s.ok()) {
    Status failed = op.FailStep(s, "add %s/%u on %s", IpText(r.address).s, r.prefix, r.device);
    left.AddressSettled();
    return failed;
  } else {
    op.Log(LogLevel::kInfo, "add %s/%u on %s: done", IpText(r.address).s, r.prefix, r.device);
  }
  FlushAndAnnounce(op);
  return OkStatus();
}

// With the address on the device, a stop request ends the steps here,
// before and after the route change.
// spec: restore 6
Status EnableSourceAddressSetting(const Op& op) {
  const Resource& r = op.r;
  if (op.host.StopRequested()) return op.Stopped(StopText::kStopped);
  if (!r.t.source_address) return OkStatus();
  const IpAddress network = NetworkOf(r.address, r.prefix);
  Status s = op.host.SetRouteSource(r.device, network, r.prefix, r.address);
  if (!s.ok()) {
    return op.FailStep(s, "route %s/%u source %s on %s", IpText(network).s, r.prefix,
                       IpText(r.address).s, r.device);
  }
  op.Log(LogLevel::kInfo, "route %s/%u source %s: done", IpText(network).s, r.prefix,
         IpText(r.address).s);
  if (op.host.StopRequested()) return op.Stopped(StopText::kStopped);
  return OkStatus();
}

// From the address itself, with no time limit but the check's own.
// spec: restore 7
Status RunConnectivityCheck(const Op& op) {
  return CheckConnectivity(op, op.r.address, nullptr);
}

Status PutInService(const Op& op) {
  IPRES_TRY(EnableSourceAddressSetting(op));
  return RunConnectivityCheck(op);
}

// Step 6 or 7 failed after step 5's add: remove's steps 3-6, for the
// address as this restore added it. `failed` is the restore's result.
Status TakeOffAgain(const Op& op, const DeviceView& dev, LeftUnfinished& left,
                    const Status& failed) {
  const Resource& r = op.r;
  op.Log(LogLevel::kWarning, "taking %s off %s again", IpText(r.address).s, r.device);
  DeviceView added = dev;
  added.present = true;
  added.prefix = r.prefix;
  IPRES_TRY(TakeDown(op, added));
  left.AddressSettled();
  if (op.host.StopRequested()) return op.Stopped(StopText::kAddressRemoved);
  return failed;
}

}  // namespace

Status RestoreSteps(const Op& op, LeftUnfinished& left) {
  if (op.host.StopRequested()) return op.Stopped(StopText::kBeforeAdding);
  IPRES_TRY(CheckLinkStatus(op));
  DeviceView dev;
  Status s = PreConfirmAssignmentStatus(op, left, dev);
  if (!s.ok() || dev.present) return s;
  IPRES_TRY(CheckDuplication(op, dev.physical));
  if (op.host.StopRequested()) return op.Stopped(StopText::kBeforeAdding);
  IPRES_TRY(AssignAddressAndFlushArpTable(op, left));
  s = PutInService(op);
  if (!s.ok()) return TakeOffAgain(op, dev, left, s);
  left.AddressSettled();
  return s;
}

namespace {

// From the lock on, with this restore's word recorded.
Status RestoreUnderWord(const Op& op, const Word& word) {
  TagLock lock(op, LockIntent::kBringUp);
  IPRES_TRY(lock.status());
  Result<bool> superseded = Superseded(op, word);
  if (!superseded.ok() || superseded.value()) return superseded.status();
  // A remove whose word comes after this may make the restore abandon.
  IPRES_TRY(AcceptAbandonRequests(op));
  LeftUnfinished left(op);
  IPRES_TRY(left.status());
  return RestoreSteps(op, left);
}

}  // namespace

Status Restore(Host& host, const Resource& r) {
  Op op{host, r, "restore"};
  if (CheckProtectedIpAddresses(op)) return OkStatus();
  // The engine's word first, before any wait: a restore killed while it
  // waits for the lock leaves it to the monitor to act on.
  IPRES_TRY_ASSIGN(const Word word, RecordWord(op, true));
  if (word.spoken_later) return OkStatus();
  Status s = RestoreUnderWord(op, word);
  // Contract "Cluster engines": a restore ended by SIGTERM leaves the
  // address absent, so its word goes too, or the monitor would put the
  // address back. An abandon needs no withdrawal: the remove's later word
  // has replaced this one.
  if (!s.ok() && host.StopSignalled()) WithdrawWord(op, word);
  return s;
}

}  // namespace ipres
