// SPDX-License-Identifier: Apache-2.0
#include "config/table.h"

#include <string.h>

namespace ipres {

const Resource* FindResource(const char* tag) {
  for (size_t i = 0; i < kResourceCount; ++i) {
    if (strcmp(kResources[i].tag, tag) == 0) return &kResources[i];
  }
  return nullptr;
}

}  // namespace ipres
