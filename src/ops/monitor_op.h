// SPDX-License-Identifier: Apache-2.0
// The monitor's context for one resource: every line it logs about it
// starts "TAG: monitor: " (Op::Log), the name its check record carries too
// (CheckKind::kMonitor).
#pragma once

#include "ops/op.h"

namespace ipres {

constexpr char kMonitorName[] = "monitor";

inline Op MonitorOp(Host& host, const Resource& r) {
  return Op{host, r, kMonitorName};
}

}  // namespace ipres
