// SPDX-License-Identifier: Apache-2.0
// The duplicate check's window: which answers name a holder of the address,
// which answer stands, and when the window closes.
#include "cmocka_cxx.h"
#include "net/duplicate_probe.h"

using namespace ipres;

namespace {

constexpr Ipv4 kVip{0xc0000264u};    // 192.0.2.100, the address probed
constexpr Ipv4 kOther{0xc000020au};  // 192.0.2.10

EchoReply Reply(Ipv4 from, uint16_t sequence) {
  EchoReply reply;
  reply.from = from;
  reply.sequence = sequence;
  return reply;
}

void NothingHeardIsNoDuplicate(void**) {
  DuplicateWindow window(kVip, 5000, 200);
  assert_int_equal(window.verdict(), Duplicate::kNone);
}

void OnlyTheAddressAnsweringTheProbeCounts(void**) {
  DuplicateWindow window(kVip, 5000, 200);
  window.OnEchoReply(Reply(kOther, DuplicateWindow::kEchoSequence));
  assert_int_equal(window.verdict(), Duplicate::kNone);
  window.OnEchoReply(Reply(kVip, DuplicateWindow::kEchoSequence + 1));
  assert_int_equal(window.verdict(), Duplicate::kNone);
  window.OnEchoReply(Reply(kVip, DuplicateWindow::kEchoSequence));
  assert_int_equal(window.verdict(), Duplicate::kIcmpReply);
}

void AnArpConflictIsAHolder(void**) {
  DuplicateWindow window(kVip, 5000, 200);
  window.OnArpConflict();
  assert_int_equal(window.verdict(), Duplicate::kArpReply);
}

void TheFirstAnswerStands(void**) {
  DuplicateWindow echo_first(kVip, 5000, 200);
  echo_first.OnEchoReply(Reply(kVip, DuplicateWindow::kEchoSequence));
  echo_first.OnArpConflict();
  assert_int_equal(echo_first.verdict(), Duplicate::kIcmpReply);

  DuplicateWindow arp_first(kVip, 5000, 200);
  arp_first.OnArpConflict();
  arp_first.OnEchoReply(Reply(kVip, DuplicateWindow::kEchoSequence));
  assert_int_equal(arp_first.verdict(), Duplicate::kArpReply);
}

void TheWindowClosesOnTime(void**) {
  DuplicateWindow window(kVip, 5000, 200);
  assert_int_equal(window.LeftMs(5000), 200);
  assert_int_equal(window.LeftMs(5150), 50);
  assert_int_equal(window.LeftMs(5200), 0);
  assert_int_equal(window.LeftMs(9000), 0);
  DuplicateWindow none(kVip, 5000, 0);
  assert_int_equal(none.LeftMs(5000), 0);
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(NothingHeardIsNoDuplicate),
      cmocka_unit_test(OnlyTheAddressAnsweringTheProbeCounts),
      cmocka_unit_test(AnArpConflictIsAHolder),
      cmocka_unit_test(TheFirstAnswerStands),
      cmocka_unit_test(TheWindowClosesOnTime),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
