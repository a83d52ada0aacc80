// SPDX-License-Identifier: Apache-2.0
#include "ops/claim_defence.h"

namespace ipres {

bool ClaimDefence::OnClaim(int64_t now_ms, bool answered_probe) {
  const bool within_interval = defended_ && now_ms - last_defence_ms_ < kDefendIntervalMs;
  claimed_ = true;
  last_claim_ms_ = now_ms;
  if (answered_probe || within_interval) stands_until_ms_ = now_ms + kDefendIntervalMs;
  if (within_interval) {
    owed_ = true;
    return false;
  }
  defended_ = true;
  last_defence_ms_ = now_ms;
  owed_ = false;
  return true;
}

bool ClaimDefence::OwedAnnouncementDue(int64_t now_ms) {
  if (!owed_ || now_ms < owed_at_ms()) return false;
  owed_ = false;
  last_defence_ms_ = now_ms;
  return true;
}

int64_t ClaimDefence::owed_at_ms() const {
  return owed_ ? last_defence_ms_ + kDefendIntervalMs : kNever;
}

int64_t ClaimDefence::AnnouncementsFreeFrom(int64_t now_ms) const {
  const int64_t interval_end = last_defence_ms_ + kDefendIntervalMs;
  return defended_ && now_ms < interval_end ? interval_end : now_ms;
}

bool ClaimDefence::ClaimedRecently(int64_t now_ms) const {
  return claimed_ && now_ms - last_claim_ms_ < kDefendIntervalMs;
}

}  // namespace ipres
