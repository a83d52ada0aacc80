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

void RemovesTheAddress(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.Tell(true);
  assert_true(Remove(h, TestResource()).ok());
  assert_int_equal(static_cast<int>(h.word.kind), static_cast<int>(WordKind::kRemove));
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus, kTakeDown});
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
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus, kTakeDown});
}

void LockFails(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.lock.PushError(EINTR);
  ExpectFailure(Remove(h, TestResource()), "lock vip", EINTR);
  ExpectCalls(h, {"LockTag vip take-down"});
  assert_int_equal(h.unlocks, 0);
}

// A remove is never open to abandon requests, and records the engine's
// last word before it waits for anything (the lock included), then asks
// under the lock whether a later word superseded it.
void RecordsNotWantedFirst(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.Tell(true);
  assert_true(Remove(h, TestResource()).ok());
  ExpectStateCalls(h, {"RecordWord vip no @0", "LastWord vip @1"});
}

void NotWantedNotRecordedFailsBeforeAnything(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.Tell(true);
  h.record_word.PushError(EROFS);
  ExpectFailure(Remove(h, TestResource()), "record that vip is not wanted here", EROFS);
  ExpectCalls(h, {});
  assert_true(h.Holds("eth0", "192.0.2.100"));
  assert_true(h.wanted());
  assert_int_equal(h.unlocks, 0);
}

// No room for the record: the word was deleted instead (no word is no
// restore either), said in a warning, and the address goes.
void NoRoomForTheWordStillRemoves(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.Tell(true);
  h.record_word.Push(true);
  CapturedStderr log;
  assert_true(Remove(h, TestResource()).ok());
  ExpectLine(log.Text(),
             "vip: remove: no room to record that vip is not wanted here: deleted its "
             "word");
  assert_false(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(static_cast<int>(h.word.kind), static_cast<int>(WordKind::kNone));
}

// The engine started this remove, then a restore that got going first and
// recorded its word: that word stands, and this remove neither takes the
// lock (which would make that restore abandon) nor touches the address.
void ARestoreLaunchedAfterItStandsAndTheAddressStays(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.launched_later = WordKind::kRestore;
  CapturedStderr log;
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {});
  assert_true(h.Holds("eth0", "192.0.2.100"));
  assert_true(h.wanted());
  ExpectLine(log.Text(),
             "vip: remove: superseded by a restore launched after this remove: leaving "
             "192.0.2.100 to it");
  ExpectStateCalls(h, {"RecordWord vip no @0"});
  assert_int_equal(h.unlocks, 0);
}

// A restore spoke while this remove waited for the lock: it does nothing
// to the address (that restore will), says so, and succeeds.
void SupersededByALaterRestoreLeavesTheAddress(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.lock_contended = 1;
  h.while_lock_held = [](MockHost& m) { m.Tell(true); };
  CapturedStderr log;
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down: waited"});
  assert_true(h.Holds("eth0", "192.0.2.100"));
  ExpectLine(log.Text(), "vip: remove: superseded by a later restore: leaving 192.0.2.100 to it");
  assert_int_equal(h.unlocks, 1);
}

void UnreadableWordUnderTheLockFails(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.last_word.PushError(EINVAL);
  ExpectFailure(Remove(h, TestResource()), "read the last word on vip", EINVAL);
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

void PreemptingARestoreIsLogged(void**) {
  MockHost h;
  h.lock.Push(true);
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus});
  assert_int_equal(h.unlocks, 1);
}

void AbsentIsNothingToDo(void**) {
  MockHost h;
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus});
}

void MissingDeviceIsNothingToDo(void**) {
  MockHost h;
  Resource r = TestResource();
  strcpy(r.device, "eth9");
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", "VisitAddresses eth9"});
}

void ReadingAddressesFails(void**) {
  MockHost h;
  h.visit_addresses.PushError(ENOBUFS);
  ExpectFailure(Remove(h, TestResource()), "read addresses of eth0", ENOBUFS);
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus});
}

void SourceAddressGoesBackToThePhysicalAddress(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus,
                  "SetRouteSource eth0 192.0.2.0/24 src 192.0.2.2", kTakeDown});
}

void SourceAddressWithoutPhysicalSetsNoSource(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus,
                  "SetRouteSource eth0 192.0.2.0/24 src 0.0.0.0", kTakeDown});
}

void RouteRevertFailingStillDeletes(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.set_route_source.PushError(ESRCH);
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus,
                  "SetRouteSource eth0 192.0.2.0/24 src 192.0.2.2", kTakeDown});
  assert_false(h.Holds("eth0", "192.0.2.100"));
}

void FailedDeleteStillDeletesTheHostRouteAndFlushes(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.delete_address.PushError(EPERM);
  ExpectFailure(Remove(h, TestResource()), "delete 192.0.2.100/24 from eth0", EPERM);
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus, kRemoveAddress, kRemoveHostRoute,
                  kClearRouteCache});
}

void AddressVanishedMeanwhileIsSuccess(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.delete_address.PushError(EADDRNOTAVAIL);
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus, kTakeDown});
}

// Present means the IP on the device with any prefix; it is deleted with
// the prefix it carries, not the board's.
void OtherPrefixIsDeletedWithItsOwn(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 32);
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus, "DeleteAddress eth0 192.0.2.100/32",
                  kAssignmentStatus, kRemoveHostRoute, kClearRouteCache});
  assert_false(h.Holds("eth0", "192.0.2.100"));
}

void EveryPrefixOfTheAddressGoes(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.AddDeviceAddress("eth0", "192.0.2.100", 32);
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus, kRemoveAddress, kAssignmentStatus,
                  "DeleteAddress eth0 192.0.2.100/32", kAssignmentStatus, kRemoveHostRoute,
                  kClearRouteCache});
  assert_false(h.Holds("eth0", "192.0.2.100"));
}

void AddressThatKeepsComingBackIsAnError(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.readd_after_delete = 4;
  ExpectFailure(Remove(h, TestResource()), "delete 192.0.2.100 from eth0", 0);
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

void RereadFailingAfterTheDeleteIsAnError(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.visit_addresses.Push(true);
  h.visit_addresses.PushError(ENOBUFS);
  ExpectFailure(Remove(h, TestResource()), "read addresses of eth0", ENOBUFS);
}

// SOURCE_ADDRESS=1: the source goes back to a physical address of the
// subnet only; with none there, the route keeps no source.
void SourceAddressWithPhysicalElsewhereSetsNoSource(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  h.AddDeviceAddress("eth0", "198.51.100.2", 24);
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus,
                  "SetRouteSource eth0 192.0.2.0/24 src 0.0.0.0", kTakeDown});
}

// Deleted by hand, the address took the subnet route (its source) with it:
// the physical address that remains gets it back.
void AbsentWithSourceAddressKeepsTheSubnetRoute(void**) {
  MockHost h;
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus,
                  "EnsureSubnetRoute eth0 192.0.2.0/24 src 192.0.2.2"});
}

void AbsentWithSourceAddressAndNoPhysicalInTheSubnet(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  h.AddDeviceAddress("eth0", "198.51.100.2", 24);
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus});
}

void SubnetRouteFailureIsLoggedOnly(void**) {
  MockHost h;
  h.ensure_subnet_route.PushError(EPERM);
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Remove(h, r).ok());
}

// A restore killed during its bounce left the device down: remove brings it
// up, then removes; nothing is left recorded.
void DeviceLeftDownIsBroughtUp(void**) {
  MockHost h;
  h.unfinished = kDeviceDown | kAddressAdded;
  h.eth0_link.admin_up = false;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", "SetLinkUp eth0 up", kAssignmentStatus, kTakeDown});
  assert_true(h.eth0_link.admin_up);
  assert_int_equal(h.unfinished, 0);
}

// The address goes even when the record cannot be read; the record goes too.
void UnreadableRecordStillRemoves(void**) {
  MockHost h;
  h.unfinished = kAddressAdded;
  h.read_unfinished.PushError(EINVAL);
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  assert_true(Remove(h, TestResource()).ok());
  assert_false(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.unfinished, 0);
}

void HostRouteFailureIsLoggedOnly(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.delete_host_route.PushError(ESRCH);
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus, kTakeDown});
}

// A stop request does not interrupt a remove: the address going is the point.
void StopRequestedStillRemoves(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.stop_after_calls = 0;
  assert_true(Remove(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip take-down", kAssignmentStatus, kTakeDown});
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
      cmocka_unit_test(NoRoomForTheWordStillRemoves),
      cmocka_unit_test(SupersededByALaterRestoreLeavesTheAddress),
      cmocka_unit_test(ARestoreLaunchedAfterItStandsAndTheAddressStays),
      cmocka_unit_test(UnreadableWordUnderTheLockFails),
      cmocka_unit_test(PreemptingARestoreIsLogged),
      cmocka_unit_test(AbsentIsNothingToDo),
      cmocka_unit_test(MissingDeviceIsNothingToDo),
      cmocka_unit_test(ReadingAddressesFails),
      cmocka_unit_test(SourceAddressGoesBackToThePhysicalAddress),
      cmocka_unit_test(SourceAddressWithoutPhysicalSetsNoSource),
      cmocka_unit_test(RouteRevertFailingStillDeletes),
      cmocka_unit_test(FailedDeleteStillDeletesTheHostRouteAndFlushes),
      cmocka_unit_test(AddressVanishedMeanwhileIsSuccess),
      cmocka_unit_test(OtherPrefixIsDeletedWithItsOwn),
      cmocka_unit_test(EveryPrefixOfTheAddressGoes),
      cmocka_unit_test(AddressThatKeepsComingBackIsAnError),
      cmocka_unit_test(RereadFailingAfterTheDeleteIsAnError),
      cmocka_unit_test(SourceAddressWithPhysicalElsewhereSetsNoSource),
      cmocka_unit_test(AbsentWithSourceAddressKeepsTheSubnetRoute),
      cmocka_unit_test(AbsentWithSourceAddressAndNoPhysicalInTheSubnet),
      cmocka_unit_test(SubnetRouteFailureIsLoggedOnly),
      cmocka_unit_test(DeviceLeftDownIsBroughtUp),
      cmocka_unit_test(UnreadableRecordStillRemoves),
      cmocka_unit_test(HostRouteFailureIsLoggedOnly),
      cmocka_unit_test(StopRequestedStillRemoves),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
