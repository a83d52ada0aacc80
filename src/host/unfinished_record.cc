// SPDX-License-Identifier: Apache-2.0
#include "host/unfinished_record.h"

#include <stdio.h>
#include <string.h>

#include "base/text_fields.h"
#include "host/host.h"

namespace ipres {
namespace {

constexpr struct {
  uint32_t step;
  const char* word;
} kUnfinishedWords[] = {{kDeviceDown, "device-down"}, {kAddressAdded, "address-added"}};

}  // namespace

size_t FormatUnfinishedRecord(uint32_t steps, char* out, size_t size) {
  size_t used = 0;
  out[0] = '\0';
  for (const auto& w : kUnfinishedWords) {
    if ((steps & w.step) == 0) continue;
    int n = snprintf(out + used, size - used, "%s%s", used ? " " : "", w.word);
    if (n > 0) used += static_cast<size_t>(n);
  }
  int n = snprintf(out + used, size - used, "\n");
  if (n > 0) used += static_cast<size_t>(n);
  return used < size ? used : size - 1;
}

bool ParseUnfinishedRecord(char* text, uint32_t* steps) {
  char* nl = strchr(text, '\n');
  if (!nl || nl[1] != '\0') return false;
  *nl = '\0';
  char* f[kMaxFields];
  const size_t count = SplitFields(text, f);
  *steps = 0;
  for (size_t i = 0; i < count; ++i) {
    uint32_t step = 0;
    for (const auto& w : kUnfinishedWords) {
      if (strcmp(f[i], w.word) == 0) step = w.step;
    }
    if (step == 0) return false;
    *steps |= step;
  }
  return count > 0;
}

}  // namespace ipres
