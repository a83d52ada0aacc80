// SPDX-License-Identifier: Apache-2.0
// The config parser on arbitrary text: it runs on the build machine, but a
// crash there is still a broken build, and describe.cc prints what it parsed.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/describe.h"
#include "config/parser.h"

using namespace ipres;

namespace {

// Large tables stay off libFuzzer's stack.
Config g_config;
ParseError g_error;
char g_block[4096];

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!ParseConfig(reinterpret_cast<const char*>(data), size, &g_config, &g_error)) {
    // An error names a line of the input and says what is wrong.
    if (g_error.line < 1 || g_error.reason[0] == '\0') abort();
    if (strnlen(g_error.reason, sizeof g_error.reason) == sizeof g_error.reason) abort();
    return 0;
  }
  if (g_config.count > kMaxResources) abort();
  for (size_t i = 0; i < g_config.count; ++i) {
    const Resource& r = g_config.resources[i];
    if (strnlen(r.tag, sizeof r.tag) == sizeof r.tag || r.tag[0] == '\0') abort();
    if (strnlen(r.device, sizeof r.device) == sizeof r.device) abort();
    if (r.prefix > 32 || r.t.ping_list_count > kMaxPingList) abort();
    DescribeResource(r, g_block, sizeof g_block);
  }
  return 0;
}
