// SPDX-License-Identifier: Apache-2.0
// The four operations and the monitor on an IPv6 resource: the same steps
// as for IPv4 (test_restore, test_remove, test_quick_check cover those
// branches), with IPv6's means: no broadcast, addresses added without DAD,
// neighbour advertisements for gratuitous ARP, ff02::1 for the broadcast
// ping, the IPv6 route cache, tentative or dadfailed addresses, and
// deprecated ones (SOURCE_ADDRESS=0) that stay in service.
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "captured_stderr.h"
#include "cmocka_cxx.h"
#include "expected_steps.h"
#include "mock_host.h"
#include "ops/ops.h"

using namespace ipres;
using namespace ipres::steps6;

namespace {

Resource Ipv6Resource() {
  Resource r = TestResource();
  snprintf(r.tag, sizeof r.tag, "v6");
  assert_true(ParseIpAddress("2001:db8::100", &r.address));
  r.prefix = 64;
  assert_true(ParseIpAddress("2001:db8::10", &r.t.ping_list[0]));
  return r;
}

// eth0 as a dual-stack device: its IPv4 address (the mock's), a link-local
// and a global IPv6 address.
void DualStack(MockHost& h) {
  h.AddDeviceAddress("eth0", "fe80::2", 64);
  h.AddDeviceAddress("eth0", "2001:db8::2", 64);
}

void RestoreAddsWithoutDadAndAdvertises(void**) {
  MockHost h;
  DualStack(h);
  assert_true(Restore(h, Ipv6Resource()).ok());
  ExpectCalls(h, {"LockTag v6", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  kUnicastPing});
  assert_true(h.Holds("eth0", "2001:db8::100"));
}

// A link-local address reaches no PINGLIST beyond the link and an address
// still tentative is not usable yet: neither is the physical address.
void OnlyAUsableGlobalAddressIsPhysical(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "fe80::2", 64);
  h.AddDeviceAddress("eth0", "2001:db8::3", 64);
  h.MarkDad("eth0", "2001:db8::3", true, false);
  assert_true(Restore(h, Ipv6Resource()).ok());
  assert_true(h.Find("ProbeForDuplicate eth0 from :: for 2001:db8::100 in 400") >= 0);
  h.AddDeviceAddress("eth1", "2001:db8:1::9", 64);  // another device's: not this one's
  Resource ready = Ipv6Resource();
  ExpectFailure(Ready(h, ready), "connectivity check", 0);
}

// The node's own address, there first, is the physical one: not a
// resource's added since (the kernel lists those first), nor one of
// another subnet.
void PhysicalIsTheOldestOfTheSubnet(void**) {
  MockHost h;
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8:1::9", 64);  // another subnet
  h.AddDeviceAddress("eth0", "2001:db8::50", 64);   // another resource's, added later
  assert_true(Restore(h, Ipv6Resource()).ok());
  assert_true(h.Find(Call(kDuplicationCheck)) >= 0);
  Resource r = Ipv6Resource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  assert_true(h.Find("SetRouteSource eth0 2001:db8::/64 src 2001:db8::2") >= 0);
}

// With SOURCE_ADDRESS=0 the address is added deprecated (preferred
// lifetime 0), so the node's own new connections never leave from it; with
// SOURCE_ADDRESS=1 it is added preferred, and the prefix route's src makes
// it the source.
void AddedDeprecatedUnlessSourceAddress(void**) {
  MockHost h;
  DualStack(h);
  assert_true(Restore(h, Ipv6Resource()).ok());
  const int add = h.Find("AddAddress");
  assert_true(add >= 0);
  assert_string_equal(h.calls[add], "AddAddress eth0 2001:db8::100/64 nodad deprecated");
  assert_true(Remove(h, Ipv6Resource()).ok());

  MockHost src;
  DualStack(src);
  Resource r = Ipv6Resource();
  r.t.source_address = true;
  assert_true(Restore(src, r).ok());
  ExpectCalls(src, {"LockTag v6", kLinkCheck, kAssignmentStatus, kDuplicationCheck,
                    "AddAddress eth0 2001:db8::100/64 nodad", kFlushAndAnnounce, kEnableSource,
                    kUnicastPing});
}

// Deprecated is in service: quickCheck passes it with the same steps as a
// preferred one, and restore finds it complete.
void DeprecatedAddressPassesQuickCheckAndRestore(void**) {
  MockHost h;
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 64);
  h.MarkDeprecated("eth0", "2001:db8::100", true);
  assert_true(QuickCheck(h, Ipv6Resource()).ok());
  ExpectCalls(h, {kQuickCheck});
  MockHost again;
  DualStack(again);
  again.AddDeviceAddress("eth0", "2001:db8::100", 64);
  again.MarkDeprecated("eth0", "2001:db8::100", true);
  assert_true(Restore(again, Ipv6Resource()).ok());
  ExpectCalls(again,
              {"LockTag v6", kLinkCheck, kAssignmentStatus, kFlushAndAnnounce, kUnicastPing});
}

// Another resource's deprecated address, there before the node's own was
// (re)added, is never the physical address, though the kernel lists it
// last; nor does it or the resource's own deprecated address make
// quickCheck fail.
void PhysicalSkipsADeprecatedFloatingAddress(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "2001:db8::50", 64);
  h.MarkDeprecated("eth0", "2001:db8::50", true);
  DualStack(h);
  assert_true(Restore(h, Ipv6Resource()).ok());
  assert_true(h.Find(Call(kDuplicationCheck)) >= 0);
  assert_true(QuickCheck(h, Ipv6Resource()).ok());
  Resource r = Ipv6Resource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  assert_true(h.Find("SetRouteSource eth0 2001:db8::/64 src 2001:db8::2") >= 0);
}

// Found preferred with SOURCE_ADDRESS=0 (added by hand, or by an ipres
// before this rule): restore makes it deprecated, as its add would have,
// before it announces; once only.
void RestoreDeprecatesAPreferredAddressItFinds(void**) {
  MockHost h;
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 64);
  assert_true(Restore(h, Ipv6Resource()).ok());
  ExpectCalls(h, {"LockTag v6", kLinkCheck, kAssignmentStatus,
                  "ReplaceAddress eth0 2001:db8::100/64 nodad deprecated", kFlushAndAnnounce,
                  kUnicastPing});
  const size_t first = h.call_count;
  assert_true(Restore(h, Ipv6Resource()).ok());
  assert_int_equal(h.Find("ReplaceAddress", first), -1);
}

// And the other way round: SOURCE_ADDRESS=1 wants it preferred. Under
// another prefix it is replaced as it is there.
void RestoreMakesADeprecatedAddressPreferredForSourceAddress(void**) {
  MockHost h;
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 80);
  h.MarkDeprecated("eth0", "2001:db8::100", true);
  Resource r = Ipv6Resource();
  r.t.source_address = true;
  assert_true(Restore(h, r).ok());
  ExpectCalls(
      h, {"LockTag v6", kLinkCheck, kAssignmentStatus, "ReplaceAddress eth0 2001:db8::100/80 nodad",
          kFlushAndAnnounce, kEnableSource, kUnicastPing});
}

// The address works either way: a refused replace is a warning with its
// errno, and restore goes on.
void RefusedReplaceIsAWarning(void**) {
  MockHost h;
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 64);
  h.replace_address.PushError(EPERM);
  CapturedStderr log;
  const Status s = Restore(h, Ipv6Resource());
  const char* text = log.Text();
  assert_true(s.ok());
  assert_non_null(strstr(text, "make 2001:db8::100/64 on eth0 deprecated: failed"));
  assert_non_null(strstr(text, strerror(EPERM)));
  ExpectCalls(h, {"LockTag v6", kLinkCheck, kAssignmentStatus,
                  "ReplaceAddress eth0 2001:db8::100/64 nodad deprecated", kFlushAndAnnounce,
                  kUnicastPing});
  assert_true(h.Holds("eth0", "2001:db8::100"));
}

void AllNodesStandsForTheBroadcast(void**) {
  MockHost h;
  DualStack(h);
  Resource r = Ipv6Resource();
  r.t.ping_list_count = 0;
  assert_true(Restore(h, r).ok());
  ExpectCalls(h, {"LockTag v6", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  kAllNodesPing});
}

void NeighbourDiscoveryAnswerMeansInUse(void**) {
  MockHost h;
  DualStack(h);
  for (int i = 0; i < 4; ++i) h.check_duplicate.Push(Duplicate::kNdpAnswer);
  ExpectFailure(Restore(h, Ipv6Resource()), "duplicate check", 0);
  assert_false(h.Holds("eth0", "2001:db8::100"));
  assert_int_equal(h.Find("AddAddress"), -1);
}

void EchoAnswerIsNamedIcmpv6(void**) {
  MockHost h;
  DualStack(h);
  for (int i = 0; i < 4; ++i) h.check_duplicate.Push(Duplicate::kIcmpReply);
  ExpectFailure(Restore(h, Ipv6Resource()), "duplicate check", 0);
}

void FailedAdvertisementFlushesAgain(void**) {
  MockHost h;
  DualStack(h);
  h.garp.PushError(ENETDOWN);
  assert_true(Restore(h, Ipv6Resource()).ok());
  ExpectCalls(h, {"LockTag v6", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  "FlushNeighbours eth0", kUnicastPing});
}

void NoReplyTakesItOffAgain(void**) {
  MockHost h;
  DualStack(h);
  h.ping_answers = false;
  ExpectFailure(Restore(h, Ipv6Resource()), "connectivity check", 0);
  assert_false(h.Holds("eth0", "2001:db8::100"));
  assert_true(h.Find("FlushRouteCache -6") >= 0);
}

void RemoveTakesDownInIpv6Tables(void**) {
  MockHost h;
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 64);
  assert_true(Remove(h, Ipv6Resource()).ok());
  ExpectCalls(h, {"LockTag v6 take-down", kAssignmentStatus, kTakeDown});
  assert_false(h.Holds("eth0", "2001:db8::100"));
  assert_true(h.Holds("eth0", "192.0.2.2"));  // the other family is left alone
}

// The same IP under another prefix is the address, deleted as it is there.
void RemoveDeletesTheAddressUnderAnotherPrefix(void**) {
  MockHost h;
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 80);
  assert_true(Remove(h, Ipv6Resource()).ok());
  assert_true(h.Find("DeleteAddress eth0 2001:db8::100/80") >= 0);
  assert_false(h.Holds("eth0", "2001:db8::100"));
}

// An IPv4 address with the same low bytes is not the IPv6 address.
void OtherFamilyIsNotTheAddress(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "0.0.1.0", 8);
  assert_true(Remove(h, Ipv6Resource()).ok());
  ExpectCalls(h, {"LockTag v6 take-down", kAssignmentStatus});
}

void SourceAddressSetAndPutBack(void**) {
  MockHost h;
  DualStack(h);
  Resource r = Ipv6Resource();
  r.t.source_address = true;
  assert_true(Restore(h, r).ok());
  assert_true(h.Find("SetRouteSource eth0 2001:db8::/64 src 2001:db8::100") >= 0);
  assert_true(QuickCheck(h, r).ok());
  assert_true(h.Find("GetRouteSource eth0 2001:db8::/64") >= 0);
  assert_true(Remove(h, r).ok());
  assert_true(h.Find("SetRouteSource eth0 2001:db8::/64 src 2001:db8::2") >= 0);
}

void SourceAddressDroppedWithoutAPhysicalOfTheSubnet(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "2001:db8:1::2", 64);
  h.AddDeviceAddress("eth0", "2001:db8::100", 64);
  Resource r = Ipv6Resource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  assert_true(h.Find("SetRouteSource eth0 2001:db8::/64 src ::") >= 0);
}

void QuickCheckPassesAHealthyAddress(void**) {
  MockHost h;
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 64);
  assert_true(QuickCheck(h, Ipv6Resource()).ok());
  ExpectCalls(h, {kQuickCheck});
}

void QuickCheckFailsATentativeAddress(void**) {
  MockHost h;
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 64);
  h.MarkDad("eth0", "2001:db8::100", true, false);
  ExpectError(QuickCheck(h, Ipv6Resource()), "2001:db8::100 on eth0 is tentative");
  ExpectCalls(h, {kAssignmentStatus});
}

void QuickCheckFailsADadFailedAddress(void**) {
  MockHost h;
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 64);
  h.MarkDad("eth0", "2001:db8::100", true, true);
  ExpectError(QuickCheck(h, Ipv6Resource()), "2001:db8::100 on eth0 is dadfailed");
}

// Found already there but dadfailed (added by hand, DAD found the holder):
// restore fails as quickCheck would, announcing nothing, and leaves it.
void RestoreNeverAnnouncesADadFailedAddressItFinds(void**) {
  MockHost h;
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 64);
  h.MarkDad("eth0", "2001:db8::100", true, true);
  ExpectError(Restore(h, Ipv6Resource()), "2001:db8::100 on eth0 is dadfailed");
  ExpectCalls(h, {"LockTag v6", kLinkCheck, kAssignmentStatus});
  assert_true(h.Holds("eth0", "2001:db8::100"));
}

void QuickCheckFailsWhenOnlyTheOtherFamilyIsThere(void**) {
  MockHost h;
  DualStack(h);
  ExpectFailure(QuickCheck(h, Ipv6Resource()), "2001:db8::100 is not on eth0", 0);
}

void MonitorRepeatsTheAdvertisements(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 64);
  NetEvent up;
  up.kind = NetEventKind::kAddressAdded;
  up.ifindex = 2;
  assert_true(ParseIpAddress("2001:db8::100", &up.address));
  up.prefix = 64;
  h.events.Push(up);
  Resource r = Ipv6Resource();
  r.t.lkcheck_interval_ms = 10000;
  r.t.garp_repeat_delay_ms = 5000;
  h.StopAtWaitAfter("NextEvent 5000: timeout");  // the repeat sent
  const Resource* list[] = {&r};
  assert_true(RunMonitor(h, list, 1).ok());
  ExpectStopConditionMet(h);
  assert_string_equal(h.calls[0], "WatchEvents -6");
  int repeat = h.Find("NextEvent 5000: timeout");
  assert_true(repeat >= 0);
  assert_string_equal(h.calls[repeat + 1], "VisitAddresses -6 eth0");
  for (int i = 2; i <= 5; ++i) assert_string_equal(h.calls[repeat + i], Call(kAnnouncement));
}

// The kernel reports an address still in DAD, then one whose DAD failed,
// as RTM_NEWADDR: neither is announced, and a dadfailed one is checked now.
void MonitorChecksADadFailedAddressAtOnce(void**) {
  MockHost h;
  h.Tell(true);  // the last word: restore
  DualStack(h);
  h.AddDeviceAddress("eth0", "2001:db8::100", 64);
  NetEvent ev;
  ev.kind = NetEventKind::kAddressAdded;
  ev.ifindex = 2;
  assert_true(ParseIpAddress("2001:db8::100", &ev.address));
  ev.prefix = 64;
  ev.tentative = true;
  h.events.Push(ev);
  ev.dad_failed = true;
  h.events.Push(ev);
  Resource r = Ipv6Resource();
  r.t.lkcheck_interval_ms = 10000;
  r.t.garp_repeat_delay_ms = 5000;
  h.StopOnceEventsHandled();
  const Resource* list[] = {&r};
  assert_true(RunMonitor(h, list, 1).ok());
  ExpectStopConditionMet(h);
  assert_int_equal(h.Find("NdpAnnounce "), -1);
  // The start's check, then one at once after the dadfailed event (the
  // wait ends at the first announcement, due GARP_REPEAT_DELAY after the
  // start's check found the address on: the dadfailed event cancels it).
  const int second = h.Find("VisitAddresses -6 eth0", static_cast<size_t>(h.Find("NextEvent")));
  assert_true(second > 0);
  assert_true(strstr(h.calls[second - 1], "NextEvent 5000: event") != nullptr);
}

}  // namespace

int main() {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(RestoreAddsWithoutDadAndAdvertises),
      cmocka_unit_test(OnlyAUsableGlobalAddressIsPhysical),
      cmocka_unit_test(PhysicalIsTheOldestOfTheSubnet),
      cmocka_unit_test(AddedDeprecatedUnlessSourceAddress),
      cmocka_unit_test(DeprecatedAddressPassesQuickCheckAndRestore),
      cmocka_unit_test(PhysicalSkipsADeprecatedFloatingAddress),
      cmocka_unit_test(RestoreDeprecatesAPreferredAddressItFinds),
      cmocka_unit_test(RestoreMakesADeprecatedAddressPreferredForSourceAddress),
      cmocka_unit_test(RefusedReplaceIsAWarning),
      cmocka_unit_test(AllNodesStandsForTheBroadcast),
      cmocka_unit_test(NeighbourDiscoveryAnswerMeansInUse),
      cmocka_unit_test(EchoAnswerIsNamedIcmpv6),
      cmocka_unit_test(FailedAdvertisementFlushesAgain),
      cmocka_unit_test(NoReplyTakesItOffAgain),
      cmocka_unit_test(RemoveTakesDownInIpv6Tables),
      cmocka_unit_test(RemoveDeletesTheAddressUnderAnotherPrefix),
      cmocka_unit_test(OtherFamilyIsNotTheAddress),
      cmocka_unit_test(SourceAddressSetAndPutBack),
      cmocka_unit_test(SourceAddressDroppedWithoutAPhysicalOfTheSubnet),
      cmocka_unit_test(QuickCheckPassesAHealthyAddress),
      cmocka_unit_test(QuickCheckFailsATentativeAddress),
      cmocka_unit_test(QuickCheckFailsADadFailedAddress),
      cmocka_unit_test(RestoreNeverAnnouncesADadFailedAddressItFinds),
      cmocka_unit_test(QuickCheckFailsWhenOnlyTheOtherFamilyIsThere),
      cmocka_unit_test(MonitorRepeatsTheAdvertisements),
      cmocka_unit_test(MonitorChecksADadFailedAddressAtOnce),
  };
  return cmocka_run_group_tests_name("ipv6 ops", tests, nullptr, nullptr);
}
