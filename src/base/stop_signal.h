// SPDX-License-Identifier: Apache-2.0
// SIGTERM and SIGINT as a request to stop: the handler only raises a flag
// that the main flow looks at between steps.
#pragma once

#include "base/status.h"

namespace ipres {

// Installs the handler for both signals, without SA_RESTART: a blocking call
// (poll, flock, nanosleep) must return EINTR so its caller looks at the flag.
Status InstallStopHandlers();

// True once SIGTERM or SIGINT arrived.
bool StopSignalled();

}  // namespace ipres
