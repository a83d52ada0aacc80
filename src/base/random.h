// SPDX-License-Identifier: Apache-2.0
// Random bytes for identifiers, nonces and jitter: values that only have to
// differ from other processes' and hosts', never secrets.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace ipres {

// getrandom without blocking; early in boot, before the pool is ready
// (EAGAIN), the clock and the pid stand in.
void FillRandom(void* out, size_t size);

// A number in [0, limit], uniform enough for jitter.
uint32_t RandomUpTo(uint32_t limit);

}  // namespace ipres
