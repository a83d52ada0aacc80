// SPDX-License-Identifier: Apache-2.0
// The monitor's side of the contract's "Conflicts while holding", for one
// resource: another host's claim on the held address is logged and
// defended (ClaimDefence), a standing conflict is recorded for quickCheck
// and the engines, and a failed quickCheck that the conflict explains is
// never recovered: giving the address up is the cluster engine's call.
#pragma once

#include <stdint.h>

#include "base/mac.h"
#include "ops/claim_defence.h"
#include "ops/op.h"

namespace ipres {

class ConflictWatch {
 public:
  // Listens for claims on the address (Host::WatchClaims); a failure is
  // logged once, until the watch works again.
  void Watch(const Op& op);
  // While the address is here: probes for a holder that announces nothing,
  // waiting IP_PINGTIMEOUT for its answer, which makes a conflict stand;
  // then hears a claim that came meanwhile (Host::TakeClaim) and sends the
  // announcement that fell due meanwhile, before the check's pings.
  void Probe(const Op& op);
  // A kClaimed event for the address. Ignored unless the address is on its
  // device here: after a hand-over, the new holder's announcements are
  // its restore, not a claim.
  void OnClaim(const Op& op, const MacAddress& claimant) { OnClaimed(op, claimant, false); }
  // The announcement owed since a claim that was not answered, once due.
  void DefendIfDue(const Op& op);
  int64_t next_due_ms() const { return defence_.owed_at_ms(); }
  // When a scheduled announcement (GARP_REPEAT_DELAY, GARP_REFRESH) due at
  // now_ms may go out: sent within DEFEND_INTERVAL of a defence, it would
  // answer the claims that interval holds back.
  int64_t AnnouncementsFreeFrom(int64_t now_ms) const {
    return defence_.AnnouncementsFreeFrom(now_ms);
  }
  // True, logged, when a failed quickCheck that began at checked_at_ms is
  // the conflict's doing: the address was claimed within DEFEND_INTERVAL
  // before it began (the conflict may end while it runs), or while it ran
  // (that claim is heard, and defended, first), or a conflict recorded
  // before this monitor started still stood then; and it is still here.
  bool ExplainsFailure(const Op& op, int64_t checked_at_ms);

 private:
  void OnClaimed(const Op& op, const MacAddress& claimant, bool answered_probe);
  void HearPendingClaim(const Op& op);
  bool RecordedConflictStands(const Op& op, int64_t checked_at_ms);
  void Record(const Op& op);

  // Frames from one host this close are one claim (see OnClaimed).
  static constexpr int64_t kSameClaimMs = 100;

  ClaimDefence defence_;
  MacAddress claimant_;
  bool heard_claim_ = false;  // a claim (not a probe's answer) heard yet
  MacAddress last_claimant_;
  int64_t last_claim_heard_ms_ = 0;
  bool watch_failed_ = false;
};

}  // namespace ipres
