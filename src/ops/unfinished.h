// What a killed restore, remove or recover on a tag left half done, as the
// next operation on it (holding the tag's lock) finds and finishes it. The
// record lives beside the tag's lock (Host's UnfinishedStep bits).
#pragma once

#include <stdint.h>

#include "base/status.h"
#include "ops/op.h"

namespace ipres {

// What a killed operation on the tag left half done, for a caller holding
// the lock: a device its bounce left down is brought up here. Returns the
// UnfinishedStep bits left to the caller (kAddressAdded).
Result<uint32_t> RepairUnfinished(const Op& op);
// The steps are done; a failure to record that is logged only (a stale
// record costs the next operation a harmless repeat).
void ClearUnfinished(const Op& op, uint32_t steps);

}  // namespace ipres
