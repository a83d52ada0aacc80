// sources: src/ops/remove.cc src/ops/common.cc src/config/describe.cc src/base/status.cc src/base/log.cc src/base/clock.cc src/base/ipv4.cc tests/unit/mock_host.cc
#include <errno.h>
#include <string.h>

#include "base/log.h"
#include "cmocka_cxx.h"
#include "mock_host.h"
#include "ops/ops.h"

using namespace ipres;

namespace {

#define TAKE_DOWN \
  "DeleteAddress eth0 192.0.2.100/24", "DeleteHostRoute eth0 192.0.2.100", "FlushRouteCache"

void RemovesTheAddress(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.wanted = true;
  assert_true(Remove(h, TestResource()).ok());
  assert_false(h.wanted);  // told not to hold it
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0", TAKE_DOWN});
  assert_false(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.unlocks, 1);
}

void PhysicalDoesNothing(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  Resource r = TestResource();
  r.t.physical = true;
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

// [Restore and Recover] Disable stops restore and quickCheck, not remove.
void DisabledStillRemoves(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  Resource r = TestResource();
  r.t.restore_and_recover = false;
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0", TAKE_DOWN});
}

void LockFails(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.lock.PushError(EINTR);
  ExpectError(Remove(h, TestResource()), "lock vip: failed: mock: Interrupted system call");
  ExpectCalls(h, {"LockTag vip take-down"});
  assert_int_equal(h.unlocks, 0);
}

// A remove is never open to abandon requests, and records the engine's
// last word before it changes anything.
void RecordsNotWantedFirst(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.wanted = true;
  assert_true(Remove(h, TestResource()).ok());
  ExpectStateCalls(h, {"SetWanted vip no @1"});
}

void NotWantedNotRecordedFailsBeforeAnything(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.wanted = true;
  h.set_wanted.PushError(EROFS);
  ExpectError(Remove(h, TestResource()),
              "record that vip is not wanted here: failed: mock: Read-only file system");
  ExpectCalls(h, {"LockTag vip take-down"});
  assert_true(h.Holds("eth0", "192.0.2.100"));
  assert_true(h.wanted);
  assert_int_equal(h.unlocks, 1);
}

void PreemptingARestoreIsLogged(void**) {
  MockHost h;
  h.lock.Push(true);
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0"});
  assert_int_equal(h.unlocks, 1);
}

void AbsentIsNothingToDo(void**) {
  MockHost h;
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0"});
}

void MissingDeviceIsNothingToDo(void**) {
  MockHost h;
  Resource r = TestResource();
  strcpy(r.device, "eth9");
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth9"});
}

void ReadingAddressesFails(void**) {
  MockHost h;
  h.list_addresses.PushError(ENOBUFS);
  ExpectError(Remove(h, TestResource()), "read addresses of eth0: failed: No buffer space");
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0"});
}

void SourceAddressGoesBackToThePhysicalAddress(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0",
                  "SetRouteSource eth0 192.0.2.0/24 src 192.0.2.2", TAKE_DOWN});
}

void SourceAddressWithoutPhysicalSetsNoSource(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0",
                  "SetRouteSource eth0 192.0.2.0/24 src 0.0.0.0", TAKE_DOWN});
}

void RouteRevertFailingStillDeletes(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.set_route_source.PushError(ESRCH);
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0",
                  "SetRouteSource eth0 192.0.2.0/24 src 192.0.2.2", TAKE_DOWN});
  assert_false(h.Holds("eth0", "192.0.2.100"));
}

void FailedDeleteStillDeletesTheHostRouteAndFlushes(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.delete_address.PushError(EPERM);
  ExpectError(Remove(h, TestResource()),
              "delete 192.0.2.100/24 from eth0: failed: Operation not permitted");
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0", TAKE_DOWN});
}

void AddressVanishedMeanwhileIsSuccess(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.delete_address.PushError(EADDRNOTAVAIL);
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0", TAKE_DOWN});
}

void HostRouteFailureIsLoggedOnly(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.delete_host_route.PushError(ESRCH);
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0", TAKE_DOWN});
}

// A stop request does not interrupt a remove: the address going is the point.
void StopRequestedStillRemoves(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.stop_after_calls = 0;
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", "ListAddresses eth0", TAKE_DOWN});
}

}  // namespace

int main() {
  SetSyslogEnabled(false);
  const CMUnitTest tests[] = {
      cmocka_unit_test(RemovesTheAddress),
      cmocka_unit_test(PhysicalDoesNothing),
      cmocka_unit_test(DisabledStillRemoves),
      cmocka_unit_test(LockFails),
      cmocka_unit_test(RecordsNotWantedFirst),
      cmocka_unit_test(NotWantedNotRecordedFailsBeforeAnything),
      cmocka_unit_test(PreemptingARestoreIsLogged),
      cmocka_unit_test(AbsentIsNothingToDo),
      cmocka_unit_test(MissingDeviceIsNothingToDo),
      cmocka_unit_test(ReadingAddressesFails),
      cmocka_unit_test(SourceAddressGoesBackToThePhysicalAddress),
      cmocka_unit_test(SourceAddressWithoutPhysicalSetsNoSource),
      cmocka_unit_test(RouteRevertFailingStillDeletes),
      cmocka_unit_test(FailedDeleteStillDeletesTheHostRouteAndFlushes),
      cmocka_unit_test(AddressVanishedMeanwhileIsSuccess),
      cmocka_unit_test(HostRouteFailureIsLoggedOnly),
      cmocka_unit_test(StopRequestedStillRemoves),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
