// SPDX-License-Identifier: Apache-2.0
#include "ops/take_down.h"

#include <errno.h>

namespace ipres {
namespace {

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
    op.Warn(s, "recreate route %s/%u dev %s for %s", IpText(network).s, r.prefix, r.device,
            IpText(dev.physical).s);
  }
}

// 2. Is the address on the device, with any prefix? A device that is gone
// holds nothing.
Status TakeDownIfThere(const Op& op) {
  const Resource& r = op.r;
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok() && dev.status().err() != ENODEV) {
    return op.Failed(dev.status(), "read addresses of %s", r.device);
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

// 3. The subnet route's source back to a physical address of the subnet,
// or no source when there is none; the address must go even when this
// fails.
void RouteSourceBack(const Op& op, const DeviceView& dev) {
  const Resource& r = op.r;
  const IpAddress network = NetworkOf(r.address, r.prefix);
  const IpAddress back = dev.physical_in_subnet ? dev.physical : NetworkOf(r.address, 0);
  const IpText back_text(back);
  const char* to = back.IsUnspecified() ? "none" : back_text.s;
  Status s = op.host.SetRouteSource(r.device, network, r.prefix, back);
  if (s.ok()) {
    op.Log(LogLevel::kInfo, "route %s/%u source back to %s", IpText(network).s, r.prefix, to);
  } else {
    op.Warn(s, "route %s/%u source back to %s", IpText(network).s, r.prefix, to);
  }
}

// 4. Deletes every instance of the address on the device (the same IP may
// be there with more than one prefix), each with the prefix it carries.
constexpr int kMaxDeletes = 4;

Status DeleteAddress(const Op& op, DeviceView dev) {
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
      return op.Failed(s, "delete %s/%u from %s", IpText(r.address).s, dev.prefix, r.device);
    }
    // Gone with that prefix (or never there with it): look again.
    Result<DeviceView> again = ReadDevice(op);
    if (!again.ok() && again.status().err() == ENODEV) return OkStatus();
    if (!again.ok()) return op.Failed(again.status(), "read addresses of %s", r.device);
    if (!again.value().present) {
      if (!deleted) {
        op.Log(LogLevel::kInfo, "delete %s from %s: already gone", IpText(r.address).s, r.device);
      }
      return OkStatus();
    }
    if (round == kMaxDeletes) {
      return op.Error("delete %s from %s: still there (/%u) after %d deletes", IpText(r.address).s,
                      r.device, again.value().prefix, kMaxDeletes);
    }
    dev = again.value();
  }
}

}  // namespace

Status RemoveSteps(const Op& op, LeftUnfinished& left) {
  Status s = TakeDownIfThere(op);
  if (s.ok()) left.AddressSettled();
  return s;
}

Status TakeDown(const Op& op, const DeviceView& dev) {
  const Resource& r = op.r;
  if (r.t.source_address) RouteSourceBack(op, dev);
  // 4. Delete the address: remove's result.
  Status result = DeleteAddress(op, dev);
  // 5. and 6. whether or not the delete worked; their failures change nothing.
  Status s = op.host.DeleteHostRoute(r.device, r.address);
  if (s.ok()) {
    op.Log(LogLevel::kInfo, "delete host route %s on %s: done", IpText(r.address).s, r.device);
  } else {
    op.Warn(s, "delete host route %s on %s", IpText(r.address).s, r.device);
  }
  op.host.FlushRouteCache(r.address.af());
  op.Log(LogLevel::kInfo, "route cache flushed");
  return result;
}

}  // namespace ipres
