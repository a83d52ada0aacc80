// SPDX-License-Identifier: Apache-2.0
#include "net/duplicate_probe.h"

#include <errno.h>
#include <poll.h>

#include "base/clock.h"

namespace ipres {

int64_t DuplicateWindow::LeftMs(int64_t now_ms) const {
  return MsUntil(deadline_ms_, now_ms);
}

void DuplicateWindow::OnEchoReply(const EchoReply& reply) {
  if (verdict_ != Duplicate::kNone) return;
  if (reply.from == address_ && reply.sequence == kEchoSequence) verdict_ = Duplicate::kIcmpReply;
}

void DuplicateWindow::OnArpConflict() {
  if (verdict_ == Duplicate::kNone) verdict_ = Duplicate::kArpReply;
}

void DuplicateWindow::OnNdpConflict() {
  if (verdict_ == Duplicate::kNone) verdict_ = Duplicate::kNdpAnswer;
}

namespace {

// A reply pending on the probe's echo socket, for the window to judge.
Status TakeEchoReply(IcmpSocket& icmp, uint16_t id, DuplicateWindow& window) {
  EchoReply reply;
  Result<bool> got = icmp.ReceiveReply(id, &reply);
  if (!got.ok()) return got.status();
  if (got.value()) window.OnEchoReply(reply);
  return OkStatus();
}

// An answer from another of this node's devices (its MACs share the link)
// proves no other holder.
Result<bool> FromThisNode(MacFilter* macs, const MacAddress& mac) {
  if (macs == nullptr) return false;
  return macs->Excluded(mac);
}

}  // namespace

Result<Duplicate> ProbeForDuplicate(ArpSocket& arp, const MacAddress& own, const char* device,
                                    Ipv4 source, Ipv4 address, uint32_t window_ms,
                                    MacFilter* macs) {
  DuplicateWindow window(IpAddress(address), MonotonicMs(), window_ms);
  // Both probes go out before either answer is awaited: one window for both.
  Status s = arp.Drain();
  if (!s.ok()) return s;
  uint8_t frame[kArpFrameSize];
  s = arp.Send(frame, BuildArpProbe(own, address, frame, sizeof frame));
  if (!s.ok()) return s;
  IcmpSocket icmp;
  s = icmp.Open(AF_INET, device, source, false);
  if (!s.ok()) return s;
  const uint16_t id = RandomEchoIdentifier();
  s = icmp.SendEcho(address, id, DuplicateWindow::kEchoSequence, DuplicateWindow::kEchoPayload);
  if (!s.ok()) return s;

  while (window.verdict() == Duplicate::kNone) {
    const int64_t left = window.LeftMs(MonotonicMs());
    if (left == 0) break;
    pollfd fds[2] = {{icmp.fd(), POLLIN, 0}, {arp.fd(), POLLIN, 0}};
    if (poll(fds, 2, static_cast<int>(left)) < 0) {
      char a[16];
      return Status::Errno(errno, "duplicate check for %s on %s", FormatIpv4(address, a), device);
    }
    if (fds[0].revents & POLLIN) {
      Status s = TakeEchoReply(icmp, id, window);
      if (!s.ok()) return s;
      if (window.verdict() != Duplicate::kNone) continue;
    }
    if (fds[1].revents & POLLIN) {
      MacAddress who;
      Result<bool> conflict = arp.ReceiveConflict(own, address, &who);
      if (!conflict.ok()) return conflict.status();
      if (!conflict.value()) continue;
      Result<bool> ours = FromThisNode(macs, who);
      if (!ours.ok()) return ours.status();
      if (!ours.value()) window.OnArpConflict();
    }
  }
  return window.verdict();
}

namespace {

// One window of the IPv6 probe, the group joined: whichever answers first.
Result<Duplicate> AwaitNdpOrEcho(DuplicateWindow& window, NdpSocket& ndp, IcmpSocket& icmp,
                                 uint16_t id, const MacAddress& own, const Ipv6& address,
                                 const NdpNonce& nonce, SourceFilter* filter, MacFilter* macs) {
  while (window.verdict() == Duplicate::kNone) {
    const int64_t left = window.LeftMs(MonotonicMs());
    if (left == 0) break;
    pollfd fds[2] = {{icmp.fd(), POLLIN, 0}, {ndp.fd(), POLLIN, 0}};
    if (poll(fds, 2, static_cast<int>(left)) < 0) {
      return Status::Errno(errno, "duplicate check for %s on %s", IpText(address).s, ndp.device());
    }
    if (fds[0].revents & POLLIN) {
      Status s = TakeEchoReply(icmp, id, window);
      if (!s.ok()) return s;
      if (window.verdict() != Duplicate::kNone) continue;
    }
    if (fds[1].revents & POLLIN) {
      NdpMessage who;
      Result<bool> conflict = ndp.ReceiveConflict(address, own, nonce, &who);
      if (!conflict.ok()) return conflict.status();
      if (!conflict.value()) continue;
      // A message in this node's own name (its other devices share the link)
      // proves no other holder.
      if (filter && !IsUnspecified(who.source)) {
        Result<bool> ours = filter->Excluded(who.source);
        if (!ours.ok()) return ours.status();
        if (ours.value()) continue;
      }
      if (who.has_link_layer) {
        Result<bool> ours = FromThisNode(macs, who.link_layer);
        if (!ours.ok()) return ours.status();
        if (ours.value()) continue;
      }
      window.OnNdpConflict();
    }
  }
  return window.verdict();
}

}  // namespace

Result<Duplicate> ProbeForDuplicate(NdpSocket& ndp, const MacAddress& own, const char* device,
                                    const IpAddress& source, const Ipv6& address,
                                    uint32_t window_ms, SourceFilter* filter, MacFilter* macs) {
  DuplicateWindow window(address, MonotonicMs(), window_ms);
  Status s = ndp.Drain();
  if (!s.ok()) return s;
  s = ndp.JoinSolicitedNode(address);
  // Joined already: a leave after a failed window failed too.
  if (!s.ok() && s.err() != EADDRINUSE) return s;
  // Joined: the group is left whatever happens next.
  const NdpNonce nonce = RandomNdpNonce();
  const uint16_t id = RandomEchoIdentifier();
  IcmpSocket icmp;
  s = ndp.SendProbe(address, nonce);
  Status echo = s.ok() ? icmp.Open(AF_INET6, device, source, false) : s;
  if (echo.ok()) {
    echo =
        icmp.SendEcho(address, id, DuplicateWindow::kEchoSequence, DuplicateWindow::kEchoPayload);
  }
  // An echo the kernel cannot route (no prefix route before the add, no
  // usable source) leaves the probe, which needs neither, to decide alone.
  const int why = echo.err();
  if (why == ENETUNREACH || why == EHOSTUNREACH || why == EADDRNOTAVAIL) {
    icmp = IcmpSocket();
  } else if (s.ok()) {
    s = echo;
  }
  Result<Duplicate> seen = s;
  if (s.ok()) seen = AwaitNdpOrEcho(window, ndp, icmp, id, own, address, nonce, filter, macs);
  Status left = ndp.LeaveSolicitedNode(address);
  if (seen.ok() && !left.ok()) return left;
  return seen;
}

}  // namespace ipres
