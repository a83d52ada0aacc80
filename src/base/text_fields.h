// Splitting and reading the one-line records ipres parses by hand: its own
// state records and /proc/locks. (No sscanf: musl's scanf family brings in
// the allocator.)
#pragma once

#include <stddef.h>

namespace ipres {

constexpr size_t kMaxFields = 8;

// Splits a line into at most kMaxFields whitespace-separated fields, in
// place; returns how many.
size_t SplitFields(char* line, char** fields);

// A whole field (up to `end`, or its NUL) as a number in `base` (10 or 16,
// lowercase); false on anything else, an empty field or an overflow.
bool ParseNumber(const char* text, char end, unsigned base, unsigned long* out);

}  // namespace ipres
