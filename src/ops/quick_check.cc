// SPDX-License-Identifier: Apache-2.0
// quickCheck: monitor once (spec "Monitoring"), steps 1-3 in the spec's
// order, within IP_QUICKCHECK_TIMEOUT. Changes nothing but the tag's check
// record (ops/periodic_check.h), so it takes no lock.
#include <errno.h>

#include "base/clock.h"
#include "ops/claim_defence.h"
#include "ops/connectivity_check.h"
#include "ops/device_view.h"
#include "ops/link_check.h"
#include "ops/op.h"
#include "ops/periodic_check.h"

namespace ipres {
namespace {

// Another host claims the address (contract "Conflicts while holding", as
// the monitor recorded it): the engine must hear it, and a connectivity
// check would only report the other host's doing as no reply.
Status CheckNoStandingConflict(const Op& op) {
  const Resource& r = op.r;
  Result<Conflict> conflict = op.host.RecordedConflict(r.tag);
  if (!conflict.ok()) return op.FailRecord(conflict.status(), "read the conflict record");
  int64_t left = MsUntil(conflict.value().stands_until_ms, op.host.NowMs());
  if (left == 0) return OkStatus();
  if (left > kDefendIntervalMs) left = kDefendIntervalMs;  // as the monitor writes it
  return op.FailCheck("conflict: %s on %s is claimed by %s too (for %s s more without a claim)",
                      IpText(r.address).s, r.device, MacText(conflict.value().claimant).s,
                      SecondsText(static_cast<uint32_t>(left)).s);
}

// The address must be on the device, in service (not tentative or
// dadfailed), and claimed by no other host.
// spec: quickCheck 1
Status CheckAssignmentStatus(const Op& op) {
  const Resource& r = op.r;
  Result<DeviceView> dev = ReadDevice(op);
  if (!dev.ok()) return op.FailStep(dev.status(), "read addresses of %s", r.device);
  if (!dev.value().present) {
    return op.FailCheck("%s is not on %s", IpText(r.address).s, r.device);
  }
  IPRES_TRY(CheckUsable(op, dev.value()));
  op.Log(LogLevel::kInfo, "%s on %s", IpText(r.address).s, r.device);
  return CheckNoStandingConflict(op);
}

// No bounce: a link that is down fails the check.
// spec: quickCheck 2
Status CheckLinkStatus(const Op& op) {
  return CheckLink(op, Bounce::kNo);
}

// With Source Address Setting the subnet route must carry the address as
// its source (restore's step 6; a restore killed before that step, or a
// route changed by hand, leaves it otherwise).
Status CheckSourceAddressSetting(const Op& op) {
  const Resource& r = op.r;
  if (!r.t.source_address) return OkStatus();
  const IpAddress network = NetworkOf(r.address, r.prefix);
  Result<IpAddress> source = op.host.GetRouteSource(r.device, network, r.prefix);
  if (!source.ok() && source.status().err() == ESRCH) {
    return op.FailCheck("route %s/%u on %s: missing (SOURCE_ADDRESS=1)", IpText(network).s,
                        r.prefix, r.device);
  }
  if (!source.ok()) {
    return op.FailStep(source.status(), "route %s/%u on %s", IpText(network).s, r.prefix, r.device);
  }
  if (source.value() != r.address) {
    const IpText actual(source.value());
    return op.FailCheck("route %s/%u on %s has source %s, not %s (SOURCE_ADDRESS=1)",
                        IpText(network).s, r.prefix, r.device,
                        source.value().IsUnspecified() ? "none" : actual.s, IpText(r.address).s);
  }
  op.Log(LogLevel::kInfo, "route %s/%u source %s", IpText(network).s, r.prefix,
         IpText(r.address).s);
  return OkStatus();
}

// From the address, every window cut to the time left of
// IP_QUICKCHECK_TIMEOUT.
// spec: quickCheck 3
Status RunConnectivityCheck(const Op& op, const Deadline& deadline) {
  return CheckConnectivity(op, op.r.address, &deadline);
}

}  // namespace

Status QuickCheckSteps(Host& host, const Resource& r) {
  Op op{host, r, "quickCheck"};
  if (RestoreAndRecoverDisabled(op)) return OkStatus();
  const Deadline deadline{host.NowMs() + r.t.quickcheck_timeout_ms, r.t.quickcheck_timeout_ms};
  IPRES_TRY(CheckAssignmentStatus(op));
  IPRES_TRY(CheckLinkStatus(op));
  IPRES_TRY(CheckSourceAddressSetting(op));
  return RunConnectivityCheck(op, deadline);
}

}  // namespace ipres
