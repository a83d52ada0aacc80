// SPDX-License-Identifier: Apache-2.0
// What the kernel announces on RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR and
// RTNLGRP_IPV6_IFADDR, as the one event the monitor acts on. Decoding is
// pure, unit-tested on bytes.
#pragma once

#include <linux/netlink.h>
#include <stdint.h>

#include "base/event_types.h"

namespace ipres {

// One message of an event datagram, as MessageReader hands it out: true
// with *ev filled for RTM_NEWADDR/RTM_DELADDR (AF_INET, AF_INET6) and
// RTM_NEWLINK/RTM_DELLINK; false for any other message or a malformed one.
bool DecodeNetEvent(const nlmsghdr* msg, NetEvent* ev);

}  // namespace ipres
