// SPDX-License-Identifier: Apache-2.0
#include "ops/link_check.h"

#include "ops/unfinished.h"

namespace ipres {
namespace {

// Down, IP_WAIT_LINKDOWN, up, then up to IP_MAX_LINKCHK for carrier.
Status BounceLink(const Op& op) {
  const char* dev = op.r.device;
  // Recorded first: if this process is killed while the device is down,
  // the next operation on the tag brings it up.
  Status s = op.host.MarkUnfinished(op.r.tag, kDeviceDown);
  if (!s.ok()) return op.FailRecord(s, "link check: record that %s goes down", dev);
  s = op.host.SetLinkUp(dev, false);
  if (!s.ok()) return op.FailStep(s, "link check: take %s down", dev);
  op.host.SleepMs(op.r.t.wait_linkdown_ms);
  s = op.host.SetLinkUp(dev, true);
  // The record is for a process killed while the device is down; this one
  // is not, and says so. The next restore's link check tries again.
  ClearUnfinished(op, kDeviceDown);
  if (!s.ok()) return op.FailStep(s, "link check: bring %s up (left down)", dev);
  if (op.host.StopRequested()) return op.Stopped(StopText::kLinkCheck);
  Result<bool> carrier = op.host.WaitForCarrier(dev, op.r.t.max_linkchk_ms);
  if (!carrier.ok())
    return op.FailStep(carrier.status(), "link check: wait for carrier on %s", dev);
  if (op.host.StopRequested()) return op.Stopped(StopText::kLinkCheck);
  if (!carrier.value()) {
    return op.FailCheck("link check: %s still down %s s after bringing it up (IP_MAX_LINKCHK)", dev,
                        SecondsText(op.r.t.max_linkchk_ms).s);
  }
  op.Log(LogLevel::kInfo, "link check: %s up after taking it down and up", dev);
  return OkStatus();
}

}  // namespace

Status CheckLink(const Op& op, Bounce bounce) {
  const char* dev = op.r.device;
  if (op.r.t.no_link_check) {
    op.Log(LogLevel::kInfo, "link check: skipped (IP_NOLINKCHECK=1)");
    return OkStatus();
  }
  Result<LinkState> link = op.host.GetLink(dev);
  if (!link.ok()) return op.FailStep(link.status(), "link check: %s", dev);
  if (link.value().admin_up && link.value().carrier) {
    op.Log(LogLevel::kInfo, "link check: %s up", dev);
    return OkStatus();
  }
  const char* why = link.value().admin_up ? "up without carrier (NO-CARRIER)" : "down";
  if (bounce == Bounce::kNo) return op.FailCheck("link check: %s is %s", dev, why);

  op.Log(LogLevel::kWarning, "link check: %s is %s: taking it down and up once", dev, why);
  return BounceLink(op);
}

}  // namespace ipres
