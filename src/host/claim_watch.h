// SPDX-License-Identifier: Apache-2.0
// The claim watches of the monitor's process (Probes::WatchClaims): one
// ClaimSocket per watched address, polled beside the netlink events. Part
// of SystemHost, which opens every socket the operations use (lkping, a
// command of its own, opens its pinger itself).
#pragma once

#include <poll.h>
#include <stddef.h>

#include "base/ip_address.h"
#include "base/mac.h"
#include "base/status.h"
#include "config/resource.h"
#include "net/claim_socket.h"
#include "net/link.h"

namespace ipres {

class ClaimWatch {
 public:
  static constexpr size_t kCapacity = kMaxResources;

  // Opens the watch of `address` on `link`, or reopens it when the device
  // behind the name changed (its index or MAC); kept as it is otherwise.
  Status WatchClaims(const LinkInfo& link, const IpAddress& address);
  // Sends the watch's probe; the address must be watched. Returns the
  // watch's descriptor, to wait on for the answer.
  Result<int> Probe(const IpAddress& address);
  // The descriptor of the address's watch; -1 when it is not watched.
  int FdOf(const IpAddress& address);
  // One pollfd per open watch into fds (at most `capacity`); returns how many.
  size_t PollFds(pollfd* fds, size_t capacity) const;
  // Reads the watch whose descriptor is `fd`: true with the claimed address,
  // its device's index, the claimant and whether the claim may answer the
  // watch's probe (ClaimSocket::ReceiveClaim) when a claim was pending.
  Result<bool> TakeClaim(int fd, IpAddress* address, int* ifindex, MacAddress* claimant,
                         bool* may_answer_probe);

 private:
  struct Slot {
    ClaimSocket socket;
    MacAddress mac;  // of the device when it was opened
  };
  Slot* Find(const IpAddress& address);
  Slot* FindFree();

  Slot slots_[kCapacity];
};

}  // namespace ipres
