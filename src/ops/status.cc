// SPDX-License-Identifier: Apache-2.0
// status: is the address on its device here? And, for `ipres status`
// without a TAG, what else this node knows of the resource. Reads, sends
// nothing, no lock.
#include <errno.h>

#include "base/clock.h"
#include "ops/device_view.h"
#include "ops/op.h"
#include "ops/ops.h"

namespace ipres {

Result<bool> QueryStatus(Host& host, const Resource& r) {
  Op op{host, r, "status"};
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok() && dev.status().err() == ENODEV) {
    op.Log(LogLevel::kInfo, "%s not on %s (no such device)", IpText(r.address).s, r.device);
    return false;
  }
  if (!dev.ok()) return op.FailStep(dev.status(), "read addresses of %s", r.device);
  op.Log(LogLevel::kInfo, "%s %s %s", IpText(r.address).s, dev.value().present ? "on" : "not on",
         r.device);
  return dev.value().present;
}

namespace {

// What the tag's records say.
Status ReadRecords(Host& host, const Resource& r, ResourceView* view) {
  IPRES_TRY_ASSIGN(const Word word, host.LastWord(r.tag));
  view->word = word.kind;
  IPRES_TRY_ASSIGN(view->check, host.LastCheck(r.tag));
  IPRES_TRY_ASSIGN(view->conflict, host.RecordedConflict(r.tag));
  view->conflict_left_ms = MsUntil(view->conflict.stands_until_ms, host.NowMs());
  return OkStatus();
}

}  // namespace

Result<ResourceView> ViewResource(Host& host, const Resource& r) {
  Op op{host, r, "status"};
  ResourceView view;
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok() && dev.status().err() != ENODEV) return dev.status();
  view.held = dev.ok() && dev.value().present;
  Status records = ReadRecords(host, r, &view);
  if (records.ok()) return view;
  // Root's /run/ipres is 0700 (contract "Crashes and local state") and
  // status needs no privilege (contract "Binary"): without it, what the
  // records say is unknown, not an error.
  if (records.err() != EACCES) return records;
  ResourceView held_only;
  held_only.held = view.held;
  held_only.state_readable = false;
  return held_only;
}

}  // namespace ipres
