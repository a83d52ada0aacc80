// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <string.h>

#include "base/log.h"
#include "cmocka_cxx.h"
#include "expected_steps.h"
#include "mock_host.h"
#include "ops/ops.h"

using namespace ipres;
using namespace ipres::steps;

namespace {

// quickCheck needs the address on the device.
struct Held {
  Held() { h.AddDeviceAddress("eth0", "192.0.2.100", 24); }
  MockHost h;
};

void PassesWithLinkAndReply(void**) {
  Held x;
  assert_true(QuickCheck(x.h, TestResource()).ok());
  ExpectCalls(x.h, {kQuickCheck});
}

// The monitor recorded another host's claim that stands (contract
// "Conflicts while holding"): the engine hears it, by name, before any ping.
void StandingConflictFailsNamingTheOtherMac(void**) {
  Held x;
  x.h.conflict.claimant = MacAddress{{0x02, 0, 0, 0, 0, 0x0d}};
  x.h.conflict.stands_until_ms = x.h.now_ms + 4500;
  ExpectError(QuickCheck(x.h, TestResource()),
              "conflict: 192.0.2.100 on eth0 is claimed by 02:00:00:00:00:0d too (for 4.5 s more "
              "without a claim)");
  ExpectCalls(x.h, {kAssignmentStatus});
}

void ConflictThatEndedPasses(void**) {
  Held x;
  x.h.conflict.claimant = MacAddress{{0x02, 0, 0, 0, 0, 0x0d}};
  x.h.conflict.stands_until_ms = x.h.now_ms;  // DEFEND_INTERVAL went by without a claim
  assert_true(QuickCheck(x.h, TestResource()).ok());
  ExpectCalls(x.h, {kQuickCheck});
}

void UnreadableConflictRecordFails(void**) {
  Held x;
  x.h.read_conflict.PushError(EINVAL);
  ExpectFailure(QuickCheck(x.h, TestResource()), "read the conflict record", EINVAL);
}

void DisabledDoesNothing(void**) {
  MockHost h;
  Resource r = TestResource();
  r.t.restore_and_recover = false;
  assert_true(QuickCheck(h, r).ok());
  ExpectCalls(h, {});
}

void AbsentAddressFails(void**) {
  MockHost h;
  ExpectFailure(QuickCheck(h, TestResource()), "192.0.2.100 is not on eth0", 0);
  ExpectCalls(h, {kAssignmentStatus});
}

void MissingDeviceIsNamed(void**) {
  MockHost h;
  Resource r = TestResource();
  strcpy(r.device, "eth9");
  ExpectFailure(QuickCheck(h, r), "read addresses of eth9", ENODEV);
  ExpectCalls(h, {"VisitAddresses eth9"});
}

void LinkDownFailsWithoutBounce(void**) {
  Held x;
  x.h.eth0_link.admin_up = false;
  ExpectFailure(QuickCheck(x.h, TestResource()), "link check", 0);
  ExpectCalls(x.h, {kAssignmentStatus, kLinkCheck});
}

void NoCarrierFails(void**) {
  Held x;
  x.h.eth0_link.carrier = false;
  ExpectFailure(QuickCheck(x.h, TestResource()), "link check", 0);
  ExpectCalls(x.h, {kAssignmentStatus, kLinkCheck});
}

void NoLinkCheckSkipsIt(void**) {
  Held x;
  x.h.eth0_link.admin_up = false;
  Resource r = TestResource();
  r.t.no_link_check = true;
  assert_true(QuickCheck(x.h, r).ok());
  ExpectCalls(x.h, {kAssignmentStatus, kUnicastPing});
}

void LinkReadFails(void**) {
  Held x;
  x.h.get_link.PushError(EIO);
  ExpectFailure(QuickCheck(x.h, TestResource()), "link check: eth0", EIO);
}

void HostFailureWithoutErrnoKeepsItsReason(void**) {
  Held x;
  x.h.get_link.PushFailure("truncated netlink answer");
  ExpectError(QuickCheck(x.h, TestResource()),
              "link check: eth0: failed: truncated netlink answer");
}

void UnicastFailsThenBroadcastAnswers(void**) {
  Held x;
  x.h.ping.Push(false);
  x.h.ping.Push(true);
  assert_true(QuickCheck(x.h, TestResource()).ok());
  ExpectCalls(x.h, {kQuickCheck, kBroadcastPing});
}

void NoBroadcastPingFailsAfterUnicast(void**) {
  Held x;
  x.h.ping_answers = false;
  Resource r = TestResource();
  r.t.no_bcast_ping = true;
  ExpectFailure(QuickCheck(x.h, r), "connectivity check", 0);
  ExpectCalls(x.h, {kQuickCheck, kUnicastPing, kUnicastPing});
}

void BroadcastOnlyWithoutPingList(void**) {
  Held x;
  Resource r = TestResource();
  r.t.ping_list_count = 0;
  assert_true(QuickCheck(x.h, r).ok());
  ExpectCalls(x.h, {kAssignmentStatus, kLinkCheck, kBroadcastPing});
}

void NoPingListAndNoBroadcastChecksNothing(void**) {
  Held x;
  x.h.ping_answers = false;
  Resource r = TestResource();
  r.t.ping_list_count = 0;
  r.t.no_bcast_ping = true;
  assert_true(QuickCheck(x.h, r).ok());
  ExpectCalls(x.h, {kAssignmentStatus, kLinkCheck});
}

void PingTriesAreCounted(void**) {
  Held x;
  x.h.ping_answers = false;
  Resource r = TestResource();
  r.t.ping_tries = 5;
  r.t.quickcheck_timeout_ms = 60000;
  ExpectFailure(QuickCheck(x.h, r), "connectivity check", 0);
  ExpectCalls(x.h, {kQuickCheck, kBroadcastPing, kUnicastPing, kBroadcastPing, kUnicastPing,
                    kBroadcastPing, kUnicastPing, kBroadcastPing, kUnicastPing, kBroadcastPing});
}

void PingListIsPingedInOneWindow(void**) {
  Held x;
  Resource r = TestResource();
  assert_true(ParseIpAddress("192.0.2.11", &r.t.ping_list[1]));
  assert_true(ParseIpAddress("198.51.100.1", &r.t.ping_list[2]));
  r.t.ping_list_count = 3;
  assert_true(QuickCheck(x.h, r).ok());
  ExpectCalls(x.h, {kAssignmentStatus, kLinkCheck,
                    "Ping eth0 from 192.0.2.100 to 192.0.2.10,192.0.2.11,198.51.100.1 in 500"});
}

void TimesOutInTheMiddleOfAWindow(void**) {
  Held x;
  x.h.ping_answers = false;
  Resource r = TestResource();
  r.t.quickcheck_timeout_ms = 1200;
  ExpectError(QuickCheck(x.h, r), "quickCheck timed out after 1.2 s (IP_QUICKCHECK_TIMEOUT)");
  ExpectCalls(x.h,
              {kQuickCheck, kBroadcastPing, "Ping eth0 from 192.0.2.100 to 192.0.2.10 in 200"});
}

void ReplyInTheLastCutWindowPasses(void**) {
  Held x;
  x.h.ping.Push(false);
  x.h.ping.Push(false);
  x.h.ping.Push(true);
  Resource r = TestResource();
  r.t.quickcheck_timeout_ms = 1200;
  assert_true(QuickCheck(x.h, r).ok());
  ExpectCalls(x.h,
              {kQuickCheck, kBroadcastPing, "Ping eth0 from 192.0.2.100 to 192.0.2.10 in 200"});
}

void TimesOutBeforeAWindow(void**) {
  Held x;
  x.h.list_cost_ms = 6000;  // reading the addresses takes the whole budget
  ExpectError(QuickCheck(x.h, TestResource()), "quickCheck timed out after 6 s");
  ExpectCalls(x.h, {kAssignmentStatus, kLinkCheck});
}

// SOURCE_ADDRESS=1: the subnet route must have the address as its source.
void SourceAddressSetPasses(void**) {
  Held x;
  Resource r = TestResource();
  r.t.source_address = true;
  x.h.route_source.Push(r.address);
  assert_true(QuickCheck(x.h, r).ok());
  ExpectCalls(x.h,
              {kAssignmentStatus, kLinkCheck, "GetRouteSource eth0 192.0.2.0/24", kUnicastPing});
}

void SourceAddressNotSetFails(void**) {
  Held x;
  Resource r = TestResource();
  r.t.source_address = true;
  x.h.route_source.Push(Ipv4{0xc0000202u});
  ExpectFailure(QuickCheck(x.h, r), "route 192.0.2.0/24 on eth0", 0);
  ExpectCalls(x.h, {kAssignmentStatus, kLinkCheck, "GetRouteSource eth0 192.0.2.0/24"});
}

void SourceAddressWithoutSourceFails(void**) {
  Held x;
  Resource r = TestResource();
  r.t.source_address = true;
  ExpectFailure(QuickCheck(x.h, r), "route 192.0.2.0/24 on eth0", 0);
}

void SourceAddressWithoutRouteFails(void**) {
  Held x;
  Resource r = TestResource();
  r.t.source_address = true;
  x.h.route_source.PushError(ESRCH);
  ExpectFailure(QuickCheck(x.h, r), "route 192.0.2.0/24 on eth0", 0);
}

void SourceAddressRouteReadFails(void**) {
  Held x;
  Resource r = TestResource();
  r.t.source_address = true;
  x.h.route_source.PushError(ENOBUFS);
  ExpectFailure(QuickCheck(x.h, r), "route 192.0.2.0/24 on eth0", ENOBUFS);
}

// The socket itself failing is not about one echo: an error.
void UnicastPingErrorIsAnError(void**) {
  Held x;
  x.h.ping.PushError(EPERM);
  ExpectFailure(QuickCheck(x.h, TestResource()),
                "connectivity check: unicast ping from 192.0.2.100", EPERM);
  ExpectCalls(x.h, {kQuickCheck});
}

void BroadcastPingErrorIsAnError(void**) {
  Held x;
  x.h.ping.Push(false);
  x.h.ping.PushError(EACCES);
  ExpectFailure(QuickCheck(x.h, TestResource()),
                "connectivity check: broadcast ping from 192.0.2.100 on eth0", EACCES);
}

// An echo that cannot be sent (a prohibit route, no route) is no reply, as
// the spec's failed lkping: the check goes on to the broadcast step and the
// remaining tries, and the log says why.
void UnsentPingIsNoReply(void**) {
  Held x;
  x.h.ping_unsent.Push(EACCES);  // attempt 1: the unicast echo is not sent,
  x.h.ping_unsent.Push(0);       // the broadcast goes out
  x.h.ping.Push(false);
  x.h.ping.Push(false);               // and nobody answers;
  x.h.ping_unsent.Push(ENETUNREACH);  // attempt 2: not sent; its broadcast is answered
  assert_true(QuickCheck(x.h, TestResource()).ok());
  ExpectCalls(x.h, {kQuickCheck, kBroadcastPing, kUnicastPing, kBroadcastPing});
}

void UnsentPingsUseUpTheTries(void**) {
  Held x;
  Resource r = TestResource();
  r.t.no_bcast_ping = true;
  for (int i = 0; i < 3; ++i) x.h.ping_unsent.Push(EHOSTUNREACH);
  ExpectFailure(QuickCheck(x.h, r), "connectivity check", 0);
  ExpectCalls(x.h, {kQuickCheck, kUnicastPing, kUnicastPing});
}

void StopEndsTheCheckAfterAWindow(void**) {
  Held x;
  x.h.ping_answers = false;
  x.h.StopAt(Call(kUnicastPing));
  ExpectFailure(QuickCheck(x.h, TestResource()), "connectivity check: stopped by signal", 0);
  ExpectCalls(x.h, {kQuickCheck});
}

}  // namespace

int main() {
  SetSyslogEnabled(false);
  const CMUnitTest tests[] = {
      cmocka_unit_test(PassesWithLinkAndReply),
      cmocka_unit_test(StandingConflictFailsNamingTheOtherMac),
      cmocka_unit_test(ConflictThatEndedPasses),
      cmocka_unit_test(UnreadableConflictRecordFails),
      cmocka_unit_test(DisabledDoesNothing),
      cmocka_unit_test(AbsentAddressFails),
      cmocka_unit_test(MissingDeviceIsNamed),
      cmocka_unit_test(LinkDownFailsWithoutBounce),
      cmocka_unit_test(NoCarrierFails),
      cmocka_unit_test(NoLinkCheckSkipsIt),
      cmocka_unit_test(LinkReadFails),
      cmocka_unit_test(HostFailureWithoutErrnoKeepsItsReason),
      cmocka_unit_test(UnicastFailsThenBroadcastAnswers),
      cmocka_unit_test(NoBroadcastPingFailsAfterUnicast),
      cmocka_unit_test(BroadcastOnlyWithoutPingList),
      cmocka_unit_test(NoPingListAndNoBroadcastChecksNothing),
      cmocka_unit_test(PingTriesAreCounted),
      cmocka_unit_test(PingListIsPingedInOneWindow),
      cmocka_unit_test(TimesOutInTheMiddleOfAWindow),
      cmocka_unit_test(ReplyInTheLastCutWindowPasses),
      cmocka_unit_test(TimesOutBeforeAWindow),
      cmocka_unit_test(SourceAddressSetPasses),
      cmocka_unit_test(SourceAddressNotSetFails),
      cmocka_unit_test(SourceAddressWithoutSourceFails),
      cmocka_unit_test(SourceAddressWithoutRouteFails),
      cmocka_unit_test(SourceAddressRouteReadFails),
      cmocka_unit_test(UnicastPingErrorIsAnError),
      cmocka_unit_test(BroadcastPingErrorIsAnError),
      cmocka_unit_test(UnsentPingIsNoReply),
      cmocka_unit_test(UnsentPingsUseUpTheTries),
      cmocka_unit_test(StopEndsTheCheckAfterAWindow),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
