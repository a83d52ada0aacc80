// SPDX-License-Identifier: Apache-2.0
// remove's steps (remove.cc) that recover, restore and the monitor reuse.
#pragma once

#include "base/status.h"
#include "ops/device_view.h"
#include "ops/op.h"
#include "ops/unfinished.h"

namespace ipres {

// remove's steps 2-6, for a caller holding the lock. With the address gone
// (or never there), an add a killed restore left unfinished is settled.
Status RemoveSteps(const Op& op, LeftUnfinished& left);
// remove's steps 3-6 for an address that `dev` found present: the route
// source back to the subnet's physical address (none: no source), delete
// the address with the prefix it carries, its host route and the route
// cache. The delete's result.
Status TakeDown(const Op& op, const DeviceView& dev);

}  // namespace ipres
