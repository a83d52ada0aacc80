// SPDX-License-Identifier: Apache-2.0
// The record of a tag's unfinished steps (host.h's UnfinishedStep bits) as
// it is kept in the state directory: one line of words, "device-down
// address-added\n". Anything else is not a record ipres wrote.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace ipres {

// Writes the line for `steps` (at least one bit) into out; returns its
// length.
size_t FormatUnfinishedRecord(uint32_t steps, char* out, size_t size);
// Parses a line as FormatUnfinishedRecord writes it, in place; false on
// anything else.
bool ParseUnfinishedRecord(char* text, uint32_t* steps);

}  // namespace ipres
