// SPDX-License-Identifier: Apache-2.0
// The one parser of ipres.conf. It runs on the build machine (the generator
// turns its result into constant tables) and in the unit tests; the binary on
// the appliance parses nothing.
#pragma once

#include <stddef.h>

#include "config/resource.h"

namespace ipres {

struct Config {
  Tunables globals;
  Resource resources[kMaxResources];
  size_t count = 0;
};

struct ParseError {
  int line = 0;  // 1-based
  char reason[200] = {};
};

// Parses the whole text. On failure returns false with the first error.
bool ParseConfig(const char* text, size_t len, Config* out, ParseError* error);

}  // namespace ipres
