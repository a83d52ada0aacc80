// SPDX-License-Identifier: Apache-2.0
// restore's steps 2-7 (restore.cc), which recover and the monitor reuse.
#pragma once

#include "base/status.h"
#include "ops/op.h"
#include "ops/unfinished.h"

namespace ipres {

// restore's steps 2-7, for a caller holding the lock. An address found there
// that `left` says a killed restore added is taken off again when it does
// not pass the checks.
Status RestoreSteps(const Op& op, LeftUnfinished& left);

}  // namespace ipres
