// SPDX-License-Identifier: Apache-2.0
#include <stdio.h>
#include <string.h>

#include "cli/lkping_options.h"
#include "cmocka_cxx.h"

using namespace ipres;

namespace {

LkpingOptions g_opts;

// Parses a NULL-terminated list of arguments after the program name.
template <size_t N>
Status Parse(const char* const (&args)[N]) {
  char* argv[N + 1];
  argv[0] = const_cast<char*>("lkping");
  for (size_t i = 0; i < N; ++i) argv[i + 1] = const_cast<char*>(args[i]);
  return ParseLkpingOptions(static_cast<int>(N + 1), argv, &g_opts);
}

template <size_t N>
void ExpectOk(const char* const (&args)[N]) {
  Status st = Parse(args);
  if (!st.ok()) fail_msg("rejected: %s", st.context());
}

// Expects a rejection whose message contains `needle`.
template <size_t N>
void ExpectError(const char* const (&args)[N], const char* needle) {
  Status st = Parse(args);
  if (st.ok()) fail_msg("accepted, expected an error containing '%s'", needle);
  if (!strstr(st.context(), needle)) fail_msg("got '%s', expected '%s'", st.context(), needle);
}

void DefaultsWithDestOnly(void**) {
  ExpectOk({"192.0.2.10"});
  assert_false(g_opts.broadcast);
  assert_int_equal(g_opts.count, 0);
  assert_int_equal(g_opts.deadline_ms, 0);
  assert_int_equal(g_opts.timeout_ms, 10000);
  assert_int_equal(g_opts.interval_ms, 1000);
  assert_int_equal(g_opts.source.v4().value, 0);
  assert_string_equal(g_opts.device, "");
  assert_int_equal(g_opts.exclude_count, 0);
  assert_false(g_opts.quiet);
  assert_false(g_opts.help);
  assert_int_equal(g_opts.destination.v4().value, 0xc000020au);
  assert_string_equal(g_opts.destination_text, "192.0.2.10");
}

void EveryOptionSeparate(void**) {
  ExpectOk({"-b", "-c", "3", "-w", "2.5", "-W", "0.25", "-i", "0.2", "-I", "192.0.2.1", "-z",
            "192.0.2.2,192.0.2.3", "-q", "192.0.2.255"});
  assert_true(g_opts.broadcast);
  assert_int_equal(g_opts.count, 3);
  assert_int_equal(g_opts.deadline_ms, 2500);
  assert_int_equal(g_opts.timeout_ms, 250);
  assert_int_equal(g_opts.interval_ms, 200);
  assert_int_equal(g_opts.source.v4().value, 0xc0000201u);
  assert_string_equal(g_opts.device, "");
  assert_int_equal(g_opts.exclude_count, 2);
  assert_int_equal(g_opts.exclude[0].v4().value, 0xc0000202u);
  assert_int_equal(g_opts.exclude[1].v4().value, 0xc0000203u);
  assert_true(g_opts.quiet);
  assert_int_equal(g_opts.destination.v4().value, 0xc00002ffu);
}

void GroupedAndAttached(void**) {
  ExpectOk({"-bqc1", "-w1", "-I", "eth0", "-z192.0.2.1", "198.51.100.7"});
  assert_true(g_opts.broadcast);
  assert_true(g_opts.quiet);
  assert_int_equal(g_opts.count, 1);
  assert_int_equal(g_opts.deadline_ms, 1000);
  assert_string_equal(g_opts.device, "eth0");
  assert_int_equal(g_opts.source.v4().value, 0);
  assert_int_equal(g_opts.exclude_count, 1);
  assert_int_equal(g_opts.destination.v4().value, 0xc6336407u);
}

void OptionsAfterDest(void**) {
  // The operations call `lkping <broadcast address> -b -c 1 -w T -I ADDR -z ADDR`.
  ExpectOk({"192.0.2.255", "-b", "-c", "1", "-w", "1", "-I", "192.0.2.100", "-z", "192.0.2.1"});
  assert_true(g_opts.broadcast);
  assert_int_equal(g_opts.count, 1);
  assert_int_equal(g_opts.source.v4().value, 0xc0000264u);
  assert_int_equal(g_opts.destination.v4().value, 0xc00002ffu);
  assert_int_equal(g_opts.exclude[0].v4().value, 0xc0000201u);
}

void DoubleDashEndsOptions(void**) {
  ExpectOk({"-c", "2", "--", "192.0.2.10"});
  assert_int_equal(g_opts.count, 2);
  ExpectError({"--", "-b"}, "bad address '-b'");
}

void RepeatedOptionsLastWinsAndZAppends(void**) {
  ExpectOk({"-c", "1", "-c", "5", "-I", "eth0", "-I", "192.0.2.1", "-z", "192.0.2.2", "-z",
            "192.0.2.3", "192.0.2.10"});
  assert_int_equal(g_opts.count, 5);
  assert_string_equal(g_opts.device, "");
  assert_int_equal(g_opts.source.v4().value, 0xc0000201u);
  assert_int_equal(g_opts.exclude_count, 2);
  ExpectOk({"-I", "192.0.2.1", "-I", "veth-a.10", "192.0.2.10"});
  assert_int_equal(g_opts.source.v4().value, 0);
  assert_string_equal(g_opts.device, "veth-a.10");
}

// ping -6's conventions: IPv6 destinations and -I addresses, -z of either
// family, a source of the destination's family only.
void Ipv6AddressesAndFamilies(void**) {
  ExpectOk({"-I", "2001:db8::1", "-z", "2001:db8::2,fe80::1", "2001:db8::10"});
  assert_true(g_opts.destination.is_v6());
  assert_int_equal(g_opts.destination.v6().bytes[15], 0x10);
  assert_true(g_opts.source.is_v6());
  assert_int_equal(g_opts.exclude_count, 2);
  assert_true(g_opts.exclude[1].is_v6());
  ExpectOk({"-I", "eth0", "ff02::1"});
  assert_string_equal(g_opts.device, "eth0");
  assert_true(g_opts.source.IsUnspecified());
  ExpectOk({"-z", "192.0.2.2", "2001:db8::10"});  // an exclude list may hold both
  ExpectError({"-I", "192.0.2.1", "2001:db8::10"}, "of different families");
  ExpectError({"-I", "2001:db8::1", "192.0.2.10"}, "of different families");
  ExpectError({"2001:db8::10%eth0"}, "bad address");
  ExpectError({"-z", "2001:db8:::2", "2001:db8::10"}, "bad address in -z");
}

void HelpNeedsNoDest(void**) {
  ExpectOk({"-h"});
  assert_true(g_opts.help);
  ExpectError({"-h", "-x"}, "unknown option -x");
}

// `lkping --help` once said "unknown option --" (issue 25, 10).
void LongHelpAndVersion(void**) {
  ExpectOk({"--help"});
  assert_true(g_opts.help);
  assert_false(g_opts.version);
  ExpectOk({"-V"});
  assert_true(g_opts.version);
  assert_false(g_opts.help);
  ExpectOk({"--version"});
  assert_true(g_opts.version);
  ExpectOk({"192.0.2.10", "--help"});  // as ping: the usage, whatever came before
  assert_true(g_opts.help);
  ExpectError({"--helpme"}, "unknown option --");
  ExpectError({"--", "--help"}, "bad address '--help'");  // after --, a DEST
}

void CountLimits(void**) {
  ExpectOk({"-c", "9223372036854775807", "192.0.2.10"});
  assert_true(g_opts.count == 9223372036854775807ull);
  ExpectError({"-c", "9223372036854775808", "192.0.2.10"}, "bad count");
  ExpectError({"-c", "0", "192.0.2.10"}, "bad count -c '0'");
  ExpectError({"-c", "-1", "192.0.2.10"}, "bad count");
  ExpectError({"-c", "1x", "192.0.2.10"}, "bad count");
  ExpectError({"-c", "", "192.0.2.10"}, "bad count");
  ExpectError({"-c", "99999999999999999999999", "192.0.2.10"}, "bad count");
}

void SecondsOptions(void**) {
  ExpectOk({"-w", "0", "192.0.2.10"});  // as ping: no deadline
  assert_int_equal(g_opts.deadline_ms, 0);
  ExpectOk({"-w", "2147483", "-i", "0", "192.0.2.10"});
  assert_int_equal(g_opts.deadline_ms, 2147483000u);
  assert_int_equal(g_opts.interval_ms, 0);
  ExpectError({"-w", "2147484", "192.0.2.10"}, "bad deadline");
  ExpectError({"-w", "-1", "192.0.2.10"}, "bad deadline");
  ExpectError({"-w", "1s", "192.0.2.10"}, "bad deadline");
  ExpectError({"-W", "0", "192.0.2.10"}, "bad timeout -W '0'");
  ExpectError({"-W", "0.0", "192.0.2.10"}, "bad timeout");
  ExpectError({"-W", "abc", "192.0.2.10"}, "bad timeout");
  ExpectError({"-i", "1e3", "192.0.2.10"}, "bad interval");
  ExpectError({"-i", "", "192.0.2.10"}, "bad interval");
  ExpectError({"-i", ".", "192.0.2.10"}, "bad interval");
  ExpectError({"-i", "1.2.3", "192.0.2.10"}, "bad interval");
}

void InterfaceOption(void**) {
  ExpectOk({"-I", "abcdefghijklmno", "192.0.2.10"});  // 15 characters: the limit
  assert_string_equal(g_opts.device, "abcdefghijklmno");
  ExpectError({"-I", "abcdefghijklmnop", "192.0.2.10"}, "bad -I");
  ExpectError({"-I", "", "192.0.2.10"}, "bad -I");
  ExpectError({"-I", "eth/0", "192.0.2.10"}, "bad -I");
  ExpectError({"-I", "eth0:1", "192.0.2.10"}, "bad -I");
  ExpectError({"-I", "eth 0", "192.0.2.10"}, "bad -I");
  ExpectError({"-I", "..", "192.0.2.10"}, "bad -I");
  // Not an address, but a valid interface name: ping treats it as one too.
  ExpectOk({"-I", "192.0.2.300", "192.0.2.10"});
  assert_string_equal(g_opts.device, "192.0.2.300");
}

void ExcludeOption(void**) {
  ExpectError({"-z", "192.0.2.1,", "192.0.2.10"}, "bad address in -z");
  ExpectError({"-z", ",192.0.2.1", "192.0.2.10"}, "bad address in -z");
  ExpectError({"-z", "192.0.2.1,,192.0.2.2", "192.0.2.10"}, "bad address in -z");
  ExpectError({"-z", "192.0.2.1 192.0.2.2", "192.0.2.10"}, "bad address in -z");
  ExpectError({"-z", "", "192.0.2.10"}, "bad address in -z");
  ExpectError({"-z", "eth0", "192.0.2.10"}, "bad address in -z");
  // Up to the tracker's capacity, across repeated -z.
  char list[EchoTracker::kMaxExcluded * 16];
  size_t n = 0;
  for (size_t i = 0; i < EchoTracker::kMaxExcluded; ++i) {
    n += static_cast<size_t>(
        snprintf(list + n, sizeof list - n, "%s198.51.100.%zu", i ? "," : "", i + 1));
  }
  const char* full[] = {"-z", list, "192.0.2.10"};
  ExpectOk(full);
  assert_int_equal(g_opts.exclude_count, EchoTracker::kMaxExcluded);
  assert_int_equal(g_opts.exclude[EchoTracker::kMaxExcluded - 1].v4().value,
                   0xc6336400u + EchoTracker::kMaxExcluded);
  ExpectError({"-z", list, "-z", "192.0.2.1", "192.0.2.10"}, "more than");
}

void DestinationErrors(void**) {
  ExpectError({"-c", "1"}, "missing DEST");
  ExpectError({"-b"}, "missing DEST");
  ExpectError({"192.0.2.10", "192.0.2.11"}, "more than one DEST");
  ExpectError({"192.0.2"}, "bad address '192.0.2'");
  ExpectError({"192.0.2.010"}, "bad address");
  ExpectError({"example.org"}, "bad address");
  ExpectError({"-"}, "bad address '-'");
  ExpectError({""}, "bad address");
}

void UnknownOptionsAndMissingValues(void**) {
  ExpectError({"-x", "192.0.2.10"}, "unknown option -x");
  ExpectError({"-bx", "192.0.2.10"}, "unknown option -x");
  ExpectError({"-s", "56", "192.0.2.10"}, "unknown option -s");
  const char* needs[] = {"-c", "-w", "-W", "-i", "-I", "-z"};
  for (const char* o : needs) {
    const char* args[] = {"192.0.2.10", o};
    Status st = Parse(args);
    if (st.ok() || !strstr(st.context(), "needs a value")) fail_msg("%s without value", o);
  }
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(DefaultsWithDestOnly),
      cmocka_unit_test(EveryOptionSeparate),
      cmocka_unit_test(GroupedAndAttached),
      cmocka_unit_test(OptionsAfterDest),
      cmocka_unit_test(DoubleDashEndsOptions),
      cmocka_unit_test(RepeatedOptionsLastWinsAndZAppends),
      cmocka_unit_test(HelpNeedsNoDest),
      cmocka_unit_test(LongHelpAndVersion),
      cmocka_unit_test(CountLimits),
      cmocka_unit_test(SecondsOptions),
      cmocka_unit_test(InterfaceOption),
      cmocka_unit_test(ExcludeOption),
      cmocka_unit_test(DestinationErrors),
      cmocka_unit_test(Ipv6AddressesAndFamilies),
      cmocka_unit_test(UnknownOptionsAndMissingValues),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
