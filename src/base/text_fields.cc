// SPDX-License-Identifier: Apache-2.0
#include "base/text_fields.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

namespace ipres {
namespace {

int DigitValue(char c, unsigned base) {
  if (c >= '0' && c <= '9') return c - '0';
  if (base == 16 && c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

struct Digits {
  const char* stop;  // the first byte that is not a digit, or the end
  uint64_t value;
  bool above_max;  // value is then meaningless
};

// The digits at the start of [p, end) in `base`, read without overflowing.
Digits ReadDigits(const char* p, const char* end, unsigned base, uint64_t max) {
  Digits d{p, 0, false};
  for (; d.stop < end; ++d.stop) {
    const int digit = DigitValue(*d.stop, base);
    if (digit < 0) break;
    if (d.above_max) continue;
    const uint64_t u = static_cast<uint64_t>(digit);
    if (d.value > (UINT64_MAX - u) / base) {
      d.above_max = true;
    } else {
      d.value = d.value * base + u;
      d.above_max = d.value > max;
    }
  }
  return d;
}

}  // namespace

bool CopyRecordLine(const char* text, char* line, size_t capacity) {
  const char* nl = strchr(text, '\n');
  if (!nl || nl[1] != '\0' || static_cast<size_t>(nl - text) >= capacity) return false;
  memcpy(line, text, static_cast<size_t>(nl - text));
  line[nl - text] = '\0';
  return true;
}

size_t SplitFields(char* line, char** fields) {
  size_t count = 0;
  char* p = line;
  while (count < kMaxFields) {
    while (*p == ' ' || *p == '\t') ++p;
    if (*p == '\0') break;
    fields[count++] = p;
    while (*p != '\0' && *p != ' ' && *p != '\t') ++p;
    if (*p != '\0') *p++ = '\0';
  }
  return count;
}

bool ParseNumber(const char* text, char end, unsigned base, unsigned long* out) {
  const Digits d = ReadDigits(text, text + strlen(text), base, ULONG_MAX);
  if (d.stop == text || *d.stop != end || d.above_max) return false;
  *out = static_cast<unsigned long>(d.value);
  return true;
}

FieldParse ParseDecimal(const char* text, size_t len, uint64_t min, uint64_t max, uint64_t* out) {
  const Digits d = ReadDigits(text, text + len, 10, max);
  if (d.stop == text || d.stop != text + len) return FieldParse::kMalformed;
  if (d.above_max || d.value < min) return FieldParse::kOutOfRange;
  *out = d.value;
  return FieldParse::kOk;
}

FieldParse ParseSecondsMs(const char* text, size_t len, SecondsSyntax syntax, uint32_t min_ms,
                          uint32_t max_ms, uint32_t* out_ms) {
  const char* end = text + len;
  // Whole seconds above UINT32_MAX are out of any range; below, * 1000 fits.
  const Digits whole = ReadDigits(text, end, 10, UINT32_MAX);
  const size_t whole_digits = static_cast<size_t>(whole.stop - text);
  const char* p = whole.stop;
  const bool point = p < end && *p == '.';
  size_t decimals = 0;
  uint64_t fraction_ms = 0;
  bool finer_than_ms = false;  // a non-zero digit past the third decimal
  if (point) {
    for (++p; p < end && *p >= '0' && *p <= '9'; ++p, ++decimals) {
      if (decimals < 3) {
        fraction_ms = fraction_ms * 10 + static_cast<uint64_t>(*p - '0');
      } else if (*p != '0') {
        finer_than_ms = true;
      }
    }
    for (size_t scale = decimals; scale < 3; ++scale) fraction_ms *= 10;
  }
  bool well_formed = p == end;
  if (syntax == SecondsSyntax::kConfig) {
    well_formed = well_formed && whole_digits >= 1 && whole_digits <= 6 &&
                  (!point || (decimals >= 1 && decimals <= 3));
  } else {
    well_formed = well_formed && whole_digits + decimals > 0;
  }
  if (!well_formed) return FieldParse::kMalformed;
  const uint64_t ms = whole.value * 1000 + fraction_ms + (finer_than_ms ? 1 : 0);
  if (whole.above_max || ms < min_ms || ms > max_ms) return FieldParse::kOutOfRange;
  *out_ms = static_cast<uint32_t>(ms);
  return FieldParse::kOk;
}

const char* FormatSeconds(uint32_t ms, char* out, size_t size) {
  const unsigned whole = ms / 1000, frac = ms % 1000;
  if (frac == 0) {
    snprintf(out, size, "%u", whole);
  } else if (frac % 100 == 0) {
    snprintf(out, size, "%u.%u", whole, frac / 100);
  } else if (frac % 10 == 0) {
    snprintf(out, size, "%u.%02u", whole, frac / 10);
  } else {
    snprintf(out, size, "%u.%03u", whole, frac);
  }
  return out;
}

}  // namespace ipres
