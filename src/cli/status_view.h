// SPDX-License-Identifier: Apache-2.0
// The lines of `ipres status` without a TAG (contract "Binary"), one a
// resource: for people, or with --json one JSON object for programs. The
// JSON keys are README's ("ipres status").
#pragma once

#include <stddef.h>

#include "config/resource.h"
#include "ops/ops.h"

namespace ipres {

constexpr size_t kStatusLineCapacity = 1024;

// Writes the line, with its newline, into out; returns its length (0 when it
// does not fit).
size_t FormatStatusText(const Resource& r, const ResourceView& view, char* out, size_t size);
size_t FormatStatusJson(const Resource& r, const ResourceView& view, char* out, size_t size);

}  // namespace ipres
