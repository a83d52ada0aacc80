// SPDX-License-Identifier: Apache-2.0
// The record of a tag's standing conflict (host.h's Conflict) as it is kept
// in the state directory: one line, "claimant aa:bb:cc:dd:ee:ff until MS\n",
// MS on the monotonic clock every process of the boot shares. Anything else
// is not a record ipres wrote.
#pragma once

#include <stddef.h>

#include "host/tag_store.h"

namespace ipres {

// Writes the line into out; returns its length (0 when it does not fit).
size_t FormatConflictRecord(const Conflict& conflict, char* out, size_t size);
// Parses a line as FormatConflictRecord writes it; false on anything else.
bool ParseConflictRecord(const char* text, Conflict* out);

}  // namespace ipres
