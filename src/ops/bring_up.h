// SPDX-License-Identifier: Apache-2.0
// Bringing the address in service (spec "Bringing a Resource In Service",
// steps 2-7): restore's, recover's second half, and the monitor's finishing
// of an add a killed restore left. Once these steps have added the address,
// they either end with it in service or take it away again: a failed step or
// a stop request after the add never leaves it half in service.
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
