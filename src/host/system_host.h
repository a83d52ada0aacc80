// SPDX-License-Identifier: Apache-2.0
// The real Host: the kernel through net/.
#pragma once

#include "host/host.h"

namespace ipres {

// The process's one SystemHost. Installs the SIGTERM/SIGINT handlers that
// StopRequested() reports.
Host& GetSystemHost();

}  // namespace ipres
