// SPDX-License-Identifier: Apache-2.0
// SystemHost's Events: the monitor's one wait (EventSource) on rtnetlink,
// the claim watches and the state directory's words.
#include "host/system_host_class.h"

namespace ipres {

Status SystemHost::WatchEvents(bool ipv6) {
  return events_.WatchEvents(ipv6, tags_.OpenDir());
}

// The monitor waits here between its rounds of work: a link resolved
// before is not the next round's.
Result<NetEvent> SystemHost::NextEvent(uint32_t timeout_ms) {
  ForgetLink();
  Status s = Open();
  if (!s.ok()) return s;
  return events_.NextEvent(timeout_ms, nl_);
}

}  // namespace ipres
