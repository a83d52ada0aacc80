// SPDX-License-Identifier: Apache-2.0
// When to defend a held address that another host claims: RFC 5227 2.4 (c)
// for a host that keeps its address (as a router does), which the contract
// applies to IPv4 and IPv6 alike. Pure bookkeeping on the monitor's clock,
// unit-tested apart from any socket, as sd-ipv4acd keeps its state machine.
#pragma once

#include <stdint.h>

namespace ipres {

// RFC 5227 section 1.1: DEFEND_INTERVAL, the least time between two
// defences; the same span makes a conflict stand and then lets it end.
constexpr uint32_t kDefendIntervalMs = 10000;

class ClaimDefence {
 public:
  static constexpr int64_t kNever = INT64_MAX;

  // A claim at now_ms; `answered_probe`: it answered this node's probe (a
  // holder that announces nothing). True: announce now (no defence within
  // the last DEFEND_INTERVAL). False: one announcement is owed for when
  // that interval ends, so neighbours that last heard the other host come
  // back. The conflict stands from a probe answered, or a claim again within
  // DEFEND_INTERVAL of the last defence, until DEFEND_INTERVAL after it.
  bool OnClaim(int64_t now_ms, bool answered_probe);
  // True once when the owed announcement is due at now_ms; it counts as a
  // defence.
  bool OwedAnnouncementDue(int64_t now_ms);
  // When the owed announcement falls due; kNever when none is owed.
  int64_t owed_at_ms() const;

  bool Stands(int64_t now_ms) const { return now_ms < stands_until_ms_; }
  int64_t stands_until_ms() const { return stands_until_ms_; }
  // A claim within DEFEND_INTERVAL before now_ms, or after it, standing or
  // not: it may be why neighbours' entries point elsewhere.
  bool ClaimedRecently(int64_t now_ms) const;
  int64_t last_defence_ms() const { return last_defence_ms_; }
  // When announcing is free again after a defence: DEFEND_INTERVAL after
  // it, or now_ms when that has gone by (or none was made).
  int64_t AnnouncementsFreeFrom(int64_t now_ms) const;

 private:
  bool defended_ = false;
  int64_t last_defence_ms_ = 0;
  bool claimed_ = false;
  int64_t last_claim_ms_ = 0;
  bool owed_ = false;
  int64_t stands_until_ms_ = 0;
};

}  // namespace ipres
