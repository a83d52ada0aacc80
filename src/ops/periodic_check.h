// SPDX-License-Identifier: Apache-2.0
// The periodic checks (ready, quickCheck, the monitor's own) are quiet
// while nothing changes (contract "Binary"): their step lines are held
// (base/log.h's LogHold) until the verdict, which emits them when the check
// failed and drops them when it passed. A pass after a failure, or the
// tag's first recorded check, logs one line instead. Each verdict is kept in
// the tag's check record for the next check and for `ipres status`.
// Internal to ops/.
#pragma once

#include "base/status.h"
#include "config/resource.h"
#include "host/host.h"

namespace ipres {

// The checks' steps, every one logged as it happens (recover's own check
// runs QuickCheckSteps).
Status QuickCheckSteps(Host& host, const Resource& r);
Status ReadySteps(Host& host, const Resource& r);

// When a pass logs its one line: when the tag's result changed (the
// periodic case), or always (a monitor's first check).
enum class PassLine { kWhenChanged, kAlways };

// Runs steps quietly as kind, records the verdict and returns it. A record
// ipres did not write, or one that cannot be written, is logged as a warning
// and changes no verdict: an engine's health check must not fail over on
// /run's account. A refused /run/ipres (contract "Crashes and local state")
// is the error, before any step runs. A first pass that cannot be recorded
// logs nothing.
Status CheckQuietly(Host& host, const Resource& r, CheckKind kind,
                    Status (*steps)(Host& host, const Resource& r),
                    PassLine pass_line = PassLine::kWhenChanged);

}  // namespace ipres
