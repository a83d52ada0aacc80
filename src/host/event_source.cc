// SPDX-License-Identifier: Apache-2.0
#include "host/event_source.h"

#include <errno.h>
#include <linux/rtnetlink.h>

#include "base/clock.h"

namespace ipres {

Status EventSource::WatchEvents(bool ipv6, const Result<const char*>& state_dir) {
  if (!state_dir.ok()) return state_dir.status();
  Status s = words_.Open(state_dir.value());
  if (s.ok()) s = events_.Open();
  if (s.ok()) s = events_.JoinGroup(RTNLGRP_LINK);
  if (s.ok()) s = events_.JoinGroup(RTNLGRP_IPV4_IFADDR);
  if (s.ok() && ipv6) s = events_.JoinGroup(RTNLGRP_IPV6_IFADDR);
  return s;
}

Result<NetEvent> EventSource::NextEvent(uint32_t timeout_ms, NetlinkSocket& nl) {
  const int64_t deadline = MonotonicMs() + timeout_ms;
  for (;;) {
    while (const nlmsghdr* msg = pending_.Next()) {
      NetEvent ev;
      if (DecodeNetEvent(msg, &ev)) return ev;
    }
    if (pending_claim_.kind == NetEventKind::kClaimed) {
      const NetEvent claim = pending_claim_;
      pending_claim_ = NetEvent();
      return claim;
    }
    const int64_t left = MsUntil(deadline, MonotonicMs());
    NetEvent ev;
    Result<bool> woke = Poll(static_cast<int>(left), &ev, nl);
    if (!woke.ok()) return woke.status();
    if (ev.kind != NetEventKind::kTimeout) return ev;
    if (!woke.value() && left == 0) return ev;
  }
}

Result<bool> EventSource::TakeClaim(const IpAddress& address, NetlinkSocket& nl,
                                    MacAddress* claimant) {
  if (pending_claim_.kind == NetEventKind::kClaimed && pending_claim_.address == address) {
    *claimant = pending_claim_.claimant;
    pending_claim_ = NetEvent();
    return true;
  }
  const int fd = claims_.FdOf(address);
  if (fd < 0) return false;
  NetEvent ev;
  bool may_answer_probe = false;
  Result<bool> claimed = TakeClaim(fd, &ev, nl, &may_answer_probe);
  if (claimed.ok() && claimed.value()) *claimant = ev.claimant;
  return claimed;
}

Result<bool> EventSource::ProbeClaims(const IpAddress& address, uint32_t window_ms,
                                      NetlinkSocket& nl, MacAddress* claimant) {
  Result<int> fd = claims_.Probe(address);
  if (!fd.ok()) return fd.status();
  const int64_t deadline = MonotonicMs() + window_ms;
  for (;;) {
    const int64_t left = MsUntil(deadline, MonotonicMs());
    pollfd p = {fd.value(), POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left));
    if (ready < 0)
      return Status::Errno(errno, "wait for an answer to the probe for %s", IpText(address).s);
    if (ready == 0) return false;
    NetEvent ev;
    bool may_answer = false;
    Result<bool> claimed = TakeClaim(fd.value(), &ev, nl, &may_answer);
    if (!claimed.ok()) return claimed.status();
    if (!claimed.value()) continue;
    if (may_answer) {
      *claimant = ev.claimant;
      return true;
    }
    pending_claim_ = ev;  // a claim of its own: the monitor hears it next
  }
}

Result<bool> EventSource::TakeClaim(int fd, NetEvent* ev, NetlinkSocket& nl,
                                    bool* may_answer_probe) {
  for (;;) {
    Result<bool> claimed =
        claims_.TakeClaim(fd, &ev->address, &ev->ifindex, &ev->claimant, may_answer_probe);
    if (!claimed.ok() || !claimed.value()) return claimed;
    // Unknown is not ours: a defence against this node's own MAC costs
    // four frames, a claim let pass may cost the address.
    Result<bool> own = IsNodeMac(nl, ev->claimant);
    if (own.ok() && own.value()) continue;
    ev->kind = NetEventKind::kClaimed;
    return true;
  }
}

Result<bool> EventSource::Poll(int timeout_ms, NetEvent* ev, NetlinkSocket& nl) {
  // The word first: an engine's restore must not wait behind a burst of
  // link events.
  pollfd fds[2 + ClaimWatch::kCapacity];
  fds[0] = pollfd{events_.fd(), POLLIN, 0};
  fds[1] = pollfd{words_.fd(), POLLIN, 0};
  const size_t count = 2 + claims_.PollFds(fds + 2, ClaimWatch::kCapacity);
  const int ready = poll(fds, count, timeout_ms);
  if (ready < 0) return Status::Errno(errno, "wait for netlink events, claims and words");
  if (ready == 0) return false;
  if (fds[1].revents != 0) {
    Result<bool> word = words_.TakeChange();
    if (!word.ok()) return word.status();
    if (word.value()) {
      ev->kind = NetEventKind::kWordChanged;
      return true;
    }
  }
  for (size_t i = 2; i < count; ++i) {
    if (fds[i].revents == 0) continue;
    bool may_answer_probe = false;  // no probe is waiting
    Result<bool> claimed = TakeClaim(fds[i].fd, ev, nl, &may_answer_probe);
    if (!claimed.ok() || claimed.value()) return claimed;
  }
  if (fds[0].revents == 0) return true;
  Result<size_t> got = events_.ReceiveEvent(0);
  if (!got.ok() && got.status().err() == ENOBUFS) {
    ev->kind = NetEventKind::kEventsLost;
    return true;
  }
  if (!got.ok()) return got.status();
  pending_ = MessageReader(events_.buffer(), got.value());
  return true;
}

}  // namespace ipres
