// SPDX-License-Identifier: Apache-2.0
// monitor: keep the watched resources in service. A kernel event (the address
// leaving its device, the carrier dropping) means a quickCheck now, and
// recover when it fails; else quickCheck every LKCHECKINTERVAL. An address
// that comes up is announced again GARP_REPEAT_DELAY later, then every
// GARP_REFRESH. A failed recover backs off, with jitter.
// While it holds an address it listens for other hosts claiming it and
// probes for one at each check (ops/conflict_watch.h). It follows the last
// word on each tag, and acts on a new one at once (ops/monitor_word.h).
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>

#include "base/clock.h"
#include "ops/announce.h"
#include "ops/conflict_watch.h"
#include "ops/device_view.h"
#include "ops/monitor_announce.h"
#include "ops/monitor_op.h"
#include "ops/monitor_recovery.h"
#include "ops/monitor_word.h"
#include "ops/op.h"
#include "ops/ops.h"
#include "ops/periodic_check.h"

namespace ipres {
namespace {

// The longest one wait for an event lasts. The schedule needs no bound: this one brings its
// int64_t (kNever too) within NextEvent's uint32_t, at the cost of one idle wake-up a minute.
constexpr uint32_t kLongestEventWaitMs = 60000;
constexpr int64_t kNever = INT64_MAX;
// How often it looks whether a restore that spoke still runs (see OnWordChanged).
constexpr int64_t kWriterPollMs = 100;
constexpr uint32_t kEventRetryMs = 1000;

struct Watch {
  const Resource* r = nullptr;
  int ifindex = 0;      // of r->device, 0 while unknown
  bool carrier = true;  // as last seen, so only changes trigger a check
  int64_t next_check_ms = 0;
  bool checked = false;  // its first pass is logged even unchanged: where it stood
  Announcement announce;
  RecoveryState recovery;
  ConflictWatch conflict;
  Word word;                     // the last word as last read
  bool take_down_next = false;   // a new word that is not a restore: see to it
  bool awaiting_writer = false;  // a new restore's process still runs
};

class Monitor {
 public:
  Monitor(Host& host, Watch* watches, size_t count)
      : host_(host), watches_(watches), count_(count) {}

  Status Run() {
    bool ipv6 = false;
    for (size_t i = 0; i < count_; ++i) ipv6 |= watches_[i].r->address.is_v6();
    Status s = host_.WatchEvents(ipv6);
    if (!s.ok()) {
      Log(LogLevel::kError, "%s: subscribe to link and address events: %s", kMonitorName,
          StatusText(s).c_str());
      return s;
    }
    const int64_t now = host_.NowMs();
    for (size_t i = 0; i < count_; ++i) {
      Watch& w = watches_[i];
      Result<LinkState> link = host_.GetLink(w.r->device);
      if (link.ok()) {
        w.ifindex = link.value().ifindex;
        w.carrier = link.value().admin_up && link.value().carrier;
      }
      w.next_check_ms = now;  // find out where each resource stands now
      w.word = LastWordOf(host_, *w.r);
      OpOf(w).Log(LogLevel::kInfo, "watching %s on %s, quickCheck every %s s",
                  IpText(w.r->address).s, w.r->device, SecondsText(w.r->t.lkcheck_interval_ms).s);
    }
    while (!host_.StopRequested()) {
      RunDueWork();
      if (host_.StopRequested()) break;
      Result<NetEvent> ev = host_.NextEvent(MsToNextWork());
      if (!ev.ok()) {
        if (host_.StopRequested()) break;
        Log(LogLevel::kError, "%s: reading events: %s; retrying in %s s", kMonitorName,
            StatusText(ev.status()).c_str(), SecondsText(kEventRetryMs).s);
        host_.SleepMs(kEventRetryMs);
        continue;
      }
      OnEvent(ev.value());
    }
    Log(LogLevel::kInfo, "%s: stopping on request", kMonitorName);
    return OkStatus();
  }

 private:
  uint32_t MsToNextWork() const {
    int64_t next = kNever;
    for (size_t i = 0; i < count_; ++i) {
      if (watches_[i].next_check_ms < next) next = watches_[i].next_check_ms;
      if (watches_[i].announce.due_ms < next) next = watches_[i].announce.due_ms;
      if (watches_[i].conflict.next_due_ms() < next) next = watches_[i].conflict.next_due_ms();
      if (watches_[i].awaiting_writer) next = std::min(next, host_.NowMs() + kWriterPollMs);
    }
    return static_cast<uint32_t>(
        std::min<int64_t>(MsUntil(next, host_.NowMs()), kLongestEventWaitMs));
  }

  Op OpOf(const Watch& w) const { return MonitorOp(host_, *w.r); }

  // Logs "WHAT: checking now" and makes w's check due at `now`.
  __attribute__((format(printf, 5, 6))) void CheckNow(Watch& w, int64_t now, LogLevel level,
                                                      const char* what_fmt, ...) {
    char what[Status::kMessageCapacity];
    va_list ap;
    va_start(ap, what_fmt);
    vsnprintf(what, sizeof what, what_fmt, ap);
    va_end(ap);
    OpOf(w).Log(level, "%s: checking now", what);
    w.next_check_ms = now;
  }

  void OnEvent(const NetEvent& ev) {
    const int64_t now = host_.NowMs();
    for (size_t i = 0; i < count_; ++i) {
      Watch& w = watches_[i];
      const Resource& r = *w.r;
      switch (ev.kind) {
        case NetEventKind::kTimeout:
          break;
        case NetEventKind::kEventsLost:
          CheckNow(w, now, LogLevel::kWarning, "kernel events were lost");
          break;
        case NetEventKind::kLinkChanged:
          if (strcmp(ev.device, r.device) == 0) OnLinkChanged(w, ev, now);
          break;
        case NetEventKind::kAddressRemoved:
          if (ev.ifindex != w.ifindex || ev.address != r.address) break;
          CheckNow(w, now, LogLevel::kWarning, "%s left %s", IpText(r.address).s, r.device);
          w.announce = Announcement();
          break;
        case NetEventKind::kAddressAdded:
          if (ev.ifindex != w.ifindex || ev.address != r.address) break;
          if (ev.dad_failed) {
            // The kernel's DAD on an address added without NODAD (by hand)
            // found another holder: the address no longer works here.
            CheckNow(w, now, LogLevel::kWarning, "%s on %s is dadfailed", IpText(r.address).s,
                     r.device);
            w.announce = Announcement();
          } else if (!ev.tentative) {  // a tentative one is announced once DAD is done
            w.announce = ScheduleAnnouncement(OpOf(w), now, r.t.garp_repeat_delay_ms, "came up on");
            w.conflict.Watch(OpOf(w));
          }
          break;
        case NetEventKind::kClaimed:
          if (ev.ifindex != w.ifindex || ev.address != r.address) break;
          w.conflict.OnClaim(OpOf(w), ev.claimant);
          break;
        case NetEventKind::kWordChanged:
          OnWordChanged(w, now);
          break;
      }
    }
  }

  // contract "Devices": a device that comes back (created again, or another
  // renamed to the name: a new index) or whose carrier returns is checked at
  // once, and the back-off starts over.
  void OnLinkChanged(Watch& w, const NetEvent& ev, int64_t now) {
    const Resource& r = *w.r;
    const bool came_back = ev.ifindex != w.ifindex;
    w.ifindex = ev.ifindex;
    if (came_back) {
      CheckNow(w, now, LogLevel::kInfo, "%s is back (index %d)", r.device, ev.ifindex);
      w.carrier = ev.carrier;
      w.recovery = RecoveryState{};
      return;
    }
    if (ev.carrier == w.carrier) return;
    w.carrier = ev.carrier;
    if (!ev.carrier) {
      CheckNow(w, now, LogLevel::kWarning, "%s is down or lost carrier", r.device);
    } else if (w.recovery.failures > 0) {
      CheckNow(w, now, LogLevel::kInfo, "%s has carrier again", r.device);
      w.recovery = RecoveryState{};
    }
  }

  // A new word is seen to now, not at the next check: a restore killed
  // after it spoke is completed, a remove killed after it spoke finished.
  void OnWordChanged(Watch& w, int64_t now) {
    bool readable = true;
    const Word word = LastWordOf(host_, *w.r, &readable);
    if (!readable || word == w.word) return;
    w.word = word;
    const bool restore = word.kind == WordKind::kRestore;
    // Its restore, still running, does the job: a check now would race it for
    // the lock; once it ends (SIGKILLed too), a check sees what it left.
    w.awaiting_writer = restore && word.writer_running;
    if (w.awaiting_writer) {
      OpOf(w).Log(LogLevel::kInfo, "new word: restore (process %d): checking once it ends",
                  word.writer);
      return;
    }
    w.take_down_next = !restore;
    w.recovery = RecoveryState{};
    if (restore) return CheckNow(w, now, LogLevel::kInfo, "new word: restore");
    OpOf(w).Log(LogLevel::kInfo, "new word: remove: leaving it alone once the address is gone");
    w.next_check_ms = now;
  }

  void AwaitWriter(Watch& w) {
    const Word word = LastWordOf(host_, *w.r);
    if (word == w.word && word.writer_running) return;
    w.awaiting_writer = false;
    if (word != w.word) return OnWordChanged(w, host_.NowMs());
    w.recovery = RecoveryState{};
    w.next_check_ms = host_.NowMs();
  }

  void RunDueWork() {
    for (size_t i = 0; i < count_ && !host_.StopRequested(); ++i) {
      Watch& w = watches_[i];
      if (w.awaiting_writer) AwaitWriter(w);
      if (host_.NowMs() >= w.next_check_ms) Check(w);
      if (!host_.StopRequested() && host_.NowMs() >= w.conflict.next_due_ms()) {
        w.conflict.DefendIfDue(OpOf(w));
      }
      if (!host_.StopRequested() && host_.NowMs() >= w.announce.due_ms) {
        w.announce = AnnounceWhenFree(host_, *w.r, w.conflict, w.announce);
      }
    }
  }

  void Check(Watch& w) {
    const Resource& r = *w.r;
    FinishUnfinished(host_, r);
    if (host_.StopRequested()) return;
    // The last word wins, whatever AUTOSTART says: looked after only while
    // it is a restore.
    if (LastWordOf(host_, r).kind != WordKind::kRestore) {
      if (w.take_down_next) TakeDownAfterRemove(host_, r);
      w.take_down_next = false;
      w.recovery.failures = 0;
      w.next_check_ms = host_.NowMs() + r.t.lkcheck_interval_ms;
      return;
    }
    w.take_down_next = false;
    // A holder that announces nothing answers the probe: its answer must be
    // in before the verdict, or a recover would hand it the address. Without
    // carrier nobody can answer, and the recover should not wait for that.
    if (w.carrier) w.conflict.Probe(OpOf(w));
    if (host_.StopRequested()) return;
    const int64_t checked_at = host_.NowMs();
    Status healthy = CheckQuietly(host_, r, CheckKind::kMonitor, QuickCheckSteps,
                                  w.checked ? PassLine::kWhenChanged : PassLine::kAlways);
    const bool first = !w.checked;
    w.checked = true;
    int64_t now = host_.NowMs();
    // Up before the monitor started (the init script restores first): no
    // event will say so, yet GARP_REPEAT_DELAY and GARP_REFRESH apply.
    if (first && healthy.ok() && w.announce.due_ms == kNoAnnouncement) {
      w.announce = ScheduleAnnouncement(OpOf(w), now, r.t.garp_repeat_delay_ms, "is on");
    }
    if (healthy.ok() ||
        (!host_.StopRequested() && w.conflict.ExplainsFailure(OpOf(w), checked_at))) {
      w.recovery.failures = 0;
      w.next_check_ms = now + r.t.lkcheck_interval_ms;
      return;
    }
    if (host_.StopRequested()) return;
    w.next_check_ms = RecoverWithBackoff(host_, r, w.recovery);
  }

  Host& host_;
  Watch* watches_;
  size_t count_;
};

}  // namespace

Status RunMonitor(Host& host, const Resource* const* resources, size_t count) {
  Watch watches[kMaxResources];
  if (count == 0) {
    Log(LogLevel::kError, "%s: nothing to watch (no resource given)", kMonitorName);
    return Status::Fail("nothing to watch");
  }
  if (count > kMaxResources) {
    Log(LogLevel::kError, "%s: %zu resources given, more than the %zu it can watch", kMonitorName,
        count, kMaxResources);
    return Status::Fail("too many resources to watch");
  }
  for (size_t i = 0; i < count; ++i) watches[i].r = resources[i];
  return Monitor(host, watches, count).Run();
}

}  // namespace ipres
