// SPDX-License-Identifier: Apache-2.0
#include "ops/conflict_watch.h"

#include "base/clock.h"
#include "ops/announce.h"
#include "ops/device_view.h"

namespace ipres {
namespace {

bool HeldHere(const Op& op) {
  Result<DeviceView> dev = ReadDevice(op);
  return dev.ok() && dev.value().present;
}

}  // namespace

void ConflictWatch::Watch(const Op& op) {
  const Resource& r = op.r;
  Status s = op.host.WatchClaims(r.device, r.address);
  if (s.ok()) {
    watch_failed_ = false;
  } else if (!watch_failed_) {
    watch_failed_ = true;
    op.WarnStep(s, "watch for claims of %s on %s", IpText(r.address).s, r.device);
  }
}

void ConflictWatch::Probe(const Op& op) {
  const Resource& r = op.r;
  if (!HeldHere(op)) return;
  MacAddress claimant;
  Result<bool> answered = op.host.ProbeClaims(r.device, r.address, r.t.ping_timeout_ms, &claimant);
  if (!answered.ok()) {
    // The watch's flag: one failure line until a watch or a probe works again.
    if (!watch_failed_)
      op.WarnStep(answered.status(), "probe for another holder of %s on %s", IpText(r.address).s,
                  r.device);
    watch_failed_ = true;
    return;
  }
  watch_failed_ = false;
  if (answered.value()) OnClaimed(op, claimant, true);
  HearPendingClaim(op);
  // Due while the probe listened: the neighbours still point at the other
  // host until it goes out, so the check's pings would fail, maybe past
  // DEFEND_INTERVAL, where no conflict explains them any more.
  DefendIfDue(op);
}

// A claim that reached the watch while the monitor waited on something
// else is heard now, before a check's pings: defended first, the pings
// then see the neighbours back.
void ConflictWatch::HearPendingClaim(const Op& op) {
  MacAddress claimant;
  Result<bool> claimed = op.host.TakeClaim(op.r.address, &claimant);
  if (claimed.ok() && claimed.value()) OnClaim(op, claimant);
}

void ConflictWatch::OnClaimed(const Op& op, const MacAddress& claimant, bool answered_probe) {
  const Resource& r = op.r;
  if (!HeldHere(op)) return;
  const int64_t now = op.host.NowMs();
  // The same host again within kSameClaimMs: one claim that came twice (a
  // LAN that floods a broadcast to two slaves of a balance-rr, -xor or
  // broadcast bond delivers it on each) or as a burst (keepalived's
  // garp_master_repeat): not a claim again after the defence.
  if (!answered_probe && heard_claim_ && claimant == last_claimant_ &&
      now - last_claim_heard_ms_ < kSameClaimMs) {
    return;
  }
  if (!answered_probe) {
    heard_claim_ = true;
    last_claimant_ = claimant;
    last_claim_heard_ms_ = now;
  }
  const char* how = answered_probe ? "answered by" : "claimed by";
  const char* which = answered_probe ? " (a holder that announces nothing)" : "";
  claimant_ = claimant;
  const int64_t last_defence = defence_.last_defence_ms();
  if (defence_.OnClaim(now, answered_probe)) {
    op.Log(LogLevel::kWarning, "conflict: %s on %s %s %s%s: defending with %s", IpText(r.address).s,
           r.device, how, MacText(claimant).s, which, AnnouncementsOf(r));
    AnnounceAddress(op, AnnounceLog::kFailuresOnly);
  } else {
    op.Log(LogLevel::kWarning,
           "conflict: %s on %s %s %s%s: defended %s s ago; announcing again in %s s",
           IpText(r.address).s, r.device, how, MacText(claimant).s, which,
           SecondsText(static_cast<uint32_t>(now - last_defence)).s,
           SecondsText(static_cast<uint32_t>(MsUntil(defence_.owed_at_ms(), now))).s);
  }
  if (defence_.Stands(now)) Record(op);
}

void ConflictWatch::DefendIfDue(const Op& op) {
  if (!defence_.OwedAnnouncementDue(op.host.NowMs()) || !HeldHere(op)) return;
  op.Log(LogLevel::kWarning,
         "conflict: %s on %s: announcing again (claimed since the last defence)",
         IpText(op.r.address).s, op.r.device);
  AnnounceAddress(op, AnnounceLog::kFailuresOnly);
}

bool ConflictWatch::ExplainsFailure(const Op& op, int64_t checked_at_ms) {
  HearPendingClaim(op);
  if (!defence_.ClaimedRecently(checked_at_ms) && !RecordedConflictStands(op, checked_at_ms)) {
    return false;
  }
  if (!HeldHere(op)) return false;
  op.Log(
      LogLevel::kWarning,
      "quickCheck failed: %s is in conflict with %s: not recovering (the cluster engine decides)",
      IpText(op.r.address).s, MacText(claimant_).s);
  return true;
}

// A conflict this monitor has not heard, recorded by the one before it (a
// monitor restarted while it stood): the check fails on it all the same.
bool ConflictWatch::RecordedConflictStands(const Op& op, int64_t checked_at_ms) {
  Result<Conflict> recorded = op.host.RecordedConflict(op.r.tag);
  if (!recorded.ok() || recorded.value().stands_until_ms <= checked_at_ms) return false;
  claimant_ = recorded.value().claimant;
  return true;
}

// Failing to record it would let quickCheck pass while the conflict
// stands: an error, though the watch goes on.
void ConflictWatch::Record(const Op& op) {
  Conflict conflict;
  conflict.claimant = claimant_;
  conflict.stands_until_ms = defence_.stands_until_ms();
  Status s = op.host.RecordConflict(op.r.tag, conflict);
  if (!s.ok()) {
    op.FailStep(s, "record the conflict over %s", IpText(op.r.address).s)
        .IgnoreError("logged as an error; the watch goes on");
  }
}

}  // namespace ipres
