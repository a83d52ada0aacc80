#include "ops/common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "base/clock.h"
#include "base/text_fields.h"
#include "net/icmp.h"

namespace ipres {

void Op::Log(LogLevel level, const char* fmt, ...) const {
  char text[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  ipres::Log(level, "%s: %s: %s", r.tag, name, text);
}

Status Op::FailedStep(const Status& cause, bool with_context, const char* fmt, va_list ap) const {
  char step[Status::kMessageCapacity];
  vsnprintf(step, sizeof step, fmt, ap);
  return cause.err() == 0 ? Status::Fail("%s: failed: %s", step, cause.context())
         : with_context   ? Status::Errno(cause.err(), "%s: failed: %s", step, cause.context())
                          : Status::Errno(cause.err(), "%s: failed", step);
}

Status Op::Failed(const Status& cause, const char* fmt, ...) const {
  va_list ap;
  va_start(ap, fmt);
  Status s = FailedStep(cause, false, fmt, ap);
  va_end(ap);
  Log(LogLevel::kError, "%s", StatusText(s).c_str());
  return s;
}

Status Op::FailedWith(const Status& cause, const char* fmt, ...) const {
  va_list ap;
  va_start(ap, fmt);
  Status s = FailedStep(cause, true, fmt, ap);
  va_end(ap);
  Log(LogLevel::kError, "%s", StatusText(s).c_str());
  return s;
}

void Op::Warn(const Status& cause, const char* fmt, ...) const {
  va_list ap;
  va_start(ap, fmt);
  Status s = FailedStep(cause, true, fmt, ap);
  va_end(ap);
  Log(LogLevel::kWarning, "%s", StatusText(s).c_str());
}

Status Op::Error(const char* fmt, ...) const {
  char text[Status::kMessageCapacity];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  Log(LogLevel::kError, "%s", text);
  return Status::Fail("%s", text);
}

SecondsText::SecondsText(uint32_t ms) {
  FormatSeconds(ms, s, sizeof s);
}

TagLock::TagLock(const Op& op, LockIntent intent) : op_(op) {
  Result<bool> locked = op.host.LockTag(op.r.tag, intent);
  if (!locked.ok()) {
    status_ = op.FailedWith(locked.status(), "lock %s", op.r.tag);
  } else if (locked.value()) {
    op.Log(LogLevel::kInfo, "lock: a restore was running; it abandoned at this remove's request");
  }
}

TagLock::~TagLock() {
  if (status_.ok()) op_.host.UnlockTag();
}

namespace {

class DeviceReader final : public AddressVisitor {
 public:
  explicit DeviceReader(const Resource& r) : r_(r) {}
  void Reset() override { view = DeviceView(); }
  void OnAddress(const AddressInfo& a) override {
    if (a.address == r_.address) {
      if (!view.present) view.prefix = a.prefix;
      view.present = true;
      return;
    }
    if (a.secondary || view.physical_in_subnet) return;
    if (NetworkOf(a.address, r_.prefix) == NetworkOf(r_.address, r_.prefix)) {
      view.physical = a.address;
      view.physical_in_subnet = true;
    } else if (view.physical.value == 0) {
      view.physical = a.address;
    }
  }
  DeviceView view;

 private:
  const Resource& r_;
};

}  // namespace

Result<DeviceView> ReadDevice(const Op& op) {
  DeviceReader reader(op.r);
  Status s = op.host.VisitAddresses(op.r.device, reader);
  if (!s.ok()) return s;
  return reader.view;
}

Status CheckLink(const Op& op, Bounce bounce) {
  const char* dev = op.r.device;
  if (op.r.t.no_link_check) {
    op.Log(LogLevel::kInfo, "link check: skipped (IP_NOLINKCHECK=1)");
    return OkStatus();
  }
  Result<LinkState> link = op.host.GetLink(dev);
  if (!link.ok()) return op.Failed(link.status(), "link check: %s", dev);
  if (link.value().admin_up && link.value().carrier) {
    op.Log(LogLevel::kInfo, "link check: %s up", dev);
    return OkStatus();
  }
  const char* why = link.value().admin_up ? "up without carrier (NO-CARRIER)" : "down";
  if (bounce == Bounce::kNo) return op.Error("link check: %s is %s", dev, why);

  op.Log(LogLevel::kWarning, "link check: %s is %s: taking it down and up once", dev, why);
  // Recorded first: if this process is killed while the device is down,
  // the next operation on the tag brings it up.
  Status s = op.host.MarkUnfinished(op.r.tag, kDeviceDown);
  if (!s.ok()) return op.FailedWith(s, "link check: record that %s goes down", dev);
  s = op.host.SetLinkUp(dev, false);
  if (!s.ok()) return op.Failed(s, "link check: take %s down", dev);
  op.host.SleepMs(op.r.t.wait_linkdown_ms);
  s = op.host.SetLinkUp(dev, true);
  if (!s.ok()) return op.Failed(s, "link check: bring %s up", dev);
  ClearUnfinished(op, kDeviceDown);
  if (op.host.StopRequested()) return op.Error("link check: stopped by signal");
  Result<bool> carrier = op.host.WaitForCarrier(dev, op.r.t.max_linkchk_ms);
  if (!carrier.ok()) return op.Failed(carrier.status(), "link check: wait for carrier on %s", dev);
  if (op.host.StopRequested()) return op.Error("link check: stopped by signal");
  if (!carrier.value()) {
    return op.Error("link check: %s still down %s s after bringing it up (IP_MAX_LINKCHK)", dev,
                    SecondsText(op.r.t.max_linkchk_ms).s);
  }
  op.Log(LogLevel::kInfo, "link check: %s up after taking it down and up", dev);
  return OkStatus();
}

Result<uint32_t> RepairUnfinished(const Op& op) {
  Result<uint32_t> left = op.host.Unfinished(op.r.tag);
  if (!left.ok())
    return op.FailedWith(left.status(), "read what was left unfinished on %s", op.r.tag);
  if (left.value() & kDeviceDown) {
    const char* dev = op.r.device;
    op.Log(LogLevel::kWarning, "a killed operation left %s down for its link check: bringing it up",
           dev);
    Status s = op.host.SetLinkUp(dev, true);
    if (!s.ok() && s.err() != ENODEV) return op.Failed(s, "bring %s up", dev);
    op.Log(LogLevel::kInfo, "bring %s up: %s", dev, s.ok() ? "done" : "no such device");
    ClearUnfinished(op, kDeviceDown);
  }
  return left.value() & ~static_cast<uint32_t>(kDeviceDown);
}

void ClearUnfinished(const Op& op, uint32_t steps) {
  Status s = op.host.ClearUnfinished(op.r.tag, steps);
  if (!s.ok()) op.Warn(s, "record that %s is finished", op.r.tag);
}

bool ConnectivityCheckPings(const Tunables& t) {
  return t.ping_list_count > 0 || !t.no_bcast_ping;
}

namespace {

// One ping window, cut to what is left of the deadline. An error when the
// deadline has passed without a reply, or a stop was requested meanwhile.
Result<bool> PingWithin(const Op& op, PingWindow w, const char* kind, const Deadline* deadline) {
  w.window_ms = op.r.t.ping_time_ms;
  if (deadline) {
    int64_t left = MsUntil(deadline->at_ms, op.host.NowMs());
    if (left == 0) {
      return op.Error("%s timed out after %s s (IP_QUICKCHECK_TIMEOUT)", op.name,
                      SecondsText(deadline->timeout_ms).s);
    }
    if (left < w.window_ms) w.window_ms = static_cast<uint32_t>(left);
  }
  Result<PingOutcome> ping = op.host.Ping(w);
  if (!ping.ok()) {
    return op.Failed(ping.status(), "connectivity check: %s ping from %s%s%s", kind,
                     IpText(w.source).s, w.broadcast ? " on " : "", w.broadcast ? w.device : "");
  }
  if (op.host.StopRequested()) return op.Error("connectivity check: stopped by signal");
  const PingOutcome& outcome = ping.value();
  if (!outcome.replied && !outcome.send_error.ok()) {
    op.Log(LogLevel::kWarning,
           "connectivity check: %s ping from %s not sent, counted as no reply: %s", kind,
           IpText(w.source).s, StatusText(outcome.send_error).c_str());
  }
  if (!outcome.replied && deadline && op.host.NowMs() >= deadline->at_ms) {
    return op.Error("%s timed out after %s s (IP_QUICKCHECK_TIMEOUT)", op.name,
                    SecondsText(deadline->timeout_ms).s);
  }
  return outcome.replied;
}

}  // namespace

Status CheckConnectivity(const Op& op, Ipv4 source, const Deadline* deadline) {
  const Tunables& t = op.r.t;
  if (!ConnectivityCheckPings(t)) {
    op.Log(LogLevel::kInfo, "connectivity check: skipped (no PINGLIST and NOBCASTPING=1)");
    return OkStatus();
  }
  const Ipv4 broadcast = BroadcastOf(op.r.address, op.r.prefix);
  for (uint32_t attempt = 1; attempt <= t.ping_tries; ++attempt) {
    if (t.ping_list_count > 0) {
      PingWindow w;
      w.device = op.r.device;
      w.source = source;
      w.targets = t.ping_list;
      w.target_count = t.ping_list_count;
      Result<bool> reply = PingWithin(op, w, "unicast", deadline);
      if (!reply.ok()) return reply.status();
      if (reply.value()) {
        op.Log(LogLevel::kInfo, "connectivity check: attempt %u of %u: PINGLIST answered", attempt,
               t.ping_tries);
        return OkStatus();
      }
      op.Log(LogLevel::kWarning, "connectivity check: attempt %u of %u: no reply from PINGLIST",
             attempt, t.ping_tries);
      if (t.no_bcast_ping) continue;
    }
    PingWindow w;
    w.device = op.r.device;
    w.source = source;
    w.targets = &broadcast;
    w.target_count = 1;
    w.broadcast = true;
    Result<bool> reply = PingWithin(op, w, "broadcast", deadline);
    if (!reply.ok()) return reply.status();
    if (reply.value()) {
      op.Log(LogLevel::kInfo, "connectivity check: attempt %u of %u: broadcast to %s answered",
             attempt, t.ping_tries, IpText(broadcast).s);
      return OkStatus();
    }
    op.Log(LogLevel::kWarning, "connectivity check: attempt %u of %u: no reply to broadcast %s",
           attempt, t.ping_tries, IpText(broadcast).s);
  }
  return op.Error("connectivity check: no reply in %u attempt%s", t.ping_tries,
                  t.ping_tries == 1 ? "" : "s");
}

Status RecordWanted(const Op& op, bool wanted) {
  Status s = op.host.SetWanted(op.r.tag, wanted);
  if (s.ok()) return s;
  return op.FailedWith(s, "record that %s is %swanted here", op.r.tag, wanted ? "" : "not ");
}

Status AcceptAbandonRequests(const Op& op) {
  Status s = op.host.AcceptAbandonRequests();
  if (s.ok()) return s;
  return op.FailedWith(s, "record the lock holder of %s", op.r.tag);
}

bool AnnounceAddress(const Op& op) {
  const Resource& r = op.r;
  const Ipv4 broadcast = BroadcastOf(r.address, r.prefix);
  struct Garp {
    Ipv4 target;
    GarpKind kind;
  };
  const Garp garps[] = {{r.address, GarpKind::kRequest},
                        {r.address, GarpKind::kReply},
                        {broadcast, GarpKind::kRequest},
                        {broadcast, GarpKind::kReply}};
  bool all_sent = true;
  for (const Garp& g : garps) {
    const char* kind = g.kind == GarpKind::kRequest ? "request" : "reply";
    Status s = op.host.SendGratuitousArp(r.device, r.address, g.target, g.kind);
    if (s.ok()) {
      op.Log(LogLevel::kInfo, "gratuitous ARP %s for %s to %s on %s: sent", kind,
             IpText(r.address).s, IpText(g.target).s, r.device);
    } else {
      op.Warn(s, "gratuitous ARP %s for %s to %s on %s", kind, IpText(r.address).s,
              IpText(g.target).s, r.device);
      all_sent = false;
    }
  }
  return all_sent;
}

}  // namespace ipres
