// SPDX-License-Identifier: Apache-2.0
// Descriptors 0, 1 and 2 that whoever started ipres left closed (some
// supervisors do). Were they left closed, the next descriptor opened would
// take one: a packet socket as fd 2 would send every log line to the wire
// as a frame, a lock file as fd 1 would receive output.
#pragma once

#include "base/status.h"

namespace ipres {

// Opens /dev/null in place of each of 0, 1 and 2 that is closed. The first
// thing main does, before anything else can open a descriptor.
Status OpenMissingStandardFds();

}  // namespace ipres
