// sources: src/ops/recover.cc src/ops/restore.cc src/ops/remove.cc src/ops/op.cc src/ops/wanted.cc src/ops/unfinished.cc src/ops/device_view.cc src/ops/link_check.cc src/ops/connectivity_check.cc src/ops/announce.cc src/ops/take_down.cc src/ops/bring_up.cc src/config/describe.cc src/base/status.cc src/base/log.cc src/base/clock.cc src/base/ipv4.cc tests/unit/mock_host.cc
#include <errno.h>

#include "base/log.h"
#include "cmocka_cxx.h"
#include "mock_host.h"
#include "ops/ops.h"

using namespace ipres;

namespace {

#define TAKE_DOWN                                                                                 \
  "DeleteAddress eth0 192.0.2.100/24", "VisitAddresses eth0", "DeleteHostRoute eth0 192.0.2.100", \
      "FlushRouteCache"
#define RESTORE_FROM_LINK_CHECK                                                 \
  "GetLink eth0", "VisitAddresses eth0",                                        \
      "CheckDuplicate eth0 from 192.0.2.2 for 192.0.2.100 in 400",              \
      "AddAddress eth0 192.0.2.100/24 brd 192.0.2.255", "FlushNeighbours eth0", \
      "Garp eth0 request 192.0.2.100 to 192.0.2.100",                           \
      "Garp eth0 reply 192.0.2.100 to 192.0.2.100",                             \
      "Garp eth0 request 192.0.2.100 to 192.0.2.255",                           \
      "Garp eth0 reply 192.0.2.100 to 192.0.2.255",                             \
      "Ping eth0 from 192.0.2.100 to 192.0.2.10 in 500"

void RemovesThenRestoresUnderOneLock(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  assert_true(Recover(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip", "VisitAddresses eth0", TAKE_DOWN, RESTORE_FROM_LINK_CHECK});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

void AbsentAddressIsRestored(void**) {
  MockHost h;
  assert_true(Recover(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip", "VisitAddresses eth0", RESTORE_FROM_LINK_CHECK});
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
  ExpectError(Recover(h, TestResource()), "lock vip: failed");
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
  ExpectError(Recover(h, TestResource()), "record the lock holder of vip: failed: mock");
  ExpectCalls(h, {"LockTag vip"});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

void FailedRemoveMeansNoRestore(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.delete_address.PushError(EPERM);
  ExpectError(Recover(h, TestResource()), "delete 192.0.2.100/24 from eth0: failed");
  ExpectCalls(h, {"LockTag vip", "VisitAddresses eth0", "DeleteAddress eth0 192.0.2.100/24",
                  "DeleteHostRoute eth0 192.0.2.100", "FlushRouteCache"});
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
  ExpectError(Recover(h, TestResource()), "in use on the network");
  assert_false(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.Find("AddAddress"), -1);
}

void IfWantedRecoversWhatIsWanted(void**) {
  MockHost h;
  h.wanted = true;
  assert_true(RecoverIfWanted(h, TestResource()).ok());
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

void IfWantedAsksUnderTheLock(void**) {
  MockHost h;
  h.wanted = true;
  assert_true(RecoverIfWanted(h, TestResource()).ok());
  ExpectStateCalls(h, {"IsWanted vip @1", "AcceptAbandonRequests @1"});
}

// A wanted record that cannot be read is no word from the engine.
void IfWantedUnreadableTouchesNothing(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.is_wanted.PushError(EINVAL);
  ExpectError(RecoverIfWanted(h, TestResource()),
              "read whether vip is wanted here: failed: mock: Invalid argument");
  ExpectCalls(h, {"LockTag vip"});
  assert_true(h.Holds("eth0", "192.0.2.100"));
}

// A remove that ran while the monitor waited for the lock has the last word.
void IfWantedLeavesWhatWasRemoved(void**) {
  MockHost h;
  assert_true(RecoverIfWanted(h, TestResource()).ok());
  ExpectCalls(h, {"LockTag vip"});
  assert_false(h.Holds("eth0", "192.0.2.100"));
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
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
