// SPDX-License-Identifier: Apache-2.0
// The periodic checks are quiet while nothing changes (contract "Binary"):
// a pass after a pass logs nothing, a pass after a failure (or the first
// one recorded) one line, a failure its steps every time; each verdict is
// kept in the tag's check record.
#include <errno.h>
#include <string.h>

#include "base/log.h"
#include "captured_stderr.h"
#include "cmocka_cxx.h"
#include "mock_host.h"
#include "ops/ops.h"
#include "ops/periodic_check.h"

using namespace ipres;

namespace {

size_t LinesOf(const char* text) {
  size_t n = 0;
  for (const char* c = text; *c; ++c) n += *c == '\n';
  return n;
}

// A record of an earlier pass, or of a run of failures.
CheckRecord Passed(CheckKind kind, int64_t at_s) {
  CheckRecord c;
  c.last = kind;
  c.last_ok = true;
  c.last_at_s = at_s;
  return c;
}

CheckRecord Failing(int64_t since_s, int64_t last_s, const char* reason) {
  CheckRecord c;
  c.last = CheckKind::kQuickCheck;
  c.last_at_s = last_s;
  c.failed = CheckKind::kQuickCheck;
  c.failed_at_s = last_s;
  c.failing_since_s = since_s;
  strcpy(c.reason, reason);
  return c;
}

void PassAfterPassLogsNothing(void**) {
  MockHost h;
  h.check = Passed(CheckKind::kReady, 100);
  CapturedStderr err;
  Status s = Ready(h, TestResource());
  const char* text = err.Text();
  assert_true(s.ok());
  assert_string_equal(text, "");
  assert_int_equal(h.check_writes, 1);
  assert_int_equal(h.check.last, CheckKind::kReady);
  assert_true(h.check.last_ok);
  assert_int_equal(h.check.last_at_s, h.wall_s);
}

// Whatever check passed last: the tag's last result is what counts.
void QuickCheckAfterAnotherPassLogsNothing(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.check = Passed(CheckKind::kMonitor, 100);
  CapturedStderr err;
  Status s = QuickCheck(h, TestResource());
  const char* text = err.Text();
  assert_true(s.ok());
  assert_string_equal(text, "");
  assert_int_equal(h.check.last, CheckKind::kQuickCheck);
}

void FirstPassLogsOneLine(void**) {
  MockHost h;
  CapturedStderr err;
  Status s = Ready(h, TestResource());
  const char* text = err.Text();
  assert_true(s.ok());
  assert_string_equal(text, "vip: ready: yes (no earlier check recorded)\n");
}

void PassAfterFailureSaysSinceWhenAndWhy(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.check = Failing(1764892000, 1764892700, "192.0.2.100 is not on eth0");
  CapturedStderr err;
  Status s = CheckQuietly(h, TestResource(), CheckKind::kMonitor, QuickCheckSteps);
  const char* text = err.Text();
  assert_true(s.ok());
  assert_string_equal(text,
                      "vip: monitor: quickCheck: passed (failing since 2025-12-04T23:46:40Z: "
                      "quickCheck: 192.0.2.100 is not on eth0)\n");
  // The failure stays on record for status; the last check is this pass.
  assert_true(h.check.last_ok);
  assert_int_equal(h.check.last, CheckKind::kMonitor);
  assert_int_equal(h.check.failed_at_s, 1764892700);
  assert_string_equal(h.check.reason, "192.0.2.100 is not on eth0");
}

// Failures log their steps every time, as every operation does; a run of
// them keeps the time it began.
void FailuresLogEveryTimeAndKeepWhenTheyBegan(void**) {
  MockHost h;
  h.check = Passed(CheckKind::kReady, 100);
  h.ping_answers = false;
  for (int run = 0; run < 2; ++run) {
    h.wall_s += 10;
    CapturedStderr err;
    Status s = Ready(h, TestResource());
    const char* text = err.Text();
    assert_false(s.ok());
    assert_non_null(strstr(text, "vip: ready: connectivity check: no reply"));
    assert_true(LinesOf(text) >= 2);  // the steps before the failing one too
  }
  assert_false(h.check.last_ok);
  assert_int_equal(h.check.failed, CheckKind::kReady);
  assert_int_equal(h.check.failed_at_s, h.wall_s);
  assert_int_equal(h.check.failing_since_s, h.wall_s - 10);
  assert_non_null(strstr(h.check.reason, "connectivity check: no reply"));
}

// A record ipres did not write is left for the operator; the verdict
// stands, and the check is not quiet about it.
void UnreadableRecordIsNamedAndLeftAlone(void**) {
  MockHost h;
  h.read_check.PushError(EINVAL);  // what a record ipres did not write answers
  CapturedStderr err;
  Status s = Ready(h, TestResource());
  const char* text = err.Text();
  assert_true(s.ok());
  assert_string_equal(text, "vip: ready: read the check record: mock: Invalid argument\n");
  assert_int_equal(h.check_writes, 0);
}

// A /run/ipres refused (a link, another owner's, writable by others) is
// exit 1 with nothing done (contract "Crashes and local state"): no step
// runs, nothing is recorded.
void RefusedStateDirStopsTheCheckFirst(void**) {
  const int refusals[] = {ELOOP, ENOTDIR, EPERM, EACCES};
  for (int refusal : refusals) {
    for (int ready = 0; ready < 2; ++ready) {
      MockHost h;
      h.read_check.PushError(refusal);
      CapturedStderr err;
      Status s = ready ? Ready(h, TestResource()) : QuickCheck(h, TestResource());
      assert_non_null(strstr(err.Text(), ": read the check record: mock: "));
      assert_false(s.ok());
      assert_int_equal(s.err(), refusal);
      assert_int_equal(h.call_count, 0);
      assert_int_equal(h.check_writes, 0);
    }
  }
}

// No record and no way to keep one (no /run/ipres, /run read-only): a pass
// says nothing, a failure still says everything.
void PassThatCannotBeRecordedFirstLogsNothing(void**) {
  MockHost h;
  h.write_check.PushError(EROFS);
  CapturedStderr err;
  assert_true(Ready(h, TestResource()).ok());
  assert_string_equal(err.Text(), "");
  MockHost failing;
  failing.write_check.PushError(EROFS);
  CapturedStderr failing_err;
  assert_false(QuickCheck(failing, TestResource()).ok());  // the address is not on eth0
  const char* text = failing_err.Text();
  assert_non_null(strstr(text, "vip: quickCheck: "));
  assert_non_null(strstr(text, "vip: quickCheck: record the check: mock: Read-only file system\n"));
}

void UnwritableRecordIsAWarningOnly(void**) {
  MockHost h;
  h.check = Passed(CheckKind::kReady, 100);
  h.write_check.PushError(ENOSPC);
  CapturedStderr err;
  Status s = Ready(h, TestResource());
  const char* text = err.Text();
  assert_true(s.ok());
  assert_string_equal(text, "vip: ready: record the check: mock: No space left on device\n");
}

// A monitor's first check says where the resource stands, changed or not.
void MonitorsFirstPassIsLogged(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.check = Passed(CheckKind::kReady, 100);
  CapturedStderr err;
  Status s =
      CheckQuietly(h, TestResource(), CheckKind::kMonitor, QuickCheckSteps, PassLine::kAlways);
  const char* text = err.Text();
  assert_true(s.ok());
  assert_string_equal(text, "vip: monitor: quickCheck: passed\n");
}

// recover's own check is part of an operation that logs every step.
void RecoverLogsItsCheck(void**) {
  MockHost h;
  h.AddDeviceAddress("eth0", "192.0.2.100", 24);
  h.check = Passed(CheckKind::kReady, 100);
  CapturedStderr err;
  Status s = QuickCheckSteps(h, TestResource());
  const char* text = err.Text();
  assert_true(s.ok());
  assert_non_null(strstr(text, "vip: quickCheck: 192.0.2.100 on eth0\n"));
  assert_int_equal(h.check_writes, 0);
}

// Lines held while a hold lives come out in order at Emit, through an
// outer hold if there is one; a line that does not fit lets them all out.
void HeldLinesKeepTheirOrder(void**) {
  CapturedStderr err;
  {
    LogHold outer;
    {
      LogHold inner;
      Log(LogLevel::kInfo, "one");
      Log(LogLevel::kError, "two");
      inner.Emit();
      Log(LogLevel::kInfo, "three");
    }
    outer.Emit();
  }
  {
    LogHold dropped;
    Log(LogLevel::kInfo, "never");
  }
  {
    LogHold full;
    char big[400];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (int i = 0; i < 10; ++i) Log(LogLevel::kInfo, "%d %s", i, big);
    full.Drop();
  }
  const char* text = err.Text();
  assert_int_equal(strncmp(text, "one\ntwo\nthree\n0 x", 17), 0);
  assert_int_equal(LinesOf(text), 13);
  assert_null(strstr(text, "never"));
}

}  // namespace

int main() {
  SetSyslogEnabled(false);
  const CMUnitTest tests[] = {
      cmocka_unit_test(PassAfterPassLogsNothing),
      cmocka_unit_test(QuickCheckAfterAnotherPassLogsNothing),
      cmocka_unit_test(FirstPassLogsOneLine),
      cmocka_unit_test(PassAfterFailureSaysSinceWhenAndWhy),
      cmocka_unit_test(FailuresLogEveryTimeAndKeepWhenTheyBegan),
      cmocka_unit_test(UnreadableRecordIsNamedAndLeftAlone),
      cmocka_unit_test(RefusedStateDirStopsTheCheckFirst),
      cmocka_unit_test(PassThatCannotBeRecordedFirstLogsNothing),
      cmocka_unit_test(UnwritableRecordIsAWarningOnly),
      cmocka_unit_test(MonitorsFirstPassIsLogged),
      cmocka_unit_test(RecoverLogsItsCheck),
      cmocka_unit_test(HeldLinesKeepTheirOrder),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
