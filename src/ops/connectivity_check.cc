// SPDX-License-Identifier: Apache-2.0
#include "ops/connectivity_check.h"

#include <stddef.h>

#include "base/clock.h"
#include "host/probes.h"

namespace ipres {
namespace {

Status TimedOut(const Op& op, const Deadline& deadline) {
  return op.FailCheck("%s timed out after %s s (IP_QUICKCHECK_TIMEOUT)", op.name,
                      SecondsText(deadline.timeout_ms).s);
}

// One ping window, cut to what is left of the deadline. An error when the
// deadline has passed without a reply, or a stop was requested meanwhile.
Result<bool> PingWithin(const Op& op, PingWindow w, const char* kind, const Deadline* deadline) {
  w.window_ms = op.r.t.ping_time_ms;
  if (deadline) {
    int64_t left = MsUntil(deadline->at_ms, op.host.NowMs());
    if (left == 0) return TimedOut(op, *deadline);
    if (left < w.window_ms) w.window_ms = static_cast<uint32_t>(left);
  }
  Result<PingOutcome> ping = op.host.Ping(w);
  if (!ping.ok()) {
    return op.FailStep(ping.status(), "connectivity check: %s ping from %s%s%s", kind,
                       IpText(w.source).s, w.broadcast ? " on " : "", w.broadcast ? w.device : "");
  }
  if (op.host.StopRequested()) return op.Stopped(StopText::kConnectivityCheck);
  const PingOutcome& outcome = ping.value();
  if (!outcome.replied && !outcome.send_error.ok()) {
    op.Log(LogLevel::kWarning,
           "connectivity check: %s ping from %s not sent, counted as no reply: %s", kind,
           IpText(w.source).s, StatusText(outcome.send_error).c_str());
  }
  if (!outcome.replied && deadline && op.host.NowMs() >= deadline->at_ms) {
    return TimedOut(op, *deadline);
  }
  return outcome.replied;
}

PingWindow WindowTo(const Op& op, const IpAddress& source, const IpAddress* targets, size_t count) {
  PingWindow w;
  w.device = op.r.device;
  w.source = source;
  w.targets = targets;
  w.target_count = count;
  return w;
}

}  // namespace

bool ConnectivityCheckPings(const Tunables& t) {
  return t.ping_list_count > 0 || !t.no_bcast_ping;
}

Status CheckConnectivity(const Op& op, const IpAddress& source, const Deadline* deadline) {
  const Tunables& t = op.r.t;
  if (!ConnectivityCheckPings(t)) {
    op.Log(LogLevel::kInfo, "connectivity check: skipped (no PINGLIST and NOBCASTPING=1)");
    return OkStatus();
  }
  // IPv6 has no broadcast: all nodes on the link (ff02::1) stand for it.
  const IpAddress broadcast =
      op.r.address.is_v6() ? IpAddress(AllNodes()) : BroadcastOf(op.r.address.v4(), op.r.prefix);
  for (uint32_t attempt = 1; attempt <= t.ping_tries; ++attempt) {
    if (t.ping_list_count > 0) {
      PingWindow w = WindowTo(op, source, t.ping_list, t.ping_list_count);
      IPRES_TRY_ASSIGN(const bool replied, PingWithin(op, w, "unicast", deadline));
      if (replied) {
        op.Log(LogLevel::kInfo, "connectivity check: attempt %u of %u: PINGLIST answered", attempt,
               t.ping_tries);
        return OkStatus();
      }
      op.Log(LogLevel::kWarning, "connectivity check: attempt %u of %u: no reply from PINGLIST",
             attempt, t.ping_tries);
      if (t.no_bcast_ping) continue;
    }
    PingWindow w = WindowTo(op, source, &broadcast, 1);
    w.broadcast = true;
    IPRES_TRY_ASSIGN(const bool replied, PingWithin(op, w, "broadcast", deadline));
    if (replied) {
      op.Log(LogLevel::kInfo, "connectivity check: attempt %u of %u: broadcast to %s answered",
             attempt, t.ping_tries, IpText(broadcast).s);
      return OkStatus();
    }
    op.Log(LogLevel::kWarning, "connectivity check: attempt %u of %u: no reply to broadcast %s",
           attempt, t.ping_tries, IpText(broadcast).s);
  }
  return op.FailCheck("connectivity check: no reply in %u attempt%s", t.ping_tries,
                      t.ping_tries == 1 ? "" : "s");
}

}  // namespace ipres
