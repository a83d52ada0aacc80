// What this node records about a tag for the operations that come after
// this one: whether the cluster engine last wanted it here, and who holds
// its lock (so a remove can ask a bring-up to abandon).
#pragma once

#include "base/status.h"
#include "ops/op.h"

namespace ipres {

// Records what this node was told about the tag (restore: wanted, remove:
// not). A failure is the operation's: logged, then returned, so the caller
// fails before it changes anything.
Status RecordWanted(const Op& op, bool wanted);
// From here until the lock is released a remove may make this bring-up
// abandon. A failure to record that is logged, then returned.
Status AcceptAbandonRequests(const Op& op);

}  // namespace ipres
