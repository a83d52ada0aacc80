// SPDX-License-Identifier: Apache-2.0
// The tag's check record: what ipres writes reads back, anything else is
// refused, a read never makes the state directory, and the record is
// readable by everyone (status without privilege).
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_cxx.h"
#include "host/check_record.h"
#include "temp_state_dir.h"

using namespace ipres;

namespace {

CheckRecord Failing() {
  CheckRecord c;
  c.last = CheckKind::kReady;
  c.last_at_s = 1764892800;
  c.failed = CheckKind::kReady;
  c.failed_at_s = 1764892800;
  c.failing_since_s = 1764892000;
  strcpy(c.reason, "connectivity check: no reply in 3 attempts");
  return c;
}

void WrittenRecordsReadBack(void**) {
  char text[kCheckRecordCapacity];
  CheckRecord c = Failing();
  size_t len = FormatCheckRecord(c, text, sizeof text);
  assert_int_equal(len, strlen(text));
  assert_string_equal(text,
                      "last ready failed 1764892800\n"
                      "failure ready 1764892800 1764892000 connectivity check: no reply in 3 "
                      "attempts\n");
  CheckRecord back;
  assert_true(ParseCheckRecord(text, &back));
  assert_int_equal(back.last, CheckKind::kReady);
  assert_false(back.last_ok);
  assert_int_equal(back.last_at_s, 1764892800);
  assert_int_equal(back.failing_since_s, 1764892000);
  assert_string_equal(back.reason, c.reason);

  CheckRecord ok;
  ok.last = CheckKind::kMonitor;
  ok.last_ok = true;
  ok.last_at_s = 5;
  FormatCheckRecord(ok, text, sizeof text);
  assert_string_equal(text, "last monitor ok 5\n");
  assert_true(ParseCheckRecord(text, &back));
  assert_int_equal(back.last, CheckKind::kMonitor);
  assert_true(back.last_ok);
  assert_int_equal(back.failed_at_s, 0);
}

// A reason is one line: a newline or other control byte in it is written
// as '?', never as a second line.
void ReasonIsOneLine(void**) {
  CheckRecord c = Failing();
  strcpy(c.reason, "two\nlines\tand \x7f");
  char text[kCheckRecordCapacity];
  assert_true(FormatCheckRecord(c, text, sizeof text) > 0);
  CheckRecord back;
  assert_true(ParseCheckRecord(text, &back));
  assert_string_equal(back.reason, "two?lines?and ?");
  CheckRecord none;
  assert_int_equal(FormatCheckRecord(none, text, sizeof text), 0);  // nothing to record
}

bool Parses(const char* text) {
  CheckRecord c;
  return ParseCheckRecord(text, &c);
}

void AnythingElseIsRefused(void**) {
  assert_true(Parses("last quickCheck ok 1\n"));
  assert_true(Parses("last quickCheck ok 1\nfailure monitor 1 1 why\n"));
  assert_false(Parses(""));
  assert_false(Parses("last quickCheck ok 1"));        // cut short
  assert_false(Parses("last quickCheck failed 1\n"));  // a failure without its reason
  assert_false(Parses("last status ok 1\n"));          // no such check
  assert_false(Parses("last ready fine 1\n"));
  assert_false(Parses("last ready ok 0\n"));  // no time
  assert_false(Parses("last ready ok -1\n"));
  assert_false(Parses("last ready ok 1 more\n"));
  assert_false(Parses("first ready ok 1\n"));
  assert_false(Parses("last ready ok 1\nfailure ready 1 1\n"));     // no reason
  assert_false(Parses("last ready ok 1\nfailure ready 1 1 \n"));    // empty reason
  assert_false(Parses("last ready ok 1\nfailure ready 1  1 x\n"));  // an empty field
  assert_false(Parses("last ready ok 1\nfailure ready x 1 why\n"));
  assert_false(Parses("last ready ok 1\nfailure ready 1 1 why\nmore\n"));
  assert_false(Parses("last ready ok 1\nfailure ready 1 1 a\tb\n"));
  assert_false(Parses("last ready ok 1\nfailed ready 1 1 why\n"));
}

// Reading makes nothing: an unprivileged status must not need to, and a
// check that finds no directory has no last result.
void ReadMakesNoDirectory(void**) {
  CheckRecords records(g_dir);
  Result<CheckRecord> read = records.LastCheck("vip");
  assert_true(read.ok());
  assert_int_equal(read.value().last, CheckKind::kNone);
  assert_int_equal(access(g_dir, F_OK), -1);
}

void WriteReadsBackReadableByAll(void**) {
  CheckRecords records(g_dir);
  assert_true(records.RecordCheck("vip", Failing()).ok());
  Result<CheckRecord> read = records.LastCheck("vip");
  assert_true(read.ok());
  assert_string_equal(read.value().reason, Failing().reason);
  Result<NetnsKey> key = CurrentNetnsKey();
  assert_true(key.ok());
  char name[StateDir::kNameCapacity], path[200];
  assert_true(FormatStateName("vip", key.value(), "check", name, sizeof name));
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0644);
  assert_true(FormatStateName("vip", key.value(), "check-lock", name, sizeof name));
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0600);

  // Someone else's text in its place is refused, naming the file.
  assert_true(FormatStateName("vip", key.value(), "check", name, sizeof name));
  snprintf(path, sizeof path, "%s/%s", g_dir, name);
  FILE* f = fopen(path, "w");
  assert_non_null(f);
  fputs("last ready ok 1\nrm -rf /\n", f);
  fclose(f);
  read = records.LastCheck("vip");
  assert_false(read.ok());
  assert_non_null(strstr(StatusText(read.status()).c_str(), "not a record ipres wrote"));
  assert_non_null(strstr(StatusText(read.status()).c_str(), name));
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(WrittenRecordsReadBack),
      cmocka_unit_test(ReasonIsOneLine),
      cmocka_unit_test(AnythingElseIsRefused),
      cmocka_unit_test_setup_teardown(ReadMakesNoDirectory, Setup, Teardown),
      cmocka_unit_test_setup_teardown(WriteReadsBackReadableByAll, Setup, Teardown),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
