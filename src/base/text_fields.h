// SPDX-License-Identifier: Apache-2.0
// Reading and writing the small text fields ipres handles by hand: its own
// state records, /proc/locks, ipres.conf's values and lkping's options. One
// digit reader serves them all. (No sscanf or strtoul: musl's scanf family
// brings in the allocator, and strtoul accepts signs and spaces.)
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace ipres {

constexpr size_t kMaxFields = 8;

// A record as ipres writes one: a single line ending in '\n' and nothing
// after it. Copies it without the newline into `line` (NUL-terminated);
// false for anything else, or a line that does not fit.
bool CopyRecordLine(const char* text, char* line, size_t capacity);

// Splits a line into at most kMaxFields whitespace-separated fields, in
// place; returns how many.
size_t SplitFields(char* line, char** fields);

// A whole field (up to `end`, or its NUL) as a number in `base` (10 or 16,
// lowercase); false on anything else, an empty field or an overflow.
bool ParseNumber(const char* text, char end, unsigned base, unsigned long* out);

enum class FieldParse { kOk, kMalformed, kOutOfRange };

// Exactly `len` decimal digits (no sign, no space, not empty; leading zeros
// allowed) whose value lies in [min, max]. Too many digits for any value
// reads as out of range, never as an overflowed value.
FieldParse ParseDecimal(const char* text, size_t len, uint64_t min, uint64_t max, uint64_t* out);

enum class SecondsSyntax {
  // ipres.conf: "5", "0.25": 1 to 6 digits before the point, 1 to 3 after
  // it. A longer value is a typo, told as such rather than as out of range.
  kConfig,
  // ping's options, as its strtod reads them: ".5" and "1." too, and any
  // number of decimals, rounded up to the next millisecond so a tiny
  // non-zero value never turns into "none". No sign, space or exponent.
  kPing,
};

// Seconds with an optional fraction, as milliseconds in [min_ms, max_ms].
FieldParse ParseSecondsMs(const char* text, size_t len, SecondsSyntax syntax, uint32_t min_ms,
                          uint32_t max_ms, uint32_t* out_ms);

// Milliseconds as the config writes seconds: "5", "0.25", "0.125".
const char* FormatSeconds(uint32_t ms, char* out, size_t size);

}  // namespace ipres
