// SPDX-License-Identifier: Apache-2.0
// The value half of ipres.conf's KEY=VALUE lines: one reader per kind of
// value. A reader that refuses its value writes why into error->reason; the
// parser, which knows the line, has set error->line already.
#pragma once

#include <stddef.h>
#include <string.h>

#include "config/parser.h"

namespace ipres {

// A piece of the config text, not NUL-terminated.
struct Span {
  const char* p;
  size_t n;
  bool Is(const char* s) const { return strlen(s) == n && memcmp(p, s, n) == 0; }
};

bool IsSpace(char c);
Span Trim(Span s);

// Writes the reason and returns false, for `return Refuse(...)`.
bool Refuse(ParseError* error, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// A.B.C.D/PREFIX or IPV6/PREFIX naming a unicast host address of its subnet
// (for IPv6 of global scope: a link-local address needs a zone).
bool ReadAddress(Span v, IpAddress* address, uint8_t* prefix, ParseError* error);
bool ReadDevice(Span v, char (&device)[kIfNameCapacity], ParseError* error);
// Unicast addresses of one family.
bool ReadPingList(Span v, Tunables* t, ParseError* error);
bool ReadBool(const char* name, Span v, bool* field, ParseError* error);
bool ReadCount(const char* name, Span v, uint32_t* field, ParseError* error);
bool ReadSeconds(const char* name, Span v, bool positive, uint32_t* field_ms, ParseError* error);

}  // namespace ipres
