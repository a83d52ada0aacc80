// SPDX-License-Identifier: Apache-2.0
#include "host/conflict_record.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/text_fields.h"
#include "host/state_dir.h"

namespace ipres {
namespace {

// "aa:bb:cc:dd:ee:ff": six pairs of lowercase hex digits, as MacText writes.
bool ParseMac(const char* text, MacAddress* out) {
  if (strlen(text) != 17) return false;
  for (size_t i = 0; i < 6; ++i) {
    const char* pair = text + 3 * i;
    if (i < 5 && pair[2] != ':') return false;
    unsigned long byte = 0;
    char digits[3] = {pair[0], pair[1], '\0'};
    if (!ParseNumber(digits, '\0', 16, &byte)) return false;
    out->bytes[i] = static_cast<uint8_t>(byte);
  }
  return true;
}

}  // namespace

size_t FormatConflictRecord(const Conflict& conflict, char* out, size_t size) {
  int n = snprintf(out, size, "claimant %s until %" PRId64 "\n", MacText(conflict.claimant).s,
                   conflict.stands_until_ms);
  return n > 0 && static_cast<size_t>(n) < size ? static_cast<size_t>(n) : 0;
}

bool ParseConflictRecord(const char* text, Conflict* out) {
  char line[StateDir::kRecordCapacity];
  if (!CopyRecordLine(text, line, sizeof line)) return false;
  char* f[kMaxFields];
  if (SplitFields(line, f) != 4 || strcmp(f[0], "claimant") != 0 || strcmp(f[2], "until") != 0) {
    return false;
  }
  uint64_t until = 0;
  if (!ParseMac(f[1], &out->claimant) ||
      ParseDecimal(f[3], strlen(f[3]), 1, INT64_MAX, &until) != FieldParse::kOk) {
    return false;
  }
  out->stands_until_ms = static_cast<int64_t>(until);
  return true;
}

}  // namespace ipres
