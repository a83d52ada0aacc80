// SPDX-License-Identifier: Apache-2.0
#include "base/random.h"

#include <sys/random.h>
#include <unistd.h>

#include "base/clock.h"

namespace ipres {

void FillRandom(void* out, size_t size) {
  uint8_t* bytes = static_cast<uint8_t*>(out);
  if (getrandom(bytes, size, GRND_NONBLOCK) == static_cast<ssize_t>(size)) return;
  uint64_t mix = static_cast<uint64_t>(MonotonicUs()) ^ (static_cast<uint64_t>(getpid()) << 40);
  for (size_t i = 0; i < size; ++i) {
    mix = mix * 6364136223846793005ull + 1442695040888963407ull;  // Knuth's MMIX LCG
    bytes[i] = static_cast<uint8_t>(mix >> 56);
  }
}

uint32_t RandomUpTo(uint32_t limit) {
  uint32_t value = 0;
  FillRandom(&value, sizeof value);
  return limit == UINT32_MAX ? value : value % (limit + 1);
}

}  // namespace ipres
