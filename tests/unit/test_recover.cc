// SPDX-License-Identifier: Apache-2.0
#include <errno.h>

#include "base/log.h"
#include "captured_stderr.h"
#include "cmocka_cxx.h"
#include "expected_steps.h"
#include "mock_host.h"
#include "ops/ops.h"

using namespace ipres;
using namespace ipres::steps;

namespace {

void RemovesThenRestoresUnderOneLock(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  assert_true(Recover(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip", kAssignmentStatus, kTakeDown, kBringUp});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

void AbsentAddressIsRestored(void**) {
  MockHost h;
  assert_true(Recover(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip", kAssignmentStatus, kBringUp});
}

void PhysicalIsAnError(void**) {
  MockHost h;
  Resource r = TestResource();
  r.t.physical = true;
  ExpectError(Recover(h, r), "a physical address cannot be recovered");
  ExpectCalls(h, {});
}

void DisabledDoesNothing(void**) {
  MockHost h;
  Resource r = TestResource();
  r.t.restore_and_recover = false;
  assert_true(Recover(h, r).ok());
  ExpectCalls(h, {});
}

void LockFails(void**) {
  MockHost h;
  h.lock.PushError(EWOULDBLOCK);
  ExpectFailure(Recover(h, TestResource()), "lock vip", EWOULDBLOCK);
  ExpectCalls(h, {"LockTag vip"});
}

// Open to abandon requests from the lock on, for both its halves; what the
// engine said is not recover's to change.
void AcceptsAbandonRequestsBeforeAnyStep(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  assert_true(Recover(h, TestResource()).ok());
  ExpectStateCalls(h, {"AcceptAbandonRequests @1"});
}

void HolderNotRecordedFailsBeforeAnything(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.accept_abandon.PushError(ENOSPC);
  ExpectFailure(Recover(h, TestResource()), "record the lock holder of vip", ENOSPC);
  ExpectCalls(h, {"LockTag vip"});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

void FailedRemoveMeansNoRestore(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.delete_address.PushError(EPERM);
  ExpectFailure(Recover(h, TestResource()), "delete 192.0.2.100/24 from eth0", EPERM);
  ExpectCalls(
      h, {"LockTag vip", kAssignmentStatus, kRemoveAddress, kRemoveHostRoute, kClearRouteCache});
}

void DeviceLeftDownIsBroughtUpFirst(void**) {
  MockHost h;
  h.unfinished = kDeviceDown;
  h.eth0_link.admin_up = false;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  assert_true(Recover(h, TestResource()).ok());
  assert_int_equal(h.Find("SetLinkUp eth0 up"), 1);
  assert_int_equal(h.unfinished, 0);
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

void FailedRestoreIsAnError(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  for (int i = 0; i < 4; ++i) h.check_duplicate.Push(Duplicate::kArpReply);
  ExpectFailure(Recover(h, TestResource()), "duplicate check", 0);
  assert_false(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.Find("AddAddress"), -1);
}

void IfWantedRecoversWhatIsWanted(void**) {
  MockHost h;
  h.Tell(true);
  Result<Recovery> done = RecoverForMonitor(h, TestResource());
  assert_true(done.ok() && done.value() == Recovery::kRecovered);
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

void IfWantedAsksUnderTheLock(void**) {
  MockHost h;
  h.Tell(true);
  assert_true(RecoverForMonitor(h, TestResource()).ok());
  ExpectStateCalls(h, {"LastWord vip @1", "AcceptAbandonRequests @1"});
}

// A wanted record that cannot be read is no word from the engine.
void IfWantedUnreadableTouchesNothing(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.last_word.PushError(EINVAL);
  ExpectFailure(RecoverForMonitor(h, TestResource()).status(), "read whether vip is wanted here",
                EINVAL);
  ExpectCalls(h, {"LockTag vip"});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

// A remove that ran while the monitor waited for the lock has the last word,
// whatever AUTOSTART says.
void IfWantedLeavesWhatWasRemoved(void**) {
  MockHost h;
  h.Tell(false);
  Result<Recovery> done = RecoverForMonitor(h, TestResource());
  assert_true(done.ok() && done.value() == Recovery::kNotWanted);
  ExpectCalls(h, {"LockTag vip"});
  assert_false(h.Holds("eth0", "192.0.2.100"));
}

// --- the monitor's recover after a wait for the lock ------------------------

// The operation holding the lock meanwhile (the mdev hook's restore, say).
void PutsTheAddressBack(MockHost& h) {
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
}

// It waited while a restore put the address back: checked again as
// quickCheck does, found in service and left so, saying why.
void MonitorsLeavesWhatWasPutBackWhileItWaited(void**) {
  MockHost h;
  h.lock_contended = 1;
  h.while_lock_held = PutsTheAddressBack;
  CapturedStderr log;
  h.Tell(true);
  Result<Recovery> done = RecoverForMonitor(h, TestResource());
  const char* text = log.Text();
  assert_true(done.ok() && done.value() == Recovery::kPutBackMeanwhile);
  ExpectCalls(h, {"LockTag vip: waited", kQuickCheck});
  assert_true(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.unlocks, 1);
  ExpectLine(text,
             "vip: recover: lock: another operation held it: checking again as quickCheck does");
  ExpectLine(text,
             "vip: recover: 192.0.2.100 put back in service by another operation meanwhile: "
             "leaving it");
}

// The same for an engine-driven resource, still wanted.
void MonitorsLeavesWhatWasPutBackIfWanted(void**) {
  MockHost h;
  h.Tell(true);
  h.lock_contended = 1;
  h.while_lock_held = PutsTheAddressBack;
  Result<Recovery> done = RecoverForMonitor(h, TestResource());
  assert_true(done.ok() && done.value() == Recovery::kPutBackMeanwhile);
  ExpectCalls(h, {"LockTag vip: waited", kQuickCheck});
}

// It waited, and the holder did not fix it (a restore that failed): the
// check fails at once, and it recovers as it always did.
void MonitorsRecoversWhatIsStillGoneAfterAWait(void**) {
  MockHost h;
  h.lock_contended = 1;
  h.Tell(true);
  Result<Recovery> done = RecoverForMonitor(h, TestResource());
  assert_true(done.ok() && done.value() == Recovery::kRecovered);
  ExpectCalls(h, {"LockTag vip: waited", kAssignmentStatus, kAssignmentStatus, kBringUp});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

// Back on its device but not answering: not in service, so removed and
// restored.
void MonitorsRecoversWhatIsBackButNotAnswering(void**) {
  MockHost h;
  Resource r = TestResource();
  r.t.ping_tries = 1;
  r.t.no_bcast_ping = true;
  h.lock_contended = 1;
  h.while_lock_held = PutsTheAddressBack;
  h.ping.Push(false);  // the check's one ping
  h.Tell(true);
  Result<Recovery> done = RecoverForMonitor(h, r);
  assert_true(done.ok() && done.value() == Recovery::kRecovered);
  ExpectCalls(h, {"LockTag vip: waited", kQuickCheck, kAssignmentStatus, kTakeDown, kBringUp});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

// No wait: nothing changed since the monitor's quickCheck failed, so it is
// not checked again (the existing monitor tests hold the whole sequence).
void MonitorsChecksNothingAgainWithoutAWait(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);  // there, but it failed the monitor's check
  h.Tell(true);
  Result<Recovery> done = RecoverForMonitor(h, TestResource());
  assert_true(done.ok() && done.value() == Recovery::kRecovered);
  ExpectCalls(h, {"LockTag vip", kAssignmentStatus, kTakeDown, kBringUp});
}

// A killed restore's add is not another operation's work put in service:
// the recover completes or undoes it as it always did.
void MonitorsRecoversAKilledRestoresAddAfterAWait(void**) {
  MockHost h;
  h.unfinished = kAddressAdded;
  h.lock_contended = 1;
  h.while_lock_held = PutsTheAddressBack;
  h.Tell(true);
  Result<Recovery> done = RecoverForMonitor(h, TestResource());
  assert_true(done.ok() && done.value() == Recovery::kRecovered);
  ExpectCalls(h, {"LockTag vip: waited", kAssignmentStatus, kTakeDown, kBringUp});
  assert_int_equal(h.unfinished, 0);
}

// A stop cuts the check short: nothing is taken down.
void MonitorsStoppedDuringTheCheckChangesNothing(void**) {
  MockHost h;
  h.lock_contended = 1;
  h.while_lock_held = PutsTheAddressBack;
  h.ping_answers = false;
  h.StopAt(Call(kUnicastPing));
  h.Tell(true);
  ExpectFailure(RecoverForMonitor(h, TestResource()).status(), "stopped by signal", 0);
  ExpectCalls(h, {"LockTag vip: waited", kQuickCheck});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

// `ipres recover` is an explicit order: remove, then restore, even after a
// wait in which someone put the address back.
void RecoverAfterAWaitStillRemovesThenRestores(void**) {
  MockHost h;
  h.lock_contended = 1;
  h.while_lock_held = PutsTheAddressBack;
  assert_true(Recover(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip: waited", kAssignmentStatus, kTakeDown, kBringUp});
}

}  // namespace

int main() {
  SetSyslogEnabled(false);
  const CMUnitTest tests[] = {
      cmocka_unit_test(RemovesThenRestoresUnderOneLock),
      cmocka_unit_test(AbsentAddressIsRestored),
      cmocka_unit_test(PhysicalIsAnError),
      cmocka_unit_test(DisabledDoesNothing),
      cmocka_unit_test(LockFails),
      cmocka_unit_test(AcceptsAbandonRequestsBeforeAnyStep),
      cmocka_unit_test(HolderNotRecordedFailsBeforeAnything),
      cmocka_unit_test(FailedRemoveMeansNoRestore),
      cmocka_unit_test(DeviceLeftDownIsBroughtUpFirst),
      cmocka_unit_test(FailedRestoreIsAnError),
      cmocka_unit_test(IfWantedRecoversWhatIsWanted),
      cmocka_unit_test(IfWantedLeavesWhatWasRemoved),
      cmocka_unit_test(IfWantedAsksUnderTheLock),
      cmocka_unit_test(IfWantedUnreadableTouchesNothing),
      cmocka_unit_test(MonitorsLeavesWhatWasPutBackWhileItWaited),
      cmocka_unit_test(MonitorsLeavesWhatWasPutBackIfWanted),
      cmocka_unit_test(MonitorsRecoversWhatIsStillGoneAfterAWait),
      cmocka_unit_test(MonitorsRecoversWhatIsBackButNotAnswering),
      cmocka_unit_test(MonitorsChecksNothingAgainWithoutAWait),
      cmocka_unit_test(MonitorsRecoversAKilledRestoresAddAfterAWait),
      cmocka_unit_test(MonitorsStoppedDuringTheCheckChangesNothing),
      cmocka_unit_test(RecoverAfterAWaitStillRemovesThenRestores),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
