// remove: take the resource out of service (spec "Taking a Resource Out of
// Service"). Once the address is there it is deleted whatever else fails.
#include <errno.h>

#include "ops/common.h"
#include "ops/ops.h"

namespace ipres {

Status Remove(Host& host, const Resource& r) {
  Op op{host, r, "remove"};
  // 1. A physical address is never taken away.
  if (r.t.physical) {
    op.Log(LogLevel::kInfo, "physical address: nothing to do");
    return Status::Ok();
  }
  TagLock lock(op, LockIntent::kTakeDown);
  if (!lock.status().ok()) return lock.status();
  Status s = RecordWanted(op, false);
  if (!s.ok()) return s;
  return RemoveSteps(op);
}

Status RemoveSteps(const Op& op) {
  // 2. Is the address on the device? A device that is gone holds nothing.
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok() && dev.status().err() != ENODEV) {
    return op.Failed(dev.status(), "read addresses of %s", op.r.device);
  }
  if (!dev.ok() || !dev.value().present) {
    op.Log(LogLevel::kInfo, "%s not on %s: nothing to do", IpText(op.r.address).s, op.r.device);
    return Status::Ok();
  }
  return TakeDown(op, dev.value().physical);
}

Status TakeDown(const Op& op, Ipv4 physical) {
  const Resource& r = op.r;
  const Ipv4 network = NetworkOf(r.address, r.prefix);
  // 3. The subnet route's source back to the physical address; the address
  // must go even when this fails.
  if (r.t.source_address) {
    const IpText back(physical);
    const char* to = physical.value ? back.s : "none";
    Status s = op.host.SetRouteSource(r.device, network, r.prefix, physical);
    if (s.ok()) {
      op.Log(LogLevel::kInfo, "route %s/%u source back to %s", IpText(network).s, r.prefix, to);
    } else {
      op.Failed(s, "route %s/%u source back to %s", IpText(network).s, r.prefix, to);
    }
  }
  // 4. Delete the address: remove's result. Already gone is what we wanted,
  // and so is a device deleted meanwhile: its addresses went with it.
  Status result = op.host.DeleteAddress(r.device, r.address, r.prefix);
  if (result.ok()) {
    op.Log(LogLevel::kInfo, "delete %s/%u from %s: done", IpText(r.address).s, r.prefix, r.device);
  } else if (result.err() == EADDRNOTAVAIL || result.err() == ENODEV) {
    op.Log(LogLevel::kInfo, "delete %s/%u from %s: already gone%s", IpText(r.address).s, r.prefix,
           r.device, result.err() == ENODEV ? " (no such device)" : "");
    result = Status::Ok();
  } else {
    result = op.Failed(result, "delete %s/%u from %s", IpText(r.address).s, r.prefix, r.device);
  }
  // 5. and 6. whether or not the delete worked; their failures change nothing.
  Status s = op.host.DeleteHostRoute(r.device, r.address);
  if (s.ok()) {
    op.Log(LogLevel::kInfo, "delete host route %s on %s: done", IpText(r.address).s, r.device);
  } else {
    op.Failed(s, "delete host route %s on %s", IpText(r.address).s, r.device);
  }
  op.host.FlushRouteCache();
  op.Log(LogLevel::kInfo, "route cache flushed");
  return result;
}

}  // namespace ipres
