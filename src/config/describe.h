// SPDX-License-Identifier: Apache-2.0
// Text form of a resource, in ipres.conf's own syntax: what `ipres list` prints.
#pragma once

#include <stddef.h>

#include "config/resource.h"

namespace ipres {

// Writes "[TAG]" and one KEY=VALUE line per parameter into out (NUL
// terminated, truncated to size). Returns the length it needed.
size_t DescribeResource(const Resource& r, char* out, size_t size);

}  // namespace ipres
