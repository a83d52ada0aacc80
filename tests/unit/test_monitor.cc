// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "captured_stderr.h"
#include "cmocka_cxx.h"
#include "expected_steps.h"
#include "mock_host.h"
#include "ops/ops.h"

using namespace ipres;
using namespace ipres::steps;

namespace {

Resource Watched() {
  Resource r = TestResource();
  r.t.lkcheck_interval_ms = 10000;
  r.t.garp_repeat_delay_ms = 0;
  return r;
}

// Runs the monitor on r until the stop condition the test set holds.
Status Run(MockHost& h, const Resource& r) {
  const Resource* list[] = {&r};
  Status s = RunMonitor(h, list, 1);
  ExpectStopConditionMet(h);
  return s;
}

NetEvent AddressEvent(NetEventKind kind, const char* address) {
  NetEvent ev;
  ev.kind = kind;
  ev.ifindex = 2;  // the mock's eth0
  assert_true(ParseIpAddress(address, &ev.address));
  ev.prefix = 24;
  return ev;
}

NetEvent LinkEvent(const char* device, bool carrier) {
  NetEvent ev;
  ev.kind = NetEventKind::kLinkChanged;
  ev.ifindex = 2;
  ev.carrier = carrier;
  snprintf(ev.device, sizeof ev.device, "%s", device);
  return ev;
}

int CountCalls(const MockHost& h, const char* prefix) {
  int n = 0;
  for (int i = h.Find(prefix); i >= 0; i = h.Find(prefix, static_cast<size_t>(i) + 1)) ++n;
  return n;
}

void ChecksAtStartThenEveryInterval(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  h.StopAtWait(2);  // its second wait
  assert_true(Run(h, Watched()).ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck, kHeldCheck, "NextEvent 10000: timeout", kHeldCheck,
                  "NextEvent 10000: timeout"});
}

void AddressLeavingIsCheckedAtOnceAndRecovered(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  h.events.Push(AddressEvent(NetEventKind::kAddressRemoved, "192.0.2.100"));
  h.ClearDevice("eth0");  // deleted behind ipres' back (before the first check too)
  h.AddDeviceAddress("eth0", "192.0.2.2", 24);
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  int add = h.Find("AddAddress eth0 192.0.2.100/24");
  assert_true(add >= 0);  // recovered
  assert_true(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.Find("LockTag vip"), add - 5);  // recover: lock, remove's check, restore
}

void OtherAddressesAndDevicesAreIgnored(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  h.events.Push(AddressEvent(NetEventKind::kAddressRemoved, "192.0.2.77"));
  h.events.Push(LinkEvent("eth1", false));
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck, kHeldCheck, "NextEvent 10000: event 2",
                  "NextEvent 10000: event 3", "NextEvent 10000: timeout"});
}

void CarrierLossIsCheckedAtOnce(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  h.events.Push(LinkEvent("eth0", false));
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck, kHeldCheck, "NextEvent 10000: event 3", kQuickCheck,
                  "NextEvent 10000: timeout"});
}

void FailedRecoverBacksOff(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.eth0_link.ifindex = 2;
  h.eth0_link.carrier = false;
  h.carrier_returns = false;   // the bounce never brings it back
  h.StopAt("NextEvent 4000");  // the third back-off
  assert_true(Run(h, Watched()).ok());
  // Each recover fails; the waits between them grow: 1 s, 2 s, 4 s ...
  int one = h.Find("NextEvent 1000: timeout");
  int two = h.Find("NextEvent 2000: timeout");
  int four = h.Find("NextEvent 4000: timeout");
  assert_true(one >= 0 && two > one && four > two);
  assert_int_equal(h.Find("NextEvent 0"), -1);  // never a tight loop
}

void BackoffIsCappedByTheInterval(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.eth0_link.ifindex = 2;
  h.eth0_link.carrier = false;
  h.carrier_returns = false;
  Resource r = Watched();
  r.t.lkcheck_interval_ms = 3000;
  h.StopAt("NextEvent 3000", 2);  // the back-off held at the interval
  assert_true(Run(h, r).ok());
  assert_true(h.Find("NextEvent 3000") >= 0);
  assert_int_equal(h.Find("NextEvent 4000"), -1);
}

void CarrierBackChecksAtOnceAfterAFailure(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.eth0_link.ifindex = 2;
  h.eth0_link.carrier = false;
  h.carrier_returns = false;
  h.events.Push(LinkEvent("eth0", true));
  Resource r = Watched();
  h.StopOnceEventsHandled();
  assert_true(Run(h, r).ok());
  // The carrier event arrives during the first back-off wait: checked at once.
  int event = h.Find("NextEvent 1000: event 3");
  assert_true(event >= 0);
  assert_string_equal(h.calls[event + 1], "VisitAddresses eth0");
  // The back-off starts over: the recover fails again and waits 1 s, not 2 s.
  assert_int_equal(h.Find("NextEvent", static_cast<size_t>(event) + 1),
                   h.Find("NextEvent 1000: timeout", static_cast<size_t>(event) + 1));
}

// A device deleted and created again (a new index, no carrier yet) is
// recovered at once, the back-off started over (contract "Devices").
void DeviceBackChecksAtOnceAndRestartsTheBackoff(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.eth0_link.ifindex = 2;
  h.eth0_link.carrier = false;
  h.carrier_returns = false;
  NetEvent back = LinkEvent("eth0", false);
  back.ifindex = 7;
  h.events.Push(back);
  CapturedStderr log;
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  const char* text = log.Text();
  const int event = h.Find("NextEvent 1000: event 3");
  assert_true(event >= 0);
  assert_string_equal(h.calls[event + 1], "VisitAddresses eth0");
  assert_true(h.Find("LockTag vip", static_cast<size_t>(event)) > event);  // recovering
  assert_int_equal(h.Find("NextEvent", static_cast<size_t>(event) + 1),
                   h.Find("NextEvent 1000: timeout", static_cast<size_t>(event) + 1));
  ExpectLine(text, "vip: monitor: eth0 is back (index 7): checking now");
  assert_null(strstr(text, "backing off"));
}

void AddressUpIsAnnouncedAgainLaterAndRefreshed(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  h.events.Push(AddressEvent(NetEventKind::kAddressAdded, "192.0.2.100"));
  Resource r = Watched();
  r.t.garp_repeat_delay_ms = 5000;
  r.t.garp_refresh_ms = 7000;
  h.StopAtWaitAfter("ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100", 2);  // the refresh sent
  assert_true(Run(h, r).ok());
  int first = h.Find("NextEvent 5000: timeout");
  assert_true(first >= 0);
  assert_string_equal(h.calls[first + 1], "VisitAddresses eth0");
  assert_string_equal(h.calls[first + 2], "ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100");
  assert_string_equal(h.calls[first + 5], "ArpAnnounce eth0 reply 192.0.2.100 to 192.0.2.255");
  int refresh = h.Find("NextEvent 5000: timeout", static_cast<size_t>(first) + 1);  // 10 s - 5 s
  assert_true(refresh < 0 || refresh > first);
  assert_true(h.Find("NextEvent 2000: timeout") > first);  // 7 s refresh after the check at 10 s
  assert_true(CountCalls(h, "ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100") >= 2);
}

// Up before the monitor started (the init script restores, then starts
// it): no event says so, yet it is announced GARP_REPEAT_DELAY after the
// first check, then every GARP_REFRESH.
void AddressUpAtTheStartIsAnnouncedAgainAndRefreshed(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  Resource r = Watched();
  r.t.garp_repeat_delay_ms = 5000;
  r.t.garp_refresh_ms = 3000;
  CapturedStderr log;
  h.StopAtWaitAfter("ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100", 2);  // the refresh sent
  assert_true(Run(h, r).ok());
  const int first = h.Find("NextEvent 5000: timeout");
  assert_true(first >= 0);
  assert_string_equal(h.calls[first + 1], "VisitAddresses eth0");
  assert_string_equal(h.calls[first + 2], "ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100");
  assert_true(h.Find("NextEvent 3000: timeout", static_cast<size_t>(first)) > first);
  assert_true(CountCalls(h, "ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100") >= 2);
  ExpectLine(log.Text(), "vip: monitor: 192.0.2.100 is on eth0: gratuitous ARPs again in 5 s");
}

// Lines of `text` that contain `part`.
int CountLines(const char* text, const char* part) {
  int n = 0;
  for (const char* at = strstr(text, part); at; at = strstr(at + 1, part)) ++n;
  return n;
}

// The refreshes, every GARP_REFRESH while nothing changes, are quiet as the
// periodic checks are (contract "Binary"): the repeat logs its frames and
// when the refreshes come, then the refreshes log nothing.
void RefreshesAreQuiet(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  Resource r = Watched();
  r.t.garp_repeat_delay_ms = 5000;
  r.t.garp_refresh_ms = 3000;
  CapturedStderr log;
  h.StopAtWaitAfter("ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100", 4);  // 3 refreshes
  assert_true(Run(h, r).ok());
  assert_int_equal(CountCalls(h, "ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100"), 4);
  const char* text = log.Text();
  assert_int_equal(
      CountLines(text, "vip: monitor: gratuitous ARP request for 192.0.2.100 to 192.0.2.100"), 1);
  assert_int_equal(CountLines(text, "again in 3 s"), 1);
  ExpectLine(text, "vip: monitor: 192.0.2.100 still on eth0: gratuitous ARPs again in 3 s");
}

// Without a restore word the monitor leaves it alone: no announcement.
void AddressUpAtTheStartWithoutAWordIsNotAnnounced(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  Resource r = Watched();
  r.t.garp_repeat_delay_ms = 5000;
  h.StopAtWait(2);  // past GARP_REPEAT_DELAY
  assert_true(Run(h, r).ok());
  assert_int_equal(h.Find("ArpAnnounce"), -1);
}

void NoRepeatWhenBothAreZero(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  h.events.Push(AddressEvent(NetEventKind::kAddressAdded, "192.0.2.100"));
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  assert_int_equal(h.Find("ArpAnnounce"), -1);
}

void AnnouncementSkippedWhenTheAddressIsUnknown(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  h.events.Push(AddressEvent(NetEventKind::kAddressAdded, "192.0.2.100"));
  h.visit_addresses.Push(true);      // the first check's probe
  h.visit_addresses.Push(true);      // and its quickCheck
  h.visit_addresses.PushError(EIO);  // the repeat's look at the device
  Resource r = Watched();
  r.t.garp_repeat_delay_ms = 5000;
  h.StopAtWait(3);  // the wait after the skipped announcement
  assert_true(Run(h, r).ok());
  // The first wait ends at the announcement the start's check scheduled.
  ExpectCalls(h, {"WatchEvents", kLinkCheck, kHeldCheck, "NextEvent 5000: event 1",
                  "WatchClaims eth0 192.0.2.100", "NextEvent 5000: timeout", kAssignmentStatus,
                  "NextEvent 5000: timeout"});
}

void EventsLostMeansCheckNow(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  NetEvent lost;
  lost.kind = NetEventKind::kEventsLost;
  h.events.Push(lost);
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck, kHeldCheck, "NextEvent 10000: event 4", kHeldCheck,
                  "NextEvent 10000: timeout"});
}

void EventErrorIsRetriedAfterASecond(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.eth0_link.ifindex = 2;
  h.events.PushError(EBADF);
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck, kHeldCheck, "NextEvent 10000: event 0", "SleepMs 1000",
                  "NextEvent 9000: timeout"});
}

void SubscribeFailureIsAnError(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.watch_events.PushError(EPERM);
  Status s = Run(h, Watched());
  assert_false(s.ok());
  assert_int_equal(s.err(), EPERM);
}

void NothingToWatchIsAnError(void**) {
  MockHost h;
  CapturedStderr log;
  assert_false(RunMonitor(h, nullptr, 0).ok());
  const char* text = log.Text();
  ExpectCalls(h, {});
  ExpectLine(text, "monitor: nothing to watch (no resource given)");
}

// More than it has room for is an error of its own, not "nothing to watch".
void TooManyToWatchIsAnError(void**) {
  MockHost h;
  const Resource r = Watched();
  const Resource* list[kMaxResources + 1];
  for (const Resource*& each : list) each = &r;
  CapturedStderr log;
  assert_false(RunMonitor(h, list, kMaxResources + 1).ok());
  const char* text = log.Text();
  ExpectCalls(h, {});
  ExpectLine(text, "monitor: 65 resources given, more than the 64 it can watch");
}

// The last word wins, whatever AUTOSTART says: no word yet, or a remove,
// and the address is left alone.
void NoWordIsLeftAlone(void**) {
  MockHost h;
  h.StopAtWait(3);
  assert_true(Run(h, Watched()).ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck, "NextEvent 10000: timeout", "NextEvent 10000: timeout",
                  "NextEvent 10000: timeout"});
}

void AutostartIsLeftAloneAfterARemove(void**) {
  MockHost h;
  h.Tell(false);
  h.StopAtWait(3);
  assert_true(Run(h, Watched()).ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck, "NextEvent 10000: timeout", "NextEvent 10000: timeout",
                  "NextEvent 10000: timeout"});
  assert_false(h.Holds("eth0", "192.0.2.100"));
}

void EngineDrivenIsRecoveredAfterARestore(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.eth0_link.ifindex = 2;
  Resource r = Watched();
  r.t.autostart = false;
  h.StopAtWaitAfter("AddAddress eth0 192.0.2.100/24");  // recovered
  assert_true(Run(h, r).ok());
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

NetEvent WordEvent() {
  NetEvent ev;
  ev.kind = NetEventKind::kWordChanged;
  return ev;
}

// A restore that spoke and was killed (waiting for the lock): the monitor
// hears the word at once, not at the next interval, and puts it in service.
void NewRestoreWordIsActedOnAtOnce(void**) {
  MockHost h;
  h.eth0_link.ifindex = 2;
  h.events.Push(WordEvent());
  h.on_event = [](MockHost& m) { m.Tell(true); };
  CapturedStderr log;
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  const int event = h.Find("NextEvent 10000: event");
  assert_true(event >= 0);
  assert_true(h.Find("AddAddress eth0 192.0.2.100/24") > event);
  assert_true(h.Holds("eth0", "192.0.2.100"));
  ExpectLine(log.Text(), "vip: monitor: new word: restore: checking now");
}

// A restore that spoke and still runs does the job itself: the monitor does
// not race it for the lock, and checks once its process is gone (here
// SIGKILLed before the add, so the monitor puts the address in service).
int word_events_taken = 0;
void NewRestoreWordWaitsForItsRunningRestore(void**) {
  MockHost h;
  h.eth0_link.ifindex = 2;
  h.events.Push(WordEvent());
  NetEvent timeout;
  timeout.kind = NetEventKind::kTimeout;
  h.events.Push(timeout);
  word_events_taken = 0;
  h.on_event = [](MockHost& m) {
    if (word_events_taken++ > 0) {
      m.word.writer_running = false;  // its restore was killed
      return;
    }
    m.Tell(true);
    m.word.writer = 4242;
    m.word.writer_running = true;
  };
  CapturedStderr log;
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  const int polled = h.Find("NextEvent 100: event");  // polled while it ran
  assert_true(polled > h.Find("NextEvent 10000: event"));
  assert_true(h.Find("AddAddress eth0 192.0.2.100/24") > polled);
  assert_true(h.Find("LockTag") > polled);  // no race for the lock while it ran
  assert_true(h.Holds("eth0", "192.0.2.100"));
  ExpectLine(log.Text(), "vip: monitor: new word: restore (process 4242): checking once it ends");
}

// A remove that spoke and was killed before it took the address down: the
// monitor takes it down once the lock is free, then leaves it alone.
void NewRemoveWordTakesDownWhatIsLeft(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.eth0_link.ifindex = 2;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.events.Push(WordEvent());
  h.on_event = [](MockHost& m) { m.Tell(false); };
  CapturedStderr log;
  h.StopAtWait(3);  // the word's, the take-down's, the next interval's
  assert_true(Run(h, Watched()).ok());
  const int lock = h.Find("LockTag vip take-down");
  assert_true(lock > h.Find("NextEvent 10000: event"));
  assert_true(h.Find("DeleteAddress eth0 192.0.2.100/24", static_cast<size_t>(lock)) > lock);
  assert_false(h.Holds("eth0", "192.0.2.100"));
  ExpectLine(log.Text(),
             "vip: monitor: the last word is remove and 192.0.2.100 is still on eth0 "
             "(that remove was killed): taking it down");
  assert_int_equal(CountCalls(h, "LockTag"), 1);  // left alone after
}

// A restore spoke while the monitor waited for the lock: nothing is taken down.
void RemoveWordSupersededUnderTheLockTakesNothingDown(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.eth0_link.ifindex = 2;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.events.Push(WordEvent());
  h.on_event = [](MockHost& m) { m.Tell(false); };
  h.lock_contended = 1;
  h.while_lock_held = [](MockHost& m) { m.Tell(true); };
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  assert_true(h.Find("LockTag vip take-down: waited") >= 0);
  assert_true(h.Find("DeleteAddress") < 0);
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

// The word changed into a record that cannot be read (written by an ipres
// of another version, or by hand): no remove, so the address stays.
void UnreadableNewWordTakesNothingDown(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.eth0_link.ifindex = 2;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.events.Push(WordEvent());
  h.on_event = [](MockHost& m) {
    for (int i = 0; i < 10; ++i) m.last_word.PushError(EINVAL);
  };
  CapturedStderr log;
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  ExpectLine(log.Text(), "vip: monitor: mock: Invalid argument: not looking after it");
  assert_true(h.Find("DeleteAddress") < 0);
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

// A word event for another tag (the same word here): nothing to do.
void UnchangedWordIsNoNews(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.eth0_link.ifindex = 2;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.events.Push(WordEvent());
  CapturedStderr log;
  h.StopOnceEventsHandled();
  assert_true(Run(h, Watched()).ok());
  const char* text = log.Text();
  ExpectCalls(h, {"WatchEvents", kLinkCheck, kHeldCheck, "NextEvent 10000: event 6",
                  "NextEvent 10000: timeout"});
  assert_null(strstr(text, "new word"));
}

// A restore killed after its add: the monitor finishes it (announces,
// checks) under the lock, then checks as usual.
void UnfinishedRestoreIsFinished(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.eth0_link.ifindex = 2;
  h.unfinished = kAddressAdded;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.StopAtWait(1);
  assert_true(Run(h, Watched()).ok());
  assert_int_equal(h.unfinished, 0);
  const int lock = h.Find("LockTag vip");
  assert_true(lock >= 0);
  assert_true(h.Find("ArpAnnounce eth0 request 192.0.2.100 to 192.0.2.100",
                     static_cast<size_t>(lock)) > lock);
}

// Even for a resource not wanted here, a device left down is brought up.
void DeviceLeftDownIsBroughtUpEvenWhereNotWanted(void**) {
  MockHost h;
  h.eth0_link.ifindex = 2;
  h.eth0_link.admin_up = false;
  h.unfinished = kDeviceDown;
  Resource r = Watched();
  r.t.autostart = false;
  h.StopAtWait(1);
  assert_true(Run(h, r).ok());
  assert_true(h.eth0_link.admin_up);
  assert_int_equal(h.unfinished, 0);
}

// An unreadable word record is no word: left alone.
void AnUnreadableWordIsLeftAlone(void**) {
  MockHost h;
  h.eth0_link.ifindex = 2;
  Resource r = Watched();
  r.t.autostart = false;
  for (int i = 0; i < 4; ++i) h.last_word.PushError(EINVAL);
  h.StopAtWait(3);
  assert_true(Run(h, r).ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck, "NextEvent 10000: timeout", "NextEvent 10000: timeout",
                  "NextEvent 10000: timeout"});
  assert_false(h.Holds("eth0", "192.0.2.100"));
}

// The firmware's NIC re-bind: the address is gone, the monitor's quickCheck
// fails, and its recover waits for the lock the mdev hook's restore holds
// while that restore puts the address back. The recover checks again, takes
// nothing down and says why; the monitor goes on checking every interval.
void PutsBackNothingARestorePutBackWhileItsRecoverWaited(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.lock_contended = 1;
  h.while_lock_held = [](MockHost& m) { m.AddDeviceAddress("eth0", "192.0.2.100", 24); };
  CapturedStderr log;
  h.StopAtWait(2);
  Status s = Run(h, Watched());
  const char* text = log.Text();
  assert_true(s.ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck, kAssignmentStatus, kAssignmentStatus,
                  "TakeClaim 192.0.2.100", "LockTag vip: waited", kQuickCheck,
                  "NextEvent 10000: timeout", kHeldCheck, "NextEvent 10000: timeout"});
  assert_true(h.Holds("eth0", "192.0.2.100"));
  ExpectLine(text, "vip: quickCheck: 192.0.2.100 is not on eth0");
  ExpectLine(text, "vip: monitor: quickCheck failed: recovering");
  ExpectLine(text,
             "vip: recover: 192.0.2.100 put back in service by another operation meanwhile: "
             "leaving it");
  ExpectLine(text, "vip: monitor: in service again: nothing to recover");
}

// The lock was held, but its holder left the resource broken (a restore
// that failed): recovered as always.
void RecoversWhatIsStillBrokenAfterItsRecoverWaited(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.lock_contended = 1;
  CapturedStderr log;
  h.StopAtWaitAfter("AddAddress eth0 192.0.2.100/24");  // recovered
  Status s = Run(h, Watched());
  const char* text = log.Text();
  assert_true(s.ok());
  const int lock = h.Find("LockTag vip: waited");
  assert_true(lock >= 0);
  // lock, the check again, remove's look, restore's link, look, duplicate check, add
  assert_int_equal(h.Find("AddAddress eth0 192.0.2.100/24"), lock + 6);
  assert_true(h.Holds("eth0", "192.0.2.100"));
  ExpectLine(text, "vip: monitor: recovered");
}

// The same for an engine-driven resource the engine wants here.
void EngineDrivenPutBackWhileItsRecoverWaitedIsLeft(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.lock_contended = 1;
  h.while_lock_held = [](MockHost& m) { m.AddDeviceAddress("eth0", "192.0.2.100", 24); };
  Resource r = Watched();
  r.t.autostart = false;
  h.StopAtWait(2);
  assert_true(Run(h, r).ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck, kAssignmentStatus, kAssignmentStatus,
                  "TakeClaim 192.0.2.100", "LockTag vip: waited", kQuickCheck,
                  "NextEvent 10000: timeout", kHeldCheck, "NextEvent 10000: timeout"});
}

void StopEndsTheLoop(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore, so the monitor looks after it
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.stop_after_calls = 0;  // a signal before anything
  assert_true(Run(h, Watched()).ok());
  ExpectCalls(h, {"WatchEvents", kLinkCheck});  // no check, no wait
}

}  // namespace

int main() {
  SetSyslogEnabled(false);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ChecksAtStartThenEveryInterval),
      cmocka_unit_test(AddressLeavingIsCheckedAtOnceAndRecovered),
      cmocka_unit_test(OtherAddressesAndDevicesAreIgnored),
      cmocka_unit_test(CarrierLossIsCheckedAtOnce),
      cmocka_unit_test(FailedRecoverBacksOff),
      cmocka_unit_test(BackoffIsCappedByTheInterval),
      cmocka_unit_test(CarrierBackChecksAtOnceAfterAFailure),
      cmocka_unit_test(DeviceBackChecksAtOnceAndRestartsTheBackoff),
      cmocka_unit_test(AddressUpIsAnnouncedAgainLaterAndRefreshed),
      cmocka_unit_test(AddressUpAtTheStartIsAnnouncedAgainAndRefreshed),
      cmocka_unit_test(RefreshesAreQuiet),
      cmocka_unit_test(AddressUpAtTheStartWithoutAWordIsNotAnnounced),
      cmocka_unit_test(NoRepeatWhenBothAreZero),
      cmocka_unit_test(AnnouncementSkippedWhenTheAddressIsUnknown),
      cmocka_unit_test(EventsLostMeansCheckNow),
      cmocka_unit_test(EventErrorIsRetriedAfterASecond),
      cmocka_unit_test(SubscribeFailureIsAnError),
      cmocka_unit_test(NothingToWatchIsAnError),
      cmocka_unit_test(TooManyToWatchIsAnError),
      cmocka_unit_test(NoWordIsLeftAlone),
      cmocka_unit_test(AutostartIsLeftAloneAfterARemove),
      cmocka_unit_test(EngineDrivenIsRecoveredAfterARestore),
      cmocka_unit_test(NewRestoreWordIsActedOnAtOnce),
      cmocka_unit_test(NewRestoreWordWaitsForItsRunningRestore),
      cmocka_unit_test(NewRemoveWordTakesDownWhatIsLeft),
      cmocka_unit_test(RemoveWordSupersededUnderTheLockTakesNothingDown),
      cmocka_unit_test(UnreadableNewWordTakesNothingDown),
      cmocka_unit_test(UnchangedWordIsNoNews),
      cmocka_unit_test(UnfinishedRestoreIsFinished),
      cmocka_unit_test(DeviceLeftDownIsBroughtUpEvenWhereNotWanted),
      cmocka_unit_test(AnUnreadableWordIsLeftAlone),
      cmocka_unit_test(PutsBackNothingARestorePutBackWhileItsRecoverWaited),
      cmocka_unit_test(RecoversWhatIsStillBrokenAfterItsRecoverWaited),
      cmocka_unit_test(EngineDrivenPutBackWhileItsRecoverWaitedIsLeft),
      cmocka_unit_test(StopEndsTheLoop),
  };
  return cmocka_run_group_tests_name("monitor", tests, nullptr, nullptr);
}
