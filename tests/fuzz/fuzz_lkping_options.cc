// SPDX-License-Identifier: Apache-2.0
// lkping's command line: the input is split at NUL bytes into arguments.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/text_fields.h"
#include "cli/lkping_options.h"

using namespace ipres;

namespace {

constexpr int kMaxArgs = 32;
char g_text[4096];
char* g_argv[kMaxArgs + 1];
LkpingOptions g_options;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size >= sizeof g_text) return 0;
  memcpy(g_text, data, size);
  g_text[size] = '\0';
  static char program[] = "lkping";
  int argc = 0;
  g_argv[argc++] = program;
  for (size_t i = 0; i <= size && argc < kMaxArgs;) {
    g_argv[argc++] = g_text + i;
    i += strlen(g_text + i) + 1;
  }
  g_argv[argc] = nullptr;
  Status s = ParseLkpingOptions(argc, g_argv, &g_options);
  if (!s.ok()) return 0;
  if (g_options.help) return 0;
  if (!g_options.destination_text) abort();
  if (g_options.exclude_count > EchoTracker::kMaxExcluded) abort();
  if (strnlen(g_options.device, sizeof g_options.device) == sizeof g_options.device) abort();
  uint32_t ms;
  const char* last = g_argv[argc - 1];
  if (ParseSecondsMs(last, strlen(last), SecondsSyntax::kPing, 0, 2147483000u, &ms) ==
          FieldParse::kOk &&
      ms > 2147483000u) {
    abort();
  }
  return 0;
}
