// SPDX-License-Identifier: Apache-2.0
// What the monitor waits for (Events::WatchEvents, NextEvent): the kernel's
// link and address events on rtnetlink, the claim watches' frames and new
// words in the state directory, in one poll. Part of SystemHost.
#pragma once

#include <stdint.h>

#include "base/status.h"
#include "host/claim_watch.h"
#include "host/word_watch.h"
#include "net/net_event.h"
#include "netlink/attr.h"
#include "netlink/socket.h"

namespace ipres {

class EventSource {
 public:
  // state_dir: the state directory's path once made and checked, or why
  // it could not be.
  Status WatchEvents(bool ipv6, const Result<const char*>& state_dir);
  ClaimWatch& claims() { return claims_; }
  // The next event within timeout_ms (kTimeout when none came). A claim by
  // a MAC of this node's (asked of the kernel on `nl`) is no event.
  Result<NetEvent> NextEvent(uint32_t timeout_ms, NetlinkSocket& nl);
  // Probes::TakeClaim: a claim held back during a probe, or one pending on
  // the address's watch.
  Result<bool> TakeClaim(const IpAddress& address, NetlinkSocket& nl, MacAddress* claimant);
  // Probes::ProbeClaims on a watched address.
  Result<bool> ProbeClaims(const IpAddress& address, uint32_t window_ms, NetlinkSocket& nl,
                           MacAddress* claimant);

 private:
  // Waits up to timeout_ms for the events socket or a watch; false on
  // timeout. A stop (EINTR) is an error.
  Result<bool> Poll(int timeout_ms, NetEvent* claim, NetlinkSocket& nl);
  // Reads the claim watch `fd`: true with *ev a kClaimed event when another
  // host claimed, and whether it may answer the watch's probe.
  Result<bool> TakeClaim(int fd, NetEvent* ev, NetlinkSocket& nl, bool* may_answer_probe);

  NetlinkSocket events_;
  MessageReader pending_{nullptr, 0};
  // A claim read while a probe waited for its answer, and no answer: told
  // as the next event (kTimeout: none).
  NetEvent pending_claim_;
  ClaimWatch claims_;
  WordWatch words_;
};

}  // namespace ipres
