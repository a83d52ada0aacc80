// What the monitor waits for (Host::WatchEvents, NextEvent): the kernel's
// link and address events on rtnetlink, and the claim watches' frames, in
// one poll. Part of SystemHost.
#pragma once

#include <stdint.h>

#include "base/status.h"
#include "host/claim_watch.h"
#include "net/net_event.h"
#include "netlink/attr.h"
#include "netlink/socket.h"

namespace ipres {

class EventSource {
 public:
  Status Subscribe(bool ipv6);
  ClaimWatch& claims() { return claims_; }
  // The next event within timeout_ms (kTimeout when none came). A claim by
  // a MAC of this node's (asked of the kernel on `nl`) is no event.
  Result<NetEvent> Next(uint32_t timeout_ms, NetlinkSocket& nl);
  // Host::ProbeClaims on a watched address.
  Result<bool> ProbeClaims(const IpAddress& address, uint32_t window_ms, NetlinkSocket& nl,
                           MacAddress* claimant);

 private:
  // Waits up to timeout_ms for the events socket or a watch; false on
  // timeout. A stop (EINTR) is an error.
  Result<bool> Poll(int timeout_ms, NetEvent* claim, NetlinkSocket& nl);
  // Reads the claim watch `fd`: true with *ev a kClaimed event when another
  // host claimed.
  Result<bool> TakeClaim(int fd, NetEvent* ev, NetlinkSocket& nl);

  NetlinkSocket events_;
  MessageReader pending_{nullptr, 0};
  ClaimWatch claims_;
};

}  // namespace ipres
