// SPDX-License-Identifier: Apache-2.0
// Conflicts while holding (contract): the defence timer on its own, then the
// monitor hearing claims through the fake Host: one log line per claim, one
// defence per DEFEND_INTERVAL and the owed one when it ends, the standing
// conflict recorded, a probe answered, and no recover for a conflict.
#include <errno.h>
#include <string.h>

#include "base/log.h"
#include "captured_stderr.h"
#include "cmocka_cxx.h"
#include "expected_steps.h"
#include "mock_host.h"
#include "ops/claim_defence.h"
#include "ops/ops.h"

using namespace ipres;
using namespace ipres::steps;

namespace {

// --- ClaimDefence -----------------------------------------------------------

void FirstClaimIsDefendedAndDoesNotStand(void**) {
  ClaimDefence d;
  assert_true(d.OnClaim(1000, false));
  assert_false(d.Stands(1000));
  assert_true(d.ClaimedRecently(10999));
  assert_false(d.ClaimedRecently(11000));
  assert_true(d.owed_at_ms() == ClaimDefence::kNever);
}

void ClaimWithinTheIntervalIsOwedAndStands(void**) {
  ClaimDefence d;
  assert_true(d.OnClaim(1000, false));
  assert_false(d.OnClaim(1500, false));  // within DEFEND_INTERVAL of the defence
  assert_true(d.Stands(1500));
  assert_int_equal(d.stands_until_ms(), 11500);
  assert_int_equal(d.owed_at_ms(), 11000);
  assert_false(d.OwedAnnouncementDue(10999));
  assert_true(d.OwedAnnouncementDue(11000));
  assert_false(d.OwedAnnouncementDue(11000));  // once
  assert_true(d.owed_at_ms() == ClaimDefence::kNever);
  assert_true(d.Stands(11499));
  assert_false(d.Stands(11500));  // DEFEND_INTERVAL without a claim
}

void OwedAnnouncementCountsAsADefence(void**) {
  ClaimDefence d;
  assert_true(d.OnClaim(0, false));
  assert_false(d.OnClaim(9000, false));
  assert_true(d.OwedAnnouncementDue(10000));
  assert_false(d.OnClaim(15000, false));  // 5 s after the owed one: owed again
  assert_int_equal(d.owed_at_ms(), 20000);
}

void ClaimAfterAQuietIntervalIsDefendedAgain(void**) {
  ClaimDefence d;
  assert_true(d.OnClaim(0, false));
  assert_true(d.OnClaim(10000, false));
  assert_false(d.Stands(10000));
}

void ProbeAnsweredStandsAtOnce(void**) {
  ClaimDefence d;
  assert_true(d.OnClaim(500, true));
  assert_true(d.Stands(500));
  assert_int_equal(d.stands_until_ms(), 10500);
}

void AnnouncementsAreFreeOnceTheIntervalEnds(void**) {
  ClaimDefence d;
  assert_int_equal(d.AnnouncementsFreeFrom(0), 0);  // no defence yet
  assert_true(d.OnClaim(1000, false));
  assert_int_equal(d.AnnouncementsFreeFrom(2000), 11000);
  assert_int_equal(d.AnnouncementsFreeFrom(11000), 11000);
  assert_int_equal(d.AnnouncementsFreeFrom(15000), 15000);
}

void ClaimsEveryHalfSecondDefendOncePerInterval(void**) {
  ClaimDefence d;
  int defences = 0;
  for (int64_t t = 0; t <= 30000; t += 500) {
    if (d.OwedAnnouncementDue(t)) ++defences;
    if (d.OnClaim(t, false)) ++defences;
    assert_true(t == 0 || d.Stands(t));
  }
  assert_int_equal(defences, 4);  // at 0, 10, 20 and 30 s
}

// --- the monitor ---------------------------------------------------------------

constexpr char kOther[] = "02:00:00:00:00:0d";

Resource Watched() {
  Resource r = TestResource();
  r.t.lkcheck_interval_ms = 60000;
  r.t.garp_repeat_delay_ms = 0;
  return r;
}

MacAddress Other() {
  return MacAddress{{0x02, 0, 0, 0, 0, 0x0d}};
}

NetEvent Claim(const char* address = "192.0.2.100", int ifindex = 2) {
  NetEvent ev;
  ev.kind = NetEventKind::kClaimed;
  ev.ifindex = ifindex;
  assert_true(ParseIpAddress(address, &ev.address));
  ev.claimant = Other();
  return ev;
}

struct Holder {
  Holder() {
    h.Tell(true);  // the last word: restore, so the monitor looks after it
    h.AddDeviceAddress("eth0", "192.0.2.100", 24);
    h.eth0_link.ifindex = 2;
  }
  // Runs the monitor on r until the stop condition the test set holds.
  Status Run(const Resource& r) {
    const Resource* list[] = {&r};
    Status s = RunMonitor(h, list, 1);
    ExpectStopConditionMet(h);
    ExpectStopConditionMet(h);
    return s;
  }
  MockHost h;
};

void ClaimIsLoggedAndDefended(void**) {
  Holder x;
  x.h.events.Push(Claim());
  CapturedStderr log;
  x.h.StopOnceEventsHandled();
  Status s = x.Run(Watched());
  const char* text = log.Text();
  assert_true(s.ok());
  ExpectCalls(x.h, {"WatchEvents", kLinkCheck, kHeldCheck, "NextEvent 60000: event 5",
                    kAssignmentStatus, kAnnouncements, "NextEvent 60000: timeout"});
  ExpectLine(text,
             "vip: monitor: conflict: 192.0.2.100 on eth0 claimed by 02:00:00:00:00:0d: "
             "defending with gratuitous ARPs");
  assert_null(strstr(text, "gratuitous ARP request"));  // one line, not one per frame
  assert_true(x.h.conflict.stands_until_ms == 0);       // one claim, defended: no conflict stands
}

void RepeatedClaimStandsAndIsAnsweredWhenTheIntervalEnds(void**) {
  Holder x;
  x.h.events.Push(Claim());
  x.h.events.Push(Claim());
  x.h.on_event = [](MockHost& m) { m.now_ms += 200; };  // the claims 0.2 s apart
  CapturedStderr log;
  // Until the owed announcement's last frame is out.
  x.h.StopAt("ArpAnnounce eth0 reply 192.0.2.100 to 192.0.2.255", 2);
  Status s = x.Run(Watched());
  const char* text = log.Text();
  assert_true(s.ok());
  ExpectCalls(x.h,
              {"WatchEvents", kLinkCheck, kHeldCheck, "NextEvent 60000: event 5", kAssignmentStatus,
               kAnnouncements, "NextEvent 59800: event 5", kAssignmentStatus,
               "NextEvent 9800: timeout", kAssignmentStatus, kAnnouncements});
  ExpectLine(text,
             "vip: monitor: conflict: 192.0.2.100 on eth0 claimed by 02:00:00:00:00:0d: "
             "defended 0.2 s ago; announcing again in 9.8 s");
  ExpectLine(text,
             "vip: monitor: conflict: 192.0.2.100 on eth0: announcing again (claimed since the "
             "last defence)");
  assert_string_equal(MacText(x.h.conflict.claimant).s, kOther);
  // 10 s after the second claim, which came 0.2 s after the defence
  assert_true(x.h.conflict.stands_until_ms == x.h.now_ms + 200);
}

// A claim that reaches the watch twice at once (a LAN that floods a
// broadcast to both slaves of a balance-rr bond) or in a burst is one
// claim: one line, one defence, no conflict standing.
void ACopyOfTheClaimIsOneClaim(void**) {
  Holder x;
  x.h.events.Push(Claim());
  x.h.events.Push(Claim());
  x.h.on_event = [](MockHost& m) { m.now_ms += 50; };  // 0.05 s apart
  CapturedStderr log;
  x.h.StopOnceEventsHandled();
  Status s = x.Run(Watched());
  const char* text = log.Text();
  assert_true(s.ok());
  ExpectLine(text,
             "vip: monitor: conflict: 192.0.2.100 on eth0 claimed by 02:00:00:00:00:0d: "
             "defending with gratuitous ARPs");
  assert_null(strstr(text, "defended 0"));  // no second line
  assert_true(x.h.Find("ArpAnnounce") >= 0);
  const int defence = x.h.Find("ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100");
  assert_int_equal(x.h.Find("ArpAnnounce", static_cast<size_t>(defence) + 4), -1);  // no other
  assert_true(x.h.conflict.stands_until_ms == 0);
}

// Two hosts' claims at once are two claims: the conflict stands.
void AnotherHostsClaimAtOnceIsAnotherClaim(void**) {
  Holder x;
  NetEvent other = Claim();
  other.claimant.bytes[5] = 0x0e;
  x.h.events.Push(Claim());
  x.h.events.Push(other);
  CapturedStderr log;
  x.h.StopOnceEventsHandled();
  Status s = x.Run(Watched());
  assert_true(s.ok());
  ExpectLine(log.Text(),
             "vip: monitor: conflict: 192.0.2.100 on eth0 claimed by 02:00:00:00:00:0e: "
             "defended 0 s ago; announcing again in 10 s");
  assert_true(x.h.conflict.stands_until_ms != 0);  // recorded: it stood
}

// GARP_REPEAT_DELAY's announcement falls due 1 s after a defence: it waits
// for DEFEND_INTERVAL to end, as the defence's own repeat would (sent at
// once, it would answer a claim that interval holds back).
void ScheduledAnnouncementWaitsForTheDefenceToEnd(void**) {
  Holder x;
  Resource r = Watched();
  r.t.garp_repeat_delay_ms = 1000;
  x.h.events.Push(Claim());
  CapturedStderr log;
  x.h.StopAt("ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100", 2);
  const int64_t claimed_at = x.h.now_ms;  // the first check takes no time
  Status s = x.Run(r);
  assert_true(s.ok());
  ExpectCalls(x.h, {"WatchEvents", kLinkCheck, kHeldCheck, "NextEvent 1000: event 5",
                    kAssignmentStatus, kAnnouncements, "NextEvent 1000: timeout",
                    "NextEvent 9000: timeout", kAssignmentStatus, kAnnouncements});
  assert_int_equal(x.h.now_ms - claimed_at, 10000);  // the defence's DEFEND_INTERVAL, not 1 s
  ExpectLine(log.Text(),
             "vip: monitor: 192.0.2.100 defended on eth0: gratuitous ARPs again in 9 s");
}

void ClaimOfAnAddressNotHeldHereIsNoConflict(void**) {
  MockHost h;
  h.eth0_link.ifindex = 2;
  h.events.Push(Claim());
  Resource r = Watched();
  h.Tell(false);  // the engine last said remove: not held, not checked
  h.StopOnceEventsHandled();
  CapturedStderr log;
  const Resource* list[] = {&r};
  Status s = RunMonitor(h, list, 1);
  ExpectStopConditionMet(h);
  const char* text = log.Text();
  assert_true(s.ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck, "NextEvent 60000: event 5", kAssignmentStatus,
                  "NextEvent 60000: timeout"});
  assert_null(strstr(text, "conflict"));
}

void ClaimOfAnotherAddressOrDeviceIsIgnored(void**) {
  Holder x;
  x.h.events.Push(Claim("192.0.2.77"));
  x.h.events.Push(Claim("192.0.2.100", 3));
  x.h.StopOnceEventsHandled();
  Status s = x.Run(Watched());
  assert_true(s.ok());
  ExpectCalls(x.h, {"WatchEvents", kLinkCheck, kHeldCheck, "NextEvent 60000: event 5",
                    "NextEvent 60000: event 5", "NextEvent 60000: timeout"});
}

void ProbeAnsweredIsAStandingConflictAndNotRecovered(void**) {
  Holder x;
  x.h.probe_claims.Push(true);
  x.h.probe_claimant = Other();
  CapturedStderr log;
  x.h.StopAtWait(1);  // the first check's verdict given
  Status s = x.Run(Watched());
  const char* text = log.Text();
  assert_true(s.ok());
  ExpectCalls(x.h,
              {"WatchEvents", kLinkCheck, kAssignmentStatus, "ProbeClaims eth0 192.0.2.100 in 400",
               kAssignmentStatus, kAnnouncements, "TakeClaim 192.0.2.100", kAssignmentStatus,
               "TakeClaim 192.0.2.100", kAssignmentStatus, "NextEvent 60000: timeout"});
  ExpectLine(text,
             "vip: monitor: conflict: 192.0.2.100 on eth0 answered by 02:00:00:00:00:0d (a "
             "holder that announces nothing): defending with gratuitous ARPs");
  ExpectLine(text,
             "vip: quickCheck: conflict: 192.0.2.100 on eth0 is claimed by 02:00:00:00:00:0d too "
             "(for 10 s more without a claim)");
  ExpectLine(text,
             "vip: monitor: quickCheck failed: 192.0.2.100 is in conflict with 02:00:00:00:00:0d: "
             "not recovering (the cluster engine decides)");
  assert_int_equal(x.h.Find("LockTag"), -1);
  assert_true(x.h.Holds("eth0", "192.0.2.100"));
}

// The check began 9.9 s after a claim; its failing pings take it past the
// 10 s: still the conflict's doing, not a reason to recover.
void ConflictEndingDuringAFailedCheckIsNotRecovered(void**) {
  Holder x;
  x.h.events.Push(Claim());
  Resource r = Watched();
  r.t.lkcheck_interval_ms = 9900;
  x.h.ping.Push(true);  // the first check's
  x.h.ping_answers = false;
  CapturedStderr log;
  x.h.StopAtWaitAfter("LockTag vip");  // the recover that follows
  Status s = x.Run(r);
  const char* text = log.Text();
  assert_true(s.ok());
  ExpectLine(text,
             "vip: monitor: quickCheck failed: 192.0.2.100 is in conflict with 02:00:00:00:00:0d: "
             "not recovering (the cluster engine decides)");
  // Only the check after that one, 10 s on, recovers.
  const int explained =
      x.h.Find("NextEvent 9900: timeout", static_cast<size_t>(x.h.Find("ArpAnnounce")));
  const int next_wait = x.h.Find("NextEvent 9900: timeout", static_cast<size_t>(explained) + 1);
  assert_true(explained > 0 && next_wait > explained);
  assert_true(x.h.Find("LockTag vip") > next_wait);
}

// A monitor started while a conflict recorded by the one before it still
// stands (restarted within DEFEND_INTERVAL of a claim): its first check
// fails on that conflict, which is no reason to recover either.
void ConflictRecordedBeforeTheMonitorStartedIsNotRecovered(void**) {
  Holder x;
  x.h.conflict.claimant = Other();
  x.h.conflict.stands_until_ms = x.h.now_ms + 5000;
  CapturedStderr log;
  x.h.StopAtWait(1);  // the first check's verdict given
  Status s = x.Run(Watched());
  const char* text = log.Text();
  assert_true(s.ok());
  ExpectLine(text,
             "vip: quickCheck: conflict: 192.0.2.100 on eth0 is claimed by 02:00:00:00:00:0d too "
             "(for 5 s more without a claim)");
  ExpectLine(text,
             "vip: monitor: quickCheck failed: 192.0.2.100 is in conflict with 02:00:00:00:00:0d: "
             "not recovering (the cluster engine decides)");
  assert_int_equal(x.h.Find("LockTag"), -1);
  assert_true(x.h.Holds("eth0", "192.0.2.100"));
}

// A claim that came during the probe's window is defended before the
// check pings, so the pings find the neighbours back.
void ClaimDuringTheProbeWindowIsDefendedBeforeThePings(void**) {
  Holder x;
  x.h.take_claim.Push(true);
  x.h.probe_claimant = Other();
  x.h.StopAtWait(1);
  Status s = x.Run(Watched());
  assert_true(s.ok());
  ExpectCalls(x.h, {"WatchEvents", kLinkCheck, kClaimProbe, kAssignmentStatus, kAnnouncements,
                    kQuickCheck, "NextEvent 60000: timeout"});
}

// The claim reached the watch while quickCheck pinged, and moved the
// neighbours' entries, so the pings failed: heard before the verdict,
// defended, and no recover.
void ClaimDuringTheCheckIsHeardBeforeTheVerdict(void**) {
  Holder x;
  x.h.ping_answers = false;
  x.h.take_claim.Push(false);  // none yet when the probe's window ends
  x.h.take_claim.Push(true);   // then one came while quickCheck pinged
  x.h.probe_claimant = Other();
  CapturedStderr log;
  x.h.StopAtWait(1);  // the verdict given
  Status s = x.Run(Watched());
  const char* text = log.Text();
  assert_true(s.ok());
  const int take =
      x.h.Find("TakeClaim 192.0.2.100", static_cast<size_t>(x.h.Find("TakeClaim 192.0.2.100")) + 1);
  assert_true(take > x.h.Find("Ping eth0"));
  assert_string_equal(x.h.calls[take + 1], "VisitAddresses eth0");
  assert_string_equal(x.h.calls[take + 2], "ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100");
  ExpectLine(text,
             "vip: monitor: conflict: 192.0.2.100 on eth0 claimed by 02:00:00:00:00:0d: "
             "defending with gratuitous ARPs");
  ExpectLine(text,
             "vip: monitor: quickCheck failed: 192.0.2.100 is in conflict with 02:00:00:00:00:0d: "
             "not recovering (the cluster engine decides)");
  assert_int_equal(x.h.Find("LockTag"), -1);
}

// The announcement owed since a repeated claim falls due while the check's
// probe listens: sent before the check pings, so the pings find the
// neighbours back (t_devices2 in a VM: sent after the check, whose pings
// failed 10.0 s after the claim, and that failure was recovered).
void OwedAnnouncementDueDuringTheProbeIsSentBeforeThePings(void**) {
  Holder x;
  x.h.events.Push(Claim());
  x.h.events.Push(Claim());
  x.h.on_event = [](MockHost& m) { m.now_ms += 100; };  // the claims 0.1 s apart
  Resource r = Watched();
  r.t.lkcheck_interval_ms = 9800;
  x.h.probe_cost_ms = 400;  // the second check's probe ends 10.1 s after the first claim
  x.h.StopAtWaitAfter("NextEvent 9800: timeout");  // the second check done
  Status s = x.Run(r);
  assert_true(s.ok());
  const int second_check = x.h.Find("NextEvent 9600: timeout");  // the claims took 0.2 s
  const int owed = x.h.Find("ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100",
                            static_cast<size_t>(second_check));
  const int pings = x.h.Find("Ping eth0", static_cast<size_t>(second_check));
  assert_true(second_check > 0 && owed > second_check && pings > 0);
  assert_true(owed < pings);
}

void FailedCheckLongAfterAClaimIsRecovered(void**) {
  Holder x;
  x.h.events.Push(Claim());
  Resource r = Watched();
  r.t.lkcheck_interval_ms = 20000;
  x.h.ping_answers = false;  // from the second check on, nobody answers
  x.h.ping.Push(true);
  x.h.StopAtWaitAfter("LockTag vip");  // recovered
  Status s = x.Run(r);
  assert_true(s.ok());
  assert_true(x.h.Find("LockTag vip") > x.h.Find("NextEvent 20000: event 5"));
}

void ProbeFailureIsLoggedOnceAndTheCheckGoesOn(void**) {
  Holder x;
  x.h.probe_claims.PushError(ENETDOWN);
  x.h.probe_claims.PushError(ENETDOWN);
  Resource r = Watched();
  r.t.lkcheck_interval_ms = 1000;
  CapturedStderr log;
  x.h.StopAtWait(2);  // two checks, both probes failed
  Status s = x.Run(r);
  const char* text = log.Text();
  assert_true(s.ok());
  const char* first = strstr(text, "probe for another holder of 192.0.2.100 on eth0: failed");
  assert_non_null(first);
  assert_null(strstr(first + 1, "probe for another holder"));
  assert_true(x.h.Find("Ping eth0") > x.h.Find("ProbeClaims"));
}

void BackoffCarriesJitter(void**) {
  MockHost h;
  h.Tell(true);
  h.eth0_link.ifindex = 2;
  h.eth0_link.carrier = false;
  h.carrier_returns = false;
  h.jitter_ms = 0;  // the least: 3/4 of the nominal 1 s, 2 s ...
  h.StopAt("NextEvent 1500");
  Resource r = Watched();
  const Resource* list[] = {&r};
  assert_true(RunMonitor(h, list, 1).ok());
  ExpectStopConditionMet(h);
  assert_true(h.Find("NextEvent 750: timeout") >= 0);
  assert_true(h.Find("NextEvent 1500: timeout") > h.Find("NextEvent 750: timeout"));
  MockHost most;
  most.Tell(true);
  most.eth0_link.ifindex = 2;
  most.eth0_link.carrier = false;
  most.carrier_returns = false;
  most.jitter_ms = 100000;  // capped at half the back-off: 5/4 of it
  most.StopAt("NextEvent 1250");
  assert_true(RunMonitor(most, list, 1).ok());
  ExpectStopConditionMet(most);
  assert_true(most.Find("NextEvent 1250: timeout") >= 0);
}

void CarrierBackStartsTheBackoffOver(void**) {
  MockHost h;
  h.Tell(true);
  h.eth0_link.ifindex = 2;
  h.eth0_link.carrier = false;
  h.carrier_returns = false;
  NetEvent up;
  up.kind = NetEventKind::kLinkChanged;
  up.ifindex = 2;
  up.carrier = true;
  strcpy(up.device, "eth0");
  h.events.Push(up);
  CapturedStderr log;
  h.StopOnceEventsHandled();
  Resource r = Watched();
  const Resource* list[] = {&r};
  Status s = RunMonitor(h, list, 1);
  ExpectStopConditionMet(h);
  const char* text = log.Text();
  assert_true(s.ok());
  // The carrier returns during the first back-off: the recover runs at once,
  // not "backing off" until the back-off ends.
  assert_null(strstr(text, "backing off"));
  const int event = h.Find("NextEvent 1000: event 3");
  assert_true(event >= 0);
  assert_true(h.Find("LockTag vip", static_cast<size_t>(event)) > event);
}

}  // namespace

int main() {
  SetSyslogEnabled(false);
  const CMUnitTest tests[] = {
      cmocka_unit_test(FirstClaimIsDefendedAndDoesNotStand),
      cmocka_unit_test(ClaimWithinTheIntervalIsOwedAndStands),
      cmocka_unit_test(OwedAnnouncementCountsAsADefence),
      cmocka_unit_test(ClaimAfterAQuietIntervalIsDefendedAgain),
      cmocka_unit_test(ProbeAnsweredStandsAtOnce),
      cmocka_unit_test(AnnouncementsAreFreeOnceTheIntervalEnds),
      cmocka_unit_test(ClaimsEveryHalfSecondDefendOncePerInterval),
      cmocka_unit_test(ClaimIsLoggedAndDefended),
      cmocka_unit_test(RepeatedClaimStandsAndIsAnsweredWhenTheIntervalEnds),
      cmocka_unit_test(ACopyOfTheClaimIsOneClaim),
      cmocka_unit_test(AnotherHostsClaimAtOnceIsAnotherClaim),
      cmocka_unit_test(ScheduledAnnouncementWaitsForTheDefenceToEnd),
      cmocka_unit_test(ClaimOfAnAddressNotHeldHereIsNoConflict),
      cmocka_unit_test(ClaimOfAnotherAddressOrDeviceIsIgnored),
      cmocka_unit_test(ProbeAnsweredIsAStandingConflictAndNotRecovered),
      cmocka_unit_test(ConflictEndingDuringAFailedCheckIsNotRecovered),
      cmocka_unit_test(ConflictRecordedBeforeTheMonitorStartedIsNotRecovered),
      cmocka_unit_test(ClaimDuringTheProbeWindowIsDefendedBeforeThePings),
      cmocka_unit_test(ClaimDuringTheCheckIsHeardBeforeTheVerdict),
      cmocka_unit_test(OwedAnnouncementDueDuringTheProbeIsSentBeforeThePings),
      cmocka_unit_test(FailedCheckLongAfterAClaimIsRecovered),
      cmocka_unit_test(ProbeFailureIsLoggedOnceAndTheCheckGoesOn),
      cmocka_unit_test(BackoffCarriesJitter),
      cmocka_unit_test(CarrierBackStartsTheBackoffOver),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
