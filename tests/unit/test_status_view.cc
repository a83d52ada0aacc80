// SPDX-License-Identifier: Apache-2.0
// The lines of `ipres status` without a TAG: one per resource for people,
// and with --json one JSON object per line, every string escaped.
#include <string.h>

#include "cli/status_view.h"
#include "cmocka_cxx.h"

using namespace ipres;

namespace {

Resource Vip() {
  Resource r;
  strcpy(r.tag, "vip");
  assert_true(ParseIpAddress("192.0.2.100", &r.address));
  r.prefix = 24;
  strcpy(r.device, "eth0");
  return r;
}

// Held, wanted, failing since an earlier failure, a standing conflict.
ResourceView Troubled() {
  ResourceView v;
  v.held = true;
  v.word = WordKind::kRestore;
  v.check.last = CheckKind::kMonitor;
  v.check.last_at_s = 1764892800;
  v.check.failed = CheckKind::kMonitor;
  v.check.failed_at_s = 1764892800;
  v.check.failing_since_s = 1764892000;
  strcpy(v.check.reason, "connectivity check: no reply");
  v.conflict.claimant = MacAddress{{0x02, 0, 0, 0, 0, 0x0b}};
  v.conflict_left_ms = 4001;
  return v;
}

void TextOfANewResource(void**) {
  char line[kStatusLineCapacity];
  size_t len = FormatStatusText(Vip(), ResourceView(), line, sizeof line);
  assert_int_equal(len, strlen(line));
  assert_string_equal(line,
                      "vip: 192.0.2.100/24 on eth0: held no, wanted none, last check none, no "
                      "conflict, last failure none\n");
}

void TextOfATroubledResource(void**) {
  char line[kStatusLineCapacity];
  FormatStatusText(Vip(), Troubled(), line, sizeof line);
  assert_string_equal(line,
                      "vip: 192.0.2.100/24 on eth0: held yes, wanted yes, last check monitor "
                      "failed at 2025-12-05T00:00:00Z (failing since 2025-12-04T23:46:40Z), "
                      "conflict with 02:00:00:00:00:0b for 5 s more, last failure monitor at "
                      "2025-12-05T00:00:00Z: connectivity check: no reply\n");
}

// After a remove: not wanted, which is not the same as no word yet.
void WantedAfterARemove(void**) {
  char line[kStatusLineCapacity];
  ResourceView v;
  v.word = WordKind::kRemove;
  FormatStatusText(Vip(), v, line, sizeof line);
  assert_non_null(strstr(line, ", wanted no,"));
  FormatStatusJson(Vip(), v, line, sizeof line);
  assert_non_null(strstr(line, ",\"wanted\":false,"));
}

void JsonOfANewResource(void**) {
  char line[kStatusLineCapacity];
  FormatStatusJson(Vip(), ResourceView(), line, sizeof line);
  assert_string_equal(line,
                      "{\"tag\":\"vip\",\"address\":\"192.0.2.100\",\"prefix\":24,"
                      "\"device\":\"eth0\",\"held\":false,\"wanted\":null,\"last_check\":null,"
                      "\"last_check_ok\":null,\"last_check_time\":null,\"failing_since\":null,"
                      "\"last_failure\":null,\"last_failure_time\":null,"
                      "\"last_failure_reason\":null,\"conflict_claimant\":null,"
                      "\"conflict_seconds_left\":null}\n");
}

void JsonOfATroubledResource(void**) {
  char line[kStatusLineCapacity];
  ResourceView v = Troubled();
  v.check.last_ok = true;  // passed since
  FormatStatusJson(Vip(), v, line, sizeof line);
  assert_string_equal(line,
                      "{\"tag\":\"vip\",\"address\":\"192.0.2.100\",\"prefix\":24,"
                      "\"device\":\"eth0\",\"held\":true,\"wanted\":true,"
                      "\"last_check\":\"monitor\",\"last_check_ok\":true,"
                      "\"last_check_time\":\"2025-12-05T00:00:00Z\",\"failing_since\":null,"
                      "\"last_failure\":\"monitor\",\"last_failure_time\":\"2025-12-05T00:00:00Z\","
                      "\"last_failure_reason\":\"connectivity check: no reply\","
                      "\"conflict_claimant\":\"02:00:00:00:00:0b\",\"conflict_seconds_left\":5}\n");
}

// Quotes, backslashes and control characters in any string are escaped
// (RFC 8259), so a line is always one JSON object.
void JsonStringsAreEscaped(void**) {
  char line[kStatusLineCapacity];
  ResourceView v = Troubled();
  strcpy(v.check.reason, "a \"quoted\" \\path\\ \x01\x1f\x7f end");
  Resource r = Vip();
  strcpy(r.tag, "t\"ag");
  FormatStatusJson(r, v, line, sizeof line);
  assert_non_null(strstr(line, "{\"tag\":\"t\\\"ag\","));
  assert_non_null(strstr(
      line, "\"last_failure_reason\":\"a \\\"quoted\\\" \\\\path\\\\ \\u0001\\u001f\\u007f end\""));
}

void TooLongForTheLineIsNothing(void**) {
  char line[64];
  assert_int_equal(FormatStatusJson(Vip(), Troubled(), line, sizeof line), 0);
  assert_int_equal(FormatStatusText(Vip(), Troubled(), line, sizeof line), 0);
}

// Run without privilege, /run/ipres (0700, root's) is closed: held is
// known, the rest unknown, and the JSON says why.
void UnreadableStateIsUnknown(void**) {
  ResourceView v;
  v.held = true;
  v.state_readable = false;
  char line[kStatusLineCapacity];
  size_t len = FormatStatusText(Vip(), v, line, sizeof line);
  assert_string_equal(line,
                      "vip: 192.0.2.100/24 on eth0: held yes, wanted unknown, last check unknown, "
                      "conflict unknown, last failure unknown\n");
  assert_int_equal(len, strlen(line));
  len = FormatStatusJson(Vip(), v, line, sizeof line);
  assert_string_equal(line,
                      "{\"tag\":\"vip\",\"address\":\"192.0.2.100\",\"prefix\":24,\"device\":"
                      "\"eth0\",\"held\":true,\"wanted\":null,\"last_check\":null,"
                      "\"last_check_ok\":null,\"last_check_time\":null,\"failing_since\":null,"
                      "\"last_failure\":null,\"last_failure_time\":null,\"last_failure_reason\":"
                      "null,\"conflict_claimant\":null,\"conflict_seconds_left\":null,"
                      "\"state_readable\":false}\n");
  assert_int_equal(len, strlen(line));
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(TextOfANewResource),         cmocka_unit_test(TextOfATroubledResource),
      cmocka_unit_test(WantedAfterARemove),         cmocka_unit_test(JsonOfANewResource),
      cmocka_unit_test(JsonOfATroubledResource),    cmocka_unit_test(JsonStringsAreEscaped),
      cmocka_unit_test(TooLongForTheLineIsNothing), cmocka_unit_test(UnreadableStateIsUnknown),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
