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

Result<Duplicate> ProbeForDuplicate(ArpSocket& arp, const MacAddress& own, const char* device,
                                    Ipv4 source, Ipv4 address, uint32_t window_ms) {
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
      EchoReply reply;
      Result<bool> got = icmp.ReceiveReply(id, &reply);
      if (!got.ok()) return got.status();
      if (got.value()) window.OnEchoReply(reply);
      if (window.verdict() != Duplicate::kNone) continue;
    }
    if (fds[1].revents & POLLIN) {
      Result<bool> conflict = arp.ReceiveConflict(own, address, nullptr);
      if (!conflict.ok()) return conflict.status();
      if (conflict.value()) window.OnArpConflict();
    }
  }
  return window.verdict();
}

}  // namespace ipres
