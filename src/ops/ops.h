// SPDX-License-Identifier: Apache-2.0
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
// What the monitor's recover came to.
enum class Recovery {
  kRecovered,         // removed, then restored
  kNotWanted,         // left alone: the last word is not a restore
  kPutBackMeanwhile,  // left in service: another operation put it back
};
// What the monitor runs when its quickCheck failed: recover, unless, asked
// under the tag's lock,
// - the last word on the tag is not a restore (a remove since, by an engine
//   or by hand, whatever AUTOSTART says; or no word yet);
// - this recover waited for the lock and the resource passes quickCheck
//   now: the operation that held the lock put it back in service meanwhile
//   (the mdev hook's restore, an engine's, an operator's), and taking it
//   down again would only flap it.
Result<Recovery> RecoverForMonitor(Host& host, const Resource& r);
// True when the address is on its device; a missing device is false.
Result<bool> QueryStatus(Host& host, const Resource& r);
// What `ipres status` without a TAG shows of one resource.
struct ResourceView {
  bool held = false;                // as QueryStatus answers
  WordKind word = WordKind::kNone;  // the engine's last word (Host::LastWord)
  CheckRecord check;                // last check and last failure (CheckKind::kNone: none yet)
  Conflict conflict;                // valid while conflict_left_ms > 0
  int64_t conflict_left_ms = 0;
  // False when this user may not read /run/ipres (mode 0700, root's): only
  // `held` is known then.
  bool state_readable = true;
};
// Reads it all, changes nothing and logs nothing: the caller prints it.
// The first read that fails is the error, but for one denied to this user
// (EACCES), which leaves the records unknown.
Result<ResourceView> ViewResource(Host& host, const Resource& r);
// Could this node serve r now: the link and connectivity checks, sent from
// the node's physical address. Changes nothing.
Status Ready(Host& host, const Resource& r);

// Watches the resources until a stop is requested (see monitor.cc).
Status RunMonitor(Host& host, const Resource* const* resources, size_t count);

}  // namespace ipres
