// SPDX-License-Identifier: Apache-2.0
#include "mock_host.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "captured_stderr.h"
#include "cmocka_cxx.h"

namespace ipres {
namespace {

IpAddress ParseOrDie(const char* text) {
  IpAddress a;
  if (!ParseIpAddress(text, &a)) fail_msg("bad address '%s' in a test", text);
  return a;
}

// Appends "a,b,c" to out.
void JoinAddresses(const IpAddress* list, size_t count, char* out, size_t size) {
  size_t used = strlen(out);
  for (size_t i = 0; i < count && used < size; ++i) {
    int n = snprintf(out + used, size - used, "%s%s", i ? "," : "", IpText(list[i]).s);
    if (n > 0) used += static_cast<size_t>(n);
  }
}

}  // namespace

MockHost::MockHost() {
  eth0_link.ifindex = 2;
  eth0_link.admin_up = true;
  eth0_link.carrier = true;
  AddDeviceAddress("eth0", "192.0.2.2", 24);
  AddDeviceAddress("eth1", "10.9.9.9", 8);
  AddDeviceAddress("lo", "127.0.0.1", 8);
}

bool MockHost::Known(const char* device) {
  return !strcmp(device, "eth0") || !strcmp(device, "eth1") || !strcmp(device, "lo");
}

void MockHost::Record(const char* method, const char* fmt, ...) {
  // No failure from inside the code under test: cmocka's jump out of it
  // would skip its destructors (a LogHold, a CapturedStderr) and break the
  // tests after this one. ExpectCalls and ExpectStopConditionMet report it.
  if (call_count == kMaxCalls) {
    ++dropped_calls;
    return;
  }
  char* line = calls[call_count];
  const int named = snprintf(line, sizeof calls[0], "%s", method);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line + named, sizeof calls[0] - static_cast<size_t>(named), fmt, ap);
  va_end(ap);
  ++call_count;
}

void MockHost::RecordState(const char* method, const char* fmt, ...) {
  if (state_call_count == kMaxStateCalls) fail_msg("more than %zu state calls", kMaxStateCalls);
  char text[40];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  snprintf(state_calls[state_call_count++], sizeof state_calls[0], "%s%s @%zu", method, text,
           call_count);
}

int MockHost::Find(const char* prefix, size_t from) const {
  for (size_t i = from; i < call_count; ++i) {
    if (!strncmp(calls[i], prefix, strlen(prefix))) return static_cast<int>(i);
  }
  return -1;
}

void MockHost::AddDeviceAddress(const char* device, const char* address, uint8_t prefix,
                                bool secondary) {
  Address& a = addresses_[address_count_++];
  snprintf(a.device, sizeof a.device, "%s", device);
  a.address = ParseOrDie(address);
  a.prefix = prefix;
  a.secondary = secondary;
  a.tentative = false;
  a.dad_failed = false;
  a.deprecated = false;
}

void MockHost::MarkDad(const char* device, const char* address, bool tentative, bool dad_failed) {
  const IpAddress want = ParseOrDie(address);
  for (size_t i = 0; i < address_count_; ++i) {
    Address& a = addresses_[i];
    if (strcmp(a.device, device) || a.address != want) continue;
    a.tentative = tentative;
    a.dad_failed = dad_failed;
    return;
  }
  fail_msg("MarkDad: %s not on %s", address, device);
}

void MockHost::MarkDeprecated(const char* device, const char* address, bool deprecated) {
  const IpAddress want = ParseOrDie(address);
  for (size_t i = 0; i < address_count_; ++i) {
    Address& a = addresses_[i];
    if (strcmp(a.device, device) || a.address != want) continue;
    a.deprecated = deprecated;
    return;
  }
  fail_msg("MarkDeprecated: %s not on %s", address, device);
}

void MockHost::ClearDevice(const char* device) {
  size_t kept = 0;
  for (size_t i = 0; i < address_count_; ++i) {
    if (strcmp(addresses_[i].device, device)) addresses_[kept++] = addresses_[i];
  }
  address_count_ = kept;
}

bool MockHost::Holds(const char* device, const char* address) const {
  IpAddress want = ParseOrDie(address);
  for (size_t i = 0; i < address_count_; ++i) {
    if (!strcmp(addresses_[i].device, device) && addresses_[i].address == want) return true;
  }
  return false;
}

Result<LinkState> MockHost::GetLink(const char* device) {
  Record(__func__, " %s", device);
  Status s;
  LinkState state;
  if (get_link.Pop(&s, &state)) {
    if (!s.ok()) return s;
    return state;
  }
  if (!Known(device)) return Status::Errno(ENODEV, "link %s", device);
  return eth0_link;
}

Result<bool> MockHost::GetMacvlanBase(const char* device, char* base) {
  Record(__func__, " %s", device);
  if (!Known(device)) return Status::Errno(ENODEV, "link %s", device);
  if (base_device == nullptr) return false;
  snprintf(base, kIfNameCapacity, "%s", base_device);
  return true;
}

Status MockHost::SetLinkUp(const char* device, bool up) {
  Record(__func__, " %s %s", device, up ? "up" : "down");
  Status s;
  bool ignored;
  if (set_link_up.Pop(&s, &ignored) && !s.ok()) return s;
  if (!up && (unfinished & kDeviceDown) == 0) ++unrecorded_changes;
  eth0_link.admin_up = up;
  if (!up) eth0_link.carrier = false;
  return OkStatus();
}

Result<bool> MockHost::WaitForCarrier(const char* device, uint32_t timeout_ms) {
  Record(__func__, " %s %u", device, timeout_ms);
  Status s;
  bool back = carrier_returns;
  if (wait_for_carrier.Pop(&s, &back) && !s.ok()) return s;
  if (!back) {
    now_ms += timeout_ms;
    return false;
  }
  eth0_link.carrier = true;
  return true;
}

Status MockHost::VisitAddresses(int af, const char* device, AddressVisitor& visitor) {
  Record(__func__, " %s%s", af == AF_INET6 ? "-6 " : "", device ? device : "*");
  now_ms += list_cost_ms;
  Status s;
  bool ignored;
  if (visit_addresses.Pop(&s, &ignored) && !s.ok()) return s;
  if (device && !Known(device)) return Status::Errno(ENODEV, "addresses of %s", device);
  visitor.Reset();
  for (size_t n = 0; n < address_count_; ++n) {
    // As the kernel: IPv4 in the order added, IPv6 newest first.
    const size_t i = af == AF_INET6 ? address_count_ - 1 - n : n;
    if (device && strcmp(addresses_[i].device, device)) continue;
    if (addresses_[i].address.af() != af) continue;
    AddressInfo a;
    a.ifindex = 2;
    a.address = addresses_[i].address;
    a.prefix = addresses_[i].prefix;
    a.secondary = addresses_[i].secondary;
    a.tentative = addresses_[i].tentative;
    a.dad_failed = addresses_[i].dad_failed;
    a.deprecated = addresses_[i].deprecated;
    visitor.OnAddress(a);
  }
  return OkStatus();
}

Status MockHost::AddAddress(const char* device, const IpAddress& address, uint8_t prefix,
                            SourceUse use) {
  const IpText text(address);
  const char* a = text.s;
  const bool deprecated = address.is_v6() && use == SourceUse::kDeprecated;
  if (address.is_v6()) {
    Record(__func__, " %s %s/%u nodad%s", device, a, prefix, deprecated ? " deprecated" : "");
  } else {
    Record(__func__, " %s %s/%u brd %s", device, a, prefix,
           IpText(BroadcastOf(address.v4(), prefix)).s);
  }
  Status s;
  bool ignored;
  if (add_address.Pop(&s, &ignored) && !s.ok()) return s;
  if (!Known(device)) return Status::Errno(ENODEV, "add on %s", device);
  if (Holds(device, a)) return Status::Errno(EEXIST, "add %s", a);
  if ((unfinished & kAddressAdded) == 0) ++unrecorded_changes;
  AddDeviceAddress(device, a, prefix);
  addresses_[address_count_ - 1].deprecated = deprecated;
  return OkStatus();
}

Status MockHost::ReplaceAddress(const char* device, const IpAddress& address, uint8_t prefix,
                                SourceUse use) {
  const bool deprecated = use == SourceUse::kDeprecated;
  Record(__func__, " %s %s/%u nodad%s", device, IpText(address).s, prefix,
         deprecated ? " deprecated" : "");
  Status s;
  bool ignored;
  if (replace_address.Pop(&s, &ignored) && !s.ok()) return s;
  for (size_t i = 0; i < address_count_; ++i) {
    if (!strcmp(addresses_[i].device, device) && addresses_[i].address == address) {
      addresses_[i].deprecated = deprecated;
      return OkStatus();
    }
  }
  return Status::Errno(ENOENT, "replace %s", IpText(address).s);
}

Status MockHost::DeleteAddress(const char* device, const IpAddress& address, uint8_t prefix) {
  const IpText a(address);
  Record(__func__, " %s %s/%u", device, a.s, prefix);
  Status s;
  bool ignored;
  const bool scripted = delete_address.Pop(&s, &ignored) && !s.ok();
  for (size_t i = 0; i < address_count_; ++i) {
    if (!strcmp(addresses_[i].device, device) && addresses_[i].address == address &&
        (addresses_[i].prefix == prefix || (scripted && s.err() == EADDRNOTAVAIL))) {
      if (scripted && s.err() != EADDRNOTAVAIL) return s;
      if (readd_after_delete > 0) {
        --readd_after_delete;
        return scripted ? s : OkStatus();
      }
      addresses_[i] = addresses_[--address_count_];
      return scripted ? s : OkStatus();
    }
  }
  if (scripted) return s;
  return Status::Errno(EADDRNOTAVAIL, "delete %s", a.s);
}

Status MockHost::FlushNeighbours(const char* device) {
  Record(__func__, " %s", device);
  Status s;
  bool ignored;
  flush_neighbours.Pop(&s, &ignored);
  return s;
}

Status MockHost::ArpAnnounce(const char* device, Ipv4 address, Ipv4 target, GarpKind kind) {
  Record(__func__, " %s %s %s to %s", device, kind == GarpKind::kRequest ? "request" : "reply",
         IpText(address).s, IpText(target).s);
  Status s;
  bool ignored;
  garp.Pop(&s, &ignored);
  return s;
}

Status MockHost::NdpAnnounce(const char* device, const Ipv6& address) {
  Record(__func__, " %s %s", device, IpText(address).s);
  Status s;
  bool ignored;
  garp.Pop(&s, &ignored);
  return s;
}

Status MockHost::SetRouteSource(const char* device, const IpAddress& network, uint8_t prefix,
                                const IpAddress& source) {
  Record(__func__, " %s %s/%u src %s", device, IpText(network).s, prefix, IpText(source).s);
  Status s;
  bool ignored;
  if (set_route_source.Pop(&s, &ignored) && !s.ok()) return s;
  subnet_route_source = source;
  return s;
}

Result<IpAddress> MockHost::GetRouteSource(const char* device, const IpAddress& network,
                                           uint8_t prefix) {
  Record(__func__, " %s %s/%u", device, IpText(network).s, prefix);
  Status s;
  IpAddress source = subnet_route_source;
  if (route_source.Pop(&s, &source) && !s.ok()) return s;
  return source;
}

Status MockHost::EnsureSubnetRoute(const char* device, const IpAddress& network, uint8_t prefix,
                                   const IpAddress& source) {
  Record(__func__, " %s %s/%u src %s", device, IpText(network).s, prefix, IpText(source).s);
  Status s;
  bool ignored;
  ensure_subnet_route.Pop(&s, &ignored);
  return s;
}

Status MockHost::DeleteHostRoute(const char* device, const IpAddress& address) {
  Record(__func__, " %s %s", device, IpText(address).s);
  Status s;
  bool ignored;
  delete_host_route.Pop(&s, &ignored);
  return s;
}

void MockHost::FlushRouteCache(int af) {
  Record(__func__, "%s", af == AF_INET6 ? " -6" : "");
}

Result<Duplicate> MockHost::ProbeForDuplicate(const char* device, const IpAddress& source,
                                              const IpAddress& address, uint32_t window_ms) {
  const IpText a(address);
  Record(__func__, " %s from %s for %s in %u", device, IpText(source).s, a.s, window_ms);
  if (added_during_duplicate_check) AddDeviceAddress("eth0", a.s, address.is_v6() ? 64 : 24);
  Status s;
  Duplicate seen = Duplicate::kNone;
  check_duplicate.Pop(&s, &seen);
  // A holder answers at once, unless told to take its time; silence lasts
  // the whole window.
  now_ms += seen != Duplicate::kNone && duplicate_answer_ms >= 0
                ? static_cast<uint32_t>(duplicate_answer_ms)
                : window_ms;
  if (!s.ok()) return s;
  return seen;
}

Result<PingOutcome> MockHost::Ping(const PingWindow& w) {
  char line[200] = "";
  snprintf(line, sizeof line, " %s from %s %s ", w.device, IpText(w.source).s,
           w.broadcast ? "bcast" : "to");
  JoinAddresses(w.targets, w.target_count, line, sizeof line);
  Record(__func__, "%s in %u", line, w.window_ms);
  Status s;
  PingOutcome outcome;
  outcome.replied = ping_answers;
  ping.Pop(&s, &outcome.replied);
  if (!s.ok()) return s;
  int unsent = 0;
  Status ignored;
  if (ping_unsent.Pop(&ignored, &unsent) && unsent != 0) {
    outcome.replied = false;
    outcome.send_error = Status::Errno(unsent, "sendto %s", IpText(w.targets[0]).s);
  }
  if (!outcome.replied) now_ms += w.window_ms;
  return outcome;
}

Status MockHost::WatchClaims(const char* device, const IpAddress& address) {
  Record(__func__, " %s %s", device, IpText(address).s);
  Status s;
  bool ignored;
  if (watch_claims.Pop(&s, &ignored) && !s.ok()) return s;
  return OkStatus();
}

Result<bool> MockHost::ProbeClaims(const char* device, const IpAddress& address, uint32_t window_ms,
                                   MacAddress* claimant) {
  Record(__func__, " %s %s in %u", device, IpText(address).s, window_ms);
  now_ms += probe_cost_ms;
  Status s;
  bool answered = false;
  if (probe_claims.Pop(&s, &answered) && !s.ok()) return s;
  if (answered) *claimant = probe_claimant;
  return answered;
}

Status MockHost::RecordConflict(const char* tag, const Conflict& c) {
  RecordState(__func__, " %s %s until %lld", tag, MacText(c.claimant).s,
              static_cast<long long>(c.stands_until_ms));
  conflict = c;
  return OkStatus();
}

Result<Conflict> MockHost::RecordedConflict(const char*) {
  Status s;
  bool ignored;
  if (read_conflict.Pop(&s, &ignored) && !s.ok()) return s;
  return conflict;
}

Status MockHost::RecordCheck(const char*, const CheckRecord& record) {
  Status s;
  bool ignored;
  if (write_check.Pop(&s, &ignored) && !s.ok()) return s;
  check = record;
  ++check_writes;
  return OkStatus();
}

Result<CheckRecord> MockHost::LastCheck(const char*) {
  Status s;
  bool ignored;
  if (read_check.Pop(&s, &ignored) && !s.ok()) return s;
  return check;
}

int64_t MockHost::WallClockS() {
  return wall_s;
}

uint32_t MockHost::JitterMs(uint32_t limit_ms) {
  if (jitter_ms < 0) return limit_ms / 2;
  return jitter_ms > limit_ms ? limit_ms : static_cast<uint32_t>(jitter_ms);
}

Result<bool> MockHost::TakeClaim(const IpAddress& address, MacAddress* claimant) {
  Record(__func__, " %s", IpText(address).s);
  Status s;
  bool claimed = false;
  if (take_claim.Pop(&s, &claimed) && !s.ok()) return s;
  if (claimed) *claimant = probe_claimant;
  return claimed;
}

Status MockHost::WatchEvents(bool ipv6) {
  Record(__func__, "%s", ipv6 ? " -6" : "");
  Status s;
  bool ignored;
  watch_events.Pop(&s, &ignored);
  return s;
}

Result<NetEvent> MockHost::NextEvent(uint32_t timeout_ms) {
  Status s;
  NetEvent ev;
  if (!events.Pop(&s, &ev)) {
    events_handled_ = true;
    Record(__func__, " %u: timeout", timeout_ms);
    now_ms += timeout_ms;
    return NetEvent();
  }
  Record(__func__, " %u: event %d", timeout_ms, static_cast<int>(ev.kind));
  if (!s.ok()) return s;
  if (on_event) on_event(*this);
  return ev;
}

Result<LockTaken> MockHost::LockTag(const char* tag, LockIntent intent) {
  const bool contended = lock_contended > 0;
  Record(__func__, " %s%s%s", tag, intent == LockIntent::kTakeDown ? " take-down" : "",
         contended ? ": waited" : "");
  Status s;
  bool preempted = false;
  lock.Pop(&s, &preempted);
  if (!s.ok()) return s;
  LockTaken taken;
  if (contended) {
    --lock_contended;
    if (while_lock_held) while_lock_held(*this);
    taken.waited = true;
  }
  if (preempted && intent == LockIntent::kTakeDown) {
    taken.waited = true;
    taken.abandoned = true;
  }
  return taken;
}

Status MockHost::AcceptAbandonRequests() {
  RecordState(__func__, "%s", "");
  Status s;
  bool ignored;
  if (accept_abandon.Pop(&s, &ignored) && !s.ok()) return s;
  abandonable = true;
  return OkStatus();
}

Result<Word> MockHost::RecordWord(const char* tag, bool value) {
  RecordState(__func__, " %s %s", tag, value ? "yes" : "no");
  Status s;
  bool deleted = false;
  if (record_word.Pop(&s, &deleted) && !s.ok()) return s;
  if (launched_later != WordKind::kNone) {
    Tell(launched_later == WordKind::kRestore);
    Word standing = word;
    standing.spoken_later = true;
    return standing;
  }
  word = Word();
  if (!deleted) Tell(value);
  return word;
}

void MockHost::Tell(bool value) {
  word.kind = value ? WordKind::kRestore : WordKind::kRemove;
  word.generation = ++generations;
}

Status MockHost::MarkUnfinished(const char*, uint32_t steps) {
  Status s;
  bool ignored;
  if (mark_unfinished.Pop(&s, &ignored) && !s.ok()) return s;
  unfinished |= steps;
  return OkStatus();
}

Status MockHost::ClearUnfinished(const char*, uint32_t steps) {
  unfinished &= ~steps;
  return OkStatus();
}

Result<uint32_t> MockHost::Unfinished(const char*) {
  Status s;
  uint32_t value = unfinished;
  if (read_unfinished.Pop(&s, &value) && !s.ok()) return s;
  return value;
}

Result<Word> MockHost::LastWord(const char* tag) {
  RecordState(__func__, " %s", tag);
  Status s;
  Word value = word;
  if (last_word.Pop(&s, &value) && !s.ok()) return s;
  return value;
}

Status MockHost::WithdrawWord(const char* tag, const Word& mine) {
  RecordState(__func__, " %s", tag);
  Status s;
  bool ignored;
  if (withdraw_word.Pop(&s, &ignored) && !s.ok()) return s;
  if (word == mine) word = Word();
  return OkStatus();
}

void MockHost::UnlockTag() {
  ++unlocks;
  abandonable = false;
}

bool MockHost::StopSignalled() {
  return StopRequested() && !stop_is_abandon;
}

void MockHost::StopAt(const char* call, int occurrence) {
  stop_when_ = StopWhen::kAt;
  stop_call_ = call;
  stop_occurrence_ = occurrence;
}

void MockHost::StopAtWaitAfter(const char* call, int occurrence) {
  stop_when_ = StopWhen::kAtWaitAfter;
  stop_call_ = call;
  stop_occurrence_ = occurrence;
}

void MockHost::StopOnceEventsHandled() {
  stop_when_ = StopWhen::kEventsHandled;
}

int MockHost::FindNth(const char* prefix, int occurrence) const {
  int at = -1;
  for (int n = 0; n < occurrence; ++n) {
    at = Find(prefix, static_cast<size_t>(at + 1));
    if (at < 0) return -1;
  }
  return at;
}

bool MockHost::StopConditionMet() const {
  switch (stop_when_) {
    case StopWhen::kNever:
      return false;
    case StopWhen::kAt:
      return FindNth(stop_call_, stop_occurrence_) >= 0;
    case StopWhen::kAtWaitAfter: {
      const int at = FindNth(stop_call_, stop_occurrence_);
      return at >= 0 && Find("NextEvent", static_cast<size_t>(at) + 1) >= 0;
    }
    case StopWhen::kEventsHandled:
      return events_handled_;
  }
  return false;
}

bool MockHost::StopRequested() {
  if (stop_after_calls >= 0 && call_count >= static_cast<size_t>(stop_after_calls)) return true;
  if (StopConditionMet()) return true;
  // A run past its budget is stopped, to fail once it has returned.
  if (stop_when_ != StopWhen::kNever && call_count >= kRunBudget) stop_condition_missed = true;
  return stop_condition_missed;
}

int64_t MockHost::NowMs() {
  return now_ms;
}

void MockHost::SleepMs(uint32_t ms) {
  Record(__func__, " %u", ms);
  now_ms += ms;
}

Resource TestResource() {
  Resource r;
  snprintf(r.tag, sizeof r.tag, "vip");
  r.address = ParseOrDie("192.0.2.100");
  r.prefix = 24;
  snprintf(r.device, sizeof r.device, "eth0");
  r.t.ping_list[0] = ParseOrDie("192.0.2.10");
  r.t.ping_list_count = 1;
  r.t.ping_time_ms = 500;
  r.t.ping_timeout_ms = 400;
  r.t.wait_linkdown_ms = 300;
  r.t.max_linkchk_ms = 2000;
  r.t.quickcheck_timeout_ms = 6000;
  return r;
}

size_t Expected::Flatten(const Expected* parts, size_t count, const char** out, size_t room) {
  size_t n = 0;
  for (size_t i = 0; i < count; ++i) {
    const Expected& part = parts[i];
    const bool fits = n < room;
    if (part.parts_ == nullptr) {
      if (fits) out[n] = part.call_;
      ++n;
      continue;
    }
    n += Flatten(part.parts_, part.count_, fits ? out + n : out, fits ? room - n : 0);
  }
  return n;
}

void ExpectStopConditionMet(const MockHost& host) {
  if (host.stop_condition_missed) {
    CapturedStderr::GiveBack();  // the test may still capture what the run logged
    fail_msg("the run's stop condition was not met in %zu host calls; the last: %s",
             MockHost::kRunBudget, host.call_count ? host.calls[host.call_count - 1] : "none");
  }
}

void ExpectCalls(const MockHost& host, std::initializer_list<Expected> want) {
  if (host.dropped_calls != 0) fail_msg("more than %zu host calls", MockHost::kMaxCalls);
  if (host.unrecorded_changes != 0) {
    fail_msg("%d device-down or address-add changes were made before they were recorded",
             host.unrecorded_changes);
  }
  static const char* wanted[MockHost::kMaxCalls];
  const size_t count = Expected::Flatten(want.begin(), want.size(), wanted, MockHost::kMaxCalls);
  if (count > MockHost::kMaxCalls) fail_msg("more than %zu calls expected", MockHost::kMaxCalls);
  bool same = host.call_count == count;
  for (size_t i = 0; same && i < count; ++i) same = !strcmp(host.calls[i], wanted[i]);
  if (same) return;
  print_error("host calls differ:\n  got:\n");
  for (size_t k = 0; k < host.call_count; ++k) print_error("    %s\n", host.calls[k]);
  print_error("  expected:\n");
  for (size_t k = 0; k < count; ++k) print_error("    %s\n", wanted[k]);
  fail();
}

void ExpectStateCalls(const MockHost& host, std::initializer_list<const char*> want) {
  size_t i = 0;
  bool same = host.state_call_count == want.size();
  for (const char* w : want) {
    if (i >= host.state_call_count || strcmp(host.state_calls[i], w)) same = false;
    ++i;
  }
  if (same) return;
  print_error("state calls differ:\n  got:\n");
  for (size_t k = 0; k < host.state_call_count; ++k) print_error("    %s\n", host.state_calls[k]);
  print_error("  expected:\n");
  for (const char* w : want) print_error("    %s\n", w);
  fail();
}

void ExpectFailure(const Status& s, const char* step, int err) {
  if (s.ok()) fail_msg("succeeded, expected '%s' to fail with errno %d", step, err);
  const StatusText text(s);
  const size_t n = strlen(step);
  if (strncmp(s.context(), step, n) || isalnum(static_cast<unsigned char>(s.context()[n]))) {
    fail_msg("error '%s' is not of step '%s'", text.c_str(), step);
  }
  if (s.err() != err) {
    fail_msg("error '%s' has errno %d (%s), expected %d (%s)", text.c_str(), s.err(),
             strerror(s.err()), err, strerror(err));
  }
  const char* errno_text = strerror(err);
  const size_t tail = strlen(errno_text);
  const size_t length = strlen(text.c_str());
  if (err != 0 && (length < tail || strcmp(text.c_str() + length - tail, errno_text))) {
    fail_msg("error '%s' does not end with its errno's text '%s'", text.c_str(), errno_text);
  }
}

void ExpectError(const Status& s, const char* needle) {
  if (s.ok()) fail_msg("succeeded, expected an error containing '%s'", needle);
  const StatusText text(s);
  if (!strstr(text.c_str(), needle)) {
    fail_msg("error '%s' does not contain '%s'", text.c_str(), needle);
  }
}

}  // namespace ipres
