// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
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

// --- status ----------------------------------------------------------------

void StatusPresent(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  Result<bool> present = QueryStatus(h, TestResource());
  assert_true(present.ok());
  assert_true(present.value());
  ExpectCalls(h, {kAssignmentStatus});
}

// The IP on the device with another prefix is present, as the spec's
// `ip -4 -o addr show dev DEV` test reads it.
void StatusPresentWithAnotherPrefix(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 32);
  Result<bool> present = QueryStatus(h, TestResource());
  assert_true(present.ok());
  assert_true(present.value());
}

// The same address on another device is not the resource in service.
void StatusAbsent(void**) {
  MockHost h;
  h.AddDeviceAddress("eth1", "192.0.2.100", 24);
  Result<bool> present = QueryStatus(h, TestResource());
  assert_true(present.ok());
  assert_false(present.value());
  ExpectCalls(h, {kAssignmentStatus});
}

void StatusMissingDeviceIsAbsent(void**) {
  MockHost h;
  Resource r = TestResource();
  strcpy(r.device, "eth9");
  Result<bool> present = QueryStatus(h, r);
  assert_true(present.ok());
  assert_false(present.value());
  ExpectCalls(h, {"VisitAddresses eth9"});
}

void StatusOtherErrorIsAnError(void**) {
  MockHost h;
  h.visit_addresses.PushError(EACCES);
  ExpectFailure(QueryStatus(h, TestResource()).status(), "read addresses of eth0", EACCES);
}

// --- ready -----------------------------------------------------------------

void ReadyPingsFromThePhysicalAddress(void**) {
  MockHost h;
  assert_true(Ready(h, TestResource()).ok());
  ExpectCalls(h, {kLinkCheck, kAssignmentStatus, "Ping eth0 from 192.0.2.2 to 192.0.2.10 in 500"});
}

// The broadcast check from the physical address, on a node that holds the
// protected address too (Host::Ping never counts this node's own replies).
void ReadyBroadcastFromThePhysicalAddress(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  Resource r = TestResource();
  r.t.ping_list_count = 0;
  assert_true(Ready(h, r).ok());
  ExpectCalls(h,
              {kLinkCheck, kAssignmentStatus, "Ping eth0 from 192.0.2.2 bcast 192.0.2.255 in 500"});
}

void ReadyLinkDownFailsWithoutBounce(void**) {
  MockHost h;
  h.eth0_link.admin_up = false;
  ExpectFailure(Ready(h, TestResource()), "link check", 0);
  ExpectCalls(h, {kLinkCheck});
}

void ReadyNoLinkCheckSkipsIt(void**) {
  MockHost h;
  h.eth0_link.admin_up = false;
  Resource r = TestResource();
  r.t.no_link_check = true;
  assert_true(Ready(h, r).ok());
  ExpectCalls(h, {kAssignmentStatus, "Ping eth0 from 192.0.2.2 to 192.0.2.10 in 500"});
}

void ReadyMissingDeviceIsNamed(void**) {
  MockHost h;
  Resource r = TestResource();
  strcpy(r.device, "eth9");
  ExpectFailure(Ready(h, r), "link check: eth9", ENODEV);
}

void ReadyWithoutPhysicalAddressFails(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  ExpectFailure(Ready(h, TestResource()), "connectivity check", 0);
  ExpectCalls(h, {kLinkCheck, kAssignmentStatus, "GetMacvlanBase eth0"});
}

// keepalived's VMAC (a macvlan with no address of its own, here eth0 on
// eth1): ready pings from the node's address of the subnet on eth1.
void ReadyOnAVmacPingsFromItsBaseDevice(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  h.AddDeviceAddress("eth1", "198.51.100.7", 24);  // another subnet first
  h.AddDeviceAddress("eth1", "192.0.2.5", 24);
  h.base_device = "eth1";
  assert_true(Ready(h, TestResource()).ok());
  ExpectCalls(h, {kLinkCheck, kAssignmentStatus, "GetMacvlanBase eth0", "VisitAddresses eth1",
                  "Ping eth0 from 192.0.2.5 to 192.0.2.10 in 500"});
}

// Only the subnet's address there is the node's physical address of it.
void ReadyOnAVmacWhoseBaseHasNoneOfTheSubnetFails(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  h.AddDeviceAddress("eth1", "198.51.100.7", 24);
  h.base_device = "eth1";
  ExpectFailure(Ready(h, TestResource()), "connectivity check", 0);
}

void ReadyOnAVmacWhoseBaseCannotBeFound(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  Resource r = TestResource();
  h.visit_addresses.Push(true);
  h.get_link.Push(h.eth0_link);
  h.base_device = "eth9";
  ExpectFailure(Ready(h, r), "find the base device of eth0", ENODEV);
}

void ReadyWithoutPingsNeedsNoPhysicalAddress(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  Resource r = TestResource();
  r.t.ping_list_count = 0;
  r.t.no_bcast_ping = true;
  assert_true(Ready(h, r).ok());
  ExpectCalls(h, {kLinkCheck});
}

void ReadyForAPhysicalResourcePingsFromItsAddress(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  Resource r = TestResource();
  r.t.physical = true;
  assert_true(Ready(h, r).ok());
  ExpectCalls(h, {kLinkCheck, kAssignmentStatus, kUnicastPing});
}

void ReadyReadingAddressesFails(void**) {
  MockHost h;
  h.visit_addresses.PushError(ENOBUFS);
  ExpectFailure(Ready(h, TestResource()), "read addresses of eth0", ENOBUFS);
}

void ReadyNoReplyFails(void**) {
  MockHost h;
  h.ping_answers = false;
  Resource r = TestResource();
  r.t.no_bcast_ping = true;
  r.t.ping_tries = 2;
  ExpectFailure(Ready(h, r), "connectivity check", 0);
  ExpectCalls(h, {kLinkCheck, kAssignmentStatus, "Ping eth0 from 192.0.2.2 to 192.0.2.10 in 500",
                  "Ping eth0 from 192.0.2.2 to 192.0.2.10 in 500"});
}

// --- status without a TAG ---------------------------------------------------

void ViewReadsEverythingAndLogsNothing(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.Tell(true);
  h.check.last = CheckKind::kReady;
  h.check.last_ok = true;
  h.check.last_at_s = 7;
  h.conflict.stands_until_ms = h.now_ms + 2500;
  CapturedStderr err;
  Result<ResourceView> view = ViewResource(h, TestResource());
  const char* text = err.Text();
  assert_string_equal(text, "");
  assert_true(view.ok());
  assert_true(view.value().held);
  assert_int_equal(view.value().word, WordKind::kRestore);
  assert_int_equal(view.value().check.last_at_s, 7);
  assert_int_equal(view.value().conflict_left_ms, 2500);
}

// A missing device: not held; a conflict that ended: none.
void ViewOfAMissingDevice(void**) {
  MockHost h;
  Resource r = TestResource();
  strcpy(r.device, "eth9");
  h.conflict.stands_until_ms = h.now_ms - 1;
  Result<ResourceView> view = ViewResource(h, r);
  assert_true(view.ok());
  assert_false(view.value().held);
  assert_int_equal(view.value().word, WordKind::kNone);
  assert_int_equal(view.value().conflict_left_ms, 0);
}

void ViewFailsOnAnyRead(void**) {
  MockHost h;
  h.visit_addresses.PushError(EACCES);
  ExpectFailure(ViewResource(h, TestResource()).status(), "mock", EACCES);
  h.last_word.PushError(EIO);
  ExpectFailure(ViewResource(h, TestResource()).status(), "mock", EIO);
  h.read_check.PushFailure("refuse vip.check: not a record ipres wrote");
  ExpectError(ViewResource(h, TestResource()).status(), "not a record ipres wrote");
  h.read_conflict.PushError(EINVAL);
  ExpectFailure(ViewResource(h, TestResource()).status(), "mock", EINVAL);
}

// Without privilege /run/ipres (0700, root's) denies the read: held is
// still known, the records unknown, and that is no error.
void ViewWithoutPrivilegeKnowsHeldOnly(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.Tell(true);
  h.last_word.PushError(EACCES);
  Result<ResourceView> view = ViewResource(h, TestResource());
  assert_true(view.ok());
  assert_true(view.value().held);
  assert_false(view.value().state_readable);
  assert_int_equal(view.value().word, WordKind::kNone);
  assert_int_equal(view.value().check.last, CheckKind::kNone);
  assert_int_equal(view.value().conflict_left_ms, 0);
  view = ViewResource(h, TestResource());
  assert_true(view.ok() && view.value().state_readable);
}

}  // namespace

int main() {
  SetSyslogEnabled(false);
  const CMUnitTest tests[] = {
      cmocka_unit_test(StatusPresent),
      cmocka_unit_test(StatusPresentWithAnotherPrefix),
      cmocka_unit_test(StatusAbsent),
      cmocka_unit_test(StatusMissingDeviceIsAbsent),
      cmocka_unit_test(StatusOtherErrorIsAnError),
      cmocka_unit_test(ReadyPingsFromThePhysicalAddress),
      cmocka_unit_test(ReadyBroadcastFromThePhysicalAddress),
      cmocka_unit_test(ReadyLinkDownFailsWithoutBounce),
      cmocka_unit_test(ReadyNoLinkCheckSkipsIt),
      cmocka_unit_test(ReadyMissingDeviceIsNamed),
      cmocka_unit_test(ReadyWithoutPhysicalAddressFails),
      cmocka_unit_test(ReadyOnAVmacPingsFromItsBaseDevice),
      cmocka_unit_test(ReadyOnAVmacWhoseBaseHasNoneOfTheSubnetFails),
      cmocka_unit_test(ReadyOnAVmacWhoseBaseCannotBeFound),
      cmocka_unit_test(ReadyWithoutPingsNeedsNoPhysicalAddress),
      cmocka_unit_test(ReadyForAPhysicalResourcePingsFromItsAddress),
      cmocka_unit_test(ReadyReadingAddressesFails),
      cmocka_unit_test(ReadyNoReplyFails),
      cmocka_unit_test(ViewReadsEverythingAndLogsNothing),
      cmocka_unit_test(ViewOfAMissingDevice),
      cmocka_unit_test(ViewFailsOnAnyRead),
      cmocka_unit_test(ViewWithoutPrivilegeKnowsHeldOnly),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
