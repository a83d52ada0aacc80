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

void AddsAnnouncesAndChecks(void**) {
  MockHost h;
  Resource r = TestResource();
  assert_true(Restore(h, r).ok());
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  kUnicastPing});
  assert_true(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.unlocks, 1);
  assert_true(h.wanted());  // the node was told to hold it
}

void PhysicalDoesNothing(void**) {
  MockHost h;
  Resource r = TestResource();
  r.t.physical = true;
  assert_true(Restore(h, r).ok());
  ExpectCalls(h, {});
}

void DisabledDoesNothing(void**) {
  MockHost h;
  Resource r = TestResource();
  r.t.restore_and_recover = false;
  assert_true(Restore(h, r).ok());
  ExpectCalls(h, {});
}

void LockFails(void**) {
  MockHost h;
  h.lock.PushError(EWOULDBLOCK);
  ExpectFailure(Restore(h, TestResource()), "lock vip", EWOULDBLOCK);
  ExpectCalls(h, {"LockTag vip"});
}

// The engine's last word is recorded before the restore waits for anything
// (the lock included); under the lock it asks whether a later word came,
// then accepts abandon requests (from a remove whose word came after).
void RecordsWantedThenAcceptsAbandonRequests(void**) {
  MockHost h;
  assert_true(Restore(h, TestResource()).ok());
  ExpectStateCalls(h, {"RecordWord vip yes @0", "LastWord vip @1", "AcceptAbandonRequests @1"});
}

// A remove spoke while this restore waited for the lock: nothing is added,
// the log says why, and the restore succeeds (the remove has the job).
void SupersededByALaterRemoveAddsNothing(void**) {
  MockHost h;
  h.lock_contended = 1;
  h.while_lock_held = [](MockHost& m) { m.Tell(false); };
  CapturedStderr log;
  assert_true(Restore(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip: waited"});
  assert_false(h.Holds("eth0", "192.0.2.100"));
  ExpectLine(log.Text(), "vip: restore: superseded by a later remove: leaving 192.0.2.100 to it");
  ExpectStateCalls(h, {"RecordWord vip yes @0", "LastWord vip @1"});  // never abandonable
}

// A later restore's word: this one leaves the job to it as well.
void SupersededByALaterRestoreAddsNothing(void**) {
  MockHost h;
  h.lock_contended = 1;
  h.while_lock_held = [](MockHost& m) { m.Tell(true); };
  CapturedStderr log;
  assert_true(Restore(h, TestResource()).ok());
  assert_false(h.Holds("eth0", "192.0.2.100"));
  ExpectLine(log.Text(), "vip: restore: superseded by a later restore: leaving 192.0.2.100 to it");
}

// The engine started this restore, then a remove that got going first and
// recorded its word: that word stands, and this restore neither takes the
// lock nor adds the address, and says why.
void ARemoveLaunchedAfterItStandsAndNothingIsAdded(void**) {
  MockHost h;
  h.launched_later = WordKind::kRemove;
  CapturedStderr log;
  assert_true(Restore(h, TestResource()).ok());
  ExpectCalls(h, {});
  assert_false(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(static_cast<int>(h.word.kind), static_cast<int>(WordKind::kRemove));
  ExpectLine(log.Text(),
             "vip: restore: superseded by a remove launched after this restore: leaving "
             "192.0.2.100 to it");
  ExpectStateCalls(h, {"RecordWord vip yes @0"});
}

// Failing to record state the node needs is the operation's failure, before
// it changes anything, before it even takes the lock.
void WantedNotRecordedFailsBeforeAnything(void**) {
  MockHost h;
  h.record_word.PushError(ENOSPC);
  ExpectFailure(Restore(h, TestResource()), "record that vip is wanted here", ENOSPC);
  ExpectCalls(h, {});
  ExpectStateCalls(h, {"RecordWord vip yes @0"});  // never open to abandon requests
  assert_false(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.unlocks, 0);
}

// Without the holder's record a remove would wait instead of preempting.
void HolderNotRecordedFailsBeforeAnything(void**) {
  MockHost h;
  h.accept_abandon.PushError(ENOSPC);
  ExpectFailure(Restore(h, TestResource()), "record the lock holder of vip", ENOSPC);
  ExpectCalls(h, {"LockTag vip"});
  assert_false(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.unlocks, 1);
}

void LinkDownIsBouncedOnce(void**) {
  MockHost h;
  h.eth0_link.admin_up = false;
  assert_true(Restore(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kLinkBounce, kAssignmentStatus, kDuplicationCheck,
                  kAssignAndFlush, kUnicastPing});
}

// The bounce is recorded before the device goes down and cleared once it
// is up again (the mock counts a change made before its record).
void BounceIsRecordedWhileTheDeviceIsDown(void**) {
  MockHost h;
  h.eth0_link.admin_up = false;
  assert_true(Restore(h, TestResource()).ok());
  assert_int_equal(h.unrecorded_changes, 0);
  assert_int_equal(h.unfinished, 0);
}

void BounceThatCannotBeRecordedIsNotMade(void**) {
  MockHost h;
  h.eth0_link.admin_up = false;
  h.mark_unfinished.PushError(ENOSPC);
  ExpectFailure(Restore(h, TestResource()), "link check: record that eth0 goes down", ENOSPC);
  ExpectCalls(h, {"LockTag vip", kLinkCheck});
}

void AddThatCannotBeRecordedIsNotMade(void**) {
  MockHost h;
  h.mark_unfinished.PushError(ENOSPC);
  ExpectFailure(Restore(h, TestResource()), "record that 192.0.2.100 is being added", ENOSPC);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck});
  assert_false(h.Holds("eth0", "192.0.2.100"));
}

// A restore killed during its bounce left the device down: the next
// restore brings it up before anything else.
void DeviceLeftDownIsBroughtUpFirst(void**) {
  MockHost h;
  h.unfinished = kDeviceDown;
  h.eth0_link.admin_up = false;
  assert_true(Restore(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip", "SetLinkUp eth0 up", kLinkCheck, kAssignmentStatus,
                  kDuplicationCheck, kAssignAndFlush, kUnicastPing});
  assert_int_equal(h.unfinished, 0);
}

void DeviceLeftDownThatCannotBeBroughtUpIsAnError(void**) {
  MockHost h;
  h.unfinished = kDeviceDown;
  h.set_link_up.PushError(EPERM);
  ExpectFailure(Restore(h, TestResource()), "bring eth0 up", EPERM);
  assert_int_equal(h.unfinished, kDeviceDown);
}

void UnreadableRecordIsAnError(void**) {
  MockHost h;
  h.read_unfinished.PushError(EINVAL);
  ExpectFailure(Restore(h, TestResource()), "read what was left unfinished on vip", EINVAL);
  ExpectCalls(h, {"LockTag vip"});
}

// A killed restore added the address: completed when it passes...
void AddressLeftAddedIsCompleted(void**) {
  MockHost h;
  h.unfinished = kAddressAdded;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  assert_true(Restore(h, TestResource()).ok());
  assert_true(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.unfinished, 0);
}

// ...and taken off again when it does not, as the killed restore would have.
void AddressLeftAddedFailingIsTakenOff(void**) {
  MockHost h;
  h.unfinished = kAddressAdded;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.ping_answers = false;
  Resource r = TestResource();
  r.t.ping_tries = 1;
  ExpectFailure(Restore(h, r), "connectivity check", 0);
  assert_false(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.unfinished, 0);
}

void NoCarrierIsBouncedToo(void**) {
  MockHost h;
  h.eth0_link.carrier = false;
  assert_true(Restore(h, TestResource()).ok());
  assert_int_equal(h.Find("SetLinkUp eth0 down"), 2);
}

void CarrierNeverReturns(void**) {
  MockHost h;
  h.eth0_link.carrier = false;
  h.carrier_returns = false;
  ExpectFailure(Restore(h, TestResource()), "link check", 0);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kLinkBounce});
}

void TakingTheLinkDownFails(void**) {
  MockHost h;
  h.eth0_link.admin_up = false;
  h.set_link_up.PushError(EPERM);
  ExpectFailure(Restore(h, TestResource()), "link check: take eth0 down", EPERM);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, "SetLinkUp eth0 down"});
}

void BringingTheLinkUpFails(void**) {
  MockHost h;
  h.eth0_link.admin_up = false;
  h.set_link_up.Push(true);
  h.set_link_up.PushError(EBUSY);
  ExpectFailure(Restore(h, TestResource()), "link check: bring eth0 up (left down)", EBUSY);
  ExpectCalls(
      h, {"LockTag vip", kLinkCheck, "SetLinkUp eth0 down", "SleepMs 300", "SetLinkUp eth0 up"});
  // Nothing was killed: the next operation does not say so (a VLAN whose
  // lower device is down refuses to come up).
  assert_int_equal(h.unfinished, 0);
  CapturedStderr log;
  assert_true(Remove(h, TestResource()).ok());
  assert_null(strstr(log.Text(), "killed"));
}

void WaitingForCarrierFails(void**) {
  MockHost h;
  h.eth0_link.carrier = false;
  h.wait_for_carrier.PushError(ENOBUFS);
  ExpectFailure(Restore(h, TestResource()), "link check: wait for carrier on eth0", ENOBUFS);
  assert_int_equal(h.Find("AddAddress"), -1);
}

void NoLinkCheckSkipsIt(void**) {
  MockHost h;
  h.eth0_link.admin_up = false;
  Resource r = TestResource();
  r.t.no_link_check = true;
  assert_true(Restore(h, r).ok());
  assert_int_equal(h.Find("GetLink"), -1);
  assert_int_equal(h.Find("SetLinkUp"), -1);
}

void MissingDeviceIsNamed(void**) {
  MockHost h;
  Resource r = TestResource();
  strcpy(r.device, "eth9");
  ExpectFailure(Restore(h, r), "link check: eth9", ENODEV);
  ExpectCalls(h, {"LockTag vip", "GetLink eth9"});
}

void MissingDeviceWithoutLinkCheck(void**) {
  MockHost h;
  Resource r = TestResource();
  strcpy(r.device, "eth9");
  r.t.no_link_check = true;
  ExpectFailure(Restore(h, r), "read addresses of eth9", ENODEV);
  ExpectCalls(h, {"LockTag vip", "VisitAddresses eth9"});
}

void PresentAddressPassingIsLeftAlone(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  assert_true(Restore(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kFlushAndAnnounce, kUnicastPing});
}

// A restore killed after its add left the route source unset: the next
// restore completes it (announcements included), with the address kept.
void PresentAddressIsCompleted(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Restore(h, r).ok());
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kFlushAndAnnounce, kEnableSource,
                  kUnicastPing});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

void PresentAddressFailingIsAnErrorAndLeftAlone(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.ping_answers = false;
  Resource r = TestResource();
  r.t.ping_tries = 1;
  ExpectFailure(Restore(h, r), "connectivity check", 0);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kFlushAndAnnounce, kUnicastPing,
                  kBroadcastPing});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

// Step 2 checked the link: a repeated restore reads and logs it once.
void PresentAddressHasOneLinkCheck(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  CapturedStderr log;
  assert_true(Restore(h, TestResource()).ok());
  const char* text = log.Text();
  assert_int_equal(h.Find("GetLink eth0", static_cast<size_t>(h.Find("GetLink eth0")) + 1), -1);
  const char* first = strstr(text, "link check: eth0 up");
  assert_non_null(first);
  assert_null(strstr(first + 1, "link check"));
}

void DuplicateSeenByIcmp(void**) {
  MockHost h;
  for (int i = 0; i < 4; ++i) h.check_duplicate.Push(Duplicate::kIcmpReply);
  ExpectFailure(Restore(h, TestResource()), "duplicate check", 0);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck,
                  kDuplicationCheck, kDuplicationCheck, kDuplicationCheck});
  assert_int_equal(h.Find("AddAddress"), -1);
}

void DuplicateSeenByArp(void**) {
  MockHost h;
  for (int i = 0; i < 4; ++i) h.check_duplicate.Push(Duplicate::kArpReply);
  ExpectFailure(Restore(h, TestResource()), "duplicate check", 0);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck,
                  kDuplicationCheck, kDuplicationCheck, kDuplicationCheck});
}

// Preemption: the old master is still letting go when this restore starts.
// A fast answer is checked again a whole window later.
void DuplicateLettingGoIsRechecked(void**) {
  MockHost h;
  h.duplicate_answer_ms = 30;
  h.check_duplicate.Push(Duplicate::kArpReply);
  h.check_duplicate.Push(Duplicate::kIcmpReply);
  h.check_duplicate.Push(Duplicate::kNone);
  assert_true(Restore(h, TestResource()).ok());
  ExpectCalls(h,
              {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, "SleepMs 370",
               kDuplicationCheck, "SleepMs 370", kDuplicationCheck, kAssignAndFlush, kUnicastPing});
}

void StopDuringDuplicateRecheck(void**) {
  MockHost h;
  h.check_duplicate.Push(Duplicate::kArpReply);
  h.StopAt(Call(kDuplicationCheck));  // a signal during it
  ExpectFailure(Restore(h, TestResource()), "stopped by signal", 0);
  assert_int_equal(h.Find("AddAddress"), -1);
}

void DuplicateCheckFails(void**) {
  MockHost h;
  h.check_duplicate.PushError(EPERM);
  ExpectFailure(Restore(h, TestResource()), "duplicate check for 192.0.2.100 on eth0", EPERM);
  assert_int_equal(h.Find("AddAddress"), -1);
}

void NoIpUniqueSkipsTheDuplicateCheck(void**) {
  MockHost h;
  h.check_duplicate.Push(Duplicate::kArpReply);
  Resource r = TestResource();
  r.t.no_ip_unique = true;
  assert_true(Restore(h, r).ok());
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kAssignAndFlush, kUnicastPing});
}

// The physical address: primary, not the protected one, its subnet first.
void PhysicalAddressPrefersThePrimaryInTheSubnet(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  h.AddDeviceAddress("eth0", "198.51.100.1", 24);
  h.AddDeviceAddress("eth0", "192.0.2.3", 24, true);
  h.AddDeviceAddress("eth0", "192.0.2.4", 24);
  h.AddDeviceAddress("eth0", "192.0.2.5", 24);
  assert_true(Restore(h, TestResource()).ok());
  assert_int_equal(h.Find("ProbeForDuplicate eth0 from 192.0.2.4 for 192.0.2.100"), 3);
}

void PhysicalAddressOutsideTheSubnet(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  h.AddDeviceAddress("eth0", "192.0.2.3", 24, true);
  h.AddDeviceAddress("eth0", "198.51.100.1", 24);
  h.AddDeviceAddress("eth0", "198.51.100.2", 24);
  assert_true(Restore(h, TestResource()).ok());
  assert_int_equal(h.Find("ProbeForDuplicate eth0 from 198.51.100.1 for 192.0.2.100"), 3);
}

void NoPhysicalAddressProbesFromZero(void**) {
  MockHost h;
  h.ClearDevice("eth0");
  h.AddDeviceAddress("eth0", "192.0.2.3", 24, true);
  assert_true(Restore(h, TestResource()).ok());
  assert_int_equal(h.Find("ProbeForDuplicate eth0 from 0.0.0.0 for 192.0.2.100"), 3);
}

void AddRefused(void**) {
  MockHost h;
  h.add_address.PushError(EPERM);
  ExpectFailure(Restore(h, TestResource()), "add 192.0.2.100/24 on eth0", EPERM);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssign});
}

void AddedMeanwhileGoesOn(void**) {
  MockHost h;
  h.add_address.PushError(EEXIST);
  assert_true(Restore(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  kUnicastPing});
}

void NeighbourFlushFailureGoesOn(void**) {
  MockHost h;
  h.flush_neighbours.PushError(ENOBUFS);
  assert_true(Restore(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  kUnicastPing});
}

void GarpFailureFlushesAgain(void**) {
  MockHost h;
  h.garp.Push(true);
  h.garp.PushError(ENETDOWN);
  h.flush_neighbours.Push(true);
  h.flush_neighbours.PushError(ENOBUFS);  // the second flush: logged only
  assert_true(Restore(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  "FlushNeighbours eth0", kUnicastPing});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

void EveryGarpFailingFlushesOnce(void**) {
  MockHost h;
  for (int i = 0; i < 4; ++i) h.garp.PushError(ENETDOWN);
  assert_true(Restore(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  "FlushNeighbours eth0", kUnicastPing});
}

void SourceAddressSetsTheRouteSource(void**) {
  MockHost h;
  Resource r = TestResource();
  r.t.source_address = true;
  assert_true(Restore(h, r).ok());
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  kEnableSource, kUnicastPing});
}

void RouteChangeRefusedRollsBack(void**) {
  MockHost h;
  h.set_route_source.PushError(ESRCH);
  Resource r = TestResource();
  r.t.source_address = true;
  ExpectFailure(Restore(h, r), "route 192.0.2.0/24 source 192.0.2.100 on eth0", ESRCH);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  kEnableSource, "SetRouteSource eth0 192.0.2.0/24 src 192.0.2.2", kTakeDown});
  assert_false(h.Holds("eth0", "192.0.2.100"));
}

void ConnectivityFailureRollsBack(void**) {
  MockHost h;
  h.ping_answers = false;
  Resource r = TestResource();
  r.t.ping_tries = 2;
  ExpectFailure(Restore(h, r), "connectivity check", 0);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  kUnicastPing, kBroadcastPing, kUnicastPing, kBroadcastPing, kTakeDown});
  assert_false(h.Holds("eth0", "192.0.2.100"));
}

void RollbackThatCannotDeleteSaysSo(void**) {
  MockHost h;
  h.ping.Push(false);
  h.delete_address.PushError(EPERM);
  Resource r = TestResource();
  r.t.ping_tries = 1;
  r.t.no_bcast_ping = true;
  ExpectFailure(Restore(h, r), "delete 192.0.2.100/24 from eth0", EPERM);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  kUnicastPing, kRemoveAddress, kRemoveHostRoute, kClearRouteCache});
}

void StopBeforeTheAddAddsNothing(void**) {
  MockHost h;
  h.StopAt("LockTag vip");
  ExpectFailure(Restore(h, TestResource()), "stopped by signal", 0);
  ExpectCalls(h, {"LockTag vip"});
}

void StopDuringTheDuplicateCheckAddsNothing(void**) {
  MockHost h;
  h.StopAt(Call(kDuplicationCheck));
  ExpectFailure(Restore(h, TestResource()), "stopped by signal", 0);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck});
}

void StopAfterTheAddRemovesIt(void**) {
  MockHost h;
  h.StopAt(Call(kAssign));
  ExpectFailure(Restore(h, TestResource()), "stopped by signal", 0);
  ExpectCalls(h, {"LockTag vip", kLinkCheck, kAssignmentStatus, kDuplicationCheck, kAssignAndFlush,
                  kTakeDown});
}

// Contract "Cluster engines": a restore ended by SIGTERM leaves the address
// absent, and its word goes with it, or the monitor would put the address
// back: stopped before the lock, while waiting for it, during the steps.
void StopBeforeTheLockWithdrawsTheWord(void**) {
  MockHost h;
  h.stop_after_calls = 0;
  CapturedStderr log;
  ExpectFailure(Restore(h, TestResource()), "stopped by signal", 0);
  assert_true(h.word == Word());
  ExpectLine(log.Text(),
             "vip: restore: stopped by signal: withdrew its word, the monitor leaves 192.0.2.100 "
             "absent");
}

void StopWhileWaitingForTheLockWithdrawsTheWord(void**) {
  MockHost h;
  h.stop_after_calls = 0;
  h.lock.PushError(EINTR);
  ExpectFailure(Restore(h, TestResource()), "lock vip", EINTR);
  ExpectStateCalls(h, {"RecordWord vip yes @0", "WithdrawWord vip @1"});
  assert_true(h.word == Word());
}

void StopDuringTheStepsWithdrawsTheWord(void**) {
  MockHost h;
  h.StopAt(Call(kAssign));
  ExpectFailure(Restore(h, TestResource()), "stopped by signal", 0);
  assert_false(h.Holds("eth0", "192.0.2.100"));
  assert_true(h.word == Word());
}

// An abandon is the remove's: its later word stays, nothing is withdrawn.
void AbandonWithdrawsNothing(void**) {
  MockHost h;
  h.StopAt(Call(kAssign));
  h.stop_is_abandon = true;
  ExpectFailure(Restore(h, TestResource()), "stopped by signal", 0);
  ExpectStateCalls(h, {"RecordWord vip yes @0", "LastWord vip @1", "AcceptAbandonRequests @1"});
  assert_true(h.wanted());
}

// A withdrawal that fails is logged; the stop's own error is returned.
void WithdrawalFailureKeepsTheStopError(void**) {
  MockHost h;
  h.stop_after_calls = 0;
  h.withdraw_word.PushError(EIO);
  CapturedStderr log;
  ExpectFailure(Restore(h, TestResource()), "stopped by signal", 0);
  ExpectLine(log.Text(),
             "vip: restore: withdraw the word of this stopped restore on vip: failed: mock: "
             "Input/output error");
}

void StopDuringTheBounceBringsTheLinkBackUp(void**) {
  MockHost h;
  h.eth0_link.admin_up = false;
  h.StopAt("SetLinkUp eth0 down");
  ExpectFailure(Restore(h, TestResource()), "link check: stopped by signal", 0);
  ExpectCalls(
      h, {"LockTag vip", kLinkCheck, "SetLinkUp eth0 down", "SleepMs 300", "SetLinkUp eth0 up"});
}

void StopWhileWaitingForCarrier(void**) {
  MockHost h;
  h.eth0_link.admin_up = false;
  h.StopAt("WaitForCarrier eth0 2000");
  ExpectFailure(Restore(h, TestResource()), "link check: stopped by signal", 0);
  assert_int_equal(h.call_count, 6);
}

// Whatever call the stop request follows, the restore ends with an error,
// a link it took down is up again and an address it added is gone.
void RunStoppedAtEveryCall(const Resource& r, bool link_down) {
  MockHost full;
  full.eth0_link.admin_up = !link_down;
  assert_true(Restore(full, r).ok());
  for (size_t n = 0; n <= full.call_count; ++n) {
    MockHost h;
    h.eth0_link.admin_up = !link_down;
    h.stop_after_calls = static_cast<int>(n);
    ExpectError(Restore(h, r), "stopped by signal");  // in whichever step it was
    assert_false(h.Holds("eth0", "192.0.2.100"));
    int add = h.Find("AddAddress");
    if (add >= 0) assert_true(h.Find("DeleteAddress", static_cast<size_t>(add)) > add);
    int down = h.Find("SetLinkUp eth0 down");
    if (down >= 0) assert_true(h.Find("SetLinkUp eth0 up", static_cast<size_t>(down)) > down);
  }
}

void StopAtEveryCallLeavesNoAddress(void**) {
  Resource r = TestResource();
  r.t.source_address = true;
  RunStoppedAtEveryCall(r, true);
  r.t.ping_list_count = 0;  // broadcast only
  RunStoppedAtEveryCall(r, false);
  r.t.no_bcast_ping = true;  // no ping at all: the route change is the last step
  RunStoppedAtEveryCall(r, false);
  r.t.source_address = false;  // the announcements are the last step
  RunStoppedAtEveryCall(r, false);
}

}  // namespace

int main() {
  SetSyslogEnabled(false);
  const CMUnitTest tests[] = {
      cmocka_unit_test(AddsAnnouncesAndChecks),
      cmocka_unit_test(PhysicalDoesNothing),
      cmocka_unit_test(DisabledDoesNothing),
      cmocka_unit_test(LockFails),
      cmocka_unit_test(RecordsWantedThenAcceptsAbandonRequests),
      cmocka_unit_test(WantedNotRecordedFailsBeforeAnything),
      cmocka_unit_test(SupersededByALaterRemoveAddsNothing),
      cmocka_unit_test(SupersededByALaterRestoreAddsNothing),
      cmocka_unit_test(ARemoveLaunchedAfterItStandsAndNothingIsAdded),
      cmocka_unit_test(HolderNotRecordedFailsBeforeAnything),
      cmocka_unit_test(LinkDownIsBouncedOnce),
      cmocka_unit_test(BounceIsRecordedWhileTheDeviceIsDown),
      cmocka_unit_test(BounceThatCannotBeRecordedIsNotMade),
      cmocka_unit_test(AddThatCannotBeRecordedIsNotMade),
      cmocka_unit_test(DeviceLeftDownIsBroughtUpFirst),
      cmocka_unit_test(DeviceLeftDownThatCannotBeBroughtUpIsAnError),
      cmocka_unit_test(UnreadableRecordIsAnError),
      cmocka_unit_test(AddressLeftAddedIsCompleted),
      cmocka_unit_test(AddressLeftAddedFailingIsTakenOff),
      cmocka_unit_test(NoCarrierIsBouncedToo),
      cmocka_unit_test(CarrierNeverReturns),
      cmocka_unit_test(TakingTheLinkDownFails),
      cmocka_unit_test(BringingTheLinkUpFails),
      cmocka_unit_test(WaitingForCarrierFails),
      cmocka_unit_test(NoLinkCheckSkipsIt),
      cmocka_unit_test(MissingDeviceIsNamed),
      cmocka_unit_test(MissingDeviceWithoutLinkCheck),
      cmocka_unit_test(PresentAddressPassingIsLeftAlone),
      cmocka_unit_test(PresentAddressIsCompleted),
      cmocka_unit_test(PresentAddressFailingIsAnErrorAndLeftAlone),
      cmocka_unit_test(PresentAddressHasOneLinkCheck),
      cmocka_unit_test(DuplicateSeenByIcmp),
      cmocka_unit_test(DuplicateSeenByArp),
      cmocka_unit_test(DuplicateLettingGoIsRechecked),
      cmocka_unit_test(StopDuringDuplicateRecheck),
      cmocka_unit_test(DuplicateCheckFails),
      cmocka_unit_test(NoIpUniqueSkipsTheDuplicateCheck),
      cmocka_unit_test(PhysicalAddressPrefersThePrimaryInTheSubnet),
      cmocka_unit_test(PhysicalAddressOutsideTheSubnet),
      cmocka_unit_test(NoPhysicalAddressProbesFromZero),
      cmocka_unit_test(AddRefused),
      cmocka_unit_test(AddedMeanwhileGoesOn),
      cmocka_unit_test(NeighbourFlushFailureGoesOn),
      cmocka_unit_test(GarpFailureFlushesAgain),
      cmocka_unit_test(EveryGarpFailingFlushesOnce),
      cmocka_unit_test(SourceAddressSetsTheRouteSource),
      cmocka_unit_test(RouteChangeRefusedRollsBack),
      cmocka_unit_test(ConnectivityFailureRollsBack),
      cmocka_unit_test(RollbackThatCannotDeleteSaysSo),
      cmocka_unit_test(StopBeforeTheAddAddsNothing),
      cmocka_unit_test(StopDuringTheDuplicateCheckAddsNothing),
      cmocka_unit_test(StopAfterTheAddRemovesIt),
      cmocka_unit_test(StopBeforeTheLockWithdrawsTheWord),
      cmocka_unit_test(StopWhileWaitingForTheLockWithdrawsTheWord),
      cmocka_unit_test(StopDuringTheStepsWithdrawsTheWord),
      cmocka_unit_test(AbandonWithdrawsNothing),
      cmocka_unit_test(WithdrawalFailureKeepsTheStopError),
      cmocka_unit_test(StopDuringTheBounceBringsTheLinkBackUp),
      cmocka_unit_test(StopWhileWaitingForCarrier),
      cmocka_unit_test(StopAtEveryCallLeavesNoAddress),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
