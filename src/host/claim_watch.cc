// SPDX-License-Identifier: Apache-2.0
#include "host/claim_watch.h"

#include <errno.h>

namespace ipres {

ClaimWatch::Slot* ClaimWatch::Find(const IpAddress& address) {
  for (Slot& slot : slots_) {
    if (slot.socket.fd() >= 0 && slot.socket.address() == address) return &slot;
  }
  return nullptr;
}

ClaimWatch::Slot* ClaimWatch::FindFree() {
  for (Slot& slot : slots_) {
    if (slot.socket.fd() < 0) return &slot;
  }
  return nullptr;
}

Status ClaimWatch::WatchClaims(const LinkInfo& link, const IpAddress& address) {
  if (!link.has_mac) return Status::Errno(EOPNOTSUPP, "%s has no MAC address", link.name);
  Slot* slot = Find(address);
  if (slot && slot->socket.ifindex() == link.ifindex && slot->mac == link.mac) return OkStatus();
  if (!slot) slot = FindFree();
  if (!slot)
    return Status::Errno(ENOSPC, "watch claims of %s: %zu watched already", IpText(address).s,
                         kCapacity);
  slot->mac = link.mac;
  return slot->socket.Open(link.ifindex, address, link.mac, link.kind == LinkKind::kVlan);
}

int ClaimWatch::FdOf(const IpAddress& address) {
  Slot* slot = Find(address);
  return slot ? slot->socket.fd() : -1;
}

Result<int> ClaimWatch::Probe(const IpAddress& address) {
  Slot* slot = Find(address);
  if (!slot) return Status::Errno(ENOENT, "probe for %s: not watched", IpText(address).s);
  Status s = slot->socket.SendProbe();
  if (!s.ok()) return s;
  return slot->socket.fd();
}

size_t ClaimWatch::PollFds(pollfd* fds, size_t capacity) const {
  size_t n = 0;
  for (const Slot& slot : slots_) {
    if (slot.socket.fd() < 0 || n == capacity) continue;
    fds[n++] = pollfd{slot.socket.fd(), POLLIN, 0};
  }
  return n;
}

Result<bool> ClaimWatch::TakeClaim(int fd, IpAddress* address, int* ifindex, MacAddress* claimant,
                                   bool* may_answer_probe) {
  for (Slot& slot : slots_) {
    if (slot.socket.fd() != fd) continue;
    Result<bool> claimed = slot.socket.ReceiveClaim(claimant, may_answer_probe);
    if (!claimed.ok() || !claimed.value()) return claimed;
    *address = slot.socket.address();
    *ifindex = slot.socket.ifindex();
    return true;
  }
  return false;
}

}  // namespace ipres
