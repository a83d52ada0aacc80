// SPDX-License-Identifier: Apache-2.0
// Faults injected through the mocked Host: every method that can fail, on
// its first, second or third call, with each errno the kernel gives for the
// faults ipres meets (EEXIST, EADDRNOTAVAIL, ENODEV, ENOBUFS, EPERM). What
// must hold whatever fails: an operation that fails says why with the errno
// text; restore and recover end with the address in service or absent (a
// rollback delete that fails is the one exception, and it says so); remove
// succeeds only with the address gone; quickCheck changes nothing; a device
// taken down is brought up again.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "cmocka_cxx.h"
#include "expected_steps.h"
#include "mock_host.h"
#include "ops/ops.h"

using namespace ipres;
using namespace ipres::steps;

namespace {

constexpr int kErrnos[] = {EEXIST, EADDRNOTAVAIL, ENODEV, ENOBUFS, EPERM};
constexpr int kCalls = 3;  // the fault hits this call of the method (0-based)

enum class Method {
  kGetLink,
  kSetLinkUp,
  kWaitForCarrier,
  kVisitAddresses,
  kAddAddress,
  kDeleteAddress,
  kFlushNeighbours,
  kGarp,
  kSetRouteSource,
  kDeleteHostRoute,
  kCheckDuplicate,
  kLock,
  kAcceptAbandon,
  kRecordWord,
  kPing,
  kCount
};
const char* const kMethodNames[] = {
    "GetLink",
    "SetLinkUp",
    "WaitForCarrier",
    "VisitAddresses",
    "AddAddress",
    "DeleteAddress",
    "FlushNeighbours",
    "ArpAnnounce",
    "SetRouteSource",
    "DeleteHostRoute",
    "ProbeForDuplicate",
    "LockTag",
    "AcceptAbandonRequests",
    "RecordWord",
    "Ping",
};
static_assert(sizeof kMethodNames / sizeof kMethodNames[0] == static_cast<size_t>(Method::kCount),
              "a name per method");

// `nth` healthy outcomes, then the error.
template <typename T>
void Fail(Script<T>& script, int nth, int err, const T& healthy) {
  for (int i = 0; i < nth; ++i) script.Push(healthy);
  script.PushError(err);
}

void Inject(MockHost& h, Method m, int nth, int err) {
  switch (m) {
    case Method::kGetLink:
      return Fail(h.get_link, nth, err, h.eth0_link);
    case Method::kSetLinkUp:
      return Fail(h.set_link_up, nth, err, true);
    case Method::kWaitForCarrier:
      return Fail(h.wait_for_carrier, nth, err, true);
    case Method::kVisitAddresses:
      return Fail(h.visit_addresses, nth, err, true);
    case Method::kAddAddress:
      return Fail(h.add_address, nth, err, true);
    case Method::kDeleteAddress:
      return Fail(h.delete_address, nth, err, true);
    case Method::kFlushNeighbours:
      return Fail(h.flush_neighbours, nth, err, true);
    case Method::kGarp:
      return Fail(h.garp, nth, err, true);
    case Method::kSetRouteSource:
      return Fail(h.set_route_source, nth, err, true);
    case Method::kDeleteHostRoute:
      return Fail(h.delete_host_route, nth, err, true);
    case Method::kCheckDuplicate:
      return Fail(h.check_duplicate, nth, err, Duplicate::kNone);
    case Method::kLock:
      return Fail(h.lock, nth, err, true);
    case Method::kAcceptAbandon:
      return Fail(h.accept_abandon, nth, err, true);
    case Method::kRecordWord:
      return Fail(h.record_word, nth, err, true);
    case Method::kPing:
      return Fail(h.ping, nth, err, true);
    case Method::kCount:
      break;
  }
  fail_msg("no such method");
}

// What a fault report must carry: the errno's text.
void ExpectErrnoText(const Status& s, int err, const char* where) {
  const StatusText text(s);
  if (!strstr(text.c_str(), strerror(err))) {
    fail_msg("%s: '%s' lacks '%s'", where, text.c_str(), strerror(err));
  }
}

// A device this operation took down and left down, unless bringing it up
// again is the step that failed (and said so).
bool LinkLeftDown(const MockHost& h, const char* text) {
  bool took_down = h.Find("SetLinkUp eth0 down") >= 0 && !strstr(text, "take eth0 down");
  return took_down && !h.eth0_link.admin_up && !strstr(text, "bring eth0 up");
}

enum class Op { kRestore, kRemove, kQuickCheck, kRecover };
const char* const kOpNames[] = {"restore", "remove", "quickCheck", "recover"};

void RunMatrix(Op op, const Resource& r, bool link_down) {
  const bool held_before = op == Op::kRemove || op == Op::kQuickCheck || op == Op::kRecover;
  for (int m = 0; m < static_cast<int>(Method::kCount); ++m) {
    for (int err : kErrnos) {
      for (int nth = 0; nth < kCalls; ++nth) {
        MockHost h;
        h.eth0_link.admin_up = !link_down;
        if (held_before) h.AddDeviceAddress("eth0", "192.0.2.100", 24);
        Inject(h, static_cast<Method>(m), nth, err);
        char where[120];
        snprintf(where, sizeof where, "%s, %s call %d fails with %s",
                 kOpNames[static_cast<int>(op)], kMethodNames[m], nth + 1, strerror(err));
        // Thousands of runs: their log lines would drown any failure.
        int saved = dup(2);
        int null = open("/dev/null", O_WRONLY);
        if (saved < 0 || null < 0 || dup2(null, 2) < 0) fail_msg("cannot silence stderr");
        close(null);
        Status s;
        switch (op) {
          case Op::kRestore:
            s = Restore(h, r);
            break;
          case Op::kRemove:
            s = Remove(h, r);
            break;
          case Op::kQuickCheck:
            s = QuickCheck(h, r);
            break;
          case Op::kRecover:
            s = Recover(h, r);
            break;
        }
        if (dup2(saved, 2) < 0) fail_msg("cannot restore stderr");
        close(saved);
        const bool held = h.Holds("eth0", "192.0.2.100");
        const StatusText text(s);
        if (!s.ok()) ExpectErrnoText(s, err, where);
        if (LinkLeftDown(h, text.c_str())) fail_msg("%s: eth0 left down", where);
        switch (op) {
          case Op::kRestore:
          case Op::kRecover:
            // A scripted EEXIST on the add is an add the model never made.
            if (s.ok() && !held && !(m == static_cast<int>(Method::kAddAddress) && err == EEXIST)) {
              fail_msg("%s: succeeded without the address", where);
            }
            // Failed: absent, or untouched (recover failing before its
            // delete), or the delete itself failed and says so.
            if (!s.ok() && held && (op == Op::kRestore || h.Find("DeleteAddress") >= 0) &&
                !strstr(text.c_str(), "delete")) {
              fail_msg("%s: failed ('%s') with the address left on eth0", where, text.c_str());
            }
            break;
          case Op::kRemove:
            // A scripted ENODEV (device gone) or EADDRNOTAVAIL on the delete
            // (address gone) is a kernel saying what the model does not
            // show: remove rightly takes it as nothing left to delete.
            if (s.ok() && held &&
                !(err == ENODEV && m == static_cast<int>(Method::kVisitAddresses)) &&
                !((err == ENODEV || err == EADDRNOTAVAIL) &&
                  m == static_cast<int>(Method::kDeleteAddress))) {
              fail_msg("%s: succeeded with the address still there", where);
            }
            break;
          case Op::kQuickCheck:
            if (!held || h.Find("AddAddress") >= 0 || h.Find("DeleteAddress") >= 0 ||
                h.Find("SetLinkUp") >= 0) {
              fail_msg("%s: quickCheck changed something", where);
            }
            break;
        }
      }
    }
  }
}

void RestoreUnderEveryFault(void**) {
  Resource r = TestResource();
  r.t.source_address = true;
  RunMatrix(Op::kRestore, r, false);
  RunMatrix(Op::kRestore, r, true);
  r.t.ping_list_count = 0;  // the broadcast check reads the node's addresses
  RunMatrix(Op::kRestore, r, false);
}

void RemoveUnderEveryFault(void**) {
  Resource r = TestResource();
  r.t.source_address = true;
  RunMatrix(Op::kRemove, r, false);
}

void QuickCheckUnderEveryFault(void**) {
  Resource r = TestResource();
  RunMatrix(Op::kQuickCheck, r, false);
  r.t.ping_list_count = 0;
  RunMatrix(Op::kQuickCheck, r, false);
}

void RecoverUnderEveryFault(void**) {
  Resource r = TestResource();
  r.t.source_address = true;
  RunMatrix(Op::kRecover, r, false);
  RunMatrix(Op::kRecover, r, true);
}

// The kernel's answers to the named faults, one by one, with what each means.
void AddRefusedWithEperm(void**) {
  MockHost h;
  h.add_address.PushError(EPERM);
  ExpectFailure(Restore(h, TestResource()), "add 192.0.2.100/24 on eth0", EPERM);
  assert_false(h.Holds("eth0", "192.0.2.100"));
  assert_int_equal(h.Find("ArpAnnounce"), -1);
}

void AddWithoutBuffersFails(void**) {
  MockHost h;
  h.add_address.PushError(ENOBUFS);
  Status s = Restore(h, TestResource());
  ExpectErrnoText(s, ENOBUFS, "restore");
  assert_false(h.Holds("eth0", "192.0.2.100"));
}

void DeviceGoneAtTheAdd(void**) {
  MockHost h;
  h.add_address.PushError(ENODEV);
  ExpectFailure(Restore(h, TestResource()), "add 192.0.2.100/24 on eth0", ENODEV);
  assert_int_equal(h.Find("DeleteAddress"), -1);
}

void DeviceGoneDuringTheRollback(void**) {
  MockHost h;
  h.ping_answers = false;
  h.delete_address.PushError(ENODEV);
  ExpectFailure(Restore(h, TestResource()), "connectivity check", 0);
  assert_true(h.Find("DeleteAddress") > 0);
}

void RemoveOfAnAddressAlreadyGone(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.delete_address.PushError(EADDRNOTAVAIL);
  assert_true(Remove(h, TestResource()).ok());
  MockHost gone;
  gone.AddDeviceAddress("eth0", "192.0.2.100", 24);
  gone.delete_address.PushError(ENODEV);
  assert_true(Remove(gone, TestResource()).ok());
}

void RemoveRefusedWithEperm(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.delete_address.PushError(EPERM);
  Status s = Remove(h, TestResource());
  ExpectFailure(s, "delete 192.0.2.100/24 from eth0", EPERM);
  ExpectErrnoText(s, EPERM, "remove");
}

// Someone else adds the address on this node between the duplicate check
// and the add: the add answers EEXIST and restore goes on with the one
// address there is.
void AddressAppearsBetweenTheCheckAndTheAdd(void**) {
  MockHost h;
  h.added_during_duplicate_check = true;
  assert_true(Restore(h, TestResource()).ok());
  assert_true(h.Holds("eth0", "192.0.2.100"));
  assert_true(h.Find("ArpAnnounce") > h.Find("AddAddress"));
  assert_true(h.Find("Ping") > 0);
}

// A restore that finds the address there and is stopped during its check
// still leaves it absent, as the contract says of any restore ended by
// SIGTERM.
void StopWhileCheckingAPresentAddressRemovesIt(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.StopAt("FlushNeighbours eth0");  // at its announcements, before the ping
  ExpectFailure(Restore(h, TestResource()), "stopped by signal", 0);
  assert_false(h.Holds("eth0", "192.0.2.100"));
  MockHost passing;
  passing.AddDeviceAddress("eth0", "192.0.2.100", 24);
  assert_true(Restore(passing, TestResource()).ok());
  assert_true(passing.Holds("eth0", "192.0.2.100"));
}

}  // namespace

int main() {
  SetSyslogEnabled(false);
  const CMUnitTest tests[] = {
      cmocka_unit_test(RestoreUnderEveryFault),
      cmocka_unit_test(RemoveUnderEveryFault),
      cmocka_unit_test(QuickCheckUnderEveryFault),
      cmocka_unit_test(RecoverUnderEveryFault),
      cmocka_unit_test(AddRefusedWithEperm),
      cmocka_unit_test(AddWithoutBuffersFails),
      cmocka_unit_test(DeviceGoneAtTheAdd),
      cmocka_unit_test(DeviceGoneDuringTheRollback),
      cmocka_unit_test(RemoveOfAnAddressAlreadyGone),
      cmocka_unit_test(RemoveRefusedWithEperm),
      cmocka_unit_test(AddressAppearsBetweenTheCheckAndTheAdd),
      cmocka_unit_test(StopWhileCheckingAPresentAddressRemovesIt),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
