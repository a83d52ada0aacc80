// SPDX-License-Identifier: Apache-2.0
// remove: take the resource out of service (spec "Taking a Resource Out of
// Service"), steps 1-6 in the spec's order. Steps 2-6 (RemoveSteps) are also
// recover's first half and the monitor's take-down after a killed remove;
// steps 3-6 (TakeDown) restore's way back from an add that did not pass the
// checks. Once the address is there it is deleted whatever else fails.
#include "ops/remove.h"

#include <errno.h>

#include "ops/ops.h"
#include "ops/wanted.h"

namespace ipres {
namespace {

// A physical address is never taken away. True: the remove ends here with
// success.
// spec: remove 1
bool CheckProtectedIpAddresses(const Op& op) {
  return ProtectsPhysicalAddress(op);
}

// Someone deleted the address by hand: with SOURCE_ADDRESS=1 the kernel took
// the subnet route (whose source it was) with it, and the physical address
// that remains needs it back.
void KeepSubnetRoute(const Op& op, const DeviceView& dev) {
  const Resource& r = op.r;
  if (!r.t.source_address || !dev.physical_in_subnet) return;
  const IpAddress network = NetworkOf(r.address, r.prefix);
  Status s = op.host.EnsureSubnetRoute(r.device, network, r.prefix, dev.physical);
  if (s.ok()) {
    op.Log(LogLevel::kInfo, "route %s/%u dev %s for %s: there", IpText(network).s, r.prefix,
           r.device, IpText(dev.physical).s);
  } else {
    op.WarnStep(s, "recreate route %s/%u dev %s for %s", IpText(network).s, r.prefix, r.device,
                IpText(dev.physical).s);
  }
}

// Is the address on the device, with any prefix? A device that is gone
// holds nothing. When it is there, steps 3-6 (TakeDown) and their result.
// spec: remove 2
Status CheckAssignmentStatus(const Op& op) {
  const Resource& r = op.r;
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok() && dev.status().err() != ENODEV) {
    return op.FailStep(dev.status(), "read addresses of %s", r.device);
  }
  if (!dev.ok()) {
    op.Log(LogLevel::kInfo, "%s not on %s (no such device): nothing to do", IpText(r.address).s,
           r.device);
    return OkStatus();
  }
  if (!dev.value().present) {
    op.Log(LogLevel::kInfo, "%s not on %s: nothing to do", IpText(r.address).s, r.device);
    KeepSubnetRoute(op, dev.value());
    return OkStatus();
  }
  return TakeDown(op, dev.value());
}

// With Source Address Setting, the subnet route's source back to a physical
// address of the subnet, or no source when there is none; the address must
// go even when this fails.
// spec: remove 3
void DisableSourceAddressSetting(const Op& op, const DeviceView& dev) {
  const Resource& r = op.r;
  if (!r.t.source_address) return;
  const IpAddress network = NetworkOf(r.address, r.prefix);
  const IpAddress back = dev.physical_in_subnet ? dev.physical : NetworkOf(r.address, 0);
  const IpText back_text(back);
  const char* to = back.IsUnspecified() ? "none" : back_text.s;
  Status s = op.host.SetRouteSource(r.device, network, r.prefix, back);
  if (s.ok()) {
    op.Log(LogLevel::kInfo, "route %s/%u source back to %s", IpText(network).s, r.prefix, to);
  } else {
    op.WarnStep(s, "route %s/%u source back to %s", IpText(network).s, r.prefix, to);
  }
}

// Deletes every instance of the address on the device (the same IP may be
// there with more than one prefix), each with the prefix it carries.
constexpr int kMaxDeletes = 4;

// The remove's result.
// spec: remove 4
Status RemoveVirtualIpAddress(const Op& op, DeviceView dev) {
  const Resource& r = op.r;
  bool deleted = false;
  for (int round = 1;; ++round) {
    Status s = op.host.DeleteAddress(r.device, r.address, dev.prefix);
    if (s.ok()) {
      op.Log(LogLevel::kInfo, "delete %s/%u from %s: done", IpText(r.address).s, dev.prefix,
             r.device);
      deleted = true;
    } else if (s.err() == ENODEV) {
      // A device deleted meanwhile: its addresses went with it.
      op.Log(LogLevel::kInfo, "delete %s/%u from %s: already gone (no such device)",
             IpText(r.address).s, dev.prefix, r.device);
      return OkStatus();
    } else if (s.err() != EADDRNOTAVAIL) {
      return op.FailStep(s, "delete %s/%u from %s", IpText(r.address).s, dev.prefix, r.device);
    }
    // Gone with that prefix (or never there with it): look again.
    Result<DeviceView> again = ReadDevice(op);
    if (!again.ok() && again.status().err() == ENODEV) return OkStatus();
    if (!again.ok()) return op.FailStep(again.status(), "read addresses of %s", r.device);
    if (!again.value().present) {
      if (!deleted) {
        op.Log(LogLevel::kInfo, "delete %s from %s: already gone", IpText(r.address).s, r.device);
      }
      return OkStatus();
    }
    if (round == kMaxDeletes) {
      return op.FailCheck("delete %s from %s: still there (/%u) after %d deletes",
                          IpText(r.address).s, r.device, again.value().prefix, kMaxDeletes);
    }
    dev = again.value();
  }
}

// Whether or not the delete worked; a failure changes nothing.
// spec: remove 5
void RemoveHostRoute(const Op& op) {
  const Resource& r = op.r;
  Status s = op.host.DeleteHostRoute(r.device, r.address);
  if (s.ok()) {
    op.Log(LogLevel::kInfo, "delete host route %s on %s: done", IpText(r.address).s, r.device);
  } else {
    op.WarnStep(s, "delete host route %s on %s", IpText(r.address).s, r.device);
  }
}

// Whether or not the delete worked; as the spec's `echo 0 > .../flush
// 2> /dev/null`, it cannot fail.
// spec: remove 6
void ClearRoutingCache(const Op& op) {
  op.host.FlushRouteCache(op.r.address.af());
  op.Log(LogLevel::kInfo, "route cache flushed");
}

}  // namespace

Status RemoveSteps(const Op& op, LeftUnfinished& left) {
  Status s = CheckAssignmentStatus(op);
  if (s.ok()) left.AddressSettled();
  return s;
}

Status TakeDown(const Op& op, const DeviceView& dev) {
  DisableSourceAddressSetting(op, dev);
  Status result = RemoveVirtualIpAddress(op, dev);
  RemoveHostRoute(op);
  ClearRoutingCache(op);
  return result;
}

Status Remove(Host& host, const Resource& r) {
  Op op{host, r, "remove"};
  if (CheckProtectedIpAddresses(op)) return OkStatus();
  // The engine's word first, before any wait: a remove killed while it
  // waits for the lock leaves it to the monitor to act on.
  IPRES_TRY_ASSIGN(const Word word, RecordWord(op, false));
  if (word.spoken_later) return OkStatus();
  TagLock lock(op, LockIntent::kTakeDown);
  IPRES_TRY(lock.status());
  Result<bool> superseded = Superseded(op, word);
  if (!superseded.ok() || superseded.value()) return superseded.status();
  // What a killed operation left (its device down) is repaired first; the
  // address goes even when that fails.
  LeftUnfinished left(op);
  return RemoveSteps(op, left);
}

}  // namespace ipres
