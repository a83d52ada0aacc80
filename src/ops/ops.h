// The operations on one resource, as ip-recovery-kit-operations.txt and
// contract.md describe them. Each sees the machine only through Host, logs one
// line per step and returns what the caller maps to an exit status.
#pragma once

#include <stddef.h>

#include "base/status.h"
#include "config/resource.h"
#include "host/host.h"

namespace ipres {

Status Restore(Host& host, const Resource& r);
Status Remove(Host& host, const Resource& r);
Status QuickCheck(Host& host, const Resource& r);
Status Recover(Host& host, const Resource& r);
// Recover, unless a remove since the last restore said this node should not
// hold it (checked under the tag's lock). What the monitor runs for
// resources a cluster engine drives (AUTOSTART=0).
Status RecoverIfWanted(Host& host, const Resource& r);
// True when the address is on its device; a missing device is false.
Result<bool> QueryStatus(Host& host, const Resource& r);
// Could this node serve r now: the link and connectivity checks, sent from
// the node's physical address. Changes nothing.
Status Ready(Host& host, const Resource& r);

// Watches the resources until a stop is requested (see monitor.cc).
Status RunMonitor(Host& host, const Resource* const* resources, size_t count);

}  // namespace ipres
