// SPDX-License-Identifier: Apache-2.0
#include "ops/bring_up.h"

#include <errno.h>

#include "ops/announce.h"
#include "ops/connectivity_check.h"
#include "ops/device_view.h"
#include "ops/link_check.h"
#include "ops/take_down.h"

namespace ipres {
namespace {

// 4. Anyone answering for the address, by ICMP from the physical address or
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

Status CheckDuplicate(const Op& op, const IpAddress& physical) {
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
      return op.Failed(seen.status(), "duplicate check for %s on %s", IpText(r.address).s,
                       r.device);
    }
    if (seen.value() == Duplicate::kNone) {
      op.Log(LogLevel::kInfo, "duplicate check: %s free", IpText(r.address).s);
      return OkStatus();
    }
    const char* how = DuplicateAnswerText(seen.value(), r.address);
    if (check == kDuplicateRechecks) {
      return op.Error("duplicate check: %s in use on the network (it answered %s)",
                      IpText(r.address).s, how);
    }
    op.Log(LogLevel::kInfo,
           "duplicate check: %s answered %s; checking again in case it is letting go (%d of %d)",
           IpText(r.address).s, how, check + 1, kDuplicateRechecks);
    const int64_t spent = op.host.NowMs() - started;
    if (spent < r.t.ping_timeout_ms)
      op.host.SleepMs(static_cast<uint32_t>(r.t.ping_timeout_ms - spent));
    if (op.host.StopRequested()) return op.Error("stopped by signal before adding the address");
  }
}

// The node's own connections keep its physical address as their source
// (contract, "IPv6 resources"): IPv4 adds the address as a secondary of the
// node's own, which the kernel does not pick; an IPv6 one with
// SOURCE_ADDRESS=0 is added deprecated, which it picks for a new connection
// only when the node has no preferred address of that scope. With
// SOURCE_ADDRESS=1 the prefix route's src makes it the source.
SourceUse SourceUseOf(const Resource& r) {
  return r.address.is_v6() && !r.t.source_address ? SourceUse::kDeprecated : SourceUse::kPreferred;
}

// 5. Add the address. Only a refused add is an error: nothing has changed
// then.
Status Add(const Op& op) {
  const Resource& r = op.r;
  Status s = op.host.AddAddress(r.device, r.address, r.prefix, SourceUseOf(r));
  if (s.err() == EEXIST) {
    op.Log(LogLevel::kWarning, "add %s/%u on %s: already there (added meanwhile)",
           IpText(r.address).s, r.prefix, r.device);
  } else if (!s.ok()) {
    return op.Failed(s, "add %s/%u on %s", IpText(r.address).s, r.prefix, r.device);
  } else {
    op.Log(LogLevel::kInfo, "add %s/%u on %s: done", IpText(r.address).s, r.prefix, r.device);
  }
  return OkStatus();
}

// 6. and 7., with the address on the device: any error means take it away.
Status PutInService(const Op& op) {
  const Resource& r = op.r;
  if (op.host.StopRequested()) return op.Error("stopped by signal");
  if (r.t.source_address) {
    const IpAddress network = NetworkOf(r.address, r.prefix);
    Status s = op.host.SetRouteSource(r.device, network, r.prefix, r.address);
    if (!s.ok()) {
      return op.Failed(s, "route %s/%u source %s on %s", IpText(network).s, r.prefix,
                       IpText(r.address).s, r.device);
    }
    op.Log(LogLevel::kInfo, "route %s/%u source %s: done", IpText(network).s, r.prefix,
           IpText(r.address).s);
    if (op.host.StopRequested()) return op.Error("stopped by signal");
  }
  return CheckConnectivity(op, r.address, nullptr);
}

// 3. An IPv6 address found preferred where SOURCE_ADDRESS=0 wants it
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
    op.Warn(s, "make %s/%u on %s %s", IpText(r.address).s, dev.prefix, r.device, use);
  }
}

// 3. An address already there is completed (a restore killed after its add
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
         stopped ? "stopped by signal" : "a killed restore added it", IpText(r.address).s,
         r.device);
  Status removed = TakeDown(op, dev);
  if (!removed.ok()) return removed;
  left.AddressSettled();
  return stopped ? op.Error("stopped by signal, address removed") : s;
}

// 5.-7. Recorded first, so a kill between the add and the end of the checks
// is finished by the next operation on the tag.
Status AddAndPutInService(const Op& op, const DeviceView& dev, LeftUnfinished& left) {
  const Resource& r = op.r;
  Status s = left.RecordAdding();
  if (!s.ok()) return s;
  s = Add(op);
  if (!s.ok()) {
    left.AddressSettled();
    return s;
  }
  FlushAndAnnounce(op);
  s = PutInService(op);
  if (s.ok()) {
    left.AddressSettled();
    return s;
  }

  // Roll back: remove's steps 3-6, for the address as this restore added it.
  op.Log(LogLevel::kWarning, "taking %s off %s again", IpText(r.address).s, r.device);
  DeviceView added = dev;
  added.present = true;
  added.prefix = r.prefix;
  Status removed = TakeDown(op, added);
  if (!removed.ok()) return removed;
  left.AddressSettled();
  if (op.host.StopRequested()) return op.Error("stopped by signal, address removed");
  return s;
}

}  // namespace

Status RestoreSteps(const Op& op, LeftUnfinished& left) {
  if (op.host.StopRequested()) return op.Error("stopped by signal before adding the address");
  // 2. Link check, with one down/up bounce.
  Status s = CheckLink(op, Bounce::kOnce);
  if (!s.ok()) return s;

  // 3. Pre-confirmation.
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok()) return op.Failed(dev.status(), "read addresses of %s", op.r.device);
  if (dev.value().present) return CompleteFound(op, dev.value(), left);

  // 4. Duplication check.
  s = CheckDuplicate(op, dev.value().physical);
  if (!s.ok()) return s;
  if (op.host.StopRequested()) return op.Error("stopped by signal before adding the address");

  // 5.-7. Add, announce, source address, connectivity check.
  return AddAndPutInService(op, dev.value(), left);
}

}  // namespace ipres
