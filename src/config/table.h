// SPDX-License-Identifier: Apache-2.0
// The resources compiled into this binary (generated from the board's
// ipres.conf by confgen at build time).
#pragma once

#include <stddef.h>

#include "config/resource.h"

namespace ipres {

extern const char kBoardName[];
extern const Resource kResources[];
extern const size_t kResourceCount;

// The resource with this tag, or nullptr.
const Resource* FindResource(const char* tag);

}  // namespace ipres
