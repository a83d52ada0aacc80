// SPDX-License-Identifier: Apache-2.0
// The table of commands (cli/commands.h) and what the dispatcher answers
// before any handler runs: the usage text and the usage errors, on a board
// of its own (two tags).
#include <stdio.h>
#include <string.h>

#include "captured_stderr.h"
#include "cli/commands.h"
#include "cli/dispatch.h"
#include "cmocka_cxx.h"
#include "config/table.h"

namespace ipres {
namespace {

Resource Tagged(const char* tag) {
  Resource r;
  snprintf(r.tag, sizeof r.tag, "%s", tag);
  return r;
}

}  // namespace

const char kBoardName[] = "unit";
const Resource kResources[] = {Tagged("vip"), Tagged("vip6")};
const size_t kResourceCount = 2;

}  // namespace ipres

using namespace ipres;

namespace {

// The usage text as contract.md's "Binary" lists the commands; the table
// must print it to the byte.
const char kUsage[] =
    "usage: ipres COMMAND [ARGS]\n"
    "  restore    TAG   bring the resource in service\n"
    "  remove     TAG   take it out of service\n"
    "  quickCheck TAG   monitor once (quickcheck accepted too)\n"
    "  recover    TAG   remove, then restore\n"
    "  status     TAG   is the address on its device here? 0 yes, 3 no\n"
    "  status [--json]  every resource: held, wanted, last check and failure, conflict\n"
    "  ready      TAG   could this node serve TAG now? 0 yes, 1 no\n"
    "  list             the compiled-in resources with every effective parameter\n"
    "  monitor [TAG...] keep each up or not as its last word says (no TAG: all)\n"
    "  lkping ARGS      ping as the connectivity check does (see lkping -h)\n"
    "  --help | --version\n"
    "exit: 0 success, 1 the operation failed, 2 usage or input error\n";

void UsageIsTheTable(void**) {
  FILE* out = tmpfile();
  assert_non_null(out);
  PrintUsage(out);
  char text[2048] = {};
  rewind(out);
  const size_t n = fread(text, 1, sizeof text - 1, out);
  fclose(out);
  assert_true(n > 0);
  assert_string_equal(text, kUsage);
}

// Runs `ipres WORDS...`, which must end in a usage error (exit 2) whose one
// line on stderr is `line`.
template <size_t N>
void ExpectUsageError(const char* const (&words)[N], const char* line) {
  char* argv[N + 1];
  argv[0] = const_cast<char*>("ipres");
  for (size_t i = 0; i < N; ++i) argv[i + 1] = const_cast<char*>(words[i]);
  CapturedStderr log;
  const int exit = IpresMain(static_cast<int>(N + 1), argv);
  const char* text = log.Text();
  assert_int_equal(exit, kExitUsage);
  char expected[256];
  snprintf(expected, sizeof expected, "%s\n", line);
  assert_string_equal(text, expected);
}

void NoCommand(void**) {
  char* argv[] = {const_cast<char*>("ipres")};
  CapturedStderr log;
  const int exit = IpresMain(1, argv);
  const char* text = log.Text();
  assert_int_equal(exit, kExitUsage);
  assert_string_equal(text, "ipres: missing command (ipres --help for usage)\n");
}

void UnknownCommand(void**) {
  ExpectUsageError({"frobnicate", "vip"},
                   "ipres: unknown command 'frobnicate' (ipres --help for usage)");
  // Names are case-sensitive: quickcheck is a spelling of its own.
  ExpectUsageError({"Restore", "vip"}, "ipres: unknown command 'Restore' (ipres --help for usage)");
}

void WordsThatDoNotFit(void**) {
  ExpectUsageError({"list", "vip"},
                   "ipres: list takes no arguments, got 'vip' (ipres --help for usage)");
  ExpectUsageError({"restore"}, "ipres: restore takes exactly one TAG (ipres --help for usage)");
  ExpectUsageError({"quickcheck", "vip", "vip6"},
                   "ipres: quickcheck takes exactly one TAG (ipres --help for usage)");
  // status has two forms; words neither fits get the first's error.
  ExpectUsageError({"status", "vip", "vip6"},
                   "ipres: status takes exactly one TAG (ipres --help for usage)");
  ExpectUsageError({"status", "--json", "--json"},
                   "ipres: status takes exactly one TAG (ipres --help for usage)");
}

void UnknownTagsNameTheKnownOnes(void**) {
  ExpectUsageError({"restore", "nosuch"}, "ipres: unknown tag 'nosuch' (known: vip, vip6)");
  // One word that is not --json is status's TAG.
  ExpectUsageError({"status", "--jsonx"}, "ipres: unknown tag '--jsonx' (known: vip, vip6)");
  ExpectUsageError({"monitor", "vip", "nosuch"}, "ipres: unknown tag 'nosuch' (known: vip, vip6)");
}

// Every row runs something, and a listed one says what; a spelling that is
// not listed (quickcheck, -h, help) runs what a listed command runs.
void EveryRowHasAHandler(void**) {
  for (size_t i = 0; i < kCommandCount; ++i) {
    const Command& c = kCommands[i];
    assert_non_null(c.run);
    assert_true(c.listed != Listed::kOwnLine || (c.help && c.help[0]));
    if (c.listed != Listed::kNot) continue;
    bool shared = false;
    for (size_t j = 0; j < kCommandCount; ++j) {
      shared |= kCommands[j].listed != Listed::kNot && kCommands[j].run == c.run;
    }
    if (!shared) fail_msg("%s: a spelling of no listed command", c.name);
  }
}

}  // namespace

int main() {
  const CMUnitTest tests[] = {
      cmocka_unit_test(UsageIsTheTable),
      cmocka_unit_test(NoCommand),
      cmocka_unit_test(UnknownCommand),
      cmocka_unit_test(WordsThatDoNotFit),
      cmocka_unit_test(UnknownTagsNameTheKnownOnes),
      cmocka_unit_test(EveryRowHasAHandler),
  };
  return cmocka_run_group_tests(tests, nullptr, nullptr);
}
