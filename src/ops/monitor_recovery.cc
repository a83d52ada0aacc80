// SPDX-License-Identifier: Apache-2.0
#include "ops/monitor_recovery.h"

#include "ops/monitor_op.h"
#include "ops/ops.h"

namespace ipres {
namespace {

constexpr uint32_t kFirstBackoffMs = 1000;
constexpr uint32_t kMaxBackoffMs = 60000;

// After `failures` (1 or more) failed recovers in a row. The doubling stops
// at the sixth (64 s, past kMaxBackoffMs already), so the shift never
// overflows however long the failures go on.
uint32_t BackoffMs(Host& host, uint32_t failures, uint32_t interval_ms) {
  uint32_t backoff = kFirstBackoffMs << (failures < 7 ? failures - 1 : 6);
  if (backoff > kMaxBackoffMs) backoff = kMaxBackoffMs;
  if (backoff > interval_ms) backoff = interval_ms;
  return backoff - backoff / 4 + host.JitterMs(backoff / 2);
}

}  // namespace

int64_t RecoverWithBackoff(Host& host, const Resource& r, RecoveryState& state) {
  const Op op = MonitorOp(host, r);
  int64_t now = host.NowMs();
  if (now < state.not_before_ms) {
    op.Log(LogLevel::kWarning, "quickCheck failed; next recover in %s s (backing off)",
           SecondsText(static_cast<uint32_t>(state.not_before_ms - now)).s);
    return state.not_before_ms;
  }
  op.Log(LogLevel::kWarning, "quickCheck failed: recovering");
  Result<Recovery> recovered = RecoverForMonitor(host, r);
  now = host.NowMs();
  if (recovered.ok()) {
    op.Log(LogLevel::kInfo, recovered.value() == Recovery::kPutBackMeanwhile
                                ? "in service again: nothing to recover"
                                : "recovered");
    state.failures = 0;
    return now + r.t.lkcheck_interval_ms;
  }
  if (host.StopRequested()) return now;
  ++state.failures;
  const uint32_t backoff = BackoffMs(host, state.failures, r.t.lkcheck_interval_ms);
  state.not_before_ms = now + backoff;
  op.Log(LogLevel::kError, "recover failed (%u in a row); next attempt in %s s", state.failures,
         SecondsText(backoff).s);
  return state.not_before_ms;
}

}  // namespace ipres
