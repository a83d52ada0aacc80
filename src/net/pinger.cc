// SPDX-License-Identifier: Apache-2.0
// The bookkeeping and the waiting of net/icmp.h: which replies count
// (EchoTracker), several targets on one socket (Pinger), one connectivity
// window (Ping). The wire format and the socket are in icmp.cc.
#include <errno.h>
#include <poll.h>

#include "base/clock.h"
#include "net/icmp.h"

namespace ipres {

bool EchoTracker::Init(const IpAddress* targets, size_t target_count, bool broadcast,
                       const IpAddress* exclude, size_t exclude_count) {
  *this = EchoTracker();
  if (target_count > kMaxTargets || exclude_count > kMaxExcluded) return false;
  for (size_t i = 0; i < target_count; ++i) targets_[i] = targets[i];
  for (size_t i = 0; i < exclude_count; ++i) exclude_[i] = exclude[i];
  target_count_ = target_count;
  exclude_count_ = exclude_count;
  broadcast_ = broadcast;
  return true;
}

void EchoTracker::NoteSent(size_t target, uint16_t sequence, int64_t sent_us) {
  Sent& s = sent_[sequence % kTracked];
  s.valid = target < target_count_;  // an out-of-range target never counts
  s.answered = false;
  s.sequence = sequence;
  s.target = static_cast<uint8_t>(target);
  s.sent_us = sent_us;
}

void EchoTracker::Forget(uint16_t sequence) {
  Sent& s = sent_[sequence % kTracked];
  if (s.sequence == sequence) s.valid = false;
}

bool EchoTracker::Expected(const EchoReply& reply) const {
  for (size_t i = 0; i < exclude_count_; ++i) {
    if (exclude_[i] == reply.from) return false;
  }
  const Sent& s = sent_[reply.sequence % kTracked];
  if (!s.valid || s.sequence != reply.sequence) return false;
  return broadcast_ || reply.from == targets_[s.target];
}

EchoTracker::Verdict EchoTracker::Judge(const EchoReply& reply, int64_t now_us, size_t* target,
                                        int64_t* rtt_us) {
  if (!Expected(reply)) return Verdict::kIgnored;
  Sent& s = sent_[reply.sequence % kTracked];
  *target = s.target;
  *rtt_us = now_us > s.sent_us ? now_us - s.sent_us : 0;
  if (s.answered) return Verdict::kDuplicate;
  s.answered = true;
  replied_[s.target] = true;
  return Verdict::kCounted;
}

Status Pinger::Open(const char* device, const IpAddress& source, bool broadcast,
                    const IpAddress* targets, size_t target_count, const IpAddress* exclude,
                    size_t exclude_count, SourceFilter* filter) {
  filter_ = filter;
  last_filtered_ = IpAddress();
  if (target_count == 0) return Status::Errno(EINVAL, "ping: no destination");
  if (!tracker_.Init(targets, target_count, broadcast, exclude, exclude_count)) {
    return Status::Errno(E2BIG, "ping %zu targets excluding %zu (at most %zu and %zu)",
                         target_count, exclude_count, EchoTracker::kMaxTargets,
                         EchoTracker::kMaxExcluded);
  }
  id_ = RandomEchoIdentifier();
  sequence_ = 0;
  // Of the targets' family.
  return socket_.Open(targets[0].af(), device, source, broadcast);
}

Status Pinger::Send(size_t target) {
  if (target >= tracker_.target_count()) return Status::Errno(EINVAL, "ping target %zu", target);
  uint16_t sequence = static_cast<uint16_t>(sequence_ + 1);
  // Noted before sending: a reply can beat the return from sendto.
  tracker_.NoteSent(target, sequence, MonotonicUs());
  Status st = socket_.SendEcho(tracker_.target(target), id_, sequence, kPayloadBytes);
  // A sequence that failed to go out still advances, as ping's does, but
  // must not let a forged reply count.
  sequence_ = sequence;
  if (!st.ok()) tracker_.Forget(sequence);
  return st;
}

Result<bool> Pinger::Wait(int64_t deadline_ms, PingEvent* out) {
  for (;;) {
    EchoReply reply;
    for (;;) {
      Result<bool> got = socket_.ReceiveReply(id_, &reply);
      if (!got.ok()) return got.status();
      if (!got.value()) break;
      if (filter_ && tracker_.Expected(reply)) {
        if (reply.from == last_filtered_) continue;
        Result<bool> excluded = filter_->Excluded(reply.from);
        if (!excluded.ok()) return excluded.status();
        if (excluded.value()) {
          last_filtered_ = reply.from;
          continue;
        }
      }
      EchoTracker::Verdict v = tracker_.Judge(reply, MonotonicUs(), &out->target, &out->rtt_us);
      if (v == EchoTracker::Verdict::kIgnored) continue;
      out->reply = reply;
      out->duplicate = v == EchoTracker::Verdict::kDuplicate;
      return true;
    }
    int64_t left = MsUntil(deadline_ms, MonotonicMs());
    if (left == 0) return false;
    pollfd p = {socket_.fd(), POLLIN, 0};
    int r = poll(&p, 1, left > 0x7fffffff ? 0x7fffffff : static_cast<int>(left));
    if (r < 0) return Status::Errno(errno, "poll on ICMP socket");
  }
}

Result<PingOutcome> Ping(const PingWindow& window, SourceFilter* filter) {
  int64_t deadline = MonotonicMs() + window.window_ms;
  Pinger pinger;
  Status st =
      pinger.Open(window.broadcast ? window.device : nullptr, window.source, window.broadcast,
                  window.targets, window.target_count, nullptr, 0, filter);
  if (!st.ok()) return st;
  // One target that cannot be reached must not hide the others.
  PingOutcome outcome;
  size_t sent = 0;
  for (size_t i = 0; i < window.target_count; ++i) {
    Status s = pinger.Send(i);
    if (s.ok()) {
      ++sent;
    } else if (s.err() == EINTR) {
      return s;
    } else if (outcome.send_error.ok()) {
      outcome.send_error = s;
    }
  }
  if (sent == 0) return outcome;
  PingEvent event;
  Result<bool> got = pinger.Wait(deadline, &event);
  if (!got.ok()) return got.status();
  outcome.replied = got.value();
  if (outcome.replied) outcome.responder = event.reply.from;
  return outcome;
}

}  // namespace ipres
