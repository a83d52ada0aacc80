// SPDX-License-Identifier: Apache-2.0
// The unfinished-steps record as it is kept in the state directory: what
// ipres writes reads back, and anything else is refused.
#include <string.h>

#include "cmocka_cxx.h"
#include "host/host.h"
#include "host/unfinished_record.h"

using namespace ipres;

namespace {

uint32_t RoundTrip(uint32_t steps) {
  char text[64];
  size_t len = FormatUnfinishedRecord(steps, text, sizeof text);
  assert_int_equal(len, strlen(text));
  uint32_t back = 0;
  assert_true(ParseUnfinishedRecord(text, &back));
  return back;
}

void WrittenRecordsReadBack(void**) {
  char text[64];
  FormatUnfinishedRecord(kDeviceDown | kAddressAdded, text, sizeof text);
  assert_string_equal(text, "device-down address-added\n");
  assert_int_equal(RoundTrip(kDeviceDown), kDeviceDown);
  assert_int_equal(RoundTrip(kAddressAdded), kAddressAdded);
  assert_int_equal(RoundTrip(kDeviceDown | kAddressAdded), kDeviceDown | kAddressAdded);
}

bool Parses(const char* record) {
  char text[64];
  strncpy(text, record, sizeof text - 1);
  text[sizeof text - 1] = '\0';
  uint32_t steps;
  return ParseUnfinishedRecord(text, &steps);
}

void AnythingElseIsRefused(void**) {
  assert_true(Parses("address-added device-down\n"));
  assert_false(Parses(""));
  assert_false(Parses("\n"));
  assert_false(Parses("device-down"));  // no newline: cut short
  assert_false(Parses("device-down\nmore\n"));
  assert_false(Parses("device-up\n"));
  assert_false(Parses("device-down 3\n"));
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(WrittenRecordsReadBack),
      cmocka_unit_test(AnythingElseIsRefused),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
